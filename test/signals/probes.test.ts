/**
 * Probes (#15): the state machine, checks against local HTTP servers on 127.0.0.1 (healthy,
 * 503, slow, hanging, dropping the connection, refusing it, then recovering), the schedule in
 * virtual time, and VIGIE_PROBES off by default. Nothing here reaches another machine.
 *
 * Latencies are read on a stopwatch the test holds: the "slow" server moves it on before it
 * answers, so slowness never depends on how loaded the machine is. The only real time is the
 * hard timeout of a request to a server that never answers (it guards a real socket).
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FixedClock } from '../../src/base/clock.js';
import { ConfigError, ContentError } from '../../src/base/errors.js';
import { parseEnv } from '../../src/config/env.js';
import {
  checkProbe,
  MAX_REDIRECTS,
  Prober,
  ProbeStateMachine,
  probesFromEnv,
  type CheckResult,
  type ProbeDefinition,
  type ProbeState,
} from '../../src/signals/probes.js';
import type { ProbeReading } from '../../src/signals/types.js';
import { TEST_NOW } from '../helpers/clock.js';
import { VirtualTimer } from '../helpers/virtual-time.js';
import { sharedReference } from '../helpers/reference.js';

const MINUTE = 60_000;

// --- Local sites ---------------------------------------------------------------------------

type Behaviour = 'healthy' | 'unavailable' | 'slow' | 'hang' | 'wrong-page';

/** The stopwatch probes read latencies on (milliseconds). */
const stopwatch = { ms: 0, now: () => stopwatch.ms };

/** A local HTTP server whose behaviour the test changes as it goes. */
class Site {
  behaviour: Behaviour = 'healthy';
  /** When each request came, on the clock given (or 0). */
  readonly requests: number[] = [];
  /** Called on each request (tests waiting for one). */
  onRequest: () => void = () => undefined;
  private server: Server | null = null;
  port = 0;

