/**
 * The alert desk (#15 item 6): one alert per group of related signals or per failing probe,
 * posted once to every sink, edited when its wording changes (at most once a minute), ended
 * with a last edit; exactly once across restarts (message ids in the store), failed posts
 * tried again. Real detector steps, a real store (SQLite in memory, and both kinds for the
 * alerts' tables), sinks that record what a channel would show.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { FixedClock } from '../../src/base/clock.js';
import { AlertDesk, type AlertDeskDeps } from '../../src/signals/alerts.js';
import type { AlertSink, SignalAlert } from '../../src/signals/alert-types.js';
import type { ProbeReading } from '../../src/signals/types.js';
import { openStore, type Store } from '../../src/store/index.js';
import { createAlertStore } from '../../src/store/alerts.js';
import { sharedTemplates } from '../helpers/templates.js';
import { describeStores, freshStoreUrl } from '../helpers/stores.js';
import { GARD, HERAULT, MIN, OCCITANIE, at, detector, people, report } from './helpers.js';

/** What an alert channel would hold: messages by id, with every version they showed. */
class RecordingSink implements AlertSink {
  readonly messages = new Map<string, SignalAlert[]>();
  posts = 0;
  edits = 0;
  private failures = 0;
  constructor(readonly platform: string) {}
  /** The next `n` calls throw (a platform that is down). */
  failNext(n = 1): void {
    this.failures = n;
  }
  async post(alert: SignalAlert): Promise<{ messageId: string }> {
    this.check();
    this.posts++;
    const id = `${this.platform}-${this.messages.size + 1}`;
    this.messages.set(id, [structuredClone(alert)]);
    return { messageId: id };
  }
  async edit(messageId: string, alert: SignalAlert): Promise<void> {
    this.check();
    const versions = this.messages.get(messageId);
    if (!versions) throw new Error('message_not_found');
    this.edits++;
    versions.push(structuredClone(alert));
  }
  /** The latest version of each message. */
  shown(): SignalAlert[] {
    return [...this.messages.values()].map((v) => v[v.length - 1]!);
  }
  private check(): void {
    if (this.failures > 0) {
      this.failures--;
      throw new Error(`${this.platform} is down`);
    }
  }
}

const names: Record<string, string> = { ent: 'ENT', pronote: 'Pronote', cned: 'CNED' };

async function rig(options: { sinks?: AlertSink[]; store?: Store; probes?: ProbeReading[]; at?: Date; deps?: Partial<AlertDeskDeps> } = {}) {
  const store = options.store ?? (await openStore('memory://'));
  const clock = new FixedClock(options.at ?? at(2));
  const probes = options.probes ?? [];
  const sinks = options.sinks ?? [new RecordingSink('slack')];
  const alertStore = createAlertStore(store.db, (await import('../../src/base/logger.js')).silentLogger);
  const desk = new AlertDesk({
    sinks,
    store: alertStore,
    samples: alertStore,
    templates: sharedTemplates(),
    clock,
    serviceName: (id) => names[id] ?? id,
    prober: { readings: () => probes },
    ...options.deps,
  });
  return { store, clock, desk, sinks, probes };
}

/** A desk with one alert posted: six people reporting the ENT in Hérault from 08:01, stepped at 08:02. */
async function oneAlert(options: Parameters<typeof rig>[0] = {}) {
  const r = await rig(options);
  const d = detector();
  d.ingest(people(6, at(1), HERAULT));
  await r.desk.update(d.step(r.clock.now()));
  return { ...r, sink: r.sinks[0] as RecordingSink, d };
}

const probe = (state: ProbeReading['state'], since: Date, service = 'ent', id = 'ent-occitanie'): ProbeReading => ({ probe: id, service, places: [OCCITANIE], state, since });

