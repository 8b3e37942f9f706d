import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, vigie } from '../helpers/vigie-binary.js';

const json = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, any>);

describe('vigie ask (child process)', () => {
  test('GIVEN the scenario at 10:00 WHEN asked about the ENT in Occitanie THEN JSON says partial outage with the incident', () => {
    const r = vigie(['ask', '--json', '--scenario', '2020-03-17', '--at', '10:00', "l'ENT est en panne en Occitanie ?"]);
    assert.equal(r.code, 0, r.stderr);
    const [a] = json(r.stdout);
    assert.equal(a?.language, 'fr');
    assert.equal(a?.service, 'ent');
    assert.deepEqual(a?.place, { kind: 'region', code: '76', name: 'Occitanie' });
    assert.equal(a?.status, 'partial_outage');
    assert.ok(a?.answer.incidents.includes('ent-occitanie'));
    assert.equal(typeof a?.answer.text, 'string');
    for (const field of ['question', 'language', 'intent', 'service', 'level', 'place', 'status', 'answer']) assert.ok(field in a!, field);
  });

  test('GIVEN the evening of the scenario THEN the same question shows the ENT restored but slow', () => {
    const r = vigie(['ask', '--json', '--scenario', '2020-03-17', '--at', '2020-03-17T19:00+01:00', 'ENT Occitanie ?']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(json(r.stdout)[0]?.status, 'degraded_performance');
  });

  test('GIVEN the morning before anything happened THEN no incident is reported and nothing is invented', () => {
    const r = vigie(['ask', '--json', '--scenario', '2020-03-17', '--at', '07:00', 'le cned marche ?']);
    assert.equal(r.code, 0, r.stderr);
    const [a] = json(r.stdout);
    assert.deepEqual(a?.answer.incidents, []);
    assert.equal(a?.status, 'unknown', 'nothing official yet: unknown, never operational');
    assert.equal(a?.kind, 'no_information');
    assert.match(a?.answer.text ?? '', /⚪ CNED : aucun incident signalé/);
  });

  test('GIVEN a resolution at 17:30 THEN JSON says operational within VIGIE_ALL_CLEAR_HOURS (24 h by default), unknown after', () => {
    const args = ['ask', '--json', '--data', 'test/fixtures/test-day.yaml', '--at', '18:45', 'ENT Toulouse ?'];
    const within = json(vigie(args).stdout)[0];
    assert.equal(within?.status, 'operational');
    assert.equal(within?.kind, 'all_clear');
    assert.match(within?.answer.text ?? '', /🟢 ENT : rétabli en Occitanie à 17 h 30/);
    const after = json(vigie(args, { env: { VIGIE_ALL_CLEAR_HOURS: '1' } }).stdout)[0];
    assert.equal(after?.status, 'unknown');
    assert.match(after?.answer.text ?? '', /⚪ ENT : aucun incident signalé à Toulouse/);
  });

  test('GIVEN plain text mode THEN the answer is readable text labelled as demo data', () => {
    const r = vigie(['ask', '--scenario', '2020-03-17', '--at', '10:00', 'is Pronote down in Lille?']);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.trim().length > 0);
    assert.doesNotMatch(r.stdout, /^\{/);
  });

  test('GIVEN --batch WHEN lines include empty, binary, huge and emoji-only input THEN one JSON line per question, in order, no crash', () => {
    const lines = [
      'le cned marche ?',
      '',
      Buffer.from([0xff, 0xfe, 0x00, 0x01, 0x7f]).toString('latin1'),
      'x'.repeat(100_000),
      '😀😀😀',
      'is Pronote down in Lille?',
    ];
    const r = vigie(['ask', '--json', '--batch', '--scenario', '2020-03-17', '--at', '10:00'], { input: lines.join('\n') + '\n' });
    assert.equal(r.code, 0, r.stderr);
    const answers = json(r.stdout);
    assert.equal(answers.length, lines.length);
    assert.equal(answers[0]?.service, 'cned');
    assert.equal(answers[5]?.language, 'en');
    assert.ok((answers[3]?.question as string).length <= 2000, 'long input is cut');
    for (const a of answers) assert.ok((a.answer.text as string).length > 0);
  });

  test('GIVEN --batch without --json THEN exactly one line per question, in order, each its first message (the whole answer with --full)', () => {
    const questions = ['ENT Occitanie ?', '', 'is Pronote down in Lille?', 'quand revient le cned ?'];
    const r = vigie(['ask', '--batch', '--scenario', '2020-03-17', '--at', '10:00'], { input: questions.join('\n') + '\n' });
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout.replace(/\n$/, '').split('\n');
    assert.equal(out.length, questions.length);
    assert.match(out[0]!, /ENT : panne partielle en Occitanie · Depuis ce matin\. Collèges et lycées en Occitanie\./);
    assert.doesNotMatch(out[0]!, /Depuis quand|Cause/);
    assert.match(out[2]!, /Pronote: .*Lille/);
    assert.match(out[3]!, /CNED.*Retour prévu : Annoncé pour aujourd'hui\. Jean-Michel Blanquer : « on espère que techniquement ça va être rétabli dans la journée »/);
    const full = vigie(['ask', '--batch', '--full', '--scenario', '2020-03-17', '--at', '10:00'], { input: questions.join('\n') + '\n' });
    const whole = full.stdout.replace(/\n$/, '').split('\n');
    assert.equal(whole.length, questions.length);
    assert.match(whole[0]!, /ENT : panne partielle en Occitanie.*Depuis quand.*Cause/);
  });

  test('GIVEN a question THEN vigie ask prints its first message (at most 5 lines, 500 characters, "--full pour les détails"); --full prints it all; JSON gives both', () => {
    const first = vigie(['ask', '--scenario', '2020-03-17', '--at', '18:45', 'quand le cned revient ?']);
    assert.equal(first.code, 0, first.stderr);
    const lines = first.stdout.trimEnd().split('\n');
    assert.ok(lines.length <= 5 && first.stdout.trimEnd().length <= 500, first.stdout);
    assert.match(lines[0]!, /^\[DÉMO — données rejouées du scénario/);
    assert.equal(lines[1], '🟠 CNED : panne partielle dans toute la France');
    assert.match(lines[2]!, /^Retour prévu : Annoncé pour demain matin\./);
    assert.match(lines.at(-1)!, /^📣 Ministère de l'Éducation nationale · ce soir · --full pour les détails$/);
    const full = vigie(['ask', '--full', '--scenario', '2020-03-17', '--at', '18:45', 'quand le cned revient ?']);
    assert.match(full.stdout, /Depuis quand : Depuis ce matin\.[\s\S]*Cause : Cyberattaque/);
    const [a] = json(vigie(['ask', '--json', '--scenario', '2020-03-17', '--at', '18:45', 'quand le cned revient ?']).stdout);
    assert.equal(a?.answer.text, first.stdout.trimEnd());
    assert.equal(a?.answer.full, full.stdout.trimEnd());
  });

  test('GIVEN --batch and a question on the command line THEN usage error (2), nothing silently ignored', () => {
    const r = vigie(['ask', '--batch', '--scenario', '2020-03-17', 'ENT Occitanie ?'], { input: 'ENT Lille ?\n' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--batch reads the questions from stdin/);
    assert.equal(r.stdout, '');
  });

  test('GIVEN --data with a scenario-format file THEN its incidents are used', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-cli-'));
    try {
      const file = join(dir, 'day.yaml');
      writeFileSync(
        file,
        `id: test-day
title: { fr: Journée test, en: Test day }
date: "2021-04-06"
events:
  - at: "08:00"
    action: open
    incident: pronote-lille
    service: pronote
    scope: { places: [{ kind: commune, code: "59350" }], levels: [] }
    title: { fr: Pronote inaccessible à Lille, en: Pronote unreachable in Lille }
    status: major_outage
    phase: investigating
    cause: provider
    update: { text: { fr: Nous enquêtons., en: We are investigating. }, source: { name: Rectorat de Lille } }
`,
      );
      const r = vigie(['ask', '--json', '--data', file, '--at', '09:00', 'pronote lille ?']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(json(r.stdout)[0]?.answer.incidents, ['pronote-lille']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('vigie incidents and scenario (child process)', () => {
  test('GIVEN the scenario at 10:00 THEN incidents --json lists the ENT of the four régions and the CNED', () => {
    const r = vigie(['incidents', '--json', '--scenario', '2020-03-17', '--at', '10:00']);
    assert.equal(r.code, 0, r.stderr);
    const ids = (json(r.stdout)[0]?.incidents as { id: string }[]).map((i) => i.id);
    for (const id of ['ent-occitanie', 'ent-grand-est', 'ent-ile-de-france', 'ent-hauts-de-france', 'cned-ma-classe-a-la-maison']) {
      assert.ok(ids.includes(id), id);
    }
  });

  test('GIVEN the scenario at 18:45 THEN incidents lists each one in the words of answers, on the Paris clock, whatever the machine\'s zone', () => {
    const r = vigie(['incidents', '--scenario', '2020-03-17', '--at', '18:45'], { env: { LC_ALL: 'fr_FR.UTF-8', TZ: 'Pacific/Auckland' } });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines[0], 'Incidents en cours le mardi 17 mars 2020 à 18:45 (heure de Paris) :');
    assert.match(lines[1] ?? '', /^⚠️ DÉMO — données rejouées du scénario « Mardi 17 mars 2020/);
    assert.ok(lines.includes('ent-occitanie\t[DÉMO 17/03/2020] 🟡 ENT : fonctionnement ralenti en Occitanie (depuis ce matin)'), r.stdout);
    assert.ok(lines.includes('cned-ma-classe-a-la-maison\t[DÉMO 17/03/2020] 🟠 CNED : panne partielle dans toute la France (depuis ce matin)'), r.stdout);
    assert.doesNotMatch(r.stdout, /degraded_performance|partial_outage|monitoring|\d{4}-\d\d-\d\dT|Z\b/);
    const en = vigie(['incidents', '--scenario', '2020-03-17', '--at', '07:00'], { env: { LC_ALL: 'en_GB.UTF-8' } });
    assert.match(en.stdout, /^No incident in effect on Tuesday,? 17 March 2020 at 07:00 \(Paris time\)\.$/m);
  });

  test('GIVEN scenario load into a SQLite store THEN ask without --scenario answers from the store, labelled as demo', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-cli-'));
    try {
      const env = { VIGIE_STORE_URL: `sqlite://${join(dir, 'v.sqlite')}` };
      const load = vigie(['scenario', 'load', '2020-03-17', '--at', '10:00'], { env });
      assert.equal(load.code, 0, load.stderr);
      const r = vigie(['ask', '--json', '--at', '2020-03-17T10:30+01:00', 'ENT Grand Est ?'], { env });
      assert.equal(r.code, 0, r.stderr);
      const [a] = json(r.stdout);
      assert.ok(a?.answer.incidents.includes('ent-grand-est'));
      assert.equal(a?.demo, '2020-03-17', 'loaded demo data is labelled in JSON');
      assert.match(a?.answer.text ?? '', /^\[DÉMO — données rejouées du scénario/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GIVEN scenario load without --at THEN the store holds the scenario as at 10:00 (as documented), every answer and listing says demo, and scenario unload removes it all in one command', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-cli-'));
    try {
      const env = { VIGIE_STORE_URL: `sqlite://${join(dir, 'v.sqlite')}`, LC_ALL: 'fr_FR.UTF-8' };
      const load = vigie(['scenario', 'load', '2020-03-17'], { env });
      assert.equal(load.code, 0, load.stderr);
      assert.match(load.stdout, /7 incident\(s\) du scénario 2020-03-17, état du mardi 17 mars 2020 à 10:00 \(heure de Paris\)/);
      assert.match(load.stdout, /vigie scenario unload 2020-03-17/);
      const stored = (json(vigie(['incidents', '--json'], { env }).stdout)[0]?.incidents ?? []) as { id: string; status: string; phase: string; updates: unknown[]; scenario?: string }[];
      const ent = stored.find((i) => i.id === 'ent-occitanie');
      // At 10:00 the ENT in Occitanie was down, its cause given by the ministry; by the evening it was slow and monitored.
      assert.deepEqual([ent?.status, ent?.phase, ent?.updates.length], ['partial_outage', 'identified', 1]);
      assert.ok(stored.every((i) => i.scenario === '2020-03-17'));
      // Read now (December 2026): labelled, and dated with its year.
      const text = vigie(['ask', 'ENT Occitanie ?'], { env });
      assert.match(text.stdout, /^\[DÉMO — données rejouées du scénario « Mardi 17 mars 2020/);
      assert.match(text.stdout, /Depuis le 17 mars 2020 au matin\./);
      const listing = vigie(['incidents'], { env });
      assert.match(listing.stdout, /^⚠️ DÉMO — données rejouées du scénario/m);
      assert.match(listing.stdout, /^ent-occitanie\t\[DÉMO 17\/03\/2020\] 🟠 ENT : panne partielle en Occitanie \(depuis le 17 mars 2020 au matin\)$/m);

      const unload = vigie(['scenario', 'unload'], { env });
      assert.equal(unload.code, 0, unload.stderr);
      assert.match(unload.stdout, /^7 incident\(s\) de démo retiré\(s\) \(2020-03-17\)/);
      const after = json(vigie(['ask', '--json', 'ENT Occitanie ?'], { env }).stdout)[0];
      assert.equal(after?.status, 'unknown');
      assert.equal(after?.demo, undefined);
      assert.match(vigie(['incidents'], { env }).stdout, /^Aucun incident en cours/);
      assert.match(vigie(['scenario', 'unload', '2020-03-17'], { env }).stdout, /^0 incident/, 'nothing left: a clear 0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
