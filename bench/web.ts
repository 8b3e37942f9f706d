/**
 * `npm run bench:web`: the status page under a surge (issue 16, item 4). The server runs in a
 * child process as `npm start` runs it (bench/web-server.ts: the demo scenario, 2020-03-17 at
 * 10:00, in memory, on 127.0.0.1); autocannon loads it from this process over loopback.
 *
 * Addresses: `/`, `/` again with the ETag a phone already has (If-None-Match, 304), the
 * Gard's page, /api/v2/summary.json. First a warm-up of --warmup seconds (default 2) on each
 * (unmeasured: the JIT and the response cache), then for each another warm-up and --seconds
 * (default 10) of --connections (default 50) connections asking as fast as answers come, with
 * the headers a phone's browser sends (Accept-Encoding gzip/deflate/br, Accept-Language fr).
 * Reported: requests/s, latency p50 / p99 / max, responses other than 2xx (and the 304s asked
 * for), errors, and the server process's CPU per request (which moves far less with the
 * machine's load than the rate). Goals: ≥ 5,000 requests/s and p99 ≤ 50 ms. Also the bytes a first visit to `/`
 * transfers (headers and body as sent, compressed when the server compresses; the page, and
 * with its style sheets), goal ≤ 50 KB.
 *
 * Prints a table; asserts nothing.
 *
 *   node scripts/bench.mjs bench/web.ts [--seconds 10] [--connections 50] [--warmup 2] [--only TEXT]
 *
 * --only measures the addresses whose name contains TEXT (with VIGIE_BENCH_PROFILE=DIR, to
 * profile one address's work in the server's process).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values } = parseArgs({ options: { seconds: { type: 'string' }, connections: { type: 'string' }, warmup: { type: 'string' }, only: { type: 'string' } } });
const SECONDS = Number(values.seconds ?? 10);
const CONNECTIONS = Number(values.connections ?? 50);
const WARMUP = Number(values.warmup ?? 2);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const GOAL_RATE = 5_000;
const GOAL_P99_MS = 50;
const GOAL_HOME_BYTES = 50 * 1024;

/** What a phone's browser sends with every request. */
const BROWSER_HEADERS = {
  accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
  'accept-encoding': 'gzip, deflate, br',
  'accept-language': 'fr-FR,fr;q=0.9,en;q=0.5',
  'user-agent': 'Mozilla/5.0 (Linux; Android 10) vigie-bench',
};

/** The addresses measured: the home page, a place's page, the Statuspage summary. */
const ALL_TARGETS: { name: string; path: string; revalidate?: boolean }[] = [
  { name: '/ (home)', path: '/' },
  // A phone reloading the page it has: If-None-Match with the ETag it was given, answered 304.
  { name: '/ revalidated (304)', path: '/', revalidate: true },
  { name: 'place page (Gard)', path: '/lieu/departement/30' },
  { name: '/api/v2/summary.json', path: '/api/v2/summary.json' },
];
const TARGETS = ALL_TARGETS.filter((t) => values.only === undefined || t.name.includes(values.only));

