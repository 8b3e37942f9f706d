/**
 * Fan-out bench: one notice to 2,000 subscribed channels — 1,000 "discord" channels across
 * 100 guilds and 1,000 "slack" channels across 10 workspaces — on two generic fake platforms
 * enforcing the modelled limits (test/fakes/generic/buckets.ts):
 *   Slack   1 msg/s per channel; per workspace a burst of 50 then 50/min
 *   Discord 50 req/s global (burst 50); 5 req / 5 s per channel route
 * Every refill rate is multiplied by --scale (default 5) so the bench runs in seconds; the
 * lower bound is computed from the same scaled limits, so the ratio is unaffected.
 * Prints the time to deliver, the lower bound, their ratio, 429s, duplicates and losses.
 *
 *   node scripts/bench.mjs bench/fanout-generic.ts [--scale 5] [--faults 0]
 * (the model of the dispatcher alone; `npm run bench:fanout` runs the real transports).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FixedClock } from '../src/base/clock.js';
import { createRuntime } from '../src/runtime.js';
import { Dispatcher } from '../src/delivery/index.js';
import { GenericFakePlatform } from '../test/fakes/generic/server.js';
import { GenericTransport } from '../test/fakes/generic/transport.js';
import { platformLimits, withMargin, type PlatformLimits } from '../test/fakes/generic/buckets.js';

const { values } = parseArgs({ options: { scale: { type: 'string' }, faults: { type: 'string' } } });
const scale = Number(values.scale ?? 5);
const faultRate = Number(values.faults ?? 0);
const PLACE = { kind: 'region', code: '76', name: 'Occitanie' } as const;
const layout = { discord: { workspaces: 100, perWorkspace: 10 }, slack: { workspaces: 10, perWorkspace: 100 } } as const;

/** The shortest time the limits allow for `perWorkspace` messages in each of `workspaces`, one per channel. */
function lowerBoundMs(limits: PlatformLimits, workspaces: number, perWorkspace: number): number {
  const bound = (n: number, b: { capacity: number; perSecond: number } | undefined) => (b && n > b.capacity ? ((n - b.capacity) / b.perSecond) * 1000 : 0);
  return Math.max(bound(workspaces * perWorkspace, limits.global), bound(perWorkspace, limits.perWorkspace), bound(1, limits.perChannel));
}

const dir = mkdtempSync(join(tmpdir(), 'vigie-fanout-'));
const clock = new FixedClock(new Date('2020-03-17T09:00:00Z'));
const runtime = await createRuntime({ storeUrl: `sqlite://${join(dir, 'vigie.sqlite')}`, clock });
const fakes: GenericFakePlatform[] = [];
try {
  for (const platform of ['discord', 'slack'] as const) {
    const { workspaces, perWorkspace } = layout[platform];
    for (let w = 1; w <= workspaces; w++) {
      for (let c = 1; c <= perWorkspace; c++) {
        await runtime.store.subscriptions.add({ platform, workspace: `${platform[0]!.toUpperCase()}${w}`, channel: `C${c}`, service: 'ent', place: PLACE, createdBy: 'bench' });
      }
    }
  }
  const transports: GenericTransport[] = [];
  const bounds: Record<string, number> = {};
  for (const platform of ['discord', 'slack'] as const) {
    const limits = platformLimits(platform, scale);
    const fake = new GenericFakePlatform({ limits, ...(faultRate > 0 ? { faults: { rate: faultRate, seed: 42 }, hangMs: 3000 } : {}) });
    fakes.push(fake);
    // The client paces itself just under the limits (1% slower, one token of each burst in
    // reserve against jitter), as a rate-limit-aware SDK would.
    transports.push(new GenericTransport({ platform, baseUrl: await fake.start(), timeoutMs: 2000, limits: withMargin(limits, 0.99, 1) }));
    bounds[platform] = lowerBoundMs(limits, layout[platform].workspaces, layout[platform].perWorkspace);
  }

  const t0 = performance.now();
  const published = await runtime.bot.publishNotice({ services: ['ent'], places: 'Occitanie', status: 'major_outage', text: { fr: "L'ENT est inaccessible ce matin.", en: 'The ENT is down this morning.' } }, { platform: 'cli', user: 'bench' }, 'fr');
  if (!published.ok) throw new Error(published.errors.join('; '));
  const publishMs = performance.now() - t0;

  const dispatcher = new Dispatcher({ store: runtime.store, clock, templates: runtime.bot.templates, transports });
  const t1 = performance.now();
  const summary = await dispatcher.drain();
  const deliverMs = performance.now() - t1;

  const deliveries = await runtime.store.outbox.listDeliveries(published.notice.id);
  let duplicates = 0;
  let losses = 0;
  for (const d of deliveries) {
    const fake = fakes[d.platform === 'discord' ? 0 : 1]!;
    const n = fake.channel(d.workspace, d.channel).filter((m) => m.key === d.id).length;
    if (n === 0) losses++;
    if (n > 1) duplicates += n - 1;
  }
  const bound = Math.max(...Object.values(bounds));
  const r429 = transports.reduce((n, t) => n + t.stats.received429, 0);
  const out = {
    channels: deliveries.length,
    scale,
    faultRate,
    publishMs: Math.round(publishMs),
    deliverMs: Math.round(deliverMs),
    lowerBoundMs: Math.round(bound),
    lowerBoundByPlatformMs: Object.fromEntries(Object.entries(bounds).map(([k, v]) => [k, Math.round(v)])),
    ratio: Number((deliverMs / bound).toFixed(3)),
    received429: r429,
    delivered: summary.delivered,
    failed: summary.failed,
    duplicates,
    losses,
  };
  console.log(`fan-out: ${out.channels} channels (1000 discord / 100 guilds, 1000 slack / 10 workspaces), limits ×${scale}`);
  console.log(`  outbox written in ${out.publishMs} ms (before "published")`);
  console.log(`  delivered to all in ${out.deliverMs} ms; lower bound ${out.lowerBoundMs} ms (slack ${out.lowerBoundByPlatformMs.slack} ms, discord ${out.lowerBoundByPlatformMs.discord} ms); ratio ${out.ratio}`);
  console.log(`  429s received ${out.received429} (${transports.map((t) => `${t.platform} ${t.stats.received429}`).join(', ')}); delivered ${out.delivered}, failed ${out.failed}; duplicates ${out.duplicates}, losses ${out.losses}`);
  console.log(JSON.stringify(out));
  if (duplicates > 0 || losses > 0) process.exitCode = 1;
} finally {
  for (const fake of fakes) await fake.stop();
  await runtime.close();
  rmSync(dir, { recursive: true, force: true });
}