describe('Alert desk: one alert per group', () => {
  test('GIVEN the ENT failing in Hérault and Pronote in Gard (one académie) THEN one alert naming both, with counts, places, first seen, caveat and a pre-filled button', async () => {
    const { desk, sinks, clock, store } = await rig();
    const d = detector();
    d.ingest([...people(6, at(1), HERAULT, 'ent'), ...people(7, at(1), GARD, 'pronote')]);
    await desk.update(d.step(clock.now()));
    const sink = sinks[0] as RecordingSink;
    assert.equal(sink.posts, 1);
    const [alert] = sink.shown();
    assert.equal(alert!.state, 'open');
    assert.match(alert!.wording.title, /Signalements en hausse : Pronote, ENT · Gard, Hérault/);
    assert.ok(alert!.wording.lines.some((l) => /^Pronote .*Gard : 7 personne\(s\) en 30 min, 7 en tout/.test(l)), alert!.wording.lines.join('\n'));
    assert.ok(alert!.wording.lines.some((l) => /^ENT .*Hérault : 6 personne\(s\) en 30 min/.test(l)));
    assert.ok(alert!.wording.lines.includes('Principaux lieux : Gard (7), Hérault (6)'), alert!.wording.lines.join('\n'));
    // 08:01 in Paris: the first report.
    assert.ok(alert!.wording.lines.includes('Premiers signalements : 8 h 01'), alert!.wording.lines.join('\n'));
    assert.match(alert!.wording.caveat, /^Non confirmé/);
    assert.equal(alert!.wording.openIncidentLabel, 'Ouvrir un incident');
    assert.deepEqual(alert!.prefill, { service: 'pronote', places: ['departement:30'], status: 'degraded_performance', cause: 'unknown' });
    await store.close();
  });

  test('GIVEN the ENT failing in four régions THEN one alert; the same step again changes nothing', async () => {
    const { desk, sinks, clock, store } = await rig();
    const d = detector();
    d.ingest(['76', '53', '84', '11'].flatMap((code) => people(8, at(1), { kind: 'region', code })));
    await desk.update(d.step(clock.now()));
    clock.advance(MIN);
    await desk.update(d.step(clock.now()));
    const sink = sinks[0] as RecordingSink;
    assert.equal(sink.posts, 1);
    assert.equal(sink.edits, 0);
    assert.match(sink.shown()[0]!.wording.title, /^🔴 Forte hausse des signalements : ENT · France/);
    assert.equal(sink.shown()[0]!.prefill.status, 'partial_outage');
    await store.close();
  });

  test('GIVEN two unrelated signals THEN two alerts, each posted once to every sink', async () => {
    const sinks = [new RecordingSink('slack'), new RecordingSink('discord')];
    const { desk, clock, store } = await rig({ sinks });
    const d = detector();
    d.ingest([...people(6, at(1), OCCITANIE, 'ent'), ...people(6, at(1), { kind: 'region', code: '53' }, 'pronote')]);
    await desk.update(d.step(clock.now()));
    assert.deepEqual(sinks.map((s) => s.posts), [2, 2]);
    await store.close();
  });
});

describe('Alert desk: in English (VIGIE_ALERT_LANGUAGE=en)', () => {
  test('GIVEN operators reading English THEN the alert is worded in English, Paris times on a 12-hour clock', async () => {
    const { desk, sink, clock, store, d } = await oneAlert({ deps: { language: 'en' } });
    const open = sink.shown()[0]!;
    assert.equal(open.wording.language, 'en');
    assert.equal(open.wording.title, '🟠 Reports rising: ENT · Hérault');
    assert.ok(open.wording.lines.includes('First reports: 8:01 am'), open.wording.lines.join('\n'));
    assert.equal(open.wording.openIncidentLabel, 'Open an incident');
    assert.match(open.wording.caveat, /^Unconfirmed/);
    clock.set(at(45));
    await desk.update(d.step(clock.now()));
    assert.ok(sink.shown()[0]!.wording.lines.includes('Ended at 8:45 am.'), sink.shown()[0]!.wording.lines.join('\n'));
    await store.close();
  });
});

describe('Alert desk: groups that merge', () => {
  test('GIVEN two alerts whose signals become related THEN the older goes on with both, the younger ends saying it was merged', async () => {
    const { desk, sinks, clock, store } = await rig();
    const sink = sinks[0] as RecordingSink;
    const d = detector();
    d.ingest(people(6, at(1), HERAULT, 'ent'));
    await desk.update(d.step(clock.now()));
    d.ingest(people(6, at(3), { kind: 'departement', code: '31' }, 'pronote'));
    clock.set(at(4));
    await desk.update(d.step(clock.now()));
    assert.equal(sink.posts, 2);
    d.ingest(people(6, at(5), { kind: 'departement', code: '31' }, 'ent'));
    clock.set(at(6));
    await desk.update(d.step(clock.now()));
    assert.equal(sink.posts, 2, 'no third message');
    const [older, younger] = [sink.messages.get('slack-1')!.at(-1)!, sink.messages.get('slack-2')!.at(-1)!];
    assert.equal(older.state, 'open');
    assert.match(older.wording.title, /ENT, Pronote|Pronote, ENT/);
    assert.equal(younger.state, 'ended');
    assert.ok(younger.wording.lines.includes('Regroupée à 8 h 06 avec une autre alerte, qui continue.'), younger.wording.lines.join('\n'));
    await store.close();
  });
});

