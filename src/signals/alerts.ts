/**
 * The alert desk (#15, item 6): turns what the signals service and the probes see into alerts
 * in the operators' alert channels (VIGIE_SLACK_ALERT_CHANNEL, VIGIE_DISCORD_ALERT_CHANNEL),
 * through the platforms' AlertSinks (src/signals/alert-types.ts).
 *
 * - One alert per alert group (related crowd episodes: one service in several places, several
 *   services in one académie; src/signals/episodes.ts), and one per failing probe that has no
 *   crowd group of its service beside it. A probe failing while a group of its service is open
 *   is a line of that group's alert. Conversely, a group that opens beside a probe alert of
 *   one of its services takes over that alert (its message grows into the crowd alert), and an
 *   alert whose group closes while one of its probes still fails stays open on that probe.
 * - Posted once per alert to every sink; edited in place when its wording changes, at most
 *   once per alert and platform per `minEditMs` (a surge is not an edit storm); edited a last
 *   time when it ends ("Terminé à 10 h 40", the button removed). An ended alert is never
 *   posted anew where it was never shown.
 * - Exactly once across restarts: alerts and the message id on each platform are kept in the
 *   store (AlertStore) as soon as a post succeeds, so a restart edits the message it finds
 *   there; a failed post is tried again at the next update; a post whose outcome is unknown is
 *   the sink's to find (Slack looks for the alert's metadata in the channel's recent history).
 * - Sink and store failures are logged with codes (ALERT_POST_FAILED, ALERT_EDIT_FAILED,
 *   ALERT_STORE_FAILED) and never reach the signals loop: `update` is queued, coalesced (only
 *   the latest input waits while a sink is slow) and never throws.
 *
 * Wording comes from content/messages ("alert.*"), in the operators' language (French unless
 * VIGIE_ALERT_LANGUAGE=en), with times on the schools' clock (Europe/Paris).
 */
import type { Clock } from '../base/clock.js';
import { silentLogger, type Logger } from '../base/logger.js';
import type { Language, PlaceRef, Status } from '../base/types.js';
import type { Templates } from '../content/templates.js';
import { createTimePhrases, type TimePhrases } from '../content/time-phrases.js';
import type { AlertSink, SignalAlert, AlertWording, AlertPrefill } from './alert-types.js';
import type { AlertGroup, DetectionStep, Episode } from './detect.js';
import type { ProbeReading } from './types.js';

/** What the desk keeps of an alert between runs (the store's `signal_alerts.body`). */
export interface AlertRecord {
  id: string;
  state: 'open' | 'ended';
  revision: number;
  /** ISO instants. */
  openedAt: string;
  endedAt: string | null;
  /** The crowd group it shows (null for a probe alert, or once its group closed). */
  groupId: string | null;
  /** The probes it shows as failing. */
  probes: string[];
  /** The alert as last worded. */
  alert: SignalAlert;
}

/** Where an alert is shown on a platform. */
export interface AlertShown {
  platform: string;
  messageId: string;
  /** The alert's revision the message shows. */
  revision: number;
}

/** Where the desk keeps alerts and their messages (src/store/alerts.ts; tests may use memory). */
export interface AlertStore {
  /** Alerts still open, and ended ones updated since `since` (their last edit may be owed). */
  load(since: Date): Promise<{ record: AlertRecord; shown: AlertShown[] }[]>;
  save(record: AlertRecord, now: Date): Promise<void>;
  /** Records the message showing `alertId` on `platform` (upsert). */
  shown(alertId: string, shown: AlertShown, now: Date): Promise<void>;
  /** Deletes alerts ended before `before`, with their messages; returns how many. */
  prune(before: Date): Promise<number>;
}

/** Where sample report texts come from (masked at storage; src/store/alerts.ts reads the reports table). */
export interface AlertSampleSource {
  /** Up to `limit` distinct texts, most recent first, of reports about one of the services in one of the places since `since`. */
  samples(scopes: { service: string; place: { kind: PlaceRef['kind']; code: string } }[], since: Date, limit: number): Promise<string[]>;
}

