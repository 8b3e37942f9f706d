/**
 * The Discord transport on its own: error mapping, and posts, replies, edits and reconcile
 * against the fake Discord's REST API (nonce + enforce_nonce, the hidden delivery marker,
 * rate-limit headers, refusing channels), long rate limits on an injected clock, 401 and
 * recovery, and shutdown.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiscordAPIError, HTTPError, RateLimitError } from 'discord.js';
import type { Delivery, Reply } from '../../../src/index.js';
import { createDiscordTransport, mapDiscordError, nonceOf, type DiscordTransport } from '../../../adapters/discord/transport.js';
import { renderEmbed } from '../../../adapters/discord/base/render.js';
import { FixedClock } from '../../../src/base/clock.js';
import { TEST_NOW } from '../../helpers/clock.js';
import { FAKE_DISCORD_TOKEN, startFakeDiscord, type FakeDiscord } from '../../fakes/discord/fake-discord.js';
import { DISCORD_LIMITS } from '../../fakes/discord/rate-limits.js';
import { sharedTemplates } from '../../helpers/templates.js';

/** Discord's limits with a per-channel window of 0.5 s instead of 5 s, so waiting for a reset is quick. */
const FAST_LIMITS = { global: DISCORD_LIMITS.global, perRoute: { limit: 5, windowMs: 500 } };

const apiError = (code: number, status: number) => new DiscordAPIError({ message: 'x', code }, code, status, 'POST', 'http://127.0.0.1/api/v10/channels/1/messages', { body: undefined, files: undefined });

const notice: Reply = {
  kind: 'incidents',
  language: 'fr',
  headline: '🔴 ENT Occitanie : panne majeure @everyone',
  status: 'major_outage',
  sections: [{ key: 'notice', title: 'Message officiel', text: 'L’ENT est inaccessible <@&42>.' }],
  source: { name: 'Région Occitanie', at: '2020-03-17T09:00:00.000Z' },
  time: '2020-03-17T09:00:00.000Z',
  actions: [],
  incidents: ['ent-occitanie'],
};

function delivery(channel: string, id: string): Delivery {
  return {
    id,
    noticeId: id.split('.')[0]!,
    noticeSeq: 1,
    subscriptionIds: ['s1'],
    platform: 'discord',
    workspace: 'g',
    channel,
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
  };
}

