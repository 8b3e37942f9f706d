/**
 * "préviens-moi quand le CNED revient" in Slack (issue 13, item 8): a one-click "Suivre dans
 * ce salon" for those who may change the channel's subscriptions, and the click subscribes
 * the channel to that service and place. Real bolt against the local fake Slack.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCheckedScenario } from '../../../src/index.js';
import { startRig, type Rig } from '../../fakes/slack/harness.js';
import { appMention, buttonClick, slashCommand } from '../../fakes/slack/payloads.js';
import { sharedReference } from '../../helpers/reference.js';

const reference = sharedReference();
const scenario = loadCheckedScenario('2020-03-17', reference.content, reference.gazetteer);

type Block = { type: string; text?: { text: string }; elements?: { action_id?: string; value?: string; text?: { text: string } }[] };
const headerOf = (blocks: unknown) => (blocks as Block[]).find((b) => b.type === 'header')?.text?.text ?? '';
const buttonsOf = (blocks: unknown) => (blocks as Block[]).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));

describe('Slack: "préviens-moi quand le CNED revient" offers a one-click follow', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig({ mode: 'in-process', reference, scenario, subscribers: ['UDIRECTION'], locales: { UDIRECTION: 'fr-FR', UPARENT: 'fr-FR' } });
  });
  after(async () => {
    await rig.close();
  });

  test('GIVEN someone allowed to subscribe the channel THEN "Suivre dans ce salon" follows the CNED everywhere in that channel, at one click', async () => {
    const url = rig.sink.url();
    await rig.deliver('command', slashCommand({ text: 'préviens-moi quand le CNED revient', user: 'UDIRECTION', responseUrl: url, channel: 'CFOLLOW' }));
    const { body } = await rig.sink.waitFor(url);
    assert.match(headerOf(body.blocks), /Suivre CNED dans toute la France/);
    const follow = buttonsOf(body.blocks).find((b) => b.action_id === 'vigie_subscribe');
    assert.ok(follow, JSON.stringify(body.blocks));
    assert.equal(follow.text?.text, 'Suivre dans ce salon');
    assert.equal(follow.value, 'cned national:FR');

    const clickUrl = rig.sink.url();
    await rig.deliver('interactive', buttonClick({ actionId: 'vigie_subscribe', value: follow.value!, user: 'UDIRECTION', responseUrl: clickUrl, channel: 'CFOLLOW' }));
    await rig.sink.waitFor(clickUrl);
    const stored = await rig.runtime.store.subscriptions.list({ platform: 'slack', channel: 'CFOLLOW' });
    assert.deepEqual(stored.map((s) => `${s.service} ${s.place.kind}:${s.place.code}`), ['cned national:FR']);
  });

  test('GIVEN a place in the request THEN the button follows that service there', async () => {
    const before = rig.api.calls.length;
    await rig.deliver('event', appMention({ text: "<@UVIGIE> prévenez-moi quand l'ENT remarche en Occitanie", user: 'UDIRECTION', channel: 'CFOLLOW2' }));
    const posted = await rig.api.waitFor('chat.postMessage', (c) => c.args.channel === 'CFOLLOW2', before);
    const follow = buttonsOf(posted.args.blocks).find((b) => b.action_id === 'vigie_subscribe');
    assert.equal(follow?.value, 'ent region:76');
  });

  test('GIVEN someone not allowed THEN no button, and the answer says who can', async () => {
    const url = rig.sink.url();
    await rig.deliver('command', slashCommand({ text: 'préviens-moi quand le CNED revient', user: 'UPARENT', responseUrl: url, channel: 'CFOLLOW3' }));
    const { body } = await rig.sink.waitFor(url);
    assert.equal(buttonsOf(body.blocks).find((b) => b.action_id === 'vigie_subscribe'), undefined);
    assert.match(JSON.stringify(body.blocks), /Seuls les administrateurs/);
    // Even a forged click changes nothing.
    const clickUrl = rig.sink.url();
    await rig.deliver('interactive', buttonClick({ actionId: 'vigie_subscribe', value: 'cned national:FR', user: 'UPARENT', responseUrl: clickUrl, channel: 'CFOLLOW3' }));
    await rig.sink.waitFor(clickUrl);
    assert.deepEqual(await rig.runtime.store.subscriptions.list({ platform: 'slack', channel: 'CFOLLOW3' }), []);
  });
});