/** What the desk needs. */
export interface AlertDeskDeps {
  sinks: readonly AlertSink[];
  store: AlertStore;
  templates: Templates;
  clock: Clock;
  /** The operators' language (default French). */
  language?: Language;
  /** A service's name in a language (content/services). Default: its id. */
  serviceName?: (id: string, language: Language) => string;
  /** "en Occitanie", "dans l'Hérault" (src/answer/place-phrases.ts). Default: the place's name. */
  placePhrase?: (language: Language, place: PlaceRef) => string;
  /** Probe readings now (a Prober), besides the steps. */
  prober?: { readings(): ProbeReading[] } | null;
  samples?: AlertSampleSource | null;
  logger?: Logger;
  /** At most one edit per alert and platform in this span (default one minute). */
  minEditMs?: number;
  /** Ended alerts are deleted from the store after this (default 7 days). */
  keepEndedMs?: number;
}

/** What the desk holds of an alert while it runs. */
interface Tracked {
  record: AlertRecord;
  /** The group as last seen (for wording once it closed). */
  group: AlertGroup | null;
  /** The group it joined (merged into another alert), if that is how it ended. */
  mergedInto: string | null;
  /** Probes shown, with their last reading (a recovered one stays listed until the alert ends). */
  probeReadings: Map<string, ProbeReading>;
  shown: Map<string, AlertShown>;
  /** When each platform's message was last edited (ms; 0 = never by this process). */
  editedAt: Map<string, number>;
  signature: string;
}

const MINUTE = 60_000;
const SAMPLES = 3;
const MAX_EPISODE_LINES = 6;
const TOP_PLACES = 5;
const TITLE_PLACES = 4;
const RANK = { elevated: 1, surge: 2 } as const;

/** Posts, edits and ends alerts; see the module comment. */
export class AlertDesk {
  private readonly tracked = new Map<string, Tracked>();
  private readonly logger: Logger;
  private readonly language: Language;
  private readonly minEditMs: number;
  private loaded: Promise<void> | null = null;
  private lastStep: DetectionStep | null = null;
  private pending = false;
  private running: Promise<void> | null = null;

  constructor(private readonly deps: AlertDeskDeps) {
    this.logger = deps.logger ?? silentLogger;
    this.language = deps.language ?? 'fr';
    this.minEditMs = deps.minEditMs ?? MINUTE;
    this.times = createTimePhrases(deps.templates);
  }
  /** Times as answers say them: "8 h 05" today, "hier à 8 h 05", "le 16 mars à 8 h 05". */
  private readonly times: TimePhrases;

  /** Reads the alerts kept by an earlier run (called by the first update when not called before). */
  start(): Promise<void> {
    this.loaded ??= this.load();
    return this.loaded;
  }

  /**
   * Takes a signals step (after each SignalsService step) and brings the alert channels up to
   * date. Queued: while an update runs, only the latest input waits. Never throws.
   */
  update(step?: DetectionStep): Promise<void> {
    if (step) this.lastStep = step;
    this.pending = true;
    // drain() clears `running` in the same turn its loop sees nothing pending: no input is left behind.
    this.running ??= this.drain();
    return this.running;
  }

  /** A probe changed state: the alerts follow at once (a probe alert opens or ends). */
  probeChanged(): void {
    void this.update();
  }

  /** Resolves once every queued update is done (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** The alerts as last worded: open ones, and those ended in this run. */
  alerts(): SignalAlert[] {
    return [...this.tracked.values()].map((t) => t.record.alert);
  }

  // ---------------------------------------------------------------------------------------

  private async drain(): Promise<void> {
    try {
      await this.start();
      while (this.pending) {
        this.pending = false;
        try {
          await this.prune();
          await this.reconcile();
        } catch (error) {
          this.logger.error('alerts: update failed; tried again at the next step', { code: 'ALERT_STORE_FAILED', error });
        }
      }
    } finally {
      this.running = null;
    }
  }

  private prunedAt = -Infinity;

