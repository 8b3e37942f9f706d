/**
 * Discord delivery through faults, one test per Discord row of issue 10's table: the real
 * Dispatcher, the real Discord transport (@discordjs/rest) and a real SQLite store against the
 * fake Discord, whose scripted faults, nonce window and message ids follow the same virtual
 * clock as the dispatcher and the transport (hours pass in milliseconds). Messages are
 * counted on the fake's side.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bot, Runtime } from '../../../src/index.js';
import type { FixedClock } from '../../../src/base/clock.js';
import { Dispatcher, type DispatcherOptions } from '../../../src/delivery/index.js';
import { createDiscordTransport, nonceOf, type DiscordTransport } from '../../../adapters/discord/transport.js';
import { FAKE_DISCORD_TOKEN, startFakeDiscord, type FakeDiscord, type FakeDiscordOptions, type FakeGuild } from '../../fakes/discord/fake-discord.js';
import { seededRandom } from '../../../src/base/prng.js';
import { withStoreBot } from '../../helpers/bot.js';
import { settledTimer, watchedStore } from '../../helpers/virtual-time.js';
import { sharedTemplates } from '../../helpers/templates.js';

const admin = { platform: 'discord', workspace: '110000000000000999', user: '110000000000000998', name: 'Rectorat de Toulouse' } as const;
const OCCITANIE = { kind: 'region', code: '76', name: 'Occitanie' } as const;
const NOTICE = { services: ['ent'], places: 'Occitanie', status: 'major_outage', text: { fr: 'L’ENT est inaccessible.', en: 'The ENT is down.' } };

interface Ctx {
  bot: Bot;
  runtime: Runtime;
  clock: FixedClock;
  fake: FakeDiscord;
  channels: string[];
  subscriptions: string[];
  /** A dispatcher with a fresh transport (a restarted process), on the virtual clock. */
  start(options?: Partial<DispatcherOptions>): { dispatcher: Dispatcher; transport: DiscordTransport };
}

async function withDiscord(layout: { guilds: number; channelsPerGuild: number } & FakeDiscordOptions, fn: (ctx: Ctx) => Promise<void>): Promise<void> {
  await withStoreBot(async (bot, clock, runtime) => {
    // The fake's rate limiter runs on real time like @discordjs/rest: off here, limits are scripted.
    const { fake, apiUrl, guilds } = await startFakeDiscord({ hangMs: 1_500, limits: null, now: () => clock.now().getTime(), ...layout });
    const transports: DiscordTransport[] = [];
    const subscriptions = await subscribeAll(runtime, guilds);
    const start = (options: Partial<DispatcherOptions> = {}) => {
      const transport = createDiscordTransport({ templates: sharedTemplates(), token: FAKE_DISCORD_TOKEN, apiUrl, timeoutMs: 1_000, clock });
      transports.push(transport);
      // One process: publications and finished tries wake it, so the poll only bounds idle waits.
      const tuning = { pollMs: 60_000, ...options };
      // Time jumps once the dispatcher's store calls and the requests to the fake are done.
      const timer = settledTimer(clock);
      const dispatcher = new Dispatcher({ store: watchedStore(runtime.store, timer), clock, timer, templates: bot.templates, transports: [transport], random: seededRandom(7), options: tuning });
      return { dispatcher, transport };
    };
    try {
      await fn({ bot, runtime, clock, fake, channels: guilds.flatMap((g) => g.channels), subscriptions, start });
    } finally {
      for (const t of transports) t.destroy();
      await fake.close();
    }
  });
}

async function subscribeAll(runtime: Runtime, guilds: FakeGuild[]): Promise<string[]> {
  const ids: string[] = [];
  for (const g of guilds) {
    for (const channel of g.channels) {
      const { subscription } = await runtime.store.subscriptions.add({ platform: 'discord', workspace: g.id, channel, service: 'ent', place: OCCITANIE, createdBy: 'test' });
      ids.push(subscription.id);
    }
  }
  return ids;
}

/** Messages per delivery on the fake's side: every channel must show exactly one. */
function copies(fake: FakeDiscord, deliveryIds: string[]): { duplicates: number; losses: number } {
  const byNonce = fake.channelMessages.byNonceCount();
  const counts = deliveryIds.map((id) => byNonce.get(nonceOf(id))?.length ?? 0);
  return { duplicates: counts.filter((n) => n > 1).length, losses: counts.filter((n) => n === 0).length };
}

async function publish(bot: Bot, expected: number) {
  const published = await bot.publishNotice(NOTICE, admin, 'fr');
  assert.ok(published.ok);
  assert.equal(published.targets.total, expected);
  return published.notice;
}

