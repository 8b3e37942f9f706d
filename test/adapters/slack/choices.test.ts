import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCheckedScenario } from '../../../src/index.js';
import { startRig, type Rig } from '../../fakes/slack/harness.js';
import { buttonClick, slashCommand } from '../../fakes/slack/payloads.js';
import { sharedReference } from '../../helpers/reference.js';
import { unsureUnderstander } from '../../understand/helpers.js';

const reference = sharedReference();
const scenario = loadCheckedScenario('2020-03-17', reference.content, reference.gazetteer);

type Block = { type: string; text?: { text: string }; elements?: { action_id?: string; value?: string; text?: { text: string } }[] };
const headerOf = (blocks: unknown) => (blocks as Block[]).find((b) => b.type === 'header')?.text?.text ?? '';
const buttonsOf = (blocks: unknown) => (blocks as Block[]).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));

describe('Slack: ambiguity is asked with buttons, and a button answers for its choice', () => {
  let rig: Rig;
  before(async () => {
    // 10:00 (Paris) on the demo day: the ENT is down in Île-de-France and Occitanie, among 7 incidents.
    rig = await startRig({ mode: 'in-process', reference, scenario, at: new Date('2020-03-17T09:00:00Z'), locales: { UPROF: 'fr-FR' } });
  });
  after(async () => {
    await rig.close();
  });

  test('GIVEN "/statut ENT à Saint-Denis ?" THEN it asks which Saint-Denis with a button each; the Seine-Saint-Denis one answers for Île-de-France', async () => {
    const url = rig.sink.url();
    await rig.deliver('command', slashCommand({ text: 'ENT à Saint-Denis ?', user: 'UPROF', responseUrl: url }));
    const { body } = await rig.sink.waitFor(url);
    assert.match(headerOf(body.blocks), /Quel Saint-Denis/);
    const buttons = buttonsOf(body.blocks).filter((b) => b.action_id?.startsWith('vigie_choose_'));
    assert.deepEqual(
      buttons.map((b) => b.text?.text),
      ['1. Saint-Denis (La Réunion)', '2. Saint-Denis (Seine-Saint-Denis)', '3. Saint-Denis (Aude)', '4. Saint-Denis (Gard)'],
    );
    const chosen = buttons[1]!;
    const clickUrl = rig.sink.url();
    await rig.deliver('interactive', buttonClick({ actionId: chosen.action_id!, value: chosen.value!, user: 'UPROF', responseUrl: clickUrl }));
    const answer = (await rig.sink.waitFor(clickUrl)).body;
    assert.match(headerOf(answer.blocks), /ENT : panne partielle en Île-de-France/);
    assert.equal(answer.response_type, 'ephemeral');
  });

  test('GIVEN "/statut quand ça revient ?" with nothing named THEN the incidents are listed, one button each; a button answers when that one comes back', async () => {
    const url = rig.sink.url();
    // Another channel: no earlier question there to lean on.
    await rig.deliver('command', slashCommand({ text: 'quand ça revient ?', user: 'UPROF', responseUrl: url, channel: 'CAUTRE' }));
    const { body } = await rig.sink.waitFor(url);
    assert.match(headerOf(body.blocks), /7 incidents en cours/);
    const buttons = buttonsOf(body.blocks).filter((b) => b.action_id?.startsWith('vigie_choose_'));
    assert.equal(buttons.length, 7);
    const cned = buttons.find((b) => /CNED/.test(b.text?.text ?? ''));
    assert.ok(cned);
    const clickUrl = rig.sink.url();
    await rig.deliver('interactive', buttonClick({ actionId: cned.action_id!, value: cned.value!, user: 'UPROF', responseUrl: clickUrl, channel: 'CAUTRE' }));
    const answer = (await rig.sink.waitFor(clickUrl)).body;
    assert.match(headerOf(answer.blocks), /CNED/);
    assert.match(JSON.stringify(answer.blocks), /Retour prévu/);
  });
});

describe('Slack: when unsure, the other reading is one button away', () => {
  let rig: Rig;
  before(async () => {
    // A reader that hesitates: "is it down?" (e^1) or "when is it back?" (e^0.5).
    rig = await startRig({ mode: 'in-process', reference, scenario, at: new Date('2020-03-17T09:00:00Z'), locales: { UPROF: 'fr-FR' }, understander: unsureUnderstander({ status: 1, eta: 0.5 }) });
  });
  after(async () => {
    await rig.close();
  });

  test('GIVEN a question read as "is it down?" but nearly "when is it back?" THEN a button offers the other; clicking it answers when it is back', async () => {
    const url = rig.sink.url();
    await rig.deliver('command', slashCommand({ text: 'des nouvelles du CNED ?', user: 'UPROF', responseUrl: url }));
    const { body } = await rig.sink.waitFor(url);
    const other = buttonsOf(body.blocks).find((b) => b.text?.text === 'Ou : quand est-ce que ça revient ?');
    assert.ok(other, JSON.stringify(buttonsOf(body.blocks).map((b) => b.text?.text)));
    const clickUrl = rig.sink.url();
    await rig.deliver('interactive', buttonClick({ actionId: other.action_id!, value: other.value!, user: 'UPROF', responseUrl: clickUrl }));
    const answer = (await rig.sink.waitFor(clickUrl)).body;
    // The first message of a when-question: the CNED and its announced return.
    assert.match(String(answer.text), /CNED.*Retour prévu/);
  });
});