describe('Alert desk: edits', () => {
  test('GIVEN a signal growing every 20 s THEN the message is edited at most once a minute, only when its words changed', async () => {
    const { desk, sink, clock, store, d } = await oneAlert();
    const editsAt: number[] = [];
    for (let i = 1; i <= 9; i++) {
      clock.advance(20_000);
      d.ingest(people(3, clock.now(), HERAULT, 'ent', `wave-${i}`));
      const before = sink.edits;
      await desk.update(d.step(clock.now()));
      if (sink.edits > before) editsAt.push(clock.now().getTime());
    }
    assert.ok(editsAt.length >= 2, `edited ${editsAt.length} times`);
    for (let i = 1; i < editsAt.length; i++) assert.ok(editsAt[i]! - editsAt[i - 1]! >= MIN, 'two edits within a minute');
    // What is shown is the latest count once the minute has passed.
    clock.advance(MIN);
    await desk.update(d.step(clock.now()));
    const versions = sink.messages.get('slack-1')!;
    assert.ok(versions.at(-1)!.wording.lines.some((l) => /33 personne\(s\) en 30 min/.test(l)), versions.at(-1)!.wording.lines.join('\n'));
    // Revisions only grow.
    for (let i = 1; i < versions.length; i++) assert.ok(versions[i]!.revision > versions[i - 1]!.revision);
    // Nothing new: no edit.
    const edits = sink.edits;
    clock.advance(MIN);
    await desk.update(d.step(clock.now()));
    assert.equal(sink.edits, edits);
    await store.close();
  });

  test('GIVEN a signal that calms down THEN the alert is edited a last time: ended, "Terminé à", no button', async () => {
    const { desk, sink, clock, store, d } = await oneAlert();
    clock.set(at(45));
    await desk.update(d.step(clock.now()));
    const last = sink.shown()[0]!;
    assert.equal(last.state, 'ended');
    assert.equal(last.wording.openIncidentLabel, undefined);
    assert.match(last.wording.title, /^✅ Terminé —/);
    assert.ok(last.wording.lines.includes('Terminé à 8 h 45.'), last.wording.lines.join('\n'));
    assert.equal(sink.posts, 1);
    // Nothing more once ended.
    const edits = sink.edits;
    clock.set(at(50));
    await desk.update(d.step(clock.now()));
    assert.equal(sink.edits, edits);
    await store.close();
  });
});