describe('Discord transport: error mapping', () => {
  test('GIVEN Discord refuses a channel, guild or message THEN the failure is permanent with a stable reason', () => {
    assert.deepEqual(mapDiscordError(apiError(10003, 404)), { ok: false, retry: false, reason: 'discord_10003_unknown_channel' });
    assert.equal(mapDiscordError(apiError(10004, 404)).reason, 'discord_10004_unknown_guild');
    assert.equal(mapDiscordError(apiError(10008, 404)).reason, 'discord_10008_unknown_message');
    assert.equal(mapDiscordError(apiError(50001, 403)).reason, 'discord_50001_missing_access');
    assert.equal(mapDiscordError(apiError(50013, 403)).retry, false);
  });

  test('GIVEN a rate limit error THEN it is a rate limit (no attempt spent), retried after its whole delay, known not to have landed', () => {
    const limited = new RateLimitError({ timeToReset: 30_000, limit: 5, method: 'POST', hash: 'h', url: 'u', route: '/channels/:id/messages', majorParameter: '1', global: false, retryAfter: 30_000, sublimitTimeout: 0, scope: 'user' });
    assert.deepEqual(mapDiscordError(limited), { ok: false, retry: true, rateLimited: true, uncertain: false, retryAfterMs: 30_000, reason: 'discord_rate_limited' });
  });

  test('GIVEN a 5xx, a timeout or a lost connection THEN it is retried and may have landed; a refused connection surely did not', () => {
    const e500 = mapDiscordError(new HTTPError(502, 'Bad Gateway', 'POST', 'u', { body: undefined, files: undefined }));
    assert.deepEqual(e500, { ok: false, retry: true, uncertain: true, reason: 'http_502' });
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    assert.equal(mapDiscordError(abort).reason, 'timeout');
    assert.equal(mapDiscordError(abort).uncertain, true);
    assert.deepEqual(mapDiscordError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })), { ok: false, retry: true, uncertain: true, reason: 'network_error' });
    assert.deepEqual(mapDiscordError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })), { ok: false, retry: true, uncertain: false, reason: 'network_error' });
  });

  test('GIVEN a 401 or an account-wide refusal THEN it is the bot’s fault (the platform pauses), not the channel’s; 50001/50013 stay the channel’s', () => {
    assert.deepEqual(mapDiscordError(apiError(0, 401)), { ok: false, retry: true, uncertain: false, botFault: 'platform', reason: 'discord_401_unauthorized' });
    assert.equal(mapDiscordError(apiError(40002, 403)).botFault, 'platform');
    assert.equal(mapDiscordError(apiError(40004, 403)).reason, 'discord_40004_sending_disabled');
    // An error's text decides nothing: a plain Error is a network error, whatever it says.
    assert.equal(mapDiscordError(new Error('Expected token to be set for this request, but none was present')).reason, 'network_error');
    for (const code of [50001, 50013]) {
      const refused = mapDiscordError(apiError(code, 403));
      assert.deepEqual([refused.retry, refused.botFault, refused.channelFault], [false, undefined, undefined]);
    }
  });

  test('GIVEN a delivery id THEN the nonce is it when short, a stable 25-character digest otherwise', () => {
    assert.equal(nonceOf('n0001-ab12.00001'), 'n0001-ab12.00001');
    const long = nonceOf('n000123456789-abcdef.0000012345');
    assert.equal(long.length, 25);
    assert.equal(nonceOf('n000123456789-abcdef.0000012345'), long);
    assert.notEqual(nonceOf('n000123456789-abcdef.0000012346'), long);
  });
});