  /** Ended alerts older than `keepEndedMs` leave the store (at start, then daily). */
  private async prune(): Promise<void> {
    const now = this.deps.clock.now().getTime();
    if (now - this.prunedAt < 24 * 60 * MINUTE) return;
    this.prunedAt = now;
    try {
      await this.deps.store.prune(new Date(now - (this.deps.keepEndedMs ?? 7 * 24 * 60 * MINUTE)));
    } catch (error) {
      this.logger.warn('alerts: old alerts not deleted; tried again tomorrow', { code: 'ALERT_STORE_FAILED', error });
    }
  }

  private async load(): Promise<void> {
    const now = this.deps.clock.now();
    try {
      for (const { record, shown } of await this.deps.store.load(new Date(now.getTime() - 24 * 60 * MINUTE))) {
        this.tracked.set(record.id, {
          record,
          group: null,
          mergedInto: null,
          probeReadings: new Map(),
          shown: new Map(shown.map((s) => [s.platform, s])),
          editedAt: new Map(),
          signature: signatureOf(record.alert),
        });
      }
    } catch (error) {
      this.logger.error('alerts: kept alerts not read; alerts start afresh', { code: 'ALERT_STORE_FAILED', error });
    }
  }

  /** Decides which alerts are open and what they say, then saves and shows them. */
  private async reconcile(): Promise<void> {
    const now = this.deps.clock.now();
    const step = this.lastStep;
    const readings = this.deps.prober?.readings() ?? [];
    const failing = readings.filter((r) => r.state === 'down' || r.state === 'slow');
    const openGroups = (step?.groups ?? []).filter((g) => g.state === 'open');
    const closedGroups = new Map((step?.groups ?? []).filter((g) => g.state === 'closed').map((g) => [g.id, g]));
    const live = () => [...this.tracked.values()].filter((t) => t.record.state === 'open');

    // 1. Groups that closed (or that a step no longer shows: gone across a restart) leave their alert.
    if (step) {
      const seen = new Set(step.groups.map((g) => g.id));
      for (const t of live()) {
        const id = t.record.groupId;
        if (id === null) continue;
        const closed = closedGroups.get(id);
        if (closed) {
          t.group = closed;
          t.mergedInto = closed.mergedInto;
          t.record.groupId = null;
        } else if (!seen.has(id)) t.record.groupId = null;
      }
    }
    // 2. Open groups: their alert, or a probe alert of one of their services taken over, or a new one.
    for (const g of openGroups) {
      let t = live().find((x) => x.record.groupId === g.id);
      t ??= live().find((x) => x.record.groupId === null && x.record.probes.some((p) => g.services.includes(this.serviceOfProbe(p, readings, x))));
      t ??= this.create(g.id, now, g.firstSeen);
      t.record.groupId = g.id;
      t.group = g;
      t.mergedInto = null;
    }
    // 3. Failing probes: a line of an alert that shows them or a crowd alert of their service, or an alert of their own.
    for (const r of failing) {
      const holder =
        live().find((x) => x.record.probes.includes(r.probe)) ??
        live().find((x) => x.record.groupId !== null && (x.group?.services ?? []).includes(r.service)) ??
        this.create(`probe:${r.probe}@${r.since.toISOString()}`, now, r.since);
      if (!holder.record.probes.includes(r.probe)) holder.record.probes.push(r.probe);
      holder.probeReadings.set(r.probe, r);
    }
    // 4. Probes that recovered stay listed (as recovered); an alert with no group and no failing probe ends.
    for (const t of live()) {
      for (const p of t.record.probes) {
        const r = readings.find((x) => x.probe === p);
        if (r) t.probeReadings.set(p, r);
      }
      // Not checked yet (a restart) is not recovered: the alert waits for the probe's verdict.
      const holding = t.record.probes.filter((p) => {
        const r = readings.find((x) => x.probe === p);
        return r !== undefined && r.state !== 'up';
      });
      if (t.record.groupId === null && holding.length === 0) {
        const recovered = t.record.probes.map((p) => t.probeReadings.get(p)).filter((r) => r?.state === 'up').map((r) => r!.since.getTime());
        const end = t.group?.closedAt?.getTime() ?? (recovered.length > 0 ? Math.max(...recovered) : now.getTime());
        t.record.state = 'ended';
        t.record.endedAt = new Date(Math.min(end, now.getTime())).toISOString();
        this.logger.info('alerts: alert ended', { alert: t.record.id, endedAt: t.record.endedAt });
      }
    }
    // 5. Word, save and show.
    for (const t of [...this.tracked.values()]) {
      const wording = await this.word(t, now);
      const signature = signatureOf(wording);
      if (signature !== t.signature) {
        t.record.revision += 1;
        t.record.alert = { ...wording, id: t.record.id, revision: t.record.revision };
        t.signature = signature;
        await this.save(t, now);
      }
      await this.show(t, now);
      // An ended alert shown everywhere (or nowhere, never posted) is done with in this run.
      if (t.record.state === 'ended' && this.deps.sinks.every((s) => (t.shown.get(s.platform)?.revision ?? t.record.revision) >= t.record.revision)) {
        this.tracked.delete(t.record.id);
      }
    }
  }