describe('Discord delivery through faults (virtual time)', () => {
  test('GIVEN Discord answers 401 once THEN delivery pauses, the transport gets its token back and every channel is served without a restart; no subscription is blamed', { timeout: 60_000 }, () =>
    withDiscord({ guilds: 2, channelsPerGuild: 3 }, async ({ bot, runtime, fake, subscriptions, start }) => {
      fake.script({ kind: '401', times: 1 });
      const notice = await publish(bot, 6);
      const { dispatcher } = start();
      assert.deepEqual(await dispatcher.drain(), { delivered: 6, failed: 0 });
      assert.equal(fake.stats.scripted, 1, 'one 401');
      const check = fake.requests.find((r) => r.method === 'GET' && r.path === '/users/@me');
      assert.equal(check?.authorization, `Bot ${FAKE_DISCORD_TOKEN}`, 'checkAuth sent the token again');
      const deliveries = await runtime.store.outbox.listDeliveries(notice.id);
      assert.deepEqual(copies(fake, deliveries.map((d) => d.id)), { duplicates: 0, losses: 0 });
      assert.deepEqual(await runtime.store.pauses.list(), [], 'the pause was lifted');
      for (const id of subscriptions) {
        const sub = await runtime.store.subscriptions.get(id);
        assert.deepEqual([sub?.active, sub?.failures], [true, 0]);
      }
    }));

  test('GIVEN the bot dies mid fan-out with its 16 messages posted but unrecorded, and stays down longer than the nonce window THEN after the restart each channel still has exactly one message', { timeout: 60_000 }, () =>
    withDiscord({ guilds: 2, channelsPerGuild: 8, nonceWindowMs: 5 * 60_000 }, async ({ bot, runtime, clock, fake, start }) => {
      // Each first post lands, but its answer is lost (500 after storing); then Discord stays down.
      fake.script({ kind: '500', methods: ['POST'], storeEvery: 1 });
      fake.script({ kind: '500' });
      const notice = await publish(bot, 16);
      const first = start();
      first.dispatcher.start();
      while (fake.channelMessages.messages.size < 16) await new Promise((resolve) => setTimeout(resolve, 10));
      await first.dispatcher.stop();
      const left = await runtime.store.outbox.listDeliveries(notice.id);
      assert.deepEqual(new Set(left.map((d) => d.state)), new Set(['in_flight']), 'every delivery left in flight');
      assert.equal(fake.channelMessages.messages.size, 16);

      // Down for 20 minutes: Discord forgets the nonces. Then it answers again, and the bot restarts.
      clock.advance(20 * 60_000);
      fake.scripted.clear();
      const second = start();
      assert.deepEqual(await second.dispatcher.drain(), { delivered: 16, failed: 0 });
      const deliveries = await runtime.store.outbox.listDeliveries(notice.id);
      assert.deepEqual(copies(fake, deliveries.map((d) => d.id)), { duplicates: 0, losses: 0 });
      assert.equal(fake.channelMessages.messages.size, 16);
      for (const d of deliveries) assert.equal(fake.channelMessages.messages.get(d.messageRef!)?.channelId, d.channel, 'the recorded message is the one in the channel');
    }));

  test('GIVEN a 90-s outage (500s, a third of them after storing the message) longer than a 60-s nonce window THEN all 20 channels get the notice exactly once', { timeout: 60_000 }, () =>
    withDiscord({ guilds: 2, channelsPerGuild: 10, nonceWindowMs: 60_000 }, async ({ bot, runtime, clock, fake, start }) => {
      const from = clock.now().getTime();
      fake.script({ kind: '500', forMs: 90_000, storeEvery: 3 });
      const notice = await publish(bot, 20);
      // Short polls: virtual time moves by at most a second while a request is on the wire.
      const { dispatcher } = start({ pollMs: 1_000 });
      assert.deepEqual(await dispatcher.drain(), { delivered: 20, failed: 0 });
      const deliveries = await runtime.store.outbox.listDeliveries(notice.id);
      assert.deepEqual(copies(fake, deliveries.map((d) => d.id)), { duplicates: 0, losses: 0 });
      assert.equal(fake.channelMessages.messages.size, 20);
      assert.ok(fake.stats.storedThen500 > 0, 'some 500s came after the message was stored');
      const last = Math.max(...deliveries.map((d) => Date.parse(d.deliveredAt!)));
      assert.ok(last >= from + 90_000, 'delivered after the outage');
    }));

  for (const [label, fault, waitMs] of [
    ['a channel route answers 429 with Retry-After: 45 s', { kind: '429', retryAfterSec: 45, times: 1 }, 45_000],
    ['Discord answers a global 429 with Retry-After: 10 min', { kind: '429', global: true, retryAfterSec: 600, times: 1 }, 600_000],
  ] as const) {
    test(`GIVEN ${label} THEN nothing is sent until it is over, then every channel is served; no attempt is spent on the wait`, { timeout: 60_000 }, () =>
      withDiscord({ guilds: 1, channelsPerGuild: 3 }, async ({ bot, runtime, fake, channels, start }) => {
        const target = 'global' in fault ? undefined : [channels[0]!];
        fake.script({ ...fault, ...(target ? { channels: target } : {}) });
        const notice = await publish(bot, 3);
        // One try at a time: a request already on the wire when the 429 comes back cannot be recalled.
        const { dispatcher } = start({ perWorkspace: 1 });
        assert.deepEqual(await dispatcher.drain(), { delivered: 3, failed: 0 });
        const limited = fake.requests.find((r) => r.status === 429)!;
        const posts = fake.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/channels/'));
        // The limited route (every route, for a global limit) is not tried again before the end.
        const blocked = posts.filter((r) => r !== limited && (!target || r.path.includes(target[0]!)));
        assert.ok(blocked.length > 0);
        for (const r of blocked) assert.ok(r.at <= limited.at || r.at >= limited.at + waitMs, `a request ${r.at - limited.at} ms after the 429`);
        const deliveries = await runtime.store.outbox.listDeliveries(notice.id);
        assert.deepEqual(deliveries.map((d) => d.attempts), [1, 1, 1], 'the wait cost no attempt');
        assert.deepEqual(copies(fake, deliveries.map((d) => d.id)), { duplicates: 0, losses: 0 });
      }));
  }
});