  constructor(
    private readonly clock?: FixedClock,
    private readonly routes: Record<string, (res: ServerResponse) => void> = {},
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}/`;
  }

  /** Listens (again, on the same port once it had one). */
  async start(): Promise<this> {
    const server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Stops listening and drops every connection: the port then refuses connections. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.requests.push(this.clock?.now().getTime() ?? 0);
    this.onRequest();
    const route = this.routes[req.url ?? '/'];
    if (route) return route(res);
    switch (this.behaviour) {
      case 'healthy':
        res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Bienvenue</h1>');
        return;
      case 'unavailable':
        res.writeHead(503, { 'content-type': 'text/html' }).end('Service Unavailable');
        return;
      case 'wrong-page':
        res.writeHead(404).end('Not found');
        return;
      case 'slow':
        // Five seconds pass on the probe's stopwatch before the answer.
        stopwatch.ms += 5_000;
        res.writeHead(200).end('<h1>Enfin</h1>');
        return;
      case 'hang':
        return;
    }
  }
}

const sites: Site[] = [];
async function site(clock?: FixedClock, routes?: Record<string, (res: ServerResponse) => void>): Promise<Site> {
  const s = await new Site(clock, routes).start();
  sites.push(s);
  return s;
}
after(() => Promise.all(sites.map((s) => s.stop())));

function probe(url: string, overrides: Partial<ProbeDefinition> = {}): ProbeDefinition {
  return {
    id: 'ent-occitanie',
    service: 'ent',
    brand: 'ENT Occitanie',
    url,
    expectedStatus: 200,
    timeoutMs: 10_000,
    slowMs: 3_000,
    intervalMs: MINUTE,
    places: [{ kind: 'region', code: '76' }],
    ...overrides,
  };
}

const check = (p: ProbeDefinition) => checkProbe(p, { monotonic: stopwatch.now });

/** The kind and, for a failure, the reason: what the state machine and people are told. */
function outcome(result: CheckResult | null): string {
  if (result === null) return 'none';
  return result.kind === 'fail' ? `fail:${result.reason}` : result.kind;
}

// --- The state machine ---------------------------------------------------------------------

describe('probe state machine', () => {
  const at = (minutes: number) => new Date(TEST_NOW.getTime() + minutes * MINUTE);
  /** Feeds results one a minute from minute 1; returns the state after each. */
  function feed(machine: ProbeStateMachine, results: CheckResult['kind'][], from = 1): ProbeState[] {
    return results.map((kind, i) => {
      machine.record(kind, at(from + i));
      return machine.state;
    });
  }

  test('GIVEN no or one check THEN the state is unknown, since watching began; two good checks make it up, since the first', () => {
    const machine = new ProbeStateMachine(at(0));
    assert.equal(machine.state, 'unknown');
    assert.deepEqual(machine.since, at(0));
    assert.deepEqual(feed(machine, ['ok', 'ok']), ['unknown', 'up']);
    assert.deepEqual(machine.since, at(1));
  });

  test('GIVEN three failures in a row THEN down, since the first of the three; two failures are not enough', () => {
    const machine = new ProbeStateMachine(at(0));
    assert.deepEqual(feed(machine, ['ok', 'ok', 'fail', 'fail', 'ok', 'fail', 'fail', 'fail']), ['unknown', 'up', 'up', 'up', 'up', 'up', 'up', 'down']);
    assert.deepEqual(machine.since, at(6), 'down since the first of the three failures');
    assert.deepEqual(feed(machine, ['ok', 'ok'], 9), ['down', 'up']);
    assert.deepEqual(machine.since, at(9));
  });

  test('GIVEN three slow answers in a row THEN slow, and two good answers make it up again', () => {
    const machine = new ProbeStateMachine(at(0));
    assert.deepEqual(feed(machine, ['ok', 'ok', 'slow', 'slow', 'slow', 'ok', 'ok']), ['unknown', 'up', 'up', 'up', 'slow', 'slow', 'up']);
    assert.deepEqual(machine.since, at(6));
  });

  test('GIVEN results alternating good and bad THEN the state never changes (no flapping), whatever it was', () => {
    for (const [start, lead] of [
      ['up', ['ok', 'ok']],
      ['down', ['fail', 'fail', 'fail']],
      ['slow', ['slow', 'slow', 'slow']],
      ['unknown', []],
    ] as const) {
      const machine = new ProbeStateMachine(at(0));
      feed(machine, [...lead]);
      assert.equal(machine.state, start);
      const since = machine.since;
      for (const bad of ['fail', 'slow'] as const) {
        const states = feed(machine, Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? bad : 'ok')), 10);
        assert.ok(
          states.every((s) => s === start),
          `${start}, then ${bad}/ok alternating: ${states.join(' ')}`,
        );
        // Two bad then one good, over and over, does not make it down either.
        const twoBad = feed(machine, Array.from({ length: 15 }, (_, i) => (i % 3 === 2 ? 'ok' : bad)), 40);
        assert.ok(
          twoBad.every((s) => s === start),
          `${start}, then ${bad}, ${bad}, ok repeated: ${twoBad.join(' ')}`,
        );
      }
      assert.deepEqual(machine.since, since);
    }
  });

  test('GIVEN a mixed run of failures and slow answers THEN its majority decides from up; once down or slow, only a clean run of the other changes it', () => {
    const mixed = (kinds: CheckResult['kind'][]) => {
      const machine = new ProbeStateMachine(at(0));
      feed(machine, ['ok', 'ok', ...kinds]);
      return machine;
    };
    assert.equal(mixed(['fail', 'slow', 'fail']).state, 'down');
    assert.equal(mixed(['slow', 'fail', 'slow']).state, 'slow');
    assert.deepEqual(mixed(['slow', 'fail', 'slow']).since, at(3), 'since the run began');
    // Down, then the service answers again, but slowly.
    const machine = mixed(['fail', 'fail', 'fail']);
    assert.deepEqual(feed(machine, ['slow', 'fail', 'slow', 'slow'], 6), ['down', 'down', 'down', 'down']);
    assert.deepEqual(feed(machine, ['slow'], 10), ['slow']);
    assert.deepEqual(machine.since, at(8));
    assert.deepEqual(feed(machine, ['fail', 'slow', 'fail', 'fail', 'fail'], 11), ['slow', 'slow', 'slow', 'slow', 'down']);
  });
});

// --- One check against local servers -------------------------------------------------------

describe('one probe check', () => {
  test('GIVEN a healthy server THEN ok with its status; a 503 or an unexpected status is a failure that says which', async () => {
    const s = await site();
    const healthy = await check(probe(s.url));
    assert.deepEqual(healthy && { kind: healthy.kind, status: healthy.kind === 'fail' ? undefined : healthy.status }, { kind: 'ok', status: 200 });
    s.behaviour = 'unavailable';
    const unavailable = await check(probe(s.url));
    assert.equal(outcome(unavailable), 'fail:status');
    assert.equal(unavailable?.kind === 'fail' && unavailable.status, 503);
    s.behaviour = 'wrong-page';
    assert.equal(outcome(await check(probe(s.url))), 'fail:status');
    // A probe that expects 404 (a health page that says so) counts it as good.
    assert.equal(outcome(await check(probe(s.url, { expectedStatus: 404 }))), 'ok');
  });

  test('GIVEN an answer later than the threshold THEN slow, with its latency; under the threshold THEN ok', async () => {
    const s = await site();
    s.behaviour = 'slow';
    const slow = await check(probe(s.url, { slowMs: 3_000 }));
    assert.equal(outcome(slow), 'slow');
    assert.equal(slow?.kind === 'slow' && slow.latencyMs, 5_000);
    assert.equal(outcome(await check(probe(s.url, { slowMs: 8_000 }))), 'ok');
  });

  test('GIVEN a server that never answers THEN the hard timeout ends the check as a timeout', async () => {
    const s = await site();
    s.behaviour = 'hang';
    const result = await check(probe(s.url, { timeoutMs: 200 }));
    assert.equal(outcome(result), 'fail:timeout');
    assert.equal(s.requests.length, 1, 'the request reached the server');
  });

  test('GIVEN a server that drops every connection THEN the check still ends, as a failure', async () => {
    // Node's fetch may wait on such a connection until the hard timeout ends it (it did in
    // Node 20 for the first request of a process), or say the socket closed: a failure either way.
    const dropper = createNetServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
    try {
      const result = await check(probe(`http://127.0.0.1:${(dropper.address() as AddressInfo).port}/`, { timeoutMs: 300 }));
      assert.equal(result?.kind, 'fail');
    } finally {
      await new Promise((resolve) => dropper.close(resolve));
    }
  });

  test('GIVEN a port nobody listens on THEN a connection failure; an https address served in plain http THEN a TLS failure', async () => {
    const s = await site();
    const port = s.port;
    await s.stop();
    const refused = await check(probe(`http://127.0.0.1:${port}/`));
    assert.equal(outcome(refused), 'fail:connection');
    assert.equal(refused?.kind === 'fail' && refused.detail, 'ECONNREFUSED');
    const plain = await site();
    assert.equal(outcome(await check(probe(`https://127.0.0.1:${plain.port}/`))), 'fail:tls');
  });

  test(`GIVEN redirects THEN up to ${MAX_REDIRECTS} are followed, to http(s) only; a loop fails; an expected redirect is not followed`, async () => {
    const hop = (to: string) => (res: ServerResponse) => void res.writeHead(302, { location: to }).end();
    const s = await site(undefined, {
      '/old': hop('/older'),
      '/older': hop('/'),
      '/loop': hop('/loop'),
      '/ftp': hop('ftp://127.0.0.1/file'),
      '/login': hop('https://sso.invalid/'),
    });
    assert.equal(outcome(await check(probe(`${s.url}old`))), 'ok');
    assert.equal(s.requests.length, 3, 'two redirects, then the page');
    s.requests.length = 0;
    assert.equal(outcome(await check(probe(`${s.url}loop`))), 'fail:redirects');
    assert.equal(s.requests.length, MAX_REDIRECTS + 1, 'the first request and MAX_REDIRECTS more, then it gives up');
    assert.equal(outcome(await check(probe(`${s.url}ftp`))), 'fail:redirects');
    s.requests.length = 0;
    assert.equal(outcome(await check(probe(`${s.url}login`, { expectedStatus: 302 }))), 'ok');
    assert.equal(s.requests.length, 1, 'the expected redirect is the answer: sso.invalid is never asked');
  });
});

