import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { createSlackTransport } from '../../../adapters/slack/index.js';
import type { Delivery, Reply } from '../../../src/index.js';
import { FixedClock } from '../../../src/base/clock.js';
import type { Timer } from '../../../src/base/timer.js';
import { TEST_NOW } from '../../helpers/clock.js';
import { FAKE_SCOPES, FakeSlackApi, tokenOf } from '../../fakes/slack/web-api.js';
import { sharedTemplates } from '../../helpers/templates.js';

const message: Reply = {
  kind: 'incidents',
  language: 'fr',
  headline: 'ENT : panne majeure <!channel> @here',
  status: 'major_outage',
  sections: [{ key: 'notice', title: 'Information officielle', text: 'Serveurs saturés <@U0BOSS> & <https://evil.example|clique>.' }],
  source: { name: 'Rectorat', at: '2020-03-17T08:00:00.000Z' },
  time: '2020-03-17T09:00:00.000Z',
  actions: [],
  incidents: ['ent-1'],
};

let seq = 0;
function delivery(over: Partial<Delivery> = {}): Delivery {
  seq++;
  return {
    id: `n0001-ab12.${String(seq).padStart(5, '0')}`,
    noticeId: 'n0001-ab12',
    noticeSeq: 1,
    subscriptionIds: ['s1'],
    platform: 'slack',
    workspace: 'T1',
    channel: `C${seq}`,
    language: 'fr',
    incidentId: null,
    kind: 'post',
    state: 'pending',
    attempts: 0,
    lastError: null,
    failingSince: null,
    nextAttemptAt: '2020-03-17T09:00:00.000Z',
    deadlineAt: '2020-03-18T09:00:00.000Z',
    edited: false,
    messageRef: null,
    rootRef: null,
    createdAt: '2020-03-17T09:00:00.000Z',
    updatedAt: '2020-03-17T09:00:00.000Z',
    deliveredAt: null,
    ...over,
  };
}

