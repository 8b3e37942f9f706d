/**
 * The demo scenario matches its source, the Reuters report of 17 March 2020: every update's
 * French text (shown in answers as the source's words, « … ») and every quote in an expected
 * recovery is the report's own words, said there by the source it is attributed to; what is
 * not a quote does not copy the report; and no answer, listing or step shows a minute the
 * report did not give ("ce matin", "dès demain matin" are said as such, in French and English).
 *
 * Who said what is kept below as the report's passages (verbatim, short); where the report
 * itself is available (the project's seed), each passage is checked against it.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { FixedClock } from '../../src/base/clock.js';
import { loadScenario } from '../../src/content/load.js';
import { scenarioFileSchema } from '../../src/content/schemas.js';
import { scenarioTime } from '../../src/incidents/index.js';
import { createRuntime, loadCheckedScenario } from '../../src/runtime.js';
import type { Reply } from '../../src/base/types.js';
import { renderText } from '../../src/answer/render-text.js';
import { sharedReference } from '../helpers/bot.js';

const REPORT = '/work/shared/seed/000_bbae66755f7b7ba3.txt';
const MINISTER = "Jean-Michel Blanquer, ministre de l'Éducation nationale";
const MINISTRY = "Ministère de l'Éducation nationale";
const PRESS = 'Reuters';

/** The report's passages, verbatim, by who says them there. */
const SAID: Record<string, string[]> = {
  // Quoted as the minister's words (to the press, during a visit on Tuesday morning).
  [MINISTER]: [
    "C'est le cas de ce qui se passe pour le Cned ce matin, où vous avez eu des attaques informatiques apparemment venues de l'étranger pour en quelque sorte empêcher les serveurs de fonctionner",
    "Le travail technique est en train d'être fait pour rétablir cela. Fort heureusement, cela ne touche pas tout le monde partout (...) on espère que techniquement ça va être rétabli dans la journée",
    'qui relèvent souvent des opérateurs',
  ],
  // Quoted from the ministry's communiqués (the one of the day, and the one "en fin de journée").
  // "tout" is the report's indirect speech of the ministry, just outside its quote marks.
  [MINISTRY]: [
    'fortement ralentis, voire inaccessibles ce matin',
    'Ces problèmes sont liés aux prestataires concernés dans ces régions qui ont rencontré des difficultés techniques dues à la forte surcharge des infrastructures',
    'sont en train de traiter ces difficultés qui devraient se résoudre rapidement',
    'tout "était mis en œuvre pour que les élèves puissent, dès demain matin, bénéficier de toutes les ressources du CNED',
    'les plateformes des espaces numériques de travail sont rétablies dans les Régions qui avaient connu des difficultés',
    'des lenteurs peuvent encore demeurer localement',
    'Les cellules de crise des collectivités travaillent activement pour que les derniers dysfonctionnements soient réglés et que la fluidité soit pleinement rétablie dès mercredi matin pour tous les élèves',
  ],
  // The report's own sentences.
  [PRESS]: [
    'Au-delà des problèmes de connexion "qui relèvent souvent des opérateurs" rencontrant des difficultés techniques face à une fréquentation exceptionnelle, certaines difficultés ont été le résultat d\'attaques informatiques, a déclaré Jean-Michel Blanquer à la presse à l\'occasion d\'un déplacement',
    // Two paragraphs that follow each other.
    'Au-delà de cette plate-forme nationale, de nombreux dysfonctionnements ont également été observés sur les espaces numériques de travail (ENT) gérés par les collectivités locales (département pour les collèges et régions pour les lycées), ainsi que pour les outils de visioconférence.\n\n' +
      'Ces services étaient "fortement ralentis, voire inaccessibles ce matin" dans certaines régions (Grand-Est, Ile-de-France, Hauts-de-France, Occitanie), a souligné le ministère de l\'Education nationale dans un communiqué',
  ],
};

/** How a recovery text names who said it. */
const NAMED: [RegExp, string][] = [
  [/Jean-Michel Blanquer/, MINISTER],
  [/\bministère\b/i, MINISTRY],
];