describe('Discord transport against the fake Discord', () => {
  let fake: FakeDiscord;
  let channels: string[];
  let transport: DiscordTransport;
  before(async () => {
    const started = await startFakeDiscord({ guilds: 1, channelsPerGuild: 4, hangMs: 1_500, limits: FAST_LIMITS });
    fake = started.fake;
    channels = started.guilds[0]!.channels;
    fake.channelMessages.missingAccess.add(channels[2]!);
    fake.channelMessages.missingPermissions.add(channels[3]!);
    // No test here waits for a timeout: a long one, so a loaded machine's slow answer is no failure (1 s was not always enough).
    transport = createDiscordTransport({ templates: sharedTemplates(), token: FAKE_DISCORD_TOKEN, apiUrl: started.apiUrl, timeoutMs: 15_000 });
  });
  after(async () => {
    transport.destroy();
    await fake.close();
  });

  test('GIVEN a notice THEN it is posted as an embed that pings nobody, with the delivery id as nonce and enforce_nonce', async () => {
    const d = delivery(channels[0]!, 'n0001-ab12.00001');
    const sent = await transport.post(d, notice);
    assert.ok(sent.ok);
    const [stored] = fake.channelMessages.inChannel(channels[0]!);
    assert.equal(stored?.id, sent.ref);
    const body = stored!.body as { embeds: { title: string }[]; allowed_mentions: unknown; nonce: string; enforce_nonce: boolean };
    assert.match(body.embeds[0]!.title, /ENT Occitanie/);
    assert.doesNotMatch(JSON.stringify(body.embeds), /@everyone|<@&42>/);
    assert.deepEqual(body.allowed_mentions, { parse: [], replied_user: false });
    assert.equal(body.nonce, 'n0001-ab12.00001');
    assert.equal(body.enforce_nonce, true);
  });

  test('GIVEN the same delivery is sent again (its outcome was unknown) THEN Discord returns the same message and the channel has one', async () => {
    const d = delivery(channels[1]!, 'n0002-cd34.00001');
    const first = await transport.post(d, notice);
    const again = await transport.post(d, notice);
    assert.ok(first.ok && again.ok);
    assert.equal(again.ref, first.ref);
    assert.equal(fake.channelMessages.inChannel(channels[1]!).length, 1);
  });

  test('GIVEN a posted notice THEN its footer carries the delivery’s marker, invisible, and reconcile finds the message by it; an unsent delivery is not found', async () => {
    const d = delivery(channels[0]!, 'n0006-0a0a.00001');
    const sent = await transport.post(d, notice);
    assert.ok(sent.ok);
    const footer = (fake.channelMessages.messages.get(sent.ref)!.body as { embeds: { footer: { text: string } }[] }).embeds[0]!.footer.text;
    assert.equal(footer.replace(/[\u200b\u200c\u200d\u2060\u2063]/g, ''), renderEmbed(sharedTemplates(), notice).footer!.text, 'what people see is unchanged');
    assert.notEqual(footer, renderEmbed(sharedTemplates(), notice).footer!.text);
    assert.deepEqual(await transport.reconcile(d), { found: true, ref: sent.ref });
    assert.deepEqual(await transport.reconcile(delivery(channels[0]!, 'n0006-0a0a.00002')), { found: false });
  });

  test('GIVEN an update whose reply landed THEN reconcile finds the reply, not the first message it was edited into', async () => {
    const root = await transport.post(delivery(channels[0]!, 'n0009-0d0d.00001'), notice);
    assert.ok(root.ok);
    const update = { ...delivery(channels[0]!, 'n0010-0d0d.00001'), kind: 'update' as const, rootRef: root.ref, state: 'in_flight' as const };
    assert.deepEqual(await transport.edit(update, root.ref, { ...notice, headline: 'Retour progressif' }), { ok: true, ref: root.ref });
    assert.deepEqual(await transport.reconcile(update), { found: false }, 'the edit alone does not count as the reply');
    const reply = await transport.reply(update, root.ref, { ...notice, headline: 'Mise à jour' });
    assert.ok(reply.ok);
    assert.deepEqual(await transport.reconcile(update), { found: true, ref: reply.ref });
  });

  test('GIVEN 150 messages from people after the notice THEN reconcile still finds it (among the first messages since the delivery was created)', async () => {
    const d = { ...delivery(channels[1]!, 'n0007-0b0b.00001'), createdAt: new Date(fake.now()).toISOString() };
    const sent = await transport.post(d, notice);
    assert.ok(sent.ok);
    for (let i = 0; i < 150; i++) fake.postAsUser(channels[1]!, `message ${i}`);
    assert.deepEqual(await transport.reconcile(d), { found: true, ref: sent.ref });
    const reads = fake.requests.filter((r) => r.method === 'GET' && r.path === `/channels/${channels[1]}/messages`);
    assert.deepEqual(reads.slice(-2).map((r) => new URLSearchParams(r.query).has('after')), [false, true], 'the latest page, then the page after the delivery was created');
  });

  test('GIVEN a channel whose history the bot may not read THEN reconcile says not found (the nonce still guards a resend within its window)', async () => {
    const d = delivery(channels[3]!, 'n0008-0c0c.00001');
    assert.deepEqual(await transport.reconcile(d), { found: false });
  });

  test('GIVEN a reply and an edit THEN the reply references the root and the edit changes the root in place', async () => {
    const root = await transport.post(delivery(channels[0]!, 'n0003-ef56.00001'), notice);
    assert.ok(root.ok);
    const reply = await transport.reply(delivery(channels[0]!, 'n0004-ef56.00001'), root.ref, { ...notice, headline: 'Mise à jour : retour progressif' });
    assert.ok(reply.ok);
    assert.equal(fake.channelMessages.messages.get(reply.ref)?.replyTo, root.ref);
    const edited = await transport.edit(delivery(channels[0]!, 'n0004-ef56.00001'), root.ref, { ...notice, status: 'operational', headline: 'ENT : fonctionne normalement' });
    assert.deepEqual(edited, { ok: true, ref: root.ref });
    const stored = fake.channelMessages.messages.get(root.ref)!;
    assert.equal(stored.edits, 1);
    assert.match(JSON.stringify(stored.body), /fonctionne normalement/);
  });

  test('GIVEN more posts in one channel than its bucket allows THEN @discordjs/rest waits for the reset and Discord never answers 429', async () => {
    const before = fake.stats.rateLimited;
    const sends = Array.from({ length: 7 }, (_, i) => transport.post(delivery(channels[1]!, `n0010-aaaa.${String(i).padStart(5, '0')}`), notice));
    const results = await Promise.all(sends);
    assert.ok(results.every((r) => r.ok));
    assert.equal(fake.stats.rateLimited, before);
    assert.ok(transport.stats.rateLimitWaits > 0, 'the client queued on the bucket');
  });

  test('GIVEN channels that are gone or forbidden, and an edit of a deleted message THEN each fails permanently with its reason', async () => {
    const reason = async (p: Promise<{ ok: boolean; reason?: string }>) => ((r) => (r.ok ? 'ok' : r.reason))(await p);
    assert.equal(await reason(transport.post(delivery('110999999999999999', 'n0005-0000.00001'), notice)), 'discord_10003_unknown_channel');
    assert.equal(await reason(transport.post(delivery(channels[2]!, 'n0005-0000.00002'), notice)), 'discord_50001_missing_access');
    assert.equal(await reason(transport.post(delivery(channels[3]!, 'n0005-0000.00003'), notice)), 'discord_50013_missing_permissions');
    assert.equal(await reason(transport.edit(delivery(channels[0]!, 'n0005-0000.00004'), '110888888888888888', notice)), 'discord_10008_unknown_message');
  });
});