describe('Alert desk: probes', () => {
  test('GIVEN a probe down with no crowd signal THEN a probe alert (major outage pre-filled); recovered THEN ended', async () => {
    const { desk, sinks, clock, store, probes } = await rig();
    const sink = sinks[0] as RecordingSink;
    probes.push(probe('down', at(1)));
    await desk.update();
    assert.equal(sink.posts, 1);
    const alert = sink.shown()[0]!;
    assert.equal(alert.id, `probe:ent-occitanie@${at(1).toISOString()}`);
    assert.match(alert.wording.title, /^🔴 Vérification automatique en échec : ENT/);
    assert.ok(alert.wording.lines.includes('Vérification automatique (ent-occitanie) : ENT ne répond plus depuis 8 h 01'), alert.wording.lines.join('\n'));
    assert.deepEqual(alert.prefill, { service: 'ent', places: ['region:76'], status: 'major_outage', cause: 'unknown' });
    clock.set(at(9));
    probes[0] = probe('up', at(7));
    await desk.update();
    const ended = sink.shown()[0]!;
    assert.equal(sink.posts, 1);
    assert.equal(ended.state, 'ended');
    assert.ok(ended.wording.lines.includes('Vérification automatique (ent-occitanie) : ENT répond à nouveau depuis 8 h 07'), ended.wording.lines.join('\n'));
    assert.ok(ended.wording.lines.includes('Terminé à 8 h 07.'), ended.wording.lines.join('\n'));
    await store.close();
  });

  test('GIVEN a crowd alert for the ENT THEN a failing ENT probe is a line of it, not a second alert', async () => {
    const { desk, sinks, clock, store, probes } = await rig();
    const sink = sinks[0] as RecordingSink;
    const d = detector();
    d.ingest(people(6, at(1), HERAULT));
    await desk.update(d.step(clock.now()));
    clock.advance(2 * MIN);
    probes.push(probe('down', at(3)));
    await desk.update(d.step(clock.now()));
    assert.equal(sink.posts, 1);
    const alert = sink.shown()[0]!;
    assert.ok(alert.wording.lines.some((l) => /ne répond plus depuis 8 h 03/.test(l)), alert.wording.lines.join('\n'));
    assert.equal(alert.prefill.status, 'major_outage');
    await store.close();
  });

  test('GIVEN a probe alert first THEN the crowd signal of its service grows into the same message; the alert ends only when both are over', async () => {
    const { desk, sinks, clock, store, probes } = await rig({ at: at(0) });
    const sink = sinks[0] as RecordingSink;
    probes.push(probe('down', at(0)));
    const d = detector();
    await desk.update(d.step(at(0)));
    assert.equal(sink.posts, 1);
    d.ingest(people(6, at(1), HERAULT));
    clock.set(at(2));
    await desk.update(d.step(clock.now()));
    assert.equal(sink.posts, 1);
    const grown = sink.shown()[0]!;
    assert.match(grown.wording.title, /Signalements en hausse : ENT · Hérault/);
    assert.ok(grown.wording.lines.some((l) => /ne répond plus/.test(l)));
    // The crowd calms down while the probe still fails: the alert stays, on the probe.
    clock.set(at(45));
    await desk.update(d.step(clock.now()));
    assert.equal(sink.shown()[0]!.state, 'open');
    clock.set(at(50));
    probes[0] = probe('up', at(48));
    await desk.update(d.step(clock.now()));
    assert.equal(sink.shown()[0]!.state, 'ended');
    assert.equal(sink.posts, 1);
    await store.close();
  });
});

describe('Alert desk: exactly once', () => {
  test('GIVEN a restart THEN the new desk edits the message the first one posted, never posts a second', async () => {
    const { store, sink, d } = await oneAlert();
    assert.equal(sink.posts, 1);
    // A new process: same store, same sink channel; the signal has grown meanwhile.
    d.ingest(people(10, at(3), HERAULT, 'ent', 'later'));
    const second = await rig({ store, sinks: [sink], at: at(4) });
    await second.desk.update(d.step(at(4)));
    assert.equal(sink.posts, 1);
    assert.equal(sink.edits, 1);
    assert.ok(sink.shown()[0]!.wording.lines.some((l) => /16 personne\(s\)/.test(l)));
    await store.close();
  });

  test('GIVEN a restart after the signal vanished THEN the kept alert is ended in place', async () => {
    const { store, sink } = await oneAlert();
    const second = await rig({ store, sinks: [sink], at: at(90) });
    await second.desk.update(detector().step(at(90)));
    assert.equal(sink.posts, 1);
    const last = sink.shown()[0]!;
    assert.equal(last.state, 'ended');
    assert.ok(last.wording.lines.includes('Terminé à 9 h 30.'), last.wording.lines.join('\n'));
    assert.ok(last.wording.lines.some((l) => /Hérault : 6 personne/.test(l)), 'what it said is kept');
    await store.close();
  });

  test('GIVEN a post that fails THEN it is tried again at the next update, once; the other sink is not held back', async () => {
    const slack = new RecordingSink('slack');
    const discord = new RecordingSink('discord');
    const { desk, clock, store } = await rig({ sinks: [slack, discord] });
    const d = detector();
    d.ingest(people(6, at(1), HERAULT));
    slack.failNext(1);
    await desk.update(d.step(clock.now()));
    assert.deepEqual([slack.posts, discord.posts], [0, 1]);
    clock.advance(MIN);
    await desk.update(d.step(clock.now()));
    assert.deepEqual([slack.posts, discord.posts], [1, 1]);
    clock.advance(MIN);
    await desk.update(d.step(clock.now()));
    assert.deepEqual([slack.posts, discord.posts], [1, 1]);
    await store.close();
  });

  test('GIVEN an edit that fails THEN the next update edits again; the loop goes on', async () => {
    const { desk, sink, clock, store, d } = await oneAlert();
    clock.set(at(45));
    sink.failNext(1);
    await desk.update(d.step(clock.now()));
    assert.equal(sink.shown()[0]!.state, 'open');
    clock.set(at(46));
    await desk.update(d.step(clock.now()));
    assert.equal(sink.shown()[0]!.state, 'ended');
    await store.close();
  });

  test('GIVEN many updates while a sink is slow THEN they are coalesced: one post', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const slow = new RecordingSink('slack');
    const post = slow.post.bind(slow);
    slow.post = async (alert) => {
      await gate;
      return post(alert);
    };
    const { desk, clock, store } = await rig({ sinks: [slow] });
    const d = detector();
    d.ingest(people(6, at(1), HERAULT));
    const step = d.step(clock.now());
    const runs = Array.from({ length: 20 }, () => desk.update(step));
    release();
    await Promise.all(runs);
    await desk.idle();
    assert.equal(slow.posts, 1);
    await store.close();
  });
});

