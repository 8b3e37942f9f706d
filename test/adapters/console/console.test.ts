import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { typeLines } from './typed.js';
import { createRuntime, FixedClock } from '../../../src/index.js';
import { loadCheckedScenario } from '../../../src/runtime.js';
import { scenarioTime } from '../../../src/incidents/index.js';
import { sharedReference } from '../../helpers/reference.js';

const reference = sharedReference();
const scenario = loadCheckedScenario('2020-03-17', reference.content, reference.gazetteer);

/** Pushes lines into the console adapter and collects everything it writes. */
async function chat(lines: string[], at = '10:00'): Promise<string> {
  const clock = new FixedClock(scenarioTime(scenario, at));
  const runtime = await createRuntime({ storeUrl: 'memory://', clock, reference, scenario });
  const text = await typeLines(runtime.bot, clock, lines);
  await runtime.close();
  return text;
}

describe('console adapter', () => {
  test('GIVEN npm start defaults THEN the banner says the data is a demo replay and shows the clock', async () => {
    const out = await chat([]);
    assert.match(out, /DÉMO|démonstration/i);
    assert.match(out, /17 mars 2020/);
    assert.match(out, /10:00/);
  });

  test('GIVEN a question on the ENT in Occitanie THEN the answer names the outage', async () => {
    const out = await chat(["l'ENT est en panne en Occitanie ?"]);
    assert.match(out, /Occitanie/);
    assert.match(out, /panne/i);
  });

  test('GIVEN /at 18:45 THEN the clock moves and the same question gets the evening state', async () => {
    const morning = await chat(['ENT Occitanie ?']);
    const evening = await chat(['/at 18:45', 'ENT Occitanie ?']);
    assert.match(evening, /18:45/);
    assert.notEqual(morning.split('ENT Occitanie')[0], evening);
    assert.match(evening, /ralenti|lenteur|surveillance/i);
  });

  test('GIVEN a follow-up "et en Bretagne ?" THEN it reuses the service of the previous question', async () => {
    const out = await chat(["l'ENT est en panne en Occitanie ?", 'et en Bretagne ?']);
    const last = out.slice(out.lastIndexOf('Bretagne') - 200);
    assert.match(last, /ENT/);
  });

  test('GIVEN /incidents at 18:45 THEN one line per incident in the words of answers, tagged demo, since when as the source said it, no raw codes', async () => {
    const out = await chat(['/at 18:45', '/incidents']);
    // The report says "ce matin", never a minute: the listing says the span.
    assert.match(out, /^• \[DÉMO 17\/03\/2020\] 🟡 ENT : fonctionnement ralenti en Occitanie \(depuis ce matin\)$/m);
    assert.match(out, /^• \[DÉMO 17\/03\/2020\] 🟠 CNED : panne partielle dans toute la France \(depuis ce matin\)$/m);
    assert.doesNotMatch(out, /depuis \d+ h/);
    assert.doesNotMatch(out, /degraded_performance|partial_outage|monitoring|identified|\d{4}-\d\d-\d\dT/);
  });

  test('GIVEN /aide THEN the commands are listed; GIVEN an unknown command THEN it is named', async () => {
    const out = await chat(['/aide', '/frobnicate']);
    assert.match(out, /\/at/);
    assert.match(out, /frobnicate/);
  });

  test('GIVEN a bad /at THEN a clear message and the clock does not move', async () => {
    const out = await chat(['/at demain', '/at 99:99']);
    assert.match(out, /demain/);
    assert.doesNotMatch(out, /99:99.*mars/);
  });

  test('GIVEN empty, binary, huge and emoji-only lines THEN each gets a reply and the chat goes on', async () => {
    const out = await chat(['', '\u0000\u0001\u007f\uFFFD', 'é'.repeat(100_000), '🙂🙂', 'le cned marche ?']);
    assert.match(out, /CNED/);
  });

  test('GIVEN /quit THEN the chat ends even with more input after it', async () => {
    const out = await chat(['/quit', 'le cned marche ?']);
    assert.match(out, /Au revoir/);
    assert.doesNotMatch(out.slice(out.indexOf('Au revoir')), /CNED/);
  });
});
