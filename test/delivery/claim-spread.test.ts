/**
 * A fan-out's deliveries are due together. They are numbered, and claimed, with the
 * workspaces spread out (the first channel of each workspace, then the second of each...),
 * not in the order of the subscriptions (one workspace's channels after another's), so the
 * first claims reach every workspace. A dispatcher at its per-workspace cap for some
 * workspaces must still claim the others' (and the other platform's): its claims pass over the
 * workspaces and platforms it has no room for, so every workspace's tries start at once (each
 * workspace's pace is its own).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withStoreBot } from '../helpers/bot.js';
import { TEST_NOW } from '../helpers/clock.js';
import { describeStores } from '../helpers/stores.js';
import { admin, dispatcherOf, publisherOf, subscribeChannels } from './helpers.js';
import type { Delivery, DeliveryTransport, SendResult } from '../../src/delivery/index.js';
import type { Store } from '../../src/store/index.js';
import type { FixedClock } from '../../src/base/clock.js';

/** A platform that holds every post until released, and says who is waiting. */
function heldTransport(platform: 'slack' | 'discord'): DeliveryTransport & { waiting: Delivery[]; release: () => void } {
  const waiting: Delivery[] = [];
  const gates: (() => void)[] = [];
  const hold = (d: Delivery) =>
    new Promise<SendResult>((resolve) => {
      waiting.push(d);
      gates.push(() => resolve({ ok: true, ref: `m-${d.id}` }));
    });
  return {
    platform,
    waiting,
    release: () => gates.splice(0).forEach((open) => open()),
    post: hold,
    edit: hold,
    reply: hold,
    reconcile: async () => ({ found: false as const }),
  };
}

/**
 * Channels of each Slack team, then of each Discord guild, one workspace after another (a
 * second apart): targets, hence deliveries, would follow that order without the spreading.
 */
async function subscribeInTurn(store: Store, clock: FixedClock, w: { teams: string[]; perTeam: number; guilds: string[]; perGuild: number }): Promise<void> {
  for (const [platform, workspaces, count] of [['slack', w.teams, w.perTeam], ['discord', w.guilds, w.perGuild]] as const) {
    for (const workspace of workspaces) {
      await subscribeChannels(store, count, { platform, workspace, prefix: `${workspace}C` });
      clock.advance(1_000);
    }
  }
}

async function until(check: () => boolean, turns = 300): Promise<void> {
  for (let i = 0; i < turns && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
}

describeStores('claims spread over workspaces', (kind) => {
  test('GIVEN a notice to 4 Slack workspaces of 5 channels and 2 Discord guilds of 3, subscribed one workspace after another THEN claims of 6 rows, with no caps, take a channel of every workspace and guild, then another of each, and so on, each channel once', () =>
    withStoreBot(async (bot, clock, runtime) => {
      await subscribeInTurn(runtime.store, clock, { teams: ['T1', 'T2', 'T3', 'T4'], perTeam: 5, guilds: ['G1', 'G2'], perGuild: 3 });
      const published = await publisherOf(bot).publish({ services: ['ent'], places: 'Occitanie', text: { fr: 'Avis.' } }, admin, 'fr');
      assert.ok(published.ok);
      assert.equal(published.targets.total, 26);
      const claims: Delivery[][] = [];
      for (;;) {
        const claimed = await runtime.store.outbox.claim({ owner: 'host:1:a', now: clock.now(), leaseMs: 60_000, limit: 6, platforms: ['slack', 'discord'] });
        if (claimed.length === 0) break;
        claims.push(claimed);
      }
      assert.deepEqual(
        claims.map((c) => c.map((d) => d.workspace)),
        [
          ['T1', 'T2', 'T3', 'T4', 'G1', 'G2'],
          ['T1', 'T2', 'T3', 'T4', 'G1', 'G2'],
          ['T1', 'T2', 'T3', 'T4', 'G1', 'G2'],
          ['T1', 'T2', 'T3', 'T4', 'T1', 'T2'],
          ['T3', 'T4'],
        ],
      );
      assert.equal(new Set(claims.flat().map((d) => `${d.workspace}/${d.channel}`)).size, 26);
    }, TEST_NOW, kind));

  test('GIVEN a notice to 3 Slack workspaces and 2 Discord guilds of 30 channels (the first claim of 48 rows sees only the first two workspaces), at most 2 tries per workspace and 6 per platform THEN the first tries go to every workspace and guild, 2 each', () =>
    withStoreBot(async (bot, clock, runtime) => {
      await subscribeInTurn(runtime.store, clock, { teams: ['T1', 'T2', 'T3'], perTeam: 30, guilds: ['G1', 'G2'], perGuild: 30 });
      const published = await publisherOf(bot).publish({ services: ['ent'], places: 'Occitanie', text: { fr: 'Avis.' } }, admin, 'fr');
      assert.ok(published.ok);
      assert.equal(published.targets.total, 150);
      const slack = heldTransport('slack');
      const discord = heldTransport('discord');
      const dispatcher = dispatcherOf(bot, [slack, discord], { perWorkspace: 2, perPlatform: 6 });
      dispatcher.start();
      try {
        await until(() => slack.waiting.length + discord.waiting.length >= 10);
        const count = (list: Delivery[]) => Object.fromEntries(['T1', 'T2', 'T3', 'G1', 'G2'].map((w) => [w, list.filter((d) => d.workspace === w).length]).filter(([, n]) => n !== 0));
        assert.deepEqual(count(slack.waiting), { T1: 2, T2: 2, T3: 2 });
        assert.deepEqual(count(discord.waiting), { G1: 2, G2: 2 });
      } finally {
        slack.release();
        discord.release();
        await dispatcher.stop();
        slack.release();
        discord.release();
      }
    }, TEST_NOW, kind));
});