// --- The prober ----------------------------------------------------------------------------

describe('prober', () => {
  test('GIVEN a portal that starts failing, then refuses connections, then recovers THEN up, down since its first failure, up again; each change told once', async () => {
    const clock = new FixedClock(TEST_NOW);
    const s = await site(clock);
    const changes: string[] = [];
    const prober = new Prober({ probes: [probe(s.url)], clock, monotonic: stopwatch.now, onChange: (r, previous) => changes.push(`${previous}→${r.state}`) });
    const minute = async (): Promise<ProbeReading> => {
      const [reading] = await prober.checkNow();
      clock.advance(MINUTE);
      return reading!;
    };
    assert.deepEqual(prober.readings(), [{ probe: 'ent-occitanie', service: 'ent', places: [{ kind: 'region', code: '76' }], state: 'unknown', since: TEST_NOW }]);
    assert.equal((await minute()).state, 'unknown', 'one good answer proves little');
    assert.equal((await minute()).state, 'up');
    s.behaviour = 'unavailable';
    const failedFrom = clock.now();
    assert.deepEqual([(await minute()).state, (await minute()).state], ['up', 'up']);
    await s.stop();
    const down = await minute();
    assert.equal(down.state, 'down');
    assert.deepEqual(down.since, failedFrom, 'down since the first failed check, not the third');
    assert.equal(outcome(prober.statuses()[0]?.lastCheck?.result ?? null), 'fail:connection', 'the latest check found the port closed');
    assert.equal((await minute()).state, 'down');
    s.behaviour = 'healthy';
    await s.start();
    const recoveredFrom = clock.now();
    assert.equal((await minute()).state, 'down', 'one good answer is not a recovery');
    const up = await minute();
    assert.equal(up.state, 'up');
    assert.deepEqual(up.since, recoveredFrom);
    assert.deepEqual(changes, ['unknown→up', 'up→down', 'down→up']);
  });

  test('GIVEN a portal that hangs THEN three timeouts make it down; GIVEN a slow one THEN slow', async () => {
    const clock = new FixedClock(TEST_NOW);
    const hanging = await site(clock);
    hanging.behaviour = 'hang';
    const slow = await site(clock);
    slow.behaviour = 'slow';
    const prober = new Prober({
      probes: [probe(hanging.url, { id: 'hanging', timeoutMs: 200 }), probe(slow.url, { id: 'slow' })],
      clock,
      monotonic: stopwatch.now,
    });
    for (let i = 0; i < 3; i++) {
      await prober.checkNow();
      clock.advance(MINUTE);
    }
    assert.deepEqual(
      prober.statuses().map((s) => [s.probe, s.state, s.lastCheck && outcome(s.lastCheck.result)]),
      [
        ['hanging', 'down', 'fail:timeout'],
        ['slow', 'slow', 'slow'],
      ],
    );
  });

  test('GIVEN the prober started THEN each probe is checked at once and then every interval on the injected clock, until stopped', async () => {
    const clock = new FixedClock(TEST_NOW);
    const s = await site(clock);
    const prober = new Prober({ probes: [probe(s.url, { intervalMs: 90_000 })], clock, timer: new VirtualTimer(clock), monotonic: stopwatch.now });
    const fourth = new Promise<void>((resolve) => (s.onRequest = () => s.requests.length === 4 && resolve()));
    prober.start();
    await fourth;
    await prober.stop();
    const seen = s.requests.length;
    assert.deepEqual(
      s.requests.slice(0, 4).map((t) => (t - TEST_NOW.getTime()) / 1000),
      [0, 90, 180, 270],
      'seconds after the start',
    );
    assert.equal(prober.readings()[0]?.state, 'up');
    // Stopped: no loop is left to ask again, however long one waits.
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(s.requests.length, seen);
  });

  test('GIVEN a check hanging when the prober stops THEN stop ends it at once, and it is not counted', async () => {
    const clock = new FixedClock(TEST_NOW);
    const s = await site(clock);
    s.behaviour = 'hang';
    // A timeout of ten minutes: were stop to wait for it, the test would time out.
    const prober = new Prober({ probes: [probe(s.url, { timeoutMs: 600_000, intervalMs: 3_600_000 })], clock, timer: new VirtualTimer(clock) });
    const asked = new Promise<void>((resolve) => (s.onRequest = resolve));
    prober.start();
    await asked;
    await prober.stop();
    assert.deepEqual(
      prober.statuses().map((r) => [r.state, r.lastCheck]),
      [['unknown', null]],
    );
  });
});