interface Server {
  origin: string;
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

/** bench/web-server.ts in a child process, with `npm start`'s flags and the build's compilation (scripts/bench.mjs passes them). */
async function startServer(): Promise<Server> {
  const flags = process.env.VIGIE_BENCH_START_FLAGS;
  const register = process.env.VIGIE_BENCH_IMPORT;
  if (!flags || !register) throw new Error('run this bench through scripts/bench.mjs (npm run bench:web)');
  const child: ChildProcess = fork(fileURLToPath(new URL('./web-server.ts', import.meta.url)), [], {
    cwd: ROOT,
    // VIGIE_BENCH_PROFILE=DIR writes a V8 CPU profile of the server's process there.
    execArgv: [...(JSON.parse(flags) as string[]), ...(process.env.VIGIE_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.VIGIE_BENCH_PROFILE}`] : []), '--import', register],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  type Message = { ready?: boolean; origin?: string; cpu?: { userMs: number; systemMs: number }; error?: string };
  const next = () =>
    new Promise<Message>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the server's process exited (${String(code)})`));
      child.once('exit', onExit);
      child.once('message', (m: Message) => {
        child.off('exit', onExit);
        resolve(m);
      });
    });
  const ready = await next();
  if (!ready.ready || !ready.origin) throw new Error(`the server did not start: ${ready.error ?? 'no ready message'}`);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    origin: ready.origin,
    async cpuMs() {
      const reply = next();
      child.send({ cpu: true });
      const m = await reply;
      if (!m.cpu) throw new Error('no CPU figure from the server');
      return m.cpu.userMs + m.cpu.systemMs;
    },
    async stop() {
      if (child.exitCode === null && child.connected) child.send({ stop: true });
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** One GET as a browser makes it: status, header bytes and body bytes as sent (not decompressed). */
function fetchRaw(url: string, extra: Record<string, string> = {}): Promise<{ status: number; headerBytes: number; bodyBytes: number; body: Buffer; encoding: string | undefined; etag: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { headers: { ...BROWSER_HEADERS, ...extra } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        // The status line and the headers as they came (name: value CRLF), and the blank line.
        let headerBytes = `HTTP/1.1 ${res.statusCode ?? 0} ${res.statusMessage ?? ''}\r\n`.length + 2;
        for (let i = 0; i < res.rawHeaders.length; i += 2) headerBytes += Buffer.byteLength(`${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`);
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, headerBytes, bodyBytes: body.length, body, encoding: res.headers['content-encoding'], etag: res.headers.etag });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** The bytes a first visit to `/` transfers: the page, then the style sheets it links to. */
async function homeBytes(origin: string): Promise<{ page: number; pageBody: number; encoding: string; withStyles: number; styles: number }> {
  const page = await fetchRaw(`${origin}/`);
  if (page.status !== 200) throw new Error(`GET / answered ${page.status}`);
  const { gunzipSync, inflateSync, brotliDecompressSync } = await import('node:zlib');
  const decode = (body: Buffer, encoding: string | undefined) =>
    encoding === 'gzip' ? gunzipSync(body) : encoding === 'br' ? brotliDecompressSync(body) : encoding === 'deflate' ? inflateSync(body) : body;
  const decoded = decode(page.body, page.encoding);
  const text = decoded.toString('utf8');
  let styles = 0;
  for (const m of text.matchAll(/<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"/g)) {
    const sheet = await fetchRaw(new URL(m[1] ?? '', `${origin}/`).href);
    styles += sheet.headerBytes + sheet.bodyBytes;
  }
  const total = page.headerBytes + page.bodyBytes;
  return { page: total, pageBody: decoded.length, encoding: page.encoding ?? 'none', withStyles: total + styles, styles };
}

interface Row {
  name: string;
  rate: number;
  p50: number;
  p99: number;
  max: number;
  other: number;
  errors: number;
  cpuPerRequestUs: number;
}

async function load(server: Server, target: (typeof TARGETS)[number], options: { warmupOnly?: boolean } = {}): Promise<Row | null> {
  const url = `${server.origin}${target.path}`;
  const probe = await fetchRaw(url);
  if (probe.status !== 200) throw new Error(`GET ${target.path} answered ${probe.status}: the bench needs a page that exists`);
  let headers: Record<string, string> = BROWSER_HEADERS;
  if (target.revalidate) {
    if (!probe.etag) throw new Error(`GET ${target.path} gave no ETag`);
    headers = { ...BROWSER_HEADERS, 'if-none-match': probe.etag };
    const again = await fetchRaw(url, { 'if-none-match': probe.etag });
    if (again.status !== 304) throw new Error(`GET ${target.path} with its ETag answered ${again.status}, not 304`);
  }
  if (options.warmupOnly) {
    await autocannon({ url, connections: CONNECTIONS, duration: WARMUP, headers });
    return null;
  }
  await autocannon({ url, connections: CONNECTIONS, duration: Math.min(1, WARMUP), headers });
  const before = await server.cpuMs();
  const r = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers });
  const cpu = (await server.cpuMs()) - before;
  const answered = r['2xx'] + r['3xx'] + r['4xx'] + r['5xx'];
  return {
    name: target.name,
    rate: answered / r.duration,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    // Not counted as failures: 2xx, and the 304s asked for.
    other: answered - r['2xx'] - (target.revalidate ? Number(r.statusCodeStats['304']?.count ?? 0) : 0),
    errors: r.errors + r.timeouts,
    cpuPerRequestUs: answered > 0 ? (cpu * 1000) / answered : NaN,
  };
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const load0 = loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`Vigie bench — web (#16), node ${process.version}, ${cpus().length} cores, load average ${load0}, ${new Date().toISOString()}`);
console.log(`autocannon: ${CONNECTIONS} connections, ${SECONDS} s per address after ${WARMUP} s of warm-up on each and ${Math.min(1, WARMUP)} s more just before, browser headers (gzip accepted)`);
const server = await startServer();
try {
  const home = await homeBytes(server.origin);
  console.log(`\nGET / (first visit): ${kb(home.page)} transferred (headers and body, Content-Encoding ${home.encoding}; ${kb(home.pageBody)} of HTML once decoded); with its style sheet${home.styles ? '' : 's (none)'} ${kb(home.withStyles)} — goal ≤ ${kb(GOAL_HOME_BYTES)}: ${home.withStyles <= GOAL_HOME_BYTES ? 'met' : 'MISSED'}`);
  console.log('');
  console.log(`${'address'.padEnd(24)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)} ${'server CPU/req'.padStart(15)} ${'not 2xx'.padStart(8)} ${'errors'.padStart(7)}  goals (≥ ${GOAL_RATE} req/s, p99 ≤ ${GOAL_P99_MS} ms)`);
  for (const target of TARGETS) await load(server, target, { warmupOnly: true });
  for (const target of TARGETS) {
    const row = await load(server, target);
    if (!row) continue;
    const met = row.rate >= GOAL_RATE && row.p99 <= GOAL_P99_MS && row.other === 0 && row.errors === 0;
    console.log(
      `${row.name.padEnd(24)} ${Math.round(row.rate).toLocaleString('en-US').padStart(8)} ${String(row.p50).padStart(7)} ${String(row.p99).padStart(7)} ${String(row.max).padStart(7)} ${`${row.cpuPerRequestUs.toFixed(0)} us`.padStart(15)} ${String(row.other).padStart(8)} ${String(row.errors).padStart(7)}  ${met ? 'met' : 'MISSED'}`,
    );
  }
} finally {
  await server.stop();
}
console.log(`\nload average at the end ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
