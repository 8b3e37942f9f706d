/**
 * `npm run bench:instances`: several instances (bench/instance-worker.ts: the dispatcher of
 * `npm start` with the real Slack and Discord transports, limits shared through the
 * database, LISTEN/NOTIFY) on one PostgreSQL database, against the platform fakes enforcing
 * their documented limits (see bench/fanout.ts):
 *   1. one notice to 2,000 channels (1,000 Slack in 10 workspaces, 1,000 Discord in 100
 *      guilds): time to deliver to all ÷ the lower bound the limits imply (aim ≤ 1.05), 429s;
 *   2. rounds of a notice to 400 channels with a random instance SIGKILLed mid-fan-out (and
 *      started again, as a supervisor would): duplicates and losses counted at the fakes.
 * PostgreSQL unreachable: says so in one line and exits 0.
 *
 *   npm run bench:instances [-- --instances 3] [--rounds 20] [--slack-scale 1] [--kill-slack-scale 10]
 *     [--margin-factor 1] [--margin-reserve 1]   (how far under the fakes' Slack limits the instances pace: MARGIN)
 * VIGIE_BENCH_PG_URL picks the database (default postgres://root@127.0.0.1:5432/test); the
 * bench works in its own schema and drops it. `runInstancesBench` is exported for bench:store.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { sql } from 'kysely';
import { systemClock } from '../src/base/clock.js';
import { createRuntime, type Runtime } from '../src/runtime.js';
import { startFakeSlack, type FakeSlackApi } from '../test/fakes/slack/web-api.js';
import { slackLimits } from '../test/fakes/slack/limits.js';
import { startFakeDiscord } from '../test/fakes/discord/fake-discord.js';
import { DISCORD_LIMITS } from '../test/fakes/discord/rate-limits.js';
import { seededRandom } from '../src/base/prng.js';

const WORKER = fileURLToPath(new URL('./instance-worker.ts', import.meta.url));
/**
 * How far under the fakes' limits the instances pace themselves (bench/instance-worker.ts):
 * one token of each Slack burst left unused, refills at the full rate (`--margin-factor`,
 * `--margin-reserve` to try others). The shared bucket counts from the first reservation, the
 * platform's from the first request's arrival: when that first request is slower than the
 * later ones (a new connection), a later one arrives early. At no margin that is one 429 per
 * workspace (10 a fan-out, measured), whose slot is lost: the same 61.2 s as keeping the token.
 * A slower refill buys nothing: both clocks run at the same rate, and a request leaves no
 * earlier than its slot (README, "Running at scale").
 */
export const MARGIN = { factor: 1, reserve: 1 };
const PLACE = { kind: 'region', code: '76', name: 'Occitanie' } as const;

/** What to run. */
export interface InstancesBenchOptions {
  pgUrl?: string;
  instances?: number;
  /** Kill rounds (default 20). */
  rounds?: number;
  /** Slack refill speed-up for the 2,000-channel fan-out (1 = the real limits: the bound is 60 s). */
  slackScale?: number;
  /** Slack refill speed-up for the kill rounds (default 10, so 20 rounds take minutes, not a quarter hour). */
  killSlackScale?: number;
  /** How far under the fakes' limits the instances pace themselves (default MARGIN). */
  margin?: { factor: number; reserve: number };
  log?: (line: string) => void;
}

/** What it measured. */
export interface InstancesBenchResult {
  skipped: string | null;
  fanout?: {
    channels: number;
    ms: number;
    boundMs: number;
    ratio: number;
    rateLimited: { slack: number; discord: number };
    duplicates: number;
    losses: number;
    byPlatform: string;
    margin: { factor: number; reserve: number };
    /** Where the time went: publishing (outbox written), Slack's least time under the instances' pacing, each platform's last delivery after the start, deliveries tried more than once. */
    breakdown: { publishMs: number; slackPacedMs: number; lastMs: Record<string, number>; retried: Record<string, number>; slackFirst: [number, number]; slackSpan: [number, number] };
  };
  kills?: { rounds: number; channelsPerRound: number; interrupted: number; heldAtKill: number; duplicates: number; losses: number; byPlatform: string; ms: number };
}

type Worker = { child: ChildProcessByStdio<null, Readable, Readable>; exited: Promise<void> };
type Fakes = Awaited<ReturnType<typeof startFakes>>;

