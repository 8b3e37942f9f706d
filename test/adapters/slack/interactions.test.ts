import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCheckedScenario } from '../../../src/index.js';
import { startRig, type Rig } from '../../fakes/slack/harness.js';
import { appHomeOpened, appMention, blockSuggestion, buttonClick, directMessage, eventCallback, slashCommand, viewSubmission } from '../../fakes/slack/payloads.js';
import { FAKE_TEAM } from '../../fakes/slack/web-api.js';
import { sharedReference } from '../../helpers/reference.js';

const reference = sharedReference();
const scenario = loadCheckedScenario('2020-03-17', reference.content, reference.gazetteer);
const ADMIN = 'UADMIN';

type Blocks = { type: string; text?: { text: string } }[];
const headerOf = (blocks: unknown) => (blocks as Blocks).find((b) => b.type === 'header')?.text?.text ?? '';

describe('Slack: every interaction gets an answer, whatever its shape', () => {
  let rig: Rig;
  before(async () => {
    rig = await startRig({ mode: 'in-process', reference, scenario, admins: [ADMIN], locales: { UPROF: 'fr-FR', ADMIN: 'fr-FR' } });
  });
  after(async () => {
    await rig.close();
  });

  /** No handler threw: nothing reached bolt's error handler, no "… failed" line. */
  function assertNoFailure(): void {
    const errors = rig.logs.filter((l) => / ERROR /.test(l));
    assert.deepEqual(errors, [], 'nothing failed');
  }

  test('GIVEN a slash command without text or user_id THEN it is acked and answered with the help', async () => {
    const responseUrl = rig.sink.url();
    const { text: _text, user_id: _user, ...payload } = slashCommand({ text: 'x', user: 'UPROF', responseUrl });
    await rig.deliver('command', payload);
    const { body } = await rig.sink.waitFor(responseUrl);
    assert.equal(body.response_type, 'ephemeral');
    assert.match(headerOf(body.blocks), /Vigie/);
    assertNoFailure();
  });

  test('GIVEN "/statut abonner" without a user or a channel THEN a short private answer, nothing stored', async () => {
    const responseUrl = rig.sink.url();
    const { user_id: _user, channel_id: _channel, ...payload } = slashCommand({ text: 'abonner ent occitanie', user: 'UPROF', responseUrl });
    await rig.deliver('command', payload);
    assert.match(String((await rig.sink.waitFor(responseUrl)).body.text), /dans un salon/);
    assert.equal((await rig.runtime.store.subscriptions.listAll()).length, 0);
    assertNoFailure();
  });

  test('GIVEN a mention without any text, or with only the bot’s name THEN the help is posted in the thread', async () => {
    const before = rig.api.calls.length;
    const bare = appMention({ text: '', user: 'UPROF', channel: 'CEMPTY1' });
    delete (bare.event as { text?: string }).text;
    await rig.deliver('event', bare);
    await rig.deliver('event', appMention({ text: '', user: 'UPROF', channel: 'CEMPTY2' }));
    for (const channel of ['CEMPTY1', 'CEMPTY2']) {
      const posted = await rig.api.waitFor('chat.postMessage', (c) => c.args.channel === channel, before);
      assert.ok(posted.args.thread_ts, channel);
      assert.match(headerOf(posted.args.blocks), /Vigie/, channel);
    }
    assertNoFailure();
  });

  test('GIVEN a direct message without text, or a Home tab opened without a user THEN the first gets the help and neither fails', async () => {
    const before = rig.api.calls.length;
    const dm = directMessage({ text: '', user: 'UPROF', channel: 'DEMPTY' });
    delete (dm.event as { text?: string }).text;
    await rig.deliver('event', dm);
    const home = appHomeOpened('UPROF');
    delete (home.event as { user?: string }).user;
    await rig.deliver('event', home);
    await rig.deliver('event', eventCallback({ type: 'reaction_added', user: 'UPROF', reaction: 'eyes' }));
    assert.match(headerOf((await rig.api.waitFor('chat.postMessage', (c) => c.args.channel === 'DEMPTY', before)).args.blocks), /Vigie/);
    assertNoFailure();
  });

  test('GIVEN the admin form submitted with view.state.values null THEN the modal shows what is missing, next to the first field', async () => {
    const ack = await rig.deliver('interactive', viewSubmission({ callbackId: 'vigie_admin_form', user: ADMIN, privateMetadata: '{"language":"fr","revision":2}', state: { values: null } }));
    assert.equal(ack.body?.response_action, 'errors');
    const errors = ack.body?.errors as Record<string, string>;
    assert.deepEqual(Object.keys(errors), ['action.2']);
    assert.ok(errors['action.2']!.length > 0);
    const garbled = await rig.deliver('interactive', viewSubmission({ callbackId: 'vigie_admin_preview', user: ADMIN, privateMetadata: 'not json', state: { values: null } }));
    assert.equal(garbled.body?.response_action, 'update');
    assert.match(JSON.stringify(garbled.body?.view), /expiré/);
    assertNoFailure();
  });

  test('GIVEN a button Vigie does not know, or a click without any action THEN it is acked, the first with a short private note', async () => {
    const responseUrl = rig.sink.url();
    const ack = await rig.deliver('interactive', buttonClick({ actionId: 'vigie_old_button', value: 'x', user: 'UPROF', responseUrl }));
    assert.equal(ack.status, 200);
    assert.match(String((await rig.sink.waitFor(responseUrl)).body.text), /n'est plus disponible/);
    const empty = { ...buttonClick({ actionId: 'x', value: 'x', user: 'UPROF', responseUrl: rig.sink.url() }), actions: [] };
    assert.equal((await rig.deliver('interactive', empty)).status, 200);
    const noId = buttonClick({ actionId: 'x', value: 'x', user: 'UPROF', responseUrl: rig.sink.url() });
    delete ((noId.actions as Record<string, unknown>[])[0] as { action_id?: string }).action_id;
    assert.equal((await rig.deliver('interactive', noId)).status, 200);
    assertNoFailure();
  });

  test('GIVEN "follow updates" clicked where there is no channel (App Home) THEN a short private answer', async () => {
    const responseUrl = rig.sink.url();
    const click = buttonClick({ actionId: 'vigie_subscribe', value: 'ent region:76', user: ADMIN, responseUrl });
    delete (click as { channel?: unknown }).channel;
    (click.container as Record<string, unknown>) = { type: 'view', view_id: 'VHOME' };
    await rig.deliver('interactive', click);
    assert.match(String((await rig.sink.waitFor(responseUrl)).body.text), /dans un salon/);
    assertNoFailure();
  });

  test('GIVEN a modal, a select, a shortcut or a slash command Vigie does not know THEN each is acked (a pointer for the command)', async () => {
    const view = await rig.deliver('interactive', viewSubmission({ callbackId: 'someone_elses_modal', user: 'UPROF', privateMetadata: '', state: { values: {} } }));
    assert.equal(view.status, 200);
    assert.equal(view.body, null, 'closed without a word');
    const closed = await rig.deliver('interactive', { ...viewSubmission({ callbackId: 'vigie_admin_form', user: 'UPROF', privateMetadata: '', state: { values: {} } }), type: 'view_closed' });
    assert.equal(closed.status, 200);
    const options = await rig.deliver('interactive', blockSuggestion({ actionId: 'unknown_select', blockId: 'x', value: 'a', user: ADMIN }));
    assert.deepEqual(options.body, { options: [] });
    const shortcut = await rig.deliver('interactive', { type: 'shortcut', callback_id: 'vigie_shortcut', trigger_id: 't', user: { id: 'UPROF', team_id: FAKE_TEAM.id }, team: { id: FAKE_TEAM.id } });
    assert.equal(shortcut.status, 200);
    const command = await rig.deliver('command', slashCommand({ command: '/vigie', text: 'is the ENT down?', user: 'UPROF', responseUrl: rig.sink.url() }));
    assert.match(String(command.body?.text), /\/statut/);
    assert.equal(command.body?.response_type, 'ephemeral');
    assertNoFailure();
  });
});