describe('Alert desk: sample texts', () => {
  test('GIVEN reports kept with texts THEN the alert shows the three most recent distinct ones of its services and places', async () => {
    const { desk, sinks, clock, store } = await rig();
    const texts = ['ENT en panne à Montpellier', 'ent en panne à  montpellier', 'Impossible de se connecter', 'Rien ne charge', 'Page blanche depuis ce matin'];
    const d = detector();
    const reports = people(6, at(1), HERAULT);
    d.ingest(reports);
    for (const [i, r] of reports.entries()) {
      await store.reports.addUnlessLimited({ ...r, text: texts[i] ?? 'ENT en panne à Montpellier', at: new Date(at(1).getTime() + i * 1000) }, 100, at(0));
    }
    // Another service elsewhere: not a sample of this alert.
    await store.reports.addUnlessLimited({ ...report(at(1), 'other', { kind: 'region', code: '53' }, 'cned'), text: 'CNED bloqué' }, 100, at(0));
    await desk.update(d.step(clock.now()));
    assert.deepEqual((sinks[0] as RecordingSink).shown()[0]!.wording.samples, ['ENT en panne à Montpellier', 'Page blanche depuis ce matin', 'Rien ne charge']);
    await store.close();
  });
});

describeStores('Alert store', (kind) => {
  test('GIVEN alerts saved, shown and ended THEN load returns the open ones and recent ended ones with their messages; prune deletes old ended ones', async () => {
    const { url, cleanup } = await freshStoreUrl(kind);
    const store = await openStore(url);
    try {
      const alerts = createAlertStore(store.db, (await import('../../src/base/logger.js')).silentLogger);
      const base = { revision: 1, openedAt: at(1).toISOString(), endedAt: null, groupId: 'g:1', probes: [] as string[] };
      const alert = (id: string, state: 'open' | 'ended'): SignalAlert => ({
        id,
        state,
        revision: 1,
        wording: { language: 'fr', title: id, lines: ['a'], samples: ['<!channel>'], caveat: 'c' },
        prefill: { service: 'ent', places: ['region:76'], status: 'degraded_performance', cause: 'unknown' },
      });
      await alerts.save({ ...base, id: 'open-1', state: 'open', alert: alert('open-1', 'open') }, at(2));
      await alerts.save({ ...base, id: 'old', state: 'ended', endedAt: at(3).toISOString(), alert: alert('old', 'ended') }, at(3));
      await alerts.save({ ...base, id: 'recent', state: 'ended', endedAt: at(100).toISOString(), alert: alert('recent', 'ended') }, at(100));
      await alerts.shown('open-1', { platform: 'slack', messageId: '1584435601.000001', revision: 1 }, at(2));
      await alerts.shown('open-1', { platform: 'slack', messageId: '1584435601.000001', revision: 3 }, at(4));
      await alerts.shown('old', { platform: 'discord', messageId: '99', revision: 1 }, at(3));
      const loaded = await alerts.load(at(50));
      assert.deepEqual(loaded.map((l) => l.record.id).sort(), ['open-1', 'recent']);
      assert.deepEqual(loaded.find((l) => l.record.id === 'open-1')!.shown, [{ platform: 'slack', messageId: '1584435601.000001', revision: 3 }]);
      assert.deepEqual(loaded.find((l) => l.record.id === 'open-1')!.record.alert.wording.samples, ['<!channel>']);
      assert.equal(await alerts.prune(at(50)), 1);
      assert.deepEqual((await alerts.load(at(0))).map((l) => l.record.id).sort(), ['open-1', 'recent']);
    } finally {
      await store.close();
      await cleanup();
    }
  });
});