async function startFakes(slackScale: number, slackPerWorkspace: number, discordPerGuild: number, margin: { factor: number; reserve: number }) {
  const teams = Array.from({ length: 10 }, (_, i) => `T${String(i + 1).padStart(8, '0')}`);
  const slack = await startFakeSlack({ workspaces: teams, scale: slackScale });
  const discord = await startFakeDiscord({ guilds: 100, channelsPerGuild: discordPerGuild });
  const bound = (() => {
    const b = slackLimits(slackScale).post.perWorkspace;
    const slackMs = b && slackPerWorkspace > b.capacity ? ((slackPerWorkspace - b.capacity) / b.perSecond) * 1000 : 0;
    const discordMs = Math.max(0, Math.ceil((100 * discordPerGuild) / DISCORD_LIMITS.global.limit) - 1) * DISCORD_LIMITS.global.windowMs;
    return Math.max(slackMs, discordMs);
  })();
  // The least time the instances' own pacing allows Slack (the margin below the limits).
  const pacedMs = (() => {
    const b = slackLimits(slackScale).post.perWorkspace;
    if (!b) return 0;
    const capacity = Math.max(1, b.capacity - margin.reserve);
    return slackPerWorkspace > capacity ? ((slackPerWorkspace - capacity) / (b.perSecond * margin.factor)) * 1000 : 0;
  })();
  return { teams, slack, discord, slackScale, slackPerWorkspace, boundMs: bound, pacedMs, margin };
}

async function subscribe(runtime: Runtime, fakes: Fakes, service: string, prefix: string): Promise<number> {
  let n = 0;
  for (const team of fakes.teams) {
    for (let c = 1; c <= fakes.slackPerWorkspace; c++, n++) {
      await runtime.store.subscriptions.add({ platform: 'slack', workspace: team, channel: `${prefix}${String(c).padStart(8, '0')}`, service, place: PLACE, createdBy: 'bench' });
    }
  }
  for (const guild of fakes.discord.guilds) {
    for (const channel of guild.channels) {
      await runtime.store.subscriptions.add({ platform: 'discord', workspace: guild.id, channel, service, place: PLACE, createdBy: 'bench' });
      n++;
    }
  }
  return n;
}

function startWorker(url: string, fakes: Fakes): Promise<Worker> {
  const child = spawn(process.execPath, ['--import', 'tsx', WORKER, url, fakes.slack.url, fakes.discord.apiUrl, String(fakes.slackScale), String(fakes.margin.factor), String(fakes.margin.reserve)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => c.toString().includes('ready') && resolve({ child, exited }));
    void exited.then(() => reject(new Error(`an instance exited before it was ready: ${err.slice(-500)}`)));
  });
}

/** Counts, at the fakes, messages per delivery of `noticeIds`. */
async function countAtFakes(runtime: Runtime, fakes: Fakes, noticeIds: string[]): Promise<{ duplicates: number; losses: number; byPlatform: string }> {
  const slack = fakes.slack.conversations.byDelivery();
  const discord = fakes.discord.fake.channelMessages.byNonceCount();
  let duplicates = 0;
  let losses = 0;
  const per: Record<string, number> = { slack: 0, discord: 0 };
  for (const id of noticeIds) {
    for (const d of await runtime.store.outbox.listDeliveries(id)) {
      const n = d.platform === 'slack' ? (slack.get(d.id)?.length ?? 0) : (discord.get(d.id)?.length ?? 0);
      if (n === 0) losses++;
      if (n > 1) duplicates += n - 1;
      if (n !== 1) per[d.platform] = (per[d.platform] ?? 0) + 1;
    }
  }
  return { duplicates, losses, byPlatform: `Slack ${per.slack}, Discord ${per.discord}` };
}

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return check();
}

/** A notice's deliveries by state, counted in SQL (cheap: the fakes share this process's CPU). */
async function states(runtime: Runtime, noticeId: string): Promise<{ delivered: number; unfinished: number }> {
  const { rows } = await sql<{ delivered: number; unfinished: number }>`
    select count(*) filter (where state = 'delivered')::int as delivered, count(*) filter (where state in ('pending', 'in_flight'))::int as unfinished
    from deliveries where notice_id = ${noticeId}`.execute(runtime.store.db.kysely);
  return rows[0]!;
}

