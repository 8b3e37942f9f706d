/**
 * Exactly once across crashes with the real transports: the dispatcher runs as a child process
 * over Slack (message metadata, reconciled with conversations.history) and Discord (nonce +
 * enforce_nonce) fakes injecting 10 % faults, and is killed with SIGKILL at random points.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { withStoreBot } from '../helpers/bot.js';
import { seededRandom } from '../../src/base/prng.js';
import { startFakeSlack } from '../fakes/slack/web-api.js';
import { startFakeDiscord } from '../fakes/discord/fake-discord.js';
import { runWorker, workerNow } from './crash-harness.js';
import { admin, publisherOf } from './helpers.js';

const WORKER = fileURLToPath(new URL('./crash-platforms-worker.ts', import.meta.url));
const ROUNDS = 12;
const TEAMS = ['T0000001', 'T0000002'];


test('GIVEN 200 Slack and Discord channels, 10% faults and a dispatcher killed with SIGKILL 12 times THEN each channel has exactly one message per notice: 0 duplicates, 0 losses', { timeout: 400_000 }, () =>
  withStoreBot(async (bot, clock, runtime) => {
    const storePath = runtime.store.description.replace(/^sqlite:\/\//, '');
    const slack = await startFakeSlack({ workspaces: TEAMS, limits: null, faults: { rate: 0.1, seed: 2020 }, hangMs: 400 });
    const discord = await startFakeDiscord({ guilds: 2, channelsPerGuild: 50, limits: null, faults: { rate: 0.1, seed: 2021 }, hangMs: 400 });
    const place = { kind: 'region', code: '76', name: 'Occitanie' } as const;
    try {
      for (const team of TEAMS) {
        for (let c = 1; c <= 50; c++) await runtime.store.subscriptions.add({ platform: 'slack', workspace: team, channel: `C${String(c).padStart(8, '0')}`, service: 'ent', place, createdBy: 'test' });
      }
      for (const guild of discord.guilds) {
        for (const channel of guild.channels) await runtime.store.subscriptions.add({ platform: 'discord', workspace: guild.id, channel, service: 'ent', place, createdBy: 'test' });
      }
      const publisher = publisherOf(bot);
      const opened = await publisher.publish({ services: ['ent'], places: 'Occitanie', status: 'major_outage', text: { fr: 'ENT inaccessible.' }, incident: { action: 'open' } }, admin, 'fr');
      assert.ok(opened.ok);
      assert.equal(opened.targets.total, 200);
      const random = seededRandom(31);
      const args = (seed: number) => [storePath, slack.url, discord.apiUrl, String(seed)];
      let interrupted = 0;
      for (let round = 1; round <= ROUNDS; round++) {
        if (round === 7) {
          clock.set(workerNow());
          const updated = await publisher.publish({ status: 'partial_outage', text: { fr: 'Retour progressif.' }, incident: { action: 'update', id: opened.notice.incident!.id } }, admin, 'fr');
          assert.ok(updated.ok);
        }
        const run = await runWorker(WORKER, args(round), Math.floor(20 + random() * 600));
        if (run.killed && !run.finished) interrupted++;
      }
      const last = await runWorker(WORKER, args(99), null);
      assert.ok(last.finished);
      assert.ok(interrupted >= 6, `at least half the kills interrupted work in progress (${interrupted})`);

      const deliveries = await runtime.store.outbox.listDeliveries();
      assert.equal(deliveries.length, 400);
      assert.deepEqual(deliveries.filter((d) => d.state !== 'delivered').map((d) => `${d.id} ${d.state} ${d.lastError}`), []);
      const onSlack = slack.conversations.byDelivery();
      const onDiscord = discord.fake.channelMessages.byNonceCount();
      const count = (d: (typeof deliveries)[number]) => (d.platform === 'slack' ? onSlack.get(d.id)?.length : onDiscord.get(d.id)?.length) ?? 0;
      assert.deepEqual(
        { duplicates: deliveries.filter((d) => count(d) > 1).length, losses: deliveries.filter((d) => count(d) === 0).length },
        { duplicates: 0, losses: 0 },
      );
      assert.ok(slack.stats.injectedTimeouts + discord.fake.stats.injectedTimeouts > 0, 'timeouts were injected');
    } finally {
      await slack.close();
      await discord.fake.close();
    }
  }),
);
