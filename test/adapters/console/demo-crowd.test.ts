/**
 * The console demo tells the story of 17 March 2020 (#15, item 7): driven as `npm start` wires
 * it (src/app/demo.ts) at a pinned demo clock, at 08:30 there is no official word and an
 * unconfirmed surge of the ENT and the CNED from the scenario's reconstructed crowd, labelled
 * so; at 10:00 the official incidents, with the signal line beside them; /signaux lists the
 * open episodes; `/at` moves the count with the clock, back in time too. The crowd never
 * reaches the store a real deployment reads.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { typeLines } from './typed.js';
import { createRuntime, FixedClock, loadCheckedScenario, type Language } from '../../../src/index.js';
import { scenarioTime } from '../../../src/incidents/index.js';
import { useDemoSignals } from '../../../src/app/demo.js';
import { crowdReports } from '../../../src/signals/crowd.js';
import type { SignalReport } from '../../../src/signals/types.js';
import { sharedReference } from '../../helpers/bot.js';

const reference = sharedReference();
const scenario = loadCheckedScenario('2020-03-17', reference.content, reference.gazetteer);
const t = (hm: string) => scenarioTime(scenario, hm);
const crowd = crowdReports(scenario);

/** People of the crowd who reported `service` (at `place`, "kind:code", when given) from the start of the day up to `at` included. */
function crowdCount(service: string, at: string, place?: string): number {
  const until = t(at).getTime();
  const reports = crowd.reports.filter((r) => r.service === service && r.at.getTime() <= until && (!place || `${r.place?.kind}:${r.place?.code}` === place));
  return new Set(reports.map((r) => r.reporter)).size;
}
const OCCITANIE = 'region:76';

/** The console demo as `npm start` runs it, its clock at `at`, typed `lines`; returns the output and what the store kept. */
async function demo(at: string, lines: string[], language?: Language, typed: SignalReport[] = []): Promise<{ out: string; stored: number }> {
  const clock = new FixedClock(t(at));
  const runtime = await createRuntime({ storeUrl: 'memory://', clock, reference, scenario });
  try {
    await useDemoSignals({ runtime, reference, scenario, clock });
    // Reports people typed in the demo once it was up (stamped with the demo clock's now).
    for (const r of typed) await runtime.store.reports.addUnlessLimited({ ...r, text: '@everyone SECRET' }, 10, new Date(0));
    const out = await typeLines(runtime.bot, clock, lines, language);
    const stored = (await runtime.store.reports.reportsBetween(t('00:00'), t('+1 00:00'))).length;
    return { out, stored };
  } finally {
    await runtime.close();
  }
}

