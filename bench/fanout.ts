/**
 * `npm run bench:fanout`: one official notice to 2,000 subscribed channels — 1,000 Discord
 * channels across 100 guilds and 1,000 Slack channels across 10 workspaces — through the real
 * dispatcher and the real Slack and Discord transports, against the local fakes of both
 * platforms enforcing their documented limits:
 *   Slack   (test/fakes/slack/limits.ts)      chat.postMessage 1/s per channel; per workspace a
 *                                             burst of 50 then 50/min
 *   Discord (test/fakes/discord/rate-limits.ts) 50 requests/s per bot; 5 per 5 s per channel route
 * Prints the time to deliver to all, the lower bound the limits imply, their ratio (aim
 * ≤ 1.10), the 429s received, duplicates and losses (both must be 0), counted on the fakes.
 *
 *   npm run bench:fanout [-- --slack-scale 1] [--faults 0]
 * --slack-scale multiplies Slack's refill rates (1 = the real limits: the bound is 60 s).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FixedClock } from '../src/base/clock.js';
import { createRuntime } from '../src/runtime.js';
import { Dispatcher } from '../src/delivery/index.js';
import { createSlackTransport } from '../adapters/slack/index.js';
import { createDiscordTransport } from '../adapters/discord/index.js';
import { startFakeSlack, tokenOf } from '../test/fakes/slack/web-api.js';
import { slackLimits } from '../test/fakes/slack/limits.js';
import { startFakeDiscord, FAKE_DISCORD_TOKEN } from '../test/fakes/discord/fake-discord.js';
import { DISCORD_LIMITS } from '../test/fakes/discord/rate-limits.js';
import { withMargin } from '../test/fakes/generic/buckets.js';

const { values } = parseArgs({ options: { 'slack-scale': { type: 'string' }, faults: { type: 'string' } } });
const slackScale = Number(values['slack-scale'] ?? 1);
const faultRate = Number(values.faults ?? 0);
const SLACK = { workspaces: 10, perWorkspace: 100 };
const DISCORD = { guilds: 100, perGuild: 10 };
const PLACE = { kind: 'region', code: '76', name: 'Occitanie' } as const;

// Lower bounds from the limits: Slack's per-workspace bucket (burst, then refill) and
// Discord's global window (the first window's requests go at once, then one window per 50).
const slackPost = slackLimits(slackScale).post;
const slackBoundMs = (() => {
  const b = slackPost.perWorkspace;
  return b && SLACK.perWorkspace > b.capacity ? ((SLACK.perWorkspace - b.capacity) / b.perSecond) * 1000 : 0;
})();
const discordTotal = DISCORD.guilds * DISCORD.perGuild;
const discordBoundMs = Math.max(0, Math.ceil(discordTotal / DISCORD_LIMITS.global.limit) - 1) * DISCORD_LIMITS.global.windowMs;
const boundMs = Math.max(slackBoundMs, discordBoundMs);

const dir = mkdtempSync(join(tmpdir(), 'vigie-fanout-'));
const clock = new FixedClock(new Date('2020-03-17T09:00:00Z'));
const runtime = await createRuntime({ storeUrl: `sqlite://${join(dir, 'vigie.sqlite')}`, clock });
const teams = Array.from({ length: SLACK.workspaces }, (_, i) => `T${String(i + 1).padStart(8, '0')}`);
const faults = faultRate > 0 ? { faults: { rate: faultRate, seed: 42 } } : {};
const slack = await startFakeSlack({ workspaces: teams, scale: slackScale, ...faults });
const discord = await startFakeDiscord({ guilds: DISCORD.guilds, channelsPerGuild: DISCORD.perGuild, ...faults });
const discordTransport = createDiscordTransport({ templates: runtime.bot.templates, token: FAKE_DISCORD_TOKEN, apiUrl: discord.apiUrl, timeoutMs: 2000, globalRequestsPerSecond: 49 });
try {
  for (const team of teams) {
    for (let c = 1; c <= SLACK.perWorkspace; c++) {
      await runtime.store.subscriptions.add({ platform: 'slack', workspace: team, channel: `C${String(c).padStart(9, '0')}`, service: 'ent', place: PLACE, createdBy: 'bench' });
    }
  }
  for (const guild of discord.guilds) {
    for (const channel of guild.channels) {
      await runtime.store.subscriptions.add({ platform: 'discord', workspace: guild.id, channel, service: 'ent', place: PLACE, createdBy: 'bench' });
    }
  }
  const slackTransport = createSlackTransport({
    templates: runtime.bot.templates,
    config: { botToken: tokenOf(teams[0]!), apiUrl: slack.url },
    tokenFor: tokenOf,
    timeoutMs: 2000,
    // Paced just under the documented limits, one token of each burst kept against jitter.
    pacing: withMargin(slackPost, 0.99, 2),
  });

  const t0 = performance.now();
  const published = await runtime.bot.publishNotice(
    { services: ['ent'], places: 'Occitanie', status: 'major_outage', text: { fr: "L'ENT est inaccessible ce matin.", en: 'The ENT is down this morning.' } },
    { platform: 'cli', user: 'bench' },
    'fr',
  );
  if (!published.ok) throw new Error(published.errors.join('; '));
  const publishMs = performance.now() - t0;

  const dispatcher = new Dispatcher({ store: runtime.store, clock, templates: runtime.bot.templates, transports: [slackTransport, discordTransport] });
  const t1 = performance.now();
  const summary = await dispatcher.drain();
  const deliverMs = performance.now() - t1;

  const deliveries = await runtime.store.outbox.listDeliveries(published.notice.id);
  const slackMessages = slack.conversations.byDelivery();
  const discordMessages = discord.fake.channelMessages.byNonceCount();
  let duplicates = 0;
  let losses = 0;
  for (const d of deliveries) {
    const n = d.platform === 'slack' ? (slackMessages.get(d.id)?.length ?? 0) : (discordMessages.get(d.id)?.length ?? 0);
    if (n === 0) losses++;
    if (n > 1) duplicates += n - 1;
  }
  const rows: [string, string][] = [
    ['channels', `${deliveries.length} (Slack ${SLACK.workspaces}×${SLACK.perWorkspace}, Discord ${DISCORD.guilds}×${DISCORD.perGuild})`],
    ['outbox written (publish)', `${(publishMs / 1000).toFixed(2)} s`],
    ['delivered to all', `${(deliverMs / 1000).toFixed(2)} s (delivered ${summary.delivered}, failed ${summary.failed})`],
    ['lower bound from the limits', `${(boundMs / 1000).toFixed(2)} s (Slack ${(slackBoundMs / 1000).toFixed(1)} s, Discord ${(discordBoundMs / 1000).toFixed(1)} s)`],
    ['ratio (aim ≤ 1.10)', boundMs > 0 ? (deliverMs / boundMs).toFixed(3) : 'n/a'],
    ['429s received', `Slack ${slack.stats.rateLimited + slack.stats.injected429}, Discord ${discord.fake.stats.rateLimited + discord.fake.stats.injected429}`],
    ['duplicates', String(duplicates)],
    ['losses', String(losses)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log(`Vigie fan-out bench — real transports on the platform fakes, Slack scale ${slackScale}, faults ${faultRate}`);
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  process.exitCode = duplicates === 0 && losses === 0 ? 0 : 1;
} finally {
  discordTransport.destroy();
  await runtime.close();
  await slack.close();
  await discord.fake.close();
  rmSync(dir, { recursive: true, force: true });
}
