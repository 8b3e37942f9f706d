/**
 * French or English, from the little words people cannot avoid (and their SMS spellings).
 * French when unsure. Words read as part of a service name do not count.
 */
import type { Language } from '../base/types.js';
import type { Token } from '../base/text.js';

const FR = new Set(
  ('le la les l un une des du de est et en au aux ce ca c cest je j tu t il elle on nous vous ils elles ' +
    'pas ne n plus quand pourquoi comment quoi qui que qu chez moi mon ma mes ton ta sa son notre votre ' +
    'marche marchent fonctionne panne toujours depuis encore aussi bonjour salut merci svp stp oui non ' +
    'rien aide abonne abonner desabonner sur pour avec dans ya y fait faire faut quel quelle quels sont ' +
    'mais ou donc car vers par ecole college lycee attendant revient maintenant aujourd hui matin soir ' +
    'fille fils enfant enfants prof profs eleves parents classe connecter arrive peux peut bloque lent ' +
    'me te se dit erreur identifiant mot passe toujours tjrs pk pq qd kan koi ke pb jarrive jpeux pa ' +
    'sa g co hs plante rame coupe coupee lente mdr slt bjr cc tt ptdr')
    .split(' '),
);
const EN = new Set(
  ('the is are was were be been it its i my me we our you your they this that what when why how where who ' +
    'in at for to of and not no can cant don doesn didn isn aren won down working work works back up out ' +
    'any help please thanks thank hi hello there anyone still since subscribe unsubscribe fix fixed outage ' +
    'school schools today morning will should do does did with from about again anything else log login ' +
    'sign access kids son daughter teacher teachers students going happening broken slow meanwhile also ' +
    'nationwide everywhere national whole country an get getting got error just only now right all ' +
    'everyone nobody someone know think keep keeps loading offline online homework guys u r wen dwn plz ' +
    'lol thx pls ur im something nothing because caused happened outages coming cannot unable tell joke ' +
    'weather tomorrow yesterday last night game won useless would could nice good bad great gonna wanna ' +
    'should there s has have had been being class classes kid child children parent login password')
    .split(' '),
);
const FRENCH_LETTERS = /[àâçéèêëîïôùûüœ]/i;

function counts(tokens: readonly Token[], text: string, skip?: readonly boolean[]): [number, number] {
  let fr = FRENCH_LETTERS.test(text) ? 1 : 0;
  let en = 0;
  for (let i = 0; i < tokens.length; i++) {
    if (skip?.[i]) continue;
    const w = tokens[i]!.norm;
    if (FR.has(w)) fr++;
    if (EN.has(w)) en++;
  }
  return [fr, en];
}

/**
 * The language of a question; `hint` (a locale such as "en-GB") breaks ties; `skip[i]` marks
 * words that do not count (service names).
 */
export function detectLanguage(tokens: readonly Token[], text: string, hint?: string | null, skip?: readonly boolean[]): Language {
  const [fr, en] = counts(tokens, text, skip);
  if (en > fr) return 'en';
  if (fr > en) return 'fr';
  const h = (hint ?? '').toLowerCase();
  return h.startsWith('en') ? 'en' : 'fr';
}

/** True when the words give no clear language (so a conversation's language can carry on). */
export function languageIsUnclear(tokens: readonly Token[], text: string, skip?: readonly boolean[]): boolean {
  const [fr, en] = counts(tokens, text, skip);
  return fr === en;
}
