import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSlackTransport } from '../../../adapters/slack/index.js';
import { adminForm } from '../../../adapters/slack/admin-form.js';
import { Dispatcher } from '../../../src/delivery/index.js';
import { type DeliveryTransport } from '../../../src/index.js';
import { SECRETS, startRig, type Rig } from '../../fakes/slack/harness.js';
import { buttonClick, viewState, viewSubmission } from '../../fakes/slack/payloads.js';
import { ResponseSink } from '../../fakes/slack/response-url.js';
import { RETRY_FAILED } from '../../../adapters/slack/admin-notify.js';
import { FAKE_TEAM } from '../../fakes/slack/web-api.js';
import { VirtualTimer } from '../../helpers/virtual-time.js';
import type { FixedClock } from '../../../src/base/clock.js';
import { sharedReference } from '../../helpers/reference.js';
import { sharedTemplates } from '../../helpers/templates.js';

const reference = sharedReference();
const ADMIN = 'UADMIN';
const PLACE = { kind: 'region', code: '76', name: 'Occitanie' } as const;

const form = {
  action: 'open',
  service: 'ent',
  places: 'Haute-Garonne',
  status: 'major_outage',
  phase: 'identified',
  cause: 'overload',
  textFr: "L'ENT est saturé depuis 8 h.",
  textEn: 'The ENT is overloaded since 8 am.',
  notify: ['notify'],
};

/**
 * Discord's side, refused until a test lets it through: enough to see a failure in the
 * admin's progress, then a retry. It counts the messages it accepted.
 */
const discordSide = { refusing: true, posted: [] as string[] };
const discord: DeliveryTransport = {
  platform: 'discord',
  post: async (d) => {
    if (discordSide.refusing) return { ok: false, retry: false, reason: 'missing_access' };
    discordSide.posted.push(d.id);
    return { ok: true, ref: `m${discordSide.posted.length}` };
  },
  edit: async () => ({ ok: false, retry: false, reason: 'missing_access' }),
  reply: async () => ({ ok: false, retry: false, reason: 'missing_access' }),
  reconcile: async (d) => (discordSide.posted.includes(d.id) ? { found: true, ref: 'm?' } : { found: false }),
};

