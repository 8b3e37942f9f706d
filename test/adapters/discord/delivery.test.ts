/**
 * Official notices to Discord channels through the real Dispatcher, the real Discord
 * transport (@discordjs/rest) and a real SQLite store, against the fake Discord enforcing
 * its rate limits and injecting seeded faults. Messages are counted on the fake's side.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Bot, Runtime } from '../../../src/index.js';
import { Dispatcher } from '../../../src/delivery/index.js';
import { createDiscordTransport, nonceOf, type DiscordTransport } from '../../../adapters/discord/transport.js';
import { FAKE_DISCORD_TOKEN, startFakeDiscord, type FakeDiscordOptions, type FakeGuild } from '../../fakes/discord/fake-discord.js';
import type { FakeDiscord } from '../../fakes/discord/fake-discord.js';
import { seededRandom } from '../../../src/base/prng.js';
import { withStoreBot } from '../../helpers/bot.js';
import { VirtualTimer } from '../../helpers/virtual-time.js';
import { sharedTemplates } from '../../helpers/templates.js';

const admin = { platform: 'discord', workspace: '110000000000000999', user: '110000000000000998', name: 'Rectorat de Toulouse' } as const;
const OCCITANIE = { kind: 'region', code: '76', name: 'Occitanie' } as const;

async function subscribeAll(runtime: Runtime, guilds: FakeGuild[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const g of guilds) {
    for (const channel of g.channels) {
      const { subscription } = await runtime.store.subscriptions.add({ platform: 'discord', workspace: g.id, channel, service: 'ent', place: OCCITANIE, createdBy: 'test' });
      ids.set(channel, subscription.id);
    }
  }
  return ids;
}

async function withDiscord(
  layout: { guilds: number; channelsPerGuild: number } & FakeDiscordOptions,
  fn: (ctx: { bot: Bot; runtime: Runtime; fake: FakeDiscord; guilds: FakeGuild[]; dispatcher: Dispatcher; transport: DiscordTransport; advance: (ms: number) => void }) => Promise<void>,
): Promise<void> {
  await withStoreBot(async (bot, clock, runtime) => {
    const { fake, apiUrl, guilds } = await startFakeDiscord({ hangMs: 1_500, ...layout });
    // A short timeout so the fake's hung requests cost little.
    const transport = createDiscordTransport({ templates: sharedTemplates(), token: FAKE_DISCORD_TOKEN, apiUrl, timeoutMs: 1_000 });
    const dispatcher = new Dispatcher({
      store: runtime.store,
      clock,
      timer: new VirtualTimer(clock),
      templates: bot.templates,
      transports: [transport],
      random: seededRandom(7),
      options: { backoff: { baseMs: 10, maxMs: 200 } },
    });
    try {
      await fn({ bot, runtime, fake, guilds, dispatcher, transport, advance: (ms) => clock.advance(ms) });
    } finally {
      transport.destroy();
      await fake.close();
    }
  });
}

describe('Discord delivery of official notices', () => {
  test('GIVEN 60 channels in 6 servers and 10% faults (429, 500, timeouts that sometimes store) WHEN an incident is opened, updated, resolved THEN each channel has one message edited to resolved and two replies to it', () =>
    withDiscord({ guilds: 6, channelsPerGuild: 10, faults: { rate: 0.1, seed: 3 } }, async ({ bot, runtime, fake, guilds, dispatcher, advance }) => {
      await subscribeAll(runtime, guilds);
      const opened = await bot.publishNotice(
        { services: ['ent'], places: 'Haute-Garonne', status: 'major_outage', text: { fr: 'L’ENT est inaccessible @everyone.', en: 'The ENT is down.' }, incident: { action: 'open' } },
        admin,
        'fr',
      );
      assert.ok(opened.ok);
      assert.deepEqual(opened.targets.byPlatform, { discord: 60 });
      assert.deepEqual(await dispatcher.drain(), { delivered: 60, failed: 0 });
      const id = opened.notice.incident!.id;
      advance(3600_000);
      const updated = await bot.publishNotice({ status: 'partial_outage', phase: 'monitoring', text: { fr: 'Retour progressif.' }, incident: { action: 'update', id } }, admin, 'fr');
      assert.ok(updated.ok);
      assert.deepEqual(await dispatcher.drain(), { delivered: 60, failed: 0 });
      advance(3600_000);
      const resolved = await bot.publishNotice({ text: { fr: 'Service rétabli.', en: 'Service restored.' }, incident: { action: 'resolve', id } }, admin, 'fr');
      assert.ok(resolved.ok);
      assert.deepEqual(await dispatcher.drain(), { delivered: 60, failed: 0 });

      const outbox = runtime.store.outbox;
      const openings = new Map((await outbox.listDeliveries(opened.notice.id)).map((d) => [d.channel, d]));
      for (const channel of guilds.flatMap((g) => g.channels)) {
        const messages = fake.channelMessages.inChannel(channel);
        const roots = messages.filter((m) => m.replyTo === null);
        assert.equal(roots.length, 1, `${channel} has one root message`);
        const root = roots[0]!;
        assert.equal(root.nonce, nonceOf(openings.get(channel)!.id), 'the root is the opening notice');
        const rootText = JSON.stringify(root.body.embeds);
        assert.match(rootText, /— rétabli à \d{1,2} h/, 'the root reads as resolved');
        assert.match(rootText, /Service rétabli/);
        const replies = messages.filter((m) => m.replyTo !== null);
        assert.deepEqual(replies.map((r) => r.replyTo), [root.id, root.id]);
        assert.match(JSON.stringify(replies[0]!.body.embeds), /Retour progressif/);
        assert.match(JSON.stringify(replies[1]!.body.embeds), /— rétabli à \d{1,2} h/);
        for (const m of messages) assert.deepEqual(m.body.allowed_mentions, { parse: [], replied_user: false });
      }
      assert.equal(fake.channelMessages.messages.size, 60 * 3);
      for (const [nonce, list] of fake.channelMessages.byNonceCount()) assert.equal(list.length, 1, `nonce ${nonce} posted ${list.length} times`);
      // The nasty case happened and was absorbed: found by its marker before any resend, or
      // answered with the existing message by the nonce (which one depends on timing).
      assert.ok(fake.stats.storedThenHung > 0, 'some messages were stored, then their answer lost');
      assert.ok(fake.stats.storedThenHung > 0 && fake.stats.injected429 > 0 && fake.stats.injected500 > 0, JSON.stringify(fake.stats));
    }));

  test('GIVEN a deleted channel, one without access and one without permission THEN they fail with Discord’s reason, and after 3 notices their subscriptions are inactive', () =>
    withDiscord({ guilds: 1, channelsPerGuild: 5 }, async ({ bot, runtime, fake, guilds, dispatcher, advance }) => {
      const channels = guilds[0]!.channels;
      const subs = await subscribeAll(runtime, guilds);
      fake.channelMessages.unknown.add(channels[1]!);
      fake.channelMessages.missingAccess.add(channels[2]!);
      fake.channelMessages.missingPermissions.add(channels[3]!);
      const notice = { services: ['ent'], places: 'Occitanie', text: { fr: 'Travaillez hors ligne aujourd’hui.' } };
      for (let round = 1; round <= 3; round++) {
        const published = await bot.publishNotice(notice, admin, 'fr');
        assert.ok(published.ok);
        assert.equal(published.targets.total, 5);
        assert.deepEqual(await dispatcher.drain(), { delivered: 2, failed: 3 });
        const progress = await bot.noticeProgress(published.notice.id);
        assert.deepEqual(
          progress?.failures.map((f) => [f.channel, f.reason]).sort(),
          [
            [channels[1], 'discord_10003_unknown_channel'],
            [channels[2], 'discord_50001_missing_access'],
            [channels[3], 'discord_50013_missing_permissions'],
          ].sort(),
        );
        const gone = await runtime.store.subscriptions.get(subs.get(channels[1]!)!);
        assert.equal(gone?.failures, round);
        assert.equal(gone?.active, round < 3);
        advance(60_000);
      }
      assert.equal((await runtime.store.subscriptions.get(subs.get(channels[0]!)!))?.failures, 0);
      const fourth = await bot.publishNotice(notice, admin, 'fr');
      assert.ok(fourth.ok);
      assert.equal(fourth.targets.total, 2, 'inactive subscriptions are no longer targeted');
      assert.equal(fake.channelMessages.inChannel(channels[0]!).length, 3);
    }));
});
