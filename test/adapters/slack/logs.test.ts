import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCheckedScenario } from '../../../src/index.js';
import { startRig, type Rig } from '../../fakes/slack/harness.js';
import { appMention, buttonClick, directMessage, slashCommand } from '../../fakes/slack/payloads.js';
import { sharedReference } from '../../helpers/reference.js';

const reference = sharedReference();
const scenario = loadCheckedScenario('2020-03-17', reference.content, reference.gazetteer);
// What a parent writes: a child's name and school. It must never reach the log.
const QUESTION = "Ma fille Chloé Martin-Dupuis au collège Jean Moulin n'arrive pas sur l'ENT";

for (const mode of ['socket', 'http'] as const) {
  describe(`Slack logs at debug level (${mode === 'socket' ? 'Socket Mode' : 'HTTP'})`, () => {
    let rig: Rig;
    const responseUrls: string[] = [];
    before(async () => {
      rig = await startRig({ mode, reference, scenario, locales: { UPARENT: 'fr-FR' } });
      const before = rig.api.calls.length;
      const urls = [rig.sink.url(), rig.sink.url(), rig.sink.url()];
      responseUrls.push(...urls);
      await rig.deliver('command', slashCommand({ text: QUESTION, user: 'UPARENT', responseUrl: urls[0]! }));
      await rig.deliver('interactive', buttonClick({ actionId: 'vigie_share', value: QUESTION, user: 'UPARENT', responseUrl: urls[1]! }));
      await rig.deliver('interactive', buttonClick({ actionId: 'vigie_gone', value: QUESTION, user: 'UPARENT', responseUrl: urls[2]! }));
      await rig.deliver('event', appMention({ text: QUESTION, user: 'UPARENT', channel: 'CLOGS' }));
      await rig.deliver('event', directMessage({ text: QUESTION, user: 'UPARENT', channel: 'DLOGS' }));
      for (const url of urls) await rig.sink.waitFor(url);
      await rig.api.waitFor('chat.postMessage', (c) => c.args.channel === 'CLOGS', before);
      await rig.api.waitFor('chat.postMessage', (c) => c.args.channel === 'DLOGS', before);
    });
    after(async () => {
      await rig.close();
    });

    test('GIVEN debug logging THEN bolt’s own lines are there, saying what came in', () => {
      const logs = rig.logs.join('');
      assert.match(logs, / DEBUG slack: /, 'bolt and its clients log through Vigie at debug level');
      assert.match(logs, /chat\.postMessage/);
    });

    test('GIVEN debug logging THEN no response_url, Socket Mode ticket or message text is in the log', () => {
      const logs = rig.logs.join('');
      for (const url of responseUrls) assert.ok(!logs.includes(url), `response_url ${url} in the log`);
      assert.doesNotMatch(logs, /\/r\/\d+/, 'no response_url path');
      if (rig.socket) {
        assert.ok(!logs.includes(rig.socket.url), 'the Socket Mode URL is in the log');
        assert.doesNotMatch(logs, /ticket=/, 'a Socket Mode ticket is in the log');
      }
      for (const words of [QUESTION, 'Chloé', 'Martin-Dupuis', 'Jean Moulin']) assert.ok(!logs.includes(words), `"${words}" is in the log`);
      // Nor what Vigie answered: answers echo the question's places and names.
      assert.doesNotMatch(logs, /panne majeure|Ministère/);
    });
  });
}