// --- Configuration -------------------------------------------------------------------------

describe('probes and VIGIE_PROBES', () => {
  const temps: string[] = [];
  after(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  /** The shipped content, but reading probes from a folder holding only this probes.yaml. */
  function contentWithProbes(yaml: string) {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-probes-'));
    temps.push(dir);
    writeFileSync(join(dir, 'probes.yaml'), yaml);
    const { content, gazetteer } = sharedReference();
    return { content: { dir, services: content.services }, gazetteer };
  }
  const deps = { clock: new FixedClock(TEST_NOW) };

  test('GIVEN no VIGIE_PROBES THEN probes are off: no prober, and content/probes.yaml is not even read', () => {
    const env = parseEnv({});
    assert.equal(env.VIGIE_PROBES, 'off');
    assert.equal(probesFromEnv(env, contentWithProbes('this: [is not, a probes file'), deps), null);
    assert.equal(probesFromEnv(parseEnv({ VIGIE_PROBES: 'off' }), sharedReference(), deps), null);
  });

  test('GIVEN VIGIE_PROBES=on THEN the shipped probes are loaded, unknown until checked; a value other than on or off is refused by name', () => {
    const prober = probesFromEnv(parseEnv({ VIGIE_PROBES: 'on' }), sharedReference(), deps);
    assert.ok(prober);
    const readings = prober.readings();
    assert.ok(readings.length >= 3);
    assert.ok(readings.every((r) => r.state === 'unknown' && r.since.getTime() === TEST_NOW.getTime()));
    assert.throws(
      () => parseEnv({ VIGIE_PROBES: 'yes' }),
      (e: unknown) => e instanceof ConfigError && e.variable === 'VIGIE_PROBES' && /on or off/.test(e.message),
    );
  });

  test('GIVEN VIGIE_PROBES=on and a malformed probes.yaml THEN a ContentError naming the file and the field, not a crash', () => {
    const reference = contentWithProbes('probes:\n  - id: ent-occitanie\n    service: ent\n    url: ftp://ent.example/\n    places: [ "region:76" ]\n');
    assert.throws(
      () => probesFromEnv(parseEnv({ VIGIE_PROBES: 'on' }), reference, deps),
      (e: unknown) => e instanceof ContentError && e.file === join(reference.content.dir, 'probes.yaml') && /probes\.0\.url: expected a full http\(s\) web address/.test(e.message),
    );
  });
});