/** The answer blocks of a console output (between blank lines), without the banner. */
function answers(out: string): string[] {
  return out.split(/\n\n+/).filter((b) => /^(\[|⚪|🟠|🔴|🟢|🟡)/.test(b.trim()));
}

/** The line for the ENT in Occitanie: the région's people, then the France-wide episode's. */
const UNCONFIRMED = /^Non confirmé \(reconstitué pour la démo\) : (\d+) signalements en Occitanie depuis 8 h \((\d+) en France\)\.$/m;
const counts = (line: RegExpExecArray | null) => (line ? [Number(line[1]), Number(line[2])] : null);

describe('the console demo, 17 March 2020, with its reconstructed crowd', () => {
  test('GIVEN 08:30 THEN the ENT in Occitanie has no official word, and one labelled unconfirmed line with the crowd count; nothing official', async () => {
    const { out, stored } = await demo('08:30', ["l'ENT marche en Occitanie ?"]);
    const [answer = ''] = answers(out);
    assert.match(answer, /⚪ ENT : aucun incident signalé en Occitanie/);
    assert.match(answer, /Aucune information officielle n'a encore été publiée\./);
    // Occitanie's people of 08:00–08:30, then the four régions', as the scenario's timeline writes them.
    assert.deepEqual(counts(UNCONFIRMED.exec(answer)), [crowdCount('ent', '08:30', OCCITANIE), crowdCount('ent', '08:30')], answer);
    assert.ok(crowdCount('ent', '08:30', OCCITANIE) >= 6 + 18, 'Occitanie rose from 6 to 18 people per 15 minutes');
    // Never "all of France": the reports come from four régions.
    assert.doesNotMatch(answer, /Non confirmé.*toute la France/);
    // A crowd count is never an official status: no colour, no outage, no official source.
    assert.doesNotMatch(answer, /🟠|🔴|panne|Ministère|📣/);
    // The typed question is no report: the store a real deployment reads holds nothing.
    assert.equal(stored, 0);
  });

  test('GIVEN 10:00 THEN the official incident (the ministry\'s partial outage), the unconfirmed line beside it with the grown count', async () => {
    const { out } = await demo('10:00', ["l'ENT marche en Occitanie ?"]);
    const [answer = ''] = answers(out);
    assert.match(answer, /🟠 ENT : panne partielle en Occitanie/);
    assert.match(answer, /📣 Ministère de l'Éducation nationale/);
    assert.deepEqual(counts(UNCONFIRMED.exec(answer)), [crowdCount('ent', '10:00', OCCITANIE), crowdCount('ent', '10:00')], answer);
    // The official line first, the crowd after it, on a line of its own.
    assert.ok(answer.indexOf('panne partielle') < answer.indexOf('Non confirmé'));
  });

  test('GIVEN /at 08:30 then /at 10:00 then back to 08:30 THEN each answer is that moment\'s: the count follows the clock both ways', async () => {
    const q = "l'ENT marche en Occitanie ?";
    const { out } = await demo('10:00', ['/at 08:30', q, '/at 10:00', q, '/at 08:30', q]);
    const seen = answers(out).map((a) => counts(UNCONFIRMED.exec(a)));
    const at = (hm: string) => [crowdCount('ent', hm, OCCITANIE), crowdCount('ent', hm)];
    assert.deepEqual(seen, [at('08:30'), at('10:00'), at('08:30')]);
    const [morning = '', later = '', again = ''] = answers(out);
    assert.match(morning, /⚪/);
    assert.match(later, /🟠/);
    assert.match(again, /⚪/);
  });

  test('GIVEN 07:45 THEN no line at all (the first reports come at 08:00); at 14:00 the ENT signal is over (its reports end at noon) and the answer keeps only the official word', async () => {
    const { out } = await demo('07:45', ["l'ENT marche en Occitanie ?", '/at 14:00', "l'ENT marche en Occitanie ?"]);
    const [early = '', afternoon = ''] = answers(out);
    assert.match(early, /⚪ ENT : aucun incident signalé en Occitanie/);
    assert.doesNotMatch(early, /Non confirmé/);
    assert.match(afternoon, /🟠 ENT : panne partielle en Occitanie/);
    assert.doesNotMatch(afternoon, /Non confirmé/);
  });

  test('GIVEN 08:30 THEN /signaux says the reports are reconstructed and lists the ENT and CNED surges, unconfirmed, with their counts; at 14:00 only the CNED', async () => {
    const { out } = await demo('08:30', ['/signaux', '/at 14:00', '/signaux']);
    const listings = out.slice(out.indexOf('Signaux non confirmés')).split('🕒 Horloge : mardi 17 mars 2020 à 14:00');
    const [morning = '', afternoon = ''] = listings;
    assert.match(morning, /^Signaux non confirmés, mardi 17 mars 2020 à 08:30 \(heure de Paris\) :$/m);
    assert.match(morning, /^⚠️ Signalements reconstitués pour la démonstration : la dépêche Reuters du 17 mars 2020 ne donne ni leur nombre ni leurs heures/m);
    const ent = /^• ENT en France : forte hausse · \d+ personnes sur 30 min, (\d+) en tout · depuis 8 h · surtout : (.+)$/m.exec(morning);
    assert.ok(ent, morning);
    assert.equal(Number(ent[1]), crowdCount('ent', '08:30'));
    // The four régions the ministry named, and only they.
    assert.deepEqual(ent[2]!.split(', ').map((p) => p.replace(/ \(\d+\)$/, '')).sort(), ['Grand Est', 'Hauts-de-France', 'Occitanie', 'Île-de-France']);
    const cned = /^• CNED en France : forte hausse · \d+ personnes sur 30 min, (\d+) en tout · depuis 8 h$/m.exec(morning);
    assert.ok(cned, morning);
    assert.equal(Number(cned[1]), crowdCount('cned', '08:30'));
    assert.doesNotMatch(morning, /panne|incident/i);
    // The ENT's reports end at noon; the CNED's at the evening communiqué.
    assert.doesNotMatch(afternoon, /• ENT/);
    assert.match(afternoon, /^• CNED en France : forte hausse/m);
    assert.match(afternoon, /^⚠️ Signalements reconstitués/m);
  });

  test('GIVEN 08:30 and a question naming no service ("ça marche pas à Nîmes ?") THEN the open signals of that place, every service, each named, labelled unconfirmed', async () => {
    const { out } = await demo('08:30', ['ça marche pas à Nîmes ?']);
    const [answer = ''] = answers(out);
    assert.match(answer, /⚪ Aucun incident signalé à Nîmes/);
    // Nîmes is in Occitanie: the ENT's people there; the CNED's reports name no place (France).
    const line = /^Non confirmé \(reconstitué pour la démo\) : (\d+) signalements \(ENT\) en Occitanie depuis 8 h · (\d+) signalements \(CNED\) en France depuis 8 h\.$/m.exec(answer);
    assert.ok(line, answer);
    assert.equal(Number(line[1]), crowdCount('ent', '08:30', OCCITANIE));
    assert.equal(Number(line[2]), crowdCount('cned', '08:30'));
    assert.doesNotMatch(answer, /🟠|🔴|panne/);
  });

  test('GIVEN 6 people typing a Pronote problem in Rennes while the clock stands at 08:30 THEN their count (the signal of Rennes) shows at the next question about Bretagne, not labelled reconstructed (no crowd there); the ENT\'s still is', async () => {
    const rennes = Array.from({ length: 6 }, (_, i): SignalReport => ({ at: t('08:30'), service: 'pronote', place: { kind: 'commune', code: '35238' }, level: null, platform: 'console', reporter: `${'ab'.repeat(31)}${String(i).padStart(2, '0')}` }));
    const { out, stored } = await demo('08:30', ['Pronote marche en Bretagne ?', "l'ENT marche en Bretagne ?"], undefined, rennes);
    assert.equal(stored, 6);
    const [pronote = '', ent = ''] = answers(out);
    assert.match(pronote, /^Non confirmé : 6 signalements à Rennes depuis 8 h 30\.$/m);
    assert.doesNotMatch(pronote, /reconstitué|SECRET|@everyone/);
    // Bretagne had none of the crowd's ENT reports: France's count alone, labelled.
    assert.match(ent, new RegExp(`^Non confirmé \\(reconstitué pour la démo\\) : ${crowdCount('ent', '08:30')} signalements en France depuis 8 h\\.$`, 'm'));
  });

  test('GIVEN English THEN the line says the reports are reconstructed, in English', async () => {
    const { out } = await demo('08:30', ['is the ENT working in Lille?'], 'en');
    const [answer = ''] = answers(out);
    assert.match(answer, /⚪ ENT: no incident reported in Lille/);
    const line = new RegExp(`^Unconfirmed \\(reconstructed for the demo\\): ${crowdCount('ent', '08:30', 'region:32')} reports in Hauts-de-France since 8:00 am \\(${crowdCount('ent', '08:30')} in France\\)\\.$`, 'm');
    assert.match(answer, line);
  });
});