  private create(id: string, now: Date, firstSeen: Date): Tracked {
    const existing = this.tracked.get(id);
    if (existing) {
      // Kept by an earlier run (or ended in this one and back): open again, same message.
      existing.record.state = 'open';
      existing.record.endedAt = null;
      return existing;
    }
    const record: AlertRecord = {
      id,
      state: 'open',
      revision: 0,
      openedAt: (firstSeen.getTime() < now.getTime() ? firstSeen : now).toISOString(),
      endedAt: null,
      groupId: null,
      probes: [],
      alert: { id, state: 'open', revision: 0, wording: { language: this.language, title: '', lines: [], samples: [], caveat: '' }, prefill: { service: '', places: [], status: 'degraded_performance', cause: 'unknown' } },
    };
    const t: Tracked = { record, group: null, mergedInto: null, probeReadings: new Map(), shown: new Map(), editedAt: new Map(), signature: '' };
    this.tracked.set(id, t);
    return t;
  }

  private serviceOfProbe(probe: string, readings: readonly ProbeReading[], t: Tracked): string {
    return readings.find((r) => r.probe === probe)?.service ?? t.probeReadings.get(probe)?.service ?? '';
  }

  private async save(t: Tracked, now: Date): Promise<void> {
    try {
      await this.deps.store.save(t.record, now);
    } catch (error) {
      this.logger.error('alerts: an alert was not saved; saved at its next change', { code: 'ALERT_STORE_FAILED', alert: t.record.id, error });
    }
  }

  /** Posts where the alert is not shown yet, edits where it shows an older revision (throttled, except the end). */
  private async show(t: Tracked, now: Date): Promise<void> {
    const alert = t.record.alert;
    await Promise.all(
      this.deps.sinks.map(async (sink) => {
        const shown = t.shown.get(sink.platform);
        if (!shown) {
          if (alert.state === 'ended') return;
          let messageId: string;
          try {
            messageId = (await sink.post(alert)).messageId;
          } catch (error) {
            this.logger.error('alerts: an alert was not posted; tried again at the next step', { code: 'ALERT_POST_FAILED', platform: sink.platform, alert: alert.id, error });
            return;
          }
          const record: AlertShown = { platform: sink.platform, messageId, revision: alert.revision };
          t.shown.set(sink.platform, record);
          t.editedAt.set(sink.platform, now.getTime());
          this.logger.info('alerts: alert posted', { platform: sink.platform, alert: alert.id, revision: alert.revision });
          await this.recordShown(alert.id, record, now);
          return;
        }
        if (shown.revision >= alert.revision) return;
        const last = t.editedAt.get(sink.platform) ?? 0;
        if (alert.state === 'open' && now.getTime() - last < this.minEditMs) return;
        try {
          await sink.edit(shown.messageId, alert);
        } catch (error) {
          this.logger.error('alerts: an alert was not edited; tried again at the next step', { code: 'ALERT_EDIT_FAILED', platform: sink.platform, alert: alert.id, error });
          return;
        }
        const record: AlertShown = { ...shown, revision: alert.revision };
        t.shown.set(sink.platform, record);
        t.editedAt.set(sink.platform, now.getTime());
        await this.recordShown(alert.id, record, now);
      }),
    );
  }