describe('Slack admin modal: notify subscribers', () => {
  let rig: Rig;
  let dispatcher: Dispatcher;
  before(async () => {
    rig = await startRig({ mode: 'in-process', reference, admins: [ADMIN], locales: { [ADMIN]: 'fr-FR' }, adapter: { progress: { intervalMs: 50 } } });
    const { store, bot } = rig.runtime;
    for (const channel of ['CECOLE1', 'CECOLE2']) await store.subscriptions.add({ platform: 'slack', workspace: FAKE_TEAM.id, channel, service: 'ent', place: PLACE, createdBy: 'test' });
    await store.subscriptions.add({ platform: 'discord', workspace: 'G1', channel: '42', service: 'ent', place: PLACE, createdBy: 'test' });
    await store.subscriptions.add({ platform: 'slack', workspace: FAKE_TEAM.id, channel: 'CAILLEURS', service: 'ent', place: { kind: 'region', code: '11', name: 'Île-de-France' }, createdBy: 'test' });
    const slack = createSlackTransport({ templates: sharedTemplates(), config: { botToken: SECRETS.bot, apiUrl: rig.api.url } });
    dispatcher = new Dispatcher({ store, clock: bot.clock, timer: new VirtualTimer(bot.clock as FixedClock), templates: bot.templates, transports: [slack, discord], options: { backoff: { baseMs: 10, maxMs: 100 }, pollMs: 50 } });
    bot.onPublished(() => dispatcher.kick());
    dispatcher.start();
  });
  after(async () => {
    await dispatcher.stop();
    await rig.close();
  });

  test('GIVEN the form opens THEN it offers the "notify subscribers" choice', () => {
    const view = JSON.stringify(adminForm(rig.runtime.bot, { language: 'fr', revision: 0 }));
    assert.match(view, /"block_id":"notify".*Prévenir les abonnés/);
  });

  test('GIVEN notify ticked and no official text THEN the error shows next to the French text field', async () => {
    const ack = await rig.deliver('interactive', viewSubmission({ callbackId: 'vigie_admin_form', user: ADMIN, privateMetadata: '{"language":"fr","revision":0}', state: viewState({ ...form, textFr: '' }) }));
    assert.equal(ack.body?.response_action, 'errors');
    assert.ok((ack.body?.errors as Record<string, string>).textFr, JSON.stringify(ack.body));
  });

  test('GIVEN notify ticked THEN the preview counts the channels per platform, publishing sends the notice, and the admin’s DM shows progress until nothing is pending', async () => {
    const meta = JSON.stringify({ channel: 'CADMIN', language: 'fr', revision: 0 });
    const before = rig.api.calls.length;
    const preview = await rig.deliver('interactive', viewSubmission({ callbackId: 'vigie_admin_form', user: ADMIN, privateMetadata: meta, state: viewState(form) }));
    assert.equal(preview.body?.response_action, 'push', JSON.stringify(preview.body));
    const waiting = preview.body?.view as { external_id: string };
    assert.match(JSON.stringify(waiting), /Préparation de l'aperçu/);
    // Counting the channels comes after the ack: the pushed view is then filled in.
    const filled = await rig.api.waitFor('views.update', (c) => c.args.external_id === waiting.external_id, before);
    const pushed = filled.args.view as { callback_id: string; private_metadata: string };
    assert.equal(pushed.callback_id, 'vigie_admin_preview');
    const shown = JSON.stringify(pushed);
    assert.match(shown, /3 salon\(s\) recevront cet avis : Slack 2, Discord 1/);
    assert.match(shown, /saturé depuis 8 h/);
    assert.equal((await rig.runtime.store.outbox.listNotices()).length, 0, 'the preview stores nothing');
    assert.equal(await rig.runtime.store.incidents.count(), 0);

    const beforePublish = rig.api.calls.length;
    const done = await rig.deliver('interactive', viewSubmission({ callbackId: 'vigie_admin_preview', user: ADMIN, privateMetadata: pushed.private_metadata, state: { values: {} }, viewId: 'VPREVIEW' }));
    assert.equal(done.body?.response_action, 'update');
    assert.match(JSON.stringify(done.body?.view), /Publication en cours/);
    const result = await rig.api.waitFor('views.update', (c) => c.args.view_id === 'VPREVIEW', beforePublish);
    const [notice] = await rig.runtime.store.outbox.listNotices();
    assert.ok(notice, 'the notice is in the outbox once confirmed');
    assert.match(JSON.stringify(result.args.view), new RegExp(`Avis ${notice.id} publié`));
    assert.equal((result.args.view as { clear_on_close?: unknown }).clear_on_close, true, 'closing the result does not reopen the form');
    assert.equal(await rig.runtime.store.incidents.count(), 1);

    const first = await rig.api.waitFor('chat.postMessage', (c) => c.args.channel === ADMIN, beforePublish);
    assert.match(String(first.args.text), new RegExp(`Avis ${notice.id} publié`));
    const finished = await rig.api.waitFor('chat.update', (c) => /Envoi terminé/.test(String(c.args.text)), beforePublish);
    const dm = rig.api.conversations.channel(FAKE_TEAM.id, ADMIN);
    assert.equal(dm.length, 1, 'one progress message, edited in place');
    assert.equal(finished.args.ts, dm[0]!.ts);
    assert.match(String(finished.args.text), /2 livré\(s\) · 1 en échec · 0 en attente, sur 3 salon\(s\)/);
    assert.match(String(finished.args.text), /discord 42 : missing_access/);

    for (const channel of ['CECOLE1', 'CECOLE2']) {
      const got = rig.api.conversations.channel(FAKE_TEAM.id, channel);
      assert.equal(got.length, 1, channel);
      assert.equal(got[0]!.metadata?.event_payload.notice, notice.id);
      assert.match(got[0]!.text, /saturé depuis 8 h/);
    }
    assert.equal(rig.api.conversations.channel(FAKE_TEAM.id, 'CAILLEURS').length, 0, 'a channel following another region gets nothing');
  });

  test('GIVEN the finished notice had a failure THEN its progress offers a retry; a non-admin click is refused, an admin click sends only the failed delivery again', async () => {
    const [notice] = await rig.runtime.store.outbox.listNotices();
    assert.ok(notice);
    const finished = rig.api.callsTo('chat.update').filter((c) => /Envoi terminé/.test(String(c.args.text))).at(-1);
    assert.ok(finished, 'the progress message reached its end');
    const blocks = JSON.stringify(finished.args.blocks);
    assert.match(blocks, /Réessayer les envois en échec/);
    assert.match(blocks, new RegExp(`"value":"${notice.id}"`));

    discordSide.refusing = false;
    const sink = await ResponseSink.start();
    try {
      const beforeRefusal = rig.api.calls.length;
      await rig.deliver('interactive', buttonClick({ actionId: RETRY_FAILED, value: notice.id, user: 'UPARENT', responseUrl: sink.url() }));
      const refusal = await rig.api.waitFor('chat.postMessage', (c) => c.args.channel === 'UPARENT', beforeRefusal);
      assert.match(String(refusal.args.text), /réservé|administrat/i);
      assert.equal((await rig.runtime.store.outbox.progress(notice.id))?.failed, 1, 'a refused click changes nothing');
      const audit = await rig.runtime.store.audit.list();
      assert.ok(audit.some((e) => e.action === 'notice.retry' && e.outcome !== 'ok' && e.actor.user.endsWith('UPARENT')), 'the refusal is audited');

      const before = rig.api.calls.length;
      await rig.deliver('interactive', buttonClick({ actionId: RETRY_FAILED, value: notice.id, user: ADMIN, responseUrl: sink.url() }));
      const done = await rig.api.waitFor('chat.update', (c) => c.args.channel === ADMIN && /0 en échec · 0 en attente/.test(String(c.args.text)), before);
      assert.match(String(done.args.text), /1 envoi\(s\) en échec relancé\(s\)/);
      assert.match(String(done.args.text), /3 livré\(s\)/);
      assert.doesNotMatch(JSON.stringify(done.args.blocks), /Réessayer/, 'nothing left to retry');
      assert.equal(discordSide.posted.length, 1, 'the failed Discord channel got the notice once');
      for (const channel of ['CECOLE1', 'CECOLE2']) assert.equal(rig.api.conversations.channel(FAKE_TEAM.id, channel).length, 1, `${channel} is not sent the notice again`);
      assert.ok((await rig.runtime.store.audit.list()).some((e) => e.action === 'notice.retry' && e.outcome === 'ok' && e.actor.user.endsWith(ADMIN)));
    } finally {
      await sink.close();
    }
  });
});