/** Compared modulo typographic quotes, apostrophes, ellipses, whitespace and case. */
function norm(text: string): string {
  return text
    .normalize('NFC')
    .replace(/[’`]/g, "'")
    .replace(/\(\.\.\.\)|\(…\)/g, ' (…) ')
    .replace(/[«»“”"]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** A quote's parts between "(…)", each without its end punctuation. */
function fragments(quote: string): string[] {
  return norm(quote)
    .split('(…)')
    .map((f) => f.replace(/^[\s.,;:]+|[\s.,;:]+$/g, ''))
    .filter((f) => f.length > 0);
}

/** True when every part of the quote is in one of the passages the source says. */
function saidBy(source: string, quote: string): boolean {
  const passages = (SAID[source] ?? []).map(norm);
  return fragments(quote).every((f) => passages.some((p) => p.includes(f)));
}

/** The « … » and “ … ” quotes of a text. */
function quotesIn(text: string): string[] {
  return [...text.matchAll(/«\s*([^»]+?)\s*»|“([^”]+)”/g)].map((m) => (m[1] ?? m[2] ?? '').trim());
}

/** Words for the six-in-a-row rule: no accents, no punctuation. */
function words(text: string): string[] {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

describe('the 2020-03-17 scenario against its source (the Reuters report of the day)', () => {
  const scenario = loadScenario('2020-03-17');

  test(
    'GIVEN the report THEN every passage attributed below is in it, verbatim, and names its source',
    { skip: existsSync(REPORT) ? false : 'the report (the project seed) is not available here' },
    () => {
      const report = readFileSync(REPORT, 'utf8');
      for (const [source, passages] of Object.entries(SAID)) {
        for (const passage of passages) assert.ok(norm(report).includes(norm(passage)), `${source}: not in the report: ${passage}`);
      }
      const plain = (s: string) => words(s).join(' ');
      for (const name of ['Jean-Michel Blanquer', "ministère de l'Éducation nationale", 'Reuters']) {
        assert.ok(plain(report).includes(plain(name)), `the report names ${name}`);
      }
    },
  );

  test('GIVEN every update THEN its source is one the report names, and its French text (shown as the source\'s words) is what that source says there', () => {
    for (const [i, event] of scenario.events.entries()) {
      const source = event.update.source.name;
      assert.ok(source in SAID, `events.${i}: "${source}" is not a source the report names (${Object.keys(SAID).join(', ')})`);
      assert.ok(saidBy(source, event.update.text.fr), `events.${i}: ${source} does not say this in the report: ${event.update.text.fr}`);
      assert.notEqual(event.update.source.name, 'CNED', 'the report quotes no word of the CNED');
    }
  });

  test('GIVEN every expected recovery THEN it names who announced it, and what it quotes is that source\'s words', () => {
    let quoted = 0;
    for (const [i, event] of scenario.events.entries()) {
      const text = event.expectedRecovery?.text.fr;
      if (!text) continue;
      const named = NAMED.filter(([re]) => re.test(text)).map(([, source]) => source);
      assert.ok(named.length > 0, `events.${i}: the expected recovery names no source: ${text}`);
      for (const quote of quotesIn(text)) {
        quoted++;
        assert.ok(named.some((source) => saidBy(source, quote)), `events.${i}: not said by ${named.join(' or ')}: « ${quote} »`);
      }
    }
    assert.ok(quoted >= 3, 'the recoveries quote the minister and the ministry');
  });

  test('GIVEN the titles, the description and what the recoveries say outside quotes THEN none repeats six words of the report in a row', () => {
    const shingles = new Set(
      Object.values(SAID)
        .flat()
        .flatMap((p) => {
          const w = words(p);
          return w.slice(0, -5).map((_, k) => w.slice(k, k + 6).join(' '));
        }),
    );
    if (existsSync(REPORT)) {
      const w = words(readFileSync(REPORT, 'utf8'));
      for (let k = 0; k + 6 <= w.length; k++) shingles.add(w.slice(k, k + 6).join(' '));
    }
    // The four régions named in a row are a list of places, not the report's prose.
    const places = new Set(words('Grand-Est Ile-de-France Hauts-de-France Occitanie et'));
    for (const shingle of [...shingles]) if (shingle.split(' ').every((w) => places.has(w))) shingles.delete(shingle);
    const own = [scenario.description?.fr ?? '', scenario.crowd?.label.fr ?? '', ...scenario.events.flatMap((e) => [e.title?.fr ?? '', (e.expectedRecovery?.text.fr ?? '').replace(/«[^»]*»/g, ' | ')])];
    for (const text of own) {
      for (const part of text.split('|')) {
        const w = words(part);
        for (let k = 0; k + 6 <= w.length; k++) assert.ok(!shingles.has(w.slice(k, k + 6).join(' ')), `copies the report: "${w.slice(k, k + 6).join(' ')}" in ${text}`);
      }
    }
  });

  test('GIVEN the report THEN no event says more than it: no advice, and every time is a span it gave (Tuesday morning, the day, the evening, Wednesday morning)', () => {
    for (const [i, event] of scenario.events.entries()) {
      assert.equal(event.advice, undefined, `events.${i}: the report gives no advice`);
      assert.ok(event.precision !== undefined, `events.${i}: ${event.at} is a replay point; the report gives no minute`);
      const recovery = event.expectedRecovery;
      if (recovery?.at !== undefined) assert.ok(recovery.precision !== undefined, `events.${i}: recovery at ${recovery.at} without its precision`);
    }
    const spans = scenario.events.map((e) => e.expectedRecovery?.precision).filter(Boolean);
    assert.deepEqual([...new Set(spans)].sort(), ['day', 'morning'], '"dans la journée", "dès demain matin" / "dès mercredi matin"');
  });

  test('GIVEN the report THEN no status is more certain than its words: "fortement ralentis, voire inaccessibles", "cela ne touche pas tout le monde partout" is at most a partial outage', () => {
    const statuses = scenario.events.map((e) => e.status).filter(Boolean);
    assert.ok(statuses.length > 0);
    for (const [i, event] of scenario.events.entries()) {
      assert.notEqual(event.status, 'major_outage', `events.${i} (${event.incident}): the report says slowed or unreachable for some, not down for all`);
      assert.notEqual(event.status, 'operational', `events.${i} (${event.incident}): the report never says a service works fully again`);
    }
  });

  test('GIVEN the crowd timeline THEN it is labelled reconstructed, and says no more than the report: the ENT only in the four régions it names and only "ce matin", the CNED with no place, reports before the official words', () => {
    const crowd = scenario.crowd;
    assert.ok(crowd, 'the demo has a crowd timeline (#15)');
    assert.equal(crowd.reconstructed, true);
    assert.match(crowd.label.fr, /reconstitué/i);
    assert.match(crowd.label.en, /reconstructed/i);
    assert.deepEqual([...new Set(crowd.entries.map((e) => e.service))].sort(), ['cned', 'ent']);
    const minutes = (at: string) => Number(at.slice(0, 2)) * 60 + Number(at.slice(3, 5));
    const firstOfficial = Math.min(...scenario.events.map((e) => minutes(e.at)));
    for (const [i, e] of crowd.entries.entries()) {
      assert.doesNotMatch(e.at, /^\+/, `crowd.entries.${i}: the report dates nothing after the day`);
      if (e.service === 'ent') {
        // "dans certaines régions (Grand-Est, Ile-de-France, Hauts-de-France, Occitanie)", "ce matin".
        assert.equal(e.place.kind, 'region', `crowd.entries.${i}`);
        assert.ok(['44', '11', '32', '76'].includes(e.place.code), `crowd.entries.${i}: région ${e.place.code} is not one the report names`);
        assert.ok(minutes(e.at) < 12 * 60 || (minutes(e.at) === 12 * 60 && e.reporters === 0), `crowd.entries.${i}: ENT reports only in the morning ("ce matin")`);
      } else {
        // The report gives no place for the CNED ("cela ne touche pas tout le monde partout").
        assert.deepEqual(e.place, { kind: 'national', code: 'FR' }, `crowd.entries.${i}`);
      }
    }
    for (const service of ['ent', 'cned']) {
      const first = Math.min(...crowd.entries.filter((e) => e.service === service).map((e) => minutes(e.at)));
      assert.ok(first < firstOfficial, `${service}: people report before the first official word`);
    }
    const regions = new Set(crowd.entries.filter((e) => e.service === 'ent').map((e) => e.place.code));
    assert.equal(regions.size, 4, 'the four régions, each');
  });

  test('GIVEN a precision THEN the file schema refuses a time outside its span and a precision without a time', () => {
    const base = { id: 'x', title: { fr: 'x', en: 'x' }, date: '2020-03-17' };
    const event = { at: '09:00', action: 'open', incident: 'a', service: 'ent', scope: { places: [{ kind: 'national', code: 'FR' }] }, title: { fr: 't', en: 't' }, status: 'major_outage', phase: 'identified', cause: 'overload', update: { text: { fr: 'a', en: 'b' }, source: { name: 's' } } };
    assert.ok(scenarioFileSchema.safeParse({ ...base, events: [{ ...event, precision: 'morning' }] }).success);
    assert.ok(!scenarioFileSchema.safeParse({ ...base, events: [{ ...event, at: '14:00', precision: 'morning' }] }).success, '14:00 is not "ce matin"');
    assert.ok(!scenarioFileSchema.safeParse({ ...base, events: [{ ...event, at: '09:00', precision: 'evening' }] }).success, '09:00 is not "ce soir"');
    assert.ok(!scenarioFileSchema.safeParse({ ...base, events: [{ ...event, action: 'update', startPrecision: 'morning' }] }).success, 'startPrecision is for open');
    assert.ok(!scenarioFileSchema.safeParse({ ...base, events: [{ ...event, expectedRecovery: { precision: 'morning', text: { fr: 'a', en: 'b' } } }] }).success, 'a precision needs a time');
    assert.ok(scenarioFileSchema.safeParse({ ...base, events: [{ ...event, expectedRecovery: { at: '+1 08:00', precision: 'morning', text: { fr: 'a', en: 'b' } } }] }).success);
  });
});

describe('answers on the 2020-03-17 scenario say the times the report gave, never a minute', () => {
  const reference = sharedReference();
  const scenario = loadCheckedScenario('2020-03-17', reference.content, reference.gazetteer);
  const QUESTIONS = [
    "l'ENT est en panne en Occitanie ?",
    "pourquoi l'ENT ne marche pas à Lille ?",
    'quand le cned revient ?',
    'la visio marche à Strasbourg ?',
    'internet est lent ?',
    'pronote lille ?',
    'is the ENT down in Paris?',
    'when is the CNED back?',
    'why is the video call down in Toulouse?',
    'is the internet slow?',
  ];
  // "9 h", "9 h 30", "9:30 am", "09:30": a minute or an hour on the clock. Vigie's own tips
  // (the services' self-help: "avant 8 h") are not times of the report, and are left out.
  const CLOCK = /\b\d{1,2} h(?: \d\d)?\b|\b\d{1,2}:\d\d\b/;
  const shown = (reply: Reply): string => {
    const sections = reply.sections.filter((s) => s.key !== 'advice').map((s) => `${s.title}: ${s.text}`);
    return [reply.headline, ...sections, reply.source ? `${reply.source.name} · ${reply.source.when ?? ''}` : ''].join('\n');
  };

  for (const at of ['09:15', '10:00', '18:45', '+1 09:00', '+1 13:00']) {
    test(`GIVEN the clock at ${at} THEN no answer, listing or step's words show a clock time`, async () => {
      const clock = new FixedClock(scenarioTime(scenario, at));
      const runtime = await createRuntime({ storeUrl: 'memory://', clock, reference, scenario });
      try {
        for (const text of QUESTIONS) {
          const { reply } = await runtime.bot.ask({ conversation: { platform: 'cli', user: 'u', channel: 'c' }, text });
          assert.doesNotMatch(shown(reply), CLOCK, `${at} "${text}":\n${renderText(reply)}`);
        }
        for (const language of ['fr', 'en'] as const) {
          for (const { line } of await runtime.bot.listIncidents(language)) assert.doesNotMatch(line, CLOCK, line);
          for (const step of runtime.bot.scenarioSteps(language) ?? []) for (const line of step.lines) assert.doesNotMatch(line, CLOCK, line);
        }
      } finally {
        await runtime.close();
      }
    });
  }

  test('GIVEN 10:00 and 18:45 THEN answers say "depuis ce matin", the source\'s span and the announced morning, in French and in English', async () => {
    const clock = new FixedClock(scenarioTime(scenario, '10:00'));
    const runtime = await createRuntime({ storeUrl: 'memory://', clock, reference, scenario });
    const ask = async (text: string) => renderText((await runtime.bot.ask({ conversation: { platform: 'cli', user: 'u', channel: 'c' }, text })).reply);
    try {
      const ent = await ask("l'ENT est en panne en Occitanie ?");
      assert.match(ent, /Depuis quand : Depuis ce matin\./);
      assert.match(ent, /Dernière information officielle : Aujourd'hui, Ministère de l'Éducation nationale : « fortement ralentis, voire inaccessibles ce matin/);
      const cned = await ask('quand le cned revient ?');
      assert.match(cned, /Retour prévu : Annoncé pour aujourd'hui\. Jean-Michel Blanquer : « on espère que techniquement ça va être rétabli dans la journée »\./);
      assert.match(cned, /Ce matin, Jean-Michel Blanquer, ministre de l'Éducation nationale : « C'est le cas/);
      const en = await ask('is the ENT down in Toulouse?');
      assert.match(en, /Since when: Since this morning\./);
      assert.match(en, /Latest official update: Today, Ministère de l'Éducation nationale: “heavily slowed/);
      clock.set(scenarioTime(scenario, '18:45'));
      const evening = await ask('when is the ENT in Lille back?');
      assert.match(evening, /Expected recovery: Announced for tomorrow morning\. According to the ministry, “the local authorities' crisis units/);
      assert.match(evening, /This evening, Ministère de l'Éducation nationale: “the digital workspace platforms are restored/);
      assert.match(evening, /Vigie's tip: /, 'the report gives no advice: the tip is said to be Vigie\'s');
      const soir = await ask('ENT Lille ?');
      assert.match(soir, /Retour prévu : Annoncé pour demain matin\. Selon le ministère, « les cellules de crise/);
      assert.match(soir, /Conseil de Vigie : /);
      assert.doesNotMatch(soir, /En attendant/);
    } finally {
      await runtime.close();
    }
  });

  test('GIVEN Wednesday THEN "mercredi matin" is announced for this morning until noon, then said to have passed without news (the same bot, its clock moved)', async () => {
    const clock = new FixedClock(scenarioTime(scenario, '+1 11:59'));
    const runtime = await createRuntime({ storeUrl: 'memory://', clock, reference, scenario });
    const ask = async (text: string) => renderText((await runtime.bot.ask({ conversation: { platform: 'cli', user: 'u', channel: 'c' }, text })).reply);
    try {
      assert.match(await ask('quand revient l\'ENT à Lille ?'), /Retour prévu : Annoncé pour ce matin\. Selon le ministère/);
      clock.set(scenarioTime(scenario, '+1 12:00'));
      assert.match(await ask('quand revient l\'ENT à Lille ?'), /Retour prévu : Annoncé pour ce matin, sans nouvelle information depuis\./);
      assert.match(await ask('when is the ENT in Lille back?'), /Expected recovery: Announced for this morning, no news since\./);
    } finally {
      await runtime.close();
    }
  });
});