  private async recordShown(alertId: string, shown: AlertShown, now: Date): Promise<void> {
    try {
      await this.deps.store.shown(alertId, shown, now);
    } catch (error) {
      this.logger.error('alerts: a posted alert was not recorded; the sink looks for it before posting again', { code: 'ALERT_STORE_FAILED', platform: shown.platform, alert: alertId, error });
    }
  }

  // ---------------------------------------------------------------------------------------
  // Wording

  private async word(t: Tracked, now: Date): Promise<Omit<SignalAlert, 'id' | 'revision'>> {
    const lang = this.language;
    const tr = (key: string, vars?: Record<string, string | number>) => this.deps.templates.t(lang, key, vars);
    const name = (id: string) => this.deps.serviceName?.(id, lang) ?? id;
    const phrase = (place: PlaceRef) => this.deps.placePhrase?.(lang, place) ?? place.name;
    const time = (d: Date) => this.times.when(lang, d.toISOString(), now);
    const group = t.group;
    const ended = t.record.state === 'ended';
    const endedAt = new Date(t.record.endedAt ?? now.toISOString());
    if (ended && group === null && t.probeReadings.size === 0 && t.record.revision > 0) {
      // Kept from an earlier run, its signal gone meanwhile: what it said, ended.
      const before = t.record.alert;
      const { openIncidentLabel: _label, ...wording } = before.wording;
      return {
        state: 'ended',
        wording: { ...wording, title: before.state === 'ended' ? wording.title : `${tr('alert.ended_mark')} ${wording.title.replace(/^\S+ /, '')}`, lines: before.state === 'ended' ? wording.lines : [...wording.lines, tr('alert.ended', { time: time(endedAt) })] },
        prefill: before.prefill,
      };
    }
    const episodes = group ? [...group.episodes].sort(byWeight) : [];
    const shownEpisodes = ended ? episodes : episodes.filter((e) => e.state === 'open');
    const probes = t.record.probes.map((p) => t.probeReadings.get(p)).filter((r): r is ProbeReading => r !== undefined);
    const failing = probes.filter((r) => r.state === 'down' || r.state === 'slow');

    // Title: strength, services, places.
    const services = [...new Set([...shownEpisodes.map((e) => e.service), ...probes.map((r) => r.service)])];
    const placeNames = [...new Set(shownEpisodes.map((e) => e.place.name))];
    const placesText = placeNames.length > TITLE_PLACES ? `${placeNames.slice(0, TITLE_PLACES).join(', ')} ${tr('alert.more_places', { count: placeNames.length - TITLE_PLACES })}` : placeNames.join(', ');
    const strength = group ? group.strength : null;
    const kind = strength ?? (failing.some((r) => r.state === 'down') || probes.some((r) => r.state === 'down') ? 'down' : 'slow');
    const head = tr(`alert.title.${kind}`, { services: services.map(name).join(', ') });
    const title = `${ended ? tr('alert.ended_mark') : tr(`alert.mark.${kind}`)} ${placesText ? `${head} · ${placesText}` : head}`;

    const lines: string[] = [];
    for (const e of shownEpisodes.slice(0, MAX_EPISODE_LINES)) {
      lines.push(
        tr('alert.episode', {
          service: name(e.service),
          where: phrase(e.place),
          reporters: e.reporters,
          total: e.total,
          strength: tr(`signals.strength.${e.state === 'closed' || e.current === 'calm' ? 'calm' : e.strength}`),
        }),
      );
    }
    if (shownEpisodes.length > MAX_EPISODE_LINES) lines.push(tr('alert.more_signals', { count: shownEpisodes.length - MAX_EPISODE_LINES }));
    const top = topPlaces(shownEpisodes);
    if (top.length > 0) lines.push(tr('alert.top', { places: top.map((p) => tr('signals.top_place', { place: p.place.name, count: p.reporters })).join(', ') }));
    if (group) lines.push(tr('alert.first_seen', { time: time(group.firstSeen) }));
    for (const r of probes) {
      const state = r.state === 'down' || r.state === 'slow' || r.state === 'up' ? r.state : 'unknown';
      lines.push(tr(`alert.probe.${state}`, { probe: r.probe, service: name(r.service), time: time(r.since) }));
    }
    if (ended) {
      if (t.mergedInto) lines.push(tr('alert.merged', { time: time(endedAt) }));
      lines.push(tr('alert.ended', { time: time(endedAt) }));
    }

    // Samples: the most recent distinct texts about its services and places.
    let samples = t.record.alert.wording.samples;
    if (!ended && this.deps.samples && shownEpisodes.length > 0) {
      try {
        const since = new Date(Math.min(...shownEpisodes.map((e) => e.firstSeen.getTime())) - 15 * MINUTE);
        samples = await this.deps.samples.samples(
          shownEpisodes.map((e) => ({ service: e.service, place: { kind: e.place.kind, code: e.place.code } })),
          since,
          SAMPLES,
        );
      } catch (error) {
        this.logger.warn('alerts: sample texts not read; the alert goes without new ones', { code: 'ALERT_STORE_FAILED', alert: t.record.id, error });
      }
    }

    const wording: AlertWording = {
      language: lang,
      title,
      lines,
      samples: samples.slice(0, SAMPLES),
      caveat: tr('alert.caveat'),
      ...(ended ? {} : { openIncidentLabel: tr('alert.open_incident') }),
    };
    return { state: ended ? 'ended' : 'open', wording, prefill: prefillOf(shownEpisodes, probes, strength) };
  }
}

