/**
 * Other ways of naming a place than its official name, indexed with the names
 * (place-index-build.ts) and read by the rules of places.ts:
 * - demonyms of the largest communes and of régions and a few départements ("les familles
 *   nantaises" → Nantes, "les profs bretons" → Bretagne), every gender and number derived
 *   from the masculine singular by French agreement rules;
 * - short forms and abbreviations of big cities that are no misspelling of their name
 *   ("Clermont" for Clermont-Ferrand, "Aix", "tlse", "mtp", "bdx"). Misspellings and SMS
 *   spellings ("marseil", "bordo", "strasbrg") are read by sound instead (city-sounds.ts).
 */
import type { PlaceKind } from '../base/types.js';
import { foldWords } from '../base/text.js';

/** Where a demonym or short form points: a kind and its official code. */
export interface AliasTarget {
  kind: Exclude<PlaceKind, 'national' | 'academie'>;
  code: string;
}

/** Grammatical number a demonym form can have ("lillois" is both). */
export type DemonymNumber = 'singular' | 'plural' | 'both';

/** One written form of a demonym. */
export interface DemonymForm {
  target: AliasTarget;
  number: DemonymNumber;
  /** An English form ("Parisian schools"): English puts the adjective before the noun. */
  english: boolean;
}

const commune = (code: string): AliasTarget => ({ kind: 'commune', code });
const region = (code: string): AliasTarget => ({ kind: 'region', code });
const departement = (code: string): AliasTarget => ({ kind: 'departement', code });

/**
 * Masculine singular demonyms (folded), with explicit feminine forms where agreement is
 * irregular. Left out on purpose: names of a language or a thing more often than of people
 * ("occitan", "catalan", "basque", "charentaises" are slippers, "troyen" a Trojan horse), of
 * two places ("boulonnais", "dionysien", "antillais"), and forms that are already a place's
 * name ("corse", "lorraine", "limousin": read as that name).
 */
const DEMONYMS: [string, AliasTarget, string?][] = [
  // Communes of about 60,000 inhabitants and more.
  ['parisien', commune('75056')], ['marseillais', commune('13055')], ['lyonnais', commune('69123')],
  ['toulousain', commune('31555')], ['nicois', commune('06088')], ['nantais', commune('44109')],
  ['montpellierain', commune('34172')], ['strasbourgeois', commune('67482')], ['bordelais', commune('33063')],
  ['lillois', commune('59350')], ['rennais', commune('35238')], ['toulonnais', commune('83137')],
  ['remois', commune('51454')], ['stephanois', commune('42218')], ['havrais', commune('76351')],
  ['villeurbannais', commune('69266')], ['dijonnais', commune('21231')], ['angevin', commune('49007')],
  ['grenoblois', commune('38185')], ['nimois', commune('30189')], ['aixois', commune('13001')],
  ['clermontois', commune('63113')], ['manceau', commune('72181'), 'mancelle'], ['brestois', commune('29019')],
  ['tourangeau', commune('37261'), 'tourangelle'], ['amienois', commune('80021')], ['annecien', commune('74010')],
  ['limougeaud', commune('87085')], ['messin', commune('57463')], ['perpignanais', commune('66136')],
  ['bisontin', commune('25056')], ['rouennais', commune('76540')], ['orleanais', commune('45234')],
  ['montreuillois', commune('93048')], ['caennais', commune('14118')], ['argenteuillais', commune('95018')],
  ['mulhousien', commune('68224')], ['nanceien', commune('54395')], ['tourquennois', commune('59599')],
  ['roubaisien', commune('59512')], ['nanterrien', commune('92050')], ['avignonnais', commune('84007')],
  ['creteillois', commune('94028')], ['poitevin', commune('86194')], ['dunkerquois', commune('59183')],
  ['versaillais', commune('78646')], ['biterrois', commune('34032')], ['palois', commune('64445')],
  ['rochelais', commune('17300')], ['ajaccien', commune('2A004')], ['bastiais', commune('2B033')],
  ['nazairien', commune('44184')], ['cannois', commune('06029')], ['antibois', commune('06004')],
  ['calaisien', commune('62193')], ['colmarien', commune('68066')], ['quimperois', commune('29232')],
  ['montalbanais', commune('82121')], ['cayennais', commune('97302')], ['foyalais', commune('97209')],
  ['lorientais', commune('56121')], ['vannetais', commune('56260')], ['malouin', commune('35288')],
  ['chamberien', commune('73065')], ['bayonnais', commune('64102')], ['niortais', commune('79191')],
  // Régions (today's and the older ones people still name).
  ['breton', region('53')], ['normand', region('28')], ['alsacien', region('44')], ['lorrain', region('44')],
  ['champenois', region('44')], ['reunionnais', region('04')], ['guadeloupeen', region('01')],
  ['martiniquais', region('02')], ['guyanais', region('03')], ['mahorais', region('06')], ['francilien', region('11')],
  ['picard', region('32')], ['nordiste', departement('59')], ['bourguignon', region('27')],
  ['franc comtois', region('27')], ['auvergnat', region('84')], ['rhonalpin', region('84')], ['provencal', region('93')],
  ['languedocien', region('76')], ['aquitain', region('75')], ['berrichon', region('24')],
  ['corse', region('94')], ['ligerien', region('52')],
  // Départements.
  ['savoyard', departement('73')], ['haut savoyard', departement('74')], ['vendeen', departement('85')],
  ['girondin', departement('33')], ['landais', departement('40')], ['ardechois', departement('07')],
  ['aveyronnais', departement('12')], ['ariegeois', departement('09')], ['lotois', departement('46')],
  ['gersois', departement('32')], ['dromois', departement('26')], ['iserois', departement('38')],
  ['vosgien', departement('88')], ['ardennais', departement('08')], ['mayennais', departement('53')],
  ['sarthois', departement('72')], ['finisterien', departement('29')], ['morbihannais', departement('56')],
];