/** Runs the bench on a fresh schema of `pgUrl`; `skipped` says why when PostgreSQL does not answer. */
export async function runInstancesBench(options: InstancesBenchOptions = {}): Promise<InstancesBenchResult> {
  const base = options.pgUrl ?? process.env.VIGIE_BENCH_PG_URL ?? 'postgres://root@127.0.0.1:5432/test';
  const log = options.log ?? (() => undefined);
  const count = options.instances ?? 3;
  const schema = `bench_instances_${process.pid}`;
  const admin = new pg.Client({ connectionString: base, connectionTimeoutMillis: 3_000 });
  try {
    await admin.connect();
    await admin.query(`drop schema if exists "${schema}" cascade`);
  } catch (error) {
    await admin.end().catch(() => undefined);
    return { skipped: `PostgreSQL does not answer (${error instanceof Error ? error.message : String(error)})` };
  }
  const url = new URL(base);
  url.searchParams.set('schema', schema);
  const runtime = await createRuntime({ storeUrl: url.toString(), clock: systemClock });
  const workers: Worker[] = [];
  const stopAll = async () => {
    for (const w of workers.splice(0)) {
      w.child.kill('SIGTERM');
      await Promise.race([w.exited, new Promise((r) => setTimeout(r, 15_000))]);
      if (w.child.exitCode === null) w.child.kill('SIGKILL');
    }
  };
  const result: InstancesBenchResult = { skipped: null };
  try {
    // 1. One notice to 2,000 channels.
    const margin = options.margin ?? MARGIN;
    const big = await startFakes(options.slackScale ?? 1, 100, 10, margin);
    try {
      const channels = await subscribe(runtime, big, 'ent', 'C');
      for (let i = 0; i < count; i++) workers.push(await startWorker(url.toString(), big));
      log(`fan-out: ${channels} channels, ${count} instances, Slack scale ${big.slackScale}…`);
      const t0 = performance.now();
      const wallStart = Date.now();
      const published = await runtime.bot.publishNotice({ services: ['ent'], places: 'Occitanie', status: 'major_outage', text: { fr: "L'ENT est inaccessible ce matin.", en: 'The ENT is down this morning.' } }, { platform: 'cli', user: 'bench' }, 'fr');
      if (!published.ok) throw new Error(published.errors.join('; '));
      const publishMs = performance.now() - t0;
      await until(async () => (await states(runtime, published.notice.id)).unfinished === 0, 30 * 60_000);
      const ms = performance.now() - t0;
      const counted = await countAtFakes(runtime, big, [published.notice.id]);
      // Each platform's last delivery (the instances' clocks, this machine's), from the start.
      // Tries beyond the first (a timeout, a fault; a 429 or a shutdown gives its try back).
      const { rows: lasts } = await sql<{ platform: string; last: string; retried: number }>`
        select platform, max(delivered_at) as last, count(*) filter (where attempts > 1)::int as retried
        from deliveries where notice_id = ${published.notice.id} group by platform`.execute(runtime.store.db.kysely);
      const lastMs = Object.fromEntries(lasts.map((r) => [r.platform, Date.parse(r.last) - wallStart]));
      const retried = Object.fromEntries(lasts.map((r) => [r.platform, r.retried]));
      // Per Slack workspace: when its first message went (its burst) and how long it took from there.
      const { rows: spans } = await sql<{ first: string; last: string }>`
        select min(delivered_at) as first, max(delivered_at) as last from deliveries
        where notice_id = ${published.notice.id} and platform = 'slack' group by workspace`.execute(runtime.store.db.kysely);
      const slackStarts = spans.map((r) => Date.parse(r.first) - wallStart);
      const slackSpans = spans.map((r) => Date.parse(r.last) - Date.parse(r.first));
      result.fanout = {
        channels,
        ms,
        boundMs: big.boundMs,
        ratio: ms / big.boundMs,
        rateLimited: { slack: big.slack.stats.rateLimited + big.slack.stats.injected429, discord: big.discord.fake.stats.rateLimited + big.discord.fake.stats.injected429 },
        ...counted,
        margin,
        breakdown: { publishMs, slackPacedMs: big.pacedMs, lastMs, retried, slackFirst: [Math.min(...slackStarts), Math.max(...slackStarts)], slackSpan: [Math.min(...slackSpans), Math.max(...slackSpans)] },
      };
      await stopAll();
    } finally {
      await stopAll();
      await big.slack.close();
      await big.discord.fake.close();
    }

    // 2. Kill rounds: 400 channels a round, a random instance SIGKILLed mid-fan-out.
    const rounds = options.rounds ?? 20;
    const small = await startFakes(options.killSlackScale ?? 10, 20, 2, margin);
    try {
      const channels = await subscribe(runtime, small, 'cned', 'K');
      for (let i = 0; i < count; i++) workers.push(await startWorker(url.toString(), small));
      const random = seededRandom(20201);
      const notices: string[] = [];
      let interrupted = 0;
      let heldAtKill = 0;
      const t0 = performance.now();
      for (let round = 1; round <= rounds; round++) {
        const published = await runtime.bot.publishNotice({ services: ['cned'], places: 'Occitanie', text: { fr: `Avis ${round}.` } }, { platform: 'cli', user: 'bench' }, 'fr');
        if (!published.ok) throw new Error(published.errors.join('; '));
        notices.push(published.notice.id);
        const at = Math.floor(channels * (0.1 + random() * 0.6));
        await until(async () => (await states(runtime, published.notice.id)).delivered >= at, 120_000);
        const index = Math.floor(random() * workers.length);
        const victim = workers[index]!;
        victim.child.kill('SIGKILL');
        await victim.exited;
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from deliveries where lease_owner like ${`%:${victim.child.pid}:%`}`.execute(runtime.store.db.kysely);
        heldAtKill += rows[0]!.n;
        if (rows[0]!.n > 0) interrupted++;
        workers[index] = await startWorker(url.toString(), small);
        await until(async () => (await states(runtime, published.notice.id)).unfinished === 0, 300_000);
        log(`round ${round}/${rounds}: killed at ${at}/${channels} holding ${rows[0]!.n}`);
      }
      const ms = performance.now() - t0;
      result.kills = { rounds, channelsPerRound: channels, interrupted, heldAtKill, ms, ...(await countAtFakes(runtime, small, notices)) };
    } finally {
      await stopAll();
      await small.slack.close();
      await small.discord.fake.close();
    }
  } finally {
    await runtime.close();
    await admin.query(`drop schema if exists "${schema}" cascade`).catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
  return result;
}

/** The figures as lines. */
export function formatInstancesBench(r: InstancesBenchResult): string[] {
  if (r.skipped) return [`PostgreSQL instances bench: skipped — ${r.skipped}`];
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const out = ['Vigie instances bench — instances on one PostgreSQL store, real transports on the platform fakes'];
  if (r.fanout) {
    const f = r.fanout;
    out.push(
      `  fan-out to ${f.channels} channels        ${s(f.ms)}; lower bound ${s(f.boundMs)}; ratio ${f.ratio.toFixed(3)} (aim ≤ 1.05)`,
      `  where the time went              publish (outbox written) ${s(f.breakdown.publishMs)}; Slack's least time at the instances' pacing (${f.margin.reserve} tokens and ${+((1 - f.margin.factor) * 100).toFixed(2)} % under the limits) ${s(f.breakdown.slackPacedMs)}, ratio ${(f.breakdown.slackPacedMs / f.boundMs).toFixed(3)}; last delivery ${Object.entries(f.breakdown.lastMs).map(([p, v]) => `${p} ${s(v)}`).join(', ')}; deliveries tried more than once ${Object.entries(f.breakdown.retried).map(([p, v]) => `${p} ${v}`).join(', ')}`,
      `  Slack workspaces                 first message ${s(f.breakdown.slackFirst[0])} to ${s(f.breakdown.slackFirst[1])} after the start; first to last message ${s(f.breakdown.slackSpan[0])} to ${s(f.breakdown.slackSpan[1])}`,
      `  429s received                    Slack ${f.rateLimited.slack}, Discord ${f.rateLimited.discord}`,
      `  duplicates / losses              ${f.duplicates} / ${f.losses} (channels off by platform: ${f.byPlatform})`,
    );
  }
  if (r.kills) {
    const k = r.kills;
    out.push(
      `  SIGKILL rounds                   ${k.rounds} × ${k.channelsPerRound} channels in ${s(k.ms)}; ${k.interrupted} kills interrupted work (${k.heldAtKill} deliveries held)`,
      `  duplicates / losses              ${k.duplicates} / ${k.losses} (aim 0 / 0; channels off by platform: ${k.byPlatform})`,
    );
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { instances: { type: 'string' }, rounds: { type: 'string' }, 'slack-scale': { type: 'string' }, 'kill-slack-scale': { type: 'string' }, 'margin-factor': { type: 'string' }, 'margin-reserve': { type: 'string' } } });
  const result = await runInstancesBench({
    ...(values.instances ? { instances: Number(values.instances) } : {}),
    ...(values.rounds ? { rounds: Number(values.rounds) } : {}),
    ...(values['slack-scale'] ? { slackScale: Number(values['slack-scale']) } : {}),
    ...(values['kill-slack-scale'] ? { killSlackScale: Number(values['kill-slack-scale']) } : {}),
    ...(values['margin-factor'] || values['margin-reserve'] ? { margin: { factor: Number(values['margin-factor'] ?? MARGIN.factor), reserve: Number(values['margin-reserve'] ?? MARGIN.reserve) } } : {}),
    log: (line) => process.stderr.write(`${line}\n`),
  });
  for (const line of formatInstancesBench(result)) console.log(line);
  const bad = (result.fanout && result.fanout.duplicates + result.fanout.losses > 0) || (result.kills && result.kills.duplicates + result.kills.losses > 0);
  process.exitCode = bad ? 1 : 0;
}