describe('Slack transport', () => {
  let api: FakeSlackApi;
  before(async () => {
    api = await FakeSlackApi.start({ workspaces: ['T1', 'T2'] });
  });
  after(async () => {
    await api.close();
  });
  const transport = () => createSlackTransport({ templates: sharedTemplates(), config: { botToken: 'xoxb-default', apiUrl: api.url }, tokenFor: tokenOf, timeoutMs: 10_000 });

  test('GIVEN a notice THEN it is posted with the vigie_notice metadata, Block Kit and a text fallback, and nothing in it can ping', async () => {
    const d = delivery();
    const sent = await transport().post(d, message);
    assert.ok(sent.ok);
    const call = api.callsTo('chat.postMessage').at(-1)!;
    assert.equal(call.token, tokenOf('T1'));
    assert.deepEqual(call.args.metadata, { event_type: 'vigie_notice', event_payload: { notice: 'n0001-ab12', delivery: d.id } });
    assert.equal(call.args.channel, d.channel);
    assert.equal(call.args.unfurl_links, 'false');
    const all = `${String(call.args.text)} ${JSON.stringify(call.args.blocks)}`;
    assert.match(String(call.args.text), /panne majeure/);
    assert.match(JSON.stringify(call.args.blocks), /"type":"header"/);
    assert.doesNotMatch(all, /<[!@]|<https:\/\/evil/);
    assert.doesNotMatch(all, /@(here|channel|everyone)\b/);
    assert.equal(sent.ref, api.conversations.channel('T1', d.channel)[0]?.ts);
  });

  test('GIVEN each workspace THEN it is reached with its own token, and one without a token fails for that workspace only', async () => {
    const t = createSlackTransport({ templates: sharedTemplates(), config: { botToken: 'xoxb-default', apiUrl: api.url }, tokenFor: (ws) => (ws === 'T3' ? undefined : tokenOf(ws)) });
    const [a, b, c] = [delivery({ workspace: 'T1' }), delivery({ workspace: 'T2' }), delivery({ workspace: 'T3' })];
    assert.ok((await t.post(a, message)).ok);
    assert.ok((await t.post(b, message)).ok);
    assert.deepEqual(await t.post(c, message), { ok: false, retry: false, reason: 'no_token_for_workspace' });
    assert.equal(api.conversations.channel('T2', b.channel).length, 1);
    const defaults = createSlackTransport({ templates: sharedTemplates(), config: { botToken: 'xoxb-default', apiUrl: api.url } });
    assert.ok((await defaults.post(delivery({ workspace: 'T2' }), message)).ok);
    assert.equal(api.callsTo('chat.postMessage').at(-1)?.token, 'xoxb-default', 'without tokenFor, the bot token serves every workspace');
  });

  test('GIVEN a channel refuses for good THEN the refusal is permanent with Slack’s code as the reason, and counts against the channel', async () => {
    const codes = ['channel_not_found', 'not_in_channel', 'is_archived', 'restricted_action', 'channel_is_archived', 'no_permission'];
    const t = transport();
    for (const code of codes) {
      api.failNext('chat.postMessage', code);
      assert.deepEqual(await t.post(delivery(), message), { ok: false, retry: false, reason: code, channelFault: true });
    }
    api.failNext('chat.postMessage', 'invalid_blocks');
    assert.deepEqual(await t.post(delivery(), message), { ok: false, retry: false, reason: 'invalid_blocks', channelFault: false });
  });

  test('GIVEN Slack fails on its side THEN 500s, timeouts and internal errors are retried as uncertain, and a refused connection as certain', async () => {
    const t = transport();
    api.failNext('chat.postMessage', 'internal_error');
    assert.deepEqual(await t.post(delivery(), message), { ok: false, retry: true, uncertain: true, reason: 'internal_error' });

    const faulty = await FakeSlackApi.start({ faults: { rate: 1, seed: 1, kinds: ['500'] } });
    const timing = await FakeSlackApi.start({ faults: { rate: 1, seed: 1, kinds: ['timeout'] }, hangMs: 1000 });
    try {
      const on500 = createSlackTransport({ templates: sharedTemplates(), config: { botToken: 'xoxb-a', apiUrl: faulty.url } });
      assert.deepEqual(await on500.post(delivery(), message), { ok: false, retry: true, uncertain: true, reason: 'http_500' });
      const slow = createSlackTransport({ templates: sharedTemplates(), config: { botToken: 'xoxb-a', apiUrl: timing.url }, timeoutMs: 100 });
      assert.deepEqual(await slow.post(delivery(), message), { ok: false, retry: true, uncertain: true, reason: 'timeout' });
      assert.equal(slow.stats.timeouts, 1);
    } finally {
      await Promise.all([faulty.close(), timing.close()]);
    }

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = createSlackTransport({ templates: sharedTemplates(), config: { botToken: 'xoxb-a', apiUrl: `http://127.0.0.1:${port}/api/` } });
    assert.deepEqual(await refused.post(delivery(), message), { ok: false, retry: true, uncertain: false, reason: 'network_error' });
  });

  test('GIVEN a workspace over its limit THEN its 429 comes back with Retry-After and nothing was sent, while another workspace posts at once', async () => {
    const limited = await FakeSlackApi.start({
      workspaces: ['T1', 'T2'],
      limits: { post: { perWorkspace: { capacity: 1, perSecond: 0.001 } }, tier3: { capacity: 50, perSecond: 1 } },
    });
    try {
      const t = createSlackTransport({ templates: sharedTemplates(), config: { botToken: 'x', apiUrl: limited.url }, tokenFor: tokenOf });
      assert.ok((await t.post(delivery({ workspace: 'T1' }), message)).ok);
      const second = await t.post(delivery({ workspace: 'T1' }), message);
      assert.equal(second.ok, false);
      assert.ok(!second.ok && second.retry && second.uncertain === false && second.reason === 'rate_limited');
      assert.ok(!second.ok && (second.retryAfterMs ?? 0) >= 1000, JSON.stringify(second));
      assert.ok((await t.post(delivery({ workspace: 'T2' }), message)).ok);
      assert.equal(limited.conversations.all().length, 2);
      assert.equal(t.stats.received429, 1);
    } finally {
      await limited.close();
    }
  });

  test('GIVEN Slack refuses the app itself THEN it is a workspace fault, retried once the token works, never the channel’s', async () => {
    const t = transport();
    for (const code of ['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'missing_scope', 'team_access_not_granted']) {
      api.failNext('chat.postMessage', code);
      assert.deepEqual(await t.post(delivery(), message), { ok: false, retry: true, uncertain: false, botFault: 'workspace', reason: code });
    }
    api.failNext('chat.postMessage', 'invalid_blocks');
    assert.deepEqual(await t.post(delivery(), message), { ok: false, retry: false, reason: 'invalid_blocks', channelFault: false });
  });

  test('GIVEN a paused workspace THEN checkAuth asks auth.test: ok when the token works, refused while Slack refuses it or lacks the scope it said was missing, unknown when Slack is down', async () => {
    const clock = new FixedClock(TEST_NOW);
    const fake = await FakeSlackApi.start({ workspaces: ['T1'], now: () => clock.now().getTime() });
    try {
      const t = createSlackTransport({ templates: sharedTemplates(), config: { botToken: 'x', apiUrl: fake.url }, tokenFor: tokenOf, timeoutMs: 10_000, clock });
      assert.equal(await t.checkAuth!('T1'), 'ok');
      fake.refuseToken('T1', 60_000, 'token_revoked');
      assert.equal(await t.checkAuth!('T1'), 'refused');
      clock.advance(60_000);
      assert.equal(await t.checkAuth!('T1'), 'ok');
      fake.outage(10_000);
      assert.equal(await t.checkAuth!('T1'), 'unknown');
      clock.advance(10_000);
      fake.failNext('chat.postMessage', 'missing_scope', { needed: 'chat:write', provided: 'commands' });
      assert.deepEqual(await t.post(delivery({ workspace: 'T1' }), message), { ok: false, retry: true, uncertain: false, botFault: 'workspace', reason: 'missing_scope' });
      fake.setScopes('T1', ['commands']);
      assert.equal(await t.checkAuth!('T1'), 'refused', 'auth.test works but the scope is still missing');
      fake.setScopes('T1', FAKE_SCOPES);
      assert.equal(await t.checkAuth!('T1'), 'ok');
      assert.ok(fake.callsTo('auth.test').every((c) => c.token === tokenOf('T1')));
    } finally {
      await fake.close();
    }
  });

  test('GIVEN a 429 with a long Retry-After THEN it is returned in full, as a certain rate limit, after one request (the WebClient neither waits nor retries)', async () => {
    for (const seconds of [1, 45, 600, 7200]) {
      // A fresh transport each time: after a 429 the workspace is held, and would not even ask.
      const t = transport();
      const before = api.callsTo('chat.postMessage').length;
      api.rateLimitNext('chat.postMessage', seconds);
      assert.deepEqual(await t.post(delivery(), message), { ok: false, retry: true, rateLimited: true, uncertain: false, retryAfterMs: seconds * 1000, reason: 'rate_limited' });
      assert.equal(api.callsTo('chat.postMessage').length, before + 1);
    }
  });

  test('GIVEN posts waiting for their pace THEN aborting the signal ends every wait at once with a certain, retryable "shutdown", and nothing is sent after it', async () => {
    const fake = await FakeSlackApi.start({ workspaces: ['T1'] });
    // A timer that never fires: only the abort can end a wait.
    const frozen: Timer = {
      sleep: (_ms, signal) =>
        new Promise((resolve) => {
          if (signal?.aborted) return resolve();
          signal?.addEventListener('abort', () => resolve(), { once: true });
        }),
    };
    try {
      const t = createSlackTransport({ templates: sharedTemplates(), config: { botToken: 'x', apiUrl: fake.url }, tokenFor: tokenOf, timeoutMs: 1_000, clock: new FixedClock(TEST_NOW), timer: frozen });
      const shutdown = new AbortController();
      const first = delivery({ workspace: 'T1', channel: 'CPACE' });
      const sent = await t.post(first, message, shutdown.signal);
      assert.ok(sent.ok);
      // The channel's next messages wait for Slack's 1 message/s in that channel.
      const waiting = [
        t.post(delivery({ workspace: 'T1', channel: 'CPACE' }), message, shutdown.signal),
        t.reply(delivery({ workspace: 'T1', channel: 'CPACE', kind: 'update' }), sent.ref, message, shutdown.signal),
      ];
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(fake.callsTo('chat.postMessage').length, 1);
      shutdown.abort();
      const outcome = await Promise.race([Promise.all(waiting), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 2_000))]);
      const expected = { ok: false, retry: true, uncertain: false, reason: 'shutdown' };
      assert.deepEqual(outcome, [expected, expected]);
      assert.deepEqual(await t.post(delivery({ workspace: 'T1' }), message, shutdown.signal), expected);
      assert.deepEqual(await t.reconcile({ ...first, state: 'in_flight' }, shutdown.signal), expected);
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.deepEqual(fake.calls.map((c) => c.method), ['chat.postMessage'], 'nothing was sent after the abort');
    } finally {
      await fake.close();
    }
  });

  test('GIVEN a message sent earlier THEN reconcile finds it by its metadata in the history (past the first page) or the thread, and not another delivery’s', async () => {
    const t = transport();
    const d = delivery({ channel: 'CRECON' });
    const sent = await t.post(d, message);
    assert.ok(sent.ok);
    // 250 later messages push it to the second page of the history.
    for (let i = 0; i < 250; i++) api.conversations.post('T1', { channel: 'CRECON', text: `autre ${i}` });
    assert.deepEqual(await t.reconcile({ ...d, state: 'in_flight' }), { found: true, ref: sent.ref });
    assert.deepEqual(await t.reconcile({ ...delivery({ channel: 'CRECON' }), state: 'in_flight' }), { found: false });

    const r = delivery({ channel: 'CRECON', kind: 'update', rootRef: sent.ref });
    const replied = await t.reply(r, sent.ref, message);
    assert.ok(replied.ok);
    assert.equal(api.callsTo('chat.postMessage').at(-1)?.args.thread_ts, sent.ref);
    assert.deepEqual(await t.reconcile({ ...r, state: 'in_flight' }), { found: true, ref: replied.ref });
    assert.equal(api.callsTo('conversations.replies').at(-1)?.args.ts, sent.ref);

    const edited = await t.edit(r, sent.ref, { ...message, headline: 'Résolu' });
    assert.deepEqual(edited, { ok: true, ref: sent.ref });
    assert.match(api.conversations.channel('T1', 'CRECON')[0]!.text, /Résolu/);
    assert.deepEqual(await t.edit(r, '1.000000', message), { ok: false, retry: false, reason: 'message_not_found', channelFault: true, rootGone: true });
  });
});