/** Heaviest first: strength, then people. */
function byWeight(a: Episode, b: Episode): number {
  return (a.state === 'open' ? 0 : 1) - (b.state === 'open' ? 0 : 1) || RANK[b.strength] - RANK[a.strength] || b.total - a.total || (a.id < b.id ? -1 : 1);
}

/** The places with the most people over the episodes (their narrower places, or the episode's own). */
function topPlaces(episodes: readonly Episode[]): { place: PlaceRef; reporters: number }[] {
  const byKey = new Map<string, { place: PlaceRef; reporters: number }>();
  for (const e of episodes) {
    const list = e.topPlaces.length > 0 ? e.topPlaces : e.reporters > 0 && e.place.kind !== 'national' ? [{ place: e.place, reporters: e.reporters }] : [];
    for (const p of list) {
      const key = `${p.place.kind}:${p.place.code}`;
      const before = byKey.get(key);
      if (before) before.reporters += p.reporters;
      else byKey.set(key, { place: p.place, reporters: p.reporters });
    }
  }
  return [...byKey.values()].sort((a, b) => b.reporters - a.reporters || (a.place.name < b.place.name ? -1 : 1)).slice(0, TOP_PLACES);
}

/** What "Ouvrir un incident" pre-fills: the main service, the places, a status no stronger than the evidence, cause unknown. */
export function prefillOf(episodes: readonly Episode[], probes: readonly ProbeReading[], strength: 'elevated' | 'surge' | null): AlertPrefill {
  const main = episodes[0]?.service ?? probes[0]?.service ?? '';
  const places = new Set<string>();
  for (const e of episodes) if (e.service === main) places.add(`${e.place.kind}:${e.place.code}`);
  for (const r of probes) if (r.service === main) for (const p of r.places) places.add(`${p.kind}:${p.code}`);
  if (places.size === 0) places.add('national:FR');
  const down = probes.some((r) => r.service === main && r.state === 'down');
  const status: Status = down ? 'major_outage' : strength === 'surge' ? 'partial_outage' : 'degraded_performance';
  return { service: main, places: [...places], status, cause: 'unknown' };
}

function signatureOf(alert: Pick<SignalAlert, 'state' | 'wording' | 'prefill'>): string {
  return JSON.stringify([alert.state, alert.wording, alert.prefill]);
}