describe('Discord transport: rate limits, a refused token and shutdown', () => {
  let fake: FakeDiscord;
  let channels: string[];
  let clock: FixedClock;
  let transport: DiscordTransport;
  before(async () => {
    clock = new FixedClock(TEST_NOW);
    const started = await startFakeDiscord({ guilds: 1, channelsPerGuild: 3, limits: null, now: () => clock.now().getTime() });
    fake = started.fake;
    channels = started.guilds[0]!.channels;
    transport = createDiscordTransport({ templates: sharedTemplates(), token: FAKE_DISCORD_TOKEN, apiUrl: started.apiUrl, timeoutMs: 15_000, clock });
  });
  after(async () => {
    transport.destroy();
    await fake.close();
  });
  const posts = () => fake.requests.filter((r) => r.method === 'POST').length;

  test('GIVEN a channel route answers 429 with Retry-After: 45 s THEN the post comes back rate-limited for the whole 45 s, and that route sends nothing until then while others go on', async () => {
    fake.script({ kind: '429', retryAfterSec: 45, times: 1, channels: [channels[0]!] });
    const limited = await transport.post(delivery(channels[0]!, 'n0101-0000.00001'), notice);
    assert.deepEqual(limited, { ok: false, retry: true, rateLimited: true, uncertain: false, retryAfterMs: 45_050, reason: 'discord_rate_limited' });
    const before = posts();
    clock.advance(30_000);
    assert.deepEqual(await transport.post(delivery(channels[0]!, 'n0101-0000.00001'), notice), { ...limited, retryAfterMs: 15_050 }, 'the rest of the wait, without a request');
    assert.equal(posts(), before);
    assert.ok((await transport.post(delivery(channels[1]!, 'n0101-0000.00002'), notice)).ok, 'another channel is not held');
    clock.advance(15_050);
    assert.ok((await transport.post(delivery(channels[0]!, 'n0101-0000.00001'), notice)).ok);
  });

  test('GIVEN a global 429 with Retry-After: 10 min THEN every channel comes back rate-limited for the whole 10 minutes without a request, then sends again', async () => {
    fake.script({ kind: '429', global: true, retryAfterSec: 600, times: 1 });
    const limited = await transport.post(delivery(channels[0]!, 'n0102-0000.00001'), notice);
    assert.deepEqual(limited, { ok: false, retry: true, rateLimited: true, uncertain: false, retryAfterMs: 600_050, reason: 'discord_rate_limited_global' });
    const before = posts();
    clock.advance(599_000);
    for (const channel of channels) {
      const held = await transport.post(delivery(channel, `n0102-0000.0000${channel.slice(-1)}`), notice);
      assert.deepEqual(held.ok ? null : [held.rateLimited, held.retryAfterMs], [true, 1_050]);
    }
    assert.equal(posts(), before, 'nothing sent during the wait');
    clock.advance(1_050);
    assert.ok((await transport.post(delivery(channels[1]!, 'n0102-0000.00009'), notice)).ok);
  });

  test('GIVEN Discord answers 401 THEN the platform pauses (bot fault), nothing more is sent, and checkAuth gives the token back so sending resumes', async () => {
    fake.script({ kind: '401', times: 1 });
    const refused = await transport.post(delivery(channels[0]!, 'n0103-0000.00001'), notice);
    assert.deepEqual(refused, { ok: false, retry: true, uncertain: false, botFault: 'platform', reason: 'discord_401_unauthorized' });
    const before = fake.requests.length;
    const again = await transport.post(delivery(channels[1]!, 'n0103-0000.00002'), notice);
    assert.equal(again.ok ? null : again.botFault, 'platform');
    assert.equal(fake.requests.length, before, '@discordjs/rest dropped the token: nothing was sent');
    fake.script({ kind: '401', times: 1 });
    assert.equal(await transport.checkAuth(''), 'refused', 'still revoked');
    assert.equal(await transport.checkAuth(''), 'ok');
    assert.equal(fake.requests.at(-1)?.authorization, `Bot ${FAKE_DISCORD_TOKEN}`);
    assert.ok((await transport.post(delivery(channels[1]!, 'n0103-0000.00002'), notice)).ok);
  });

  test('GIVEN Discord refuses the bot’s account (403, code 40002) THEN it is a bot fault, not the channel’s', async () => {
    fake.script({ kind: '403', code: 40002, times: 1 });
    const refused = await transport.post(delivery(channels[2]!, 'n0104-0000.00001'), notice);
    assert.deepEqual(refused.ok ? null : [refused.botFault, refused.reason], ['platform', 'discord_40002_account_unverified']);
  });
});

