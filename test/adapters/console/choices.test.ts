import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createConsoleAdapter } from '../../../adapters/console/index.js';
import { createRuntime, FixedClock } from '../../../src/index.js';
import { loadCheckedScenario } from '../../../src/runtime.js';
import { scenarioTime } from '../../../src/incidents/index.js';
import { sharedReference } from '../../helpers/reference.js';
import { unsureUnderstander } from '../../understand/helpers.js';
import type { Understander } from '../../../src/understand/index.js';

const reference = sharedReference();
const scenario = loadCheckedScenario('2020-03-17', reference.content, reference.gazetteer);

/** Pushes lines into the console adapter; returns what it wrote after each line. */
async function chat(lines: string[], at = '10:00', understander?: Understander): Promise<string[]> {
  const clock = new FixedClock(scenarioTime(scenario, at));
  const runtime = await createRuntime({ storeUrl: 'memory://', clock, reference, scenario, ...(understander ? { understander } : {}) });
  const input = new PassThrough();
  const output = new PassThrough();
  let text = '';
  output.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  const adapter = createConsoleAdapter({ input, output, clock });
  await adapter.start(runtime.bot);
  const answers: string[] = [];
  for (const line of lines) {
    const before = text.length;
    input.write(`${line}\n`);
    // Each answer is written before the next line is read; wait for it.
    while (text.length === before || !text.endsWith('\n\n')) await new Promise((r) => setTimeout(r, 5));
    answers.push(text.slice(before));
  }
  input.end();
  await adapter.done;
  await runtime.close();
  return answers;
}

describe('console: ambiguity asked as a numbered choice', () => {
  test('GIVEN "ENT à Saint-Denis ?" on the demo day THEN the Saint-Denis are numbered; "2" answers for Seine-Saint-Denis', async () => {
    const [question, picked] = await chat(['ENT à Saint-Denis ?', '2']);
    assert.match(question!, /❓ Quel Saint-Denis \?/);
    // Four homonyms do not fit one a line in 5 lines: numbered in one line, each with the colour of
    // what it would answer; /plus gives each answer in words.
    assert.match(question!, /^1\. ⚪ Saint-Denis \(La Réunion\) · 2\. 🟠 Saint-Denis \(Seine-Saint-Denis\) · 3\. 🟠 Saint-Denis \(Aude\) · 4\. 🟠 Saint-Denis \(Gard\)$/m);
    assert.ok(question!.trim().split('\n').length <= 5, question);
    assert.doesNotMatch(question!, /vigie:choose/, 'tokens are never shown');
    // The label was shown in full once in this conversation: now its short tag.
    assert.match(picked!, /^\[DÉMO 17\/03\/2020\] 🟠 ENT : panne partielle en Île-de-France$/m);
  });

  test('GIVEN "quand ça revient ?" with nothing named THEN the incidents are listed; the number of the CNED answers when it comes back', async () => {
    const [list, details] = await chat(['quand ça revient ?', '/plus']);
    assert.match(list!, /❓ 7 incidents en cours : lequel vous intéresse \?/);
    // Seven do not fit one a line in 5 lines: numbered in one line; /plus gives each with its state.
    assert.ok(list!.trim().split('\n').length <= 5, list);
    const line = /(\d)\. 🟠 CNED — France/.exec(list!);
    assert.ok(line, list);
    assert.match(details!, new RegExp(`^ {2}${line[1]}\\. 🟠 CNED : panne partielle dans toute la France$`, 'm'));
    const [, answer] = await chat(['quand ça revient ?', line[1]!]);
    assert.match(answer!, /CNED : panne partielle/);
    assert.match(answer!.split('\n').slice(0, 4).join('\n'), /Retour prévu/);
  });

  test('GIVEN a number with no choice pending THEN it is read as a question, not a choice', async () => {
    const [answer] = await chat(['2']);
    assert.doesNotMatch(answer!, /Saint-Denis|CNED : panne/);
  });
});

describe('console: subscriptions', () => {
  test('GIVEN "préviens-moi quand le CNED revient" THEN the console says plainly that subscriptions are for Slack and Discord channels', async () => {
    const [answer] = await chat(['préviens-moi quand le CNED revient']);
    assert.match(answer!, /Les abonnements sont pour les salons Slack et Discord/);
    assert.doesNotMatch(answer!, /Suivre les mises à jour$/m);
  });
});

describe('console: when unsure, the other reading is offered', () => {
  test('GIVEN a question read as "is it down?" but nearly "when is it back?" THEN a line offers the other; "0" answers when it is back', async () => {
    const [question, other] = await chat(['des nouvelles du CNED ?', '0'], '10:00', unsureUnderstander({ status: 1, eta: 0.5 }));
    assert.match(question!, /^↪ Ou : quand est-ce que ça revient \? \(tapez 0\)$/m);
    assert.ok(question!.trim().split('\n').length <= 5, question);
    assert.doesNotMatch(question!, /vigie:choose/, 'tokens are never shown');
    assert.match(other!, /CNED[^\n]*Retour prévu/);
  });
});