/** English demonyms ("Parisian families", "Corsican schools"). */
const ENGLISH_DEMONYMS: [string, AliasTarget][] = [
  ['parisian', commune('75056')], ['corsican', region('94')], ['breton', region('53')], ['alsatian', region('44')],
  ['reunionese', region('04')], ['martinican', region('02')], ['guadeloupean', region('01')], ['provencal', region('93')],
];

/** The four forms of a French demonym: masculine and feminine, singular and plural. */
function inflect(masculine: string, feminine?: string): { form: string; number: DemonymNumber }[] {
  const m = masculine;
  let f = feminine;
  if (!f) {
    if (m.endsWith('e')) f = m;
    else if (/(ien|een|on)$/.test(m)) f = `${m}ne`;
    else f = `${m}e`;
  }
  const mPlural = /[sx]$/.test(m) ? m : m.endsWith('eau') ? `${m}x` : `${m}s`;
  const out = new Map<string, DemonymNumber>();
  const put = (form: string, number: DemonymNumber) => {
    const had = out.get(form);
    out.set(form, had && had !== number ? 'both' : number);
  };
  put(m, 'singular');
  put(mPlural, 'plural');
  put(f, 'singular');
  put(`${f}s`, 'plural');
  return [...out].map(([form, number]) => ({ form, number }));
}

function buildForms(): Map<string, DemonymForm> {
  const forms = new Map<string, DemonymForm>();
  const put = (form: string, value: DemonymForm) => {
    const phrase = foldWords(form).join(' ');
    if (!forms.has(phrase)) forms.set(phrase, value);
  };
  for (const [masculine, target, feminine] of DEMONYMS) {
    for (const { form, number } of inflect(masculine, feminine)) put(form, { target, number, english: false });
  }
  for (const [singular, target] of ENGLISH_DEMONYMS) {
    put(singular, { target, number: 'singular', english: true });
    put(`${singular}s`, { target, number: 'plural', english: true });
  }
  return forms;
}

/** Every demonym form (folded words joined by a space) and what it names. */
export const DEMONYM_FORMS: ReadonlyMap<string, DemonymForm> = buildForms();

/**
 * Short forms and abbreviations of big cities people write, that no misspelling rule finds:
 * the first word of a compound name used alone ("Clermont", "Aix": the big city first, its
 * homonyms as alternatives), SMS abbreviations, nicknames.
 */
export const SHORT_FORMS: readonly [string, AliasTarget][] = [
  ['clermont', commune('63113')], ['clermont fd', commune('63113')], ['aix', commune('13001')],
  ['aix en pce', commune('13001')], ['tlse', commune('31555')], ['mtp', commune('34172')], ['mtpl', commune('34172')],
  ['bdx', commune('33063')], ['paname', commune('75056')], ['stras', commune('67482')], ['marseilles', commune('13055')],
  ['lyons', commune('69123')],
];