describe('Discord transport: shutdown', () => {
  test('GIVEN posts waiting for a channel’s bucket WHEN the shutdown signal aborts THEN they end at once as certain, retryable failures and nothing is sent after it', async () => {
    // 2 messages per 1.5 s per channel: of 5 posts, 2 go and 3 wait for the bucket.
    const { fake, apiUrl, guilds } = await startFakeDiscord({ guilds: 1, channelsPerGuild: 1, limits: { global: DISCORD_LIMITS.global, perRoute: { limit: 2, windowMs: 1_500 } } });
    // A timeout far above the test's length: on a loaded machine the first two posts took over
    // a second and timed out (real time: @discordjs/rest's bucket waits cannot be injected).
    const transport = createDiscordTransport({ templates: sharedTemplates(), token: FAKE_DISCORD_TOKEN, apiUrl, timeoutMs: 15_000 });
    try {
      const channel = guilds[0]!.channels[0]!;
      const shutdown = new AbortController();
      const sends = Array.from({ length: 5 }, (_, i) => transport.post(delivery(channel, `n0201-0000.0000${i}`), notice, shutdown.signal));
      const sent = () => fake.requests.filter((r) => r.method === 'POST').length;
      while (sent() < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      const [first, second] = await Promise.all(sends.slice(0, 2));
      assert.ok(first?.ok && second?.ok);
      shutdown.abort();
      const stopped = await Promise.all(sends.slice(2));
      for (const r of stopped) assert.deepEqual(r, { ok: false, retry: true, uncertain: false, reason: 'shutdown' });
      assert.deepEqual(await transport.reconcile(delivery(channel, 'n0201-0000.00009'), shutdown.signal), { ok: false, retry: true, uncertain: false, reason: 'shutdown' });
      // Past the bucket's reset: the waits @discordjs/rest held are over, and still nothing went out.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      assert.equal(sent(), 2);
      assert.equal(fake.channelMessages.inChannel(channel).length, 2);
    } finally {
      transport.destroy();
      await fake.close();
    }
  });
});
