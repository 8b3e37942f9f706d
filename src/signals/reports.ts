/**
 * Reports from the people who write to Vigie ("l'ENT ne marche pas à Montpellier"): who
 * reported is kept as a pseudonymous key (an HMAC of platform, workspace and user with
 * VIGIE_REPORT_SECRET, never the id), the text with e-mail addresses and phone numbers masked
 * (parents write about minors), and one person counts once however often they write: a
 * reporter beyond the rate limit is thanked, but nothing more is stored.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { Logger } from '../base/logger.js';
import type { Level, PlaceKind } from '../base/types.js';
import type { ReportSource, SignalReport } from './types.js';
import { RateGate, ReporterCounts, type PlaceContainment } from './report-counts.js';

/** A report as written to the log: the SignalReport and its masked text. */
export interface ReportRecord extends SignalReport {
  text: string;
}

/** What a report is counted within: a service (or any) and a place (or anywhere). */
export interface ReportScope {
  service: string | null;
  /** Reports naming this place or a place inside it count; null or national: anywhere. */
  place: { kind: PlaceKind; code: string } | null;
}

/** Where reports are kept (the store implements it). */
export interface ReportLog extends ReportSource {
  /**
   * Stores the reports of `batch` in one transaction, each unless its reporter already has
   * `limit` reports at or after its time minus `windowMs` (those stored earlier in the batch
   * included); the check and the insert are serialised per reporter, across processes too.
   * Says, in order, which were stored. Throws (and stores none) when the write fails.
   */
  addBatch(batch: readonly ReportRecord[], limit: number, windowMs: number): Promise<boolean[]>;
  /** How many distinct reporters reported within `scope` with at in [from, to]. */
  reporters(scope: ReportScope, from: Date, to: Date): Promise<number>;
}

/** The longest text kept of a report (the rest is cut). */
export const REPORT_TEXT_MAX = 1_000;
/** A person counts once per service × place within this window (the count the reply gives). */
export const REPORT_COUNT_WINDOW_MS = 30 * 60_000;
/** At most this many reports stored per reporter per REPORT_RATE_WINDOW_MS. */
export const REPORT_RATE_LIMIT = 10;
export const REPORT_RATE_WINDOW_MS = 10 * 60_000;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
// French numbers: 06 12 34 56 78, 06.12.34.56.78, 0612345678, +33 6 12 34 56 78, +33 (0)6…, 0033 6….
const FRENCH_PHONE = /(?<![\p{N}+])(?:(?:\+|00)33[\s.-]?(?:\(0\)[\s.-]?)?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\p{N})/gu;
// International numbers written with their country code: +44 20 7946 0958, +1 (555) 123-4567, 0049 30 1234567.
const INTERNATIONAL_PHONE = /(?<![\p{N}+])(?:\+|00)[1-9][\d\s.()/-]{6,22}\d(?!\p{N})/gu;
// Control characters (a pasted terminal escape, a NUL) are not kept.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
// Half of a surrogate pair alone is no character (PostgreSQL refuses it): replaced by U+FFFD.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The text with e-mail addresses as "[e-mail]" and phone numbers as "[téléphone]", cut to REPORT_TEXT_MAX. */
export function maskReportText(text: string): string {
  const masked = text
    .replace(CONTROL, ' ')
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(EMAIL, '[e-mail]')
    .replace(FRENCH_PHONE, '[téléphone]')
    .replace(INTERNATIONAL_PHONE, (m) => {
      const digits = m.replace(/\D/g, '').length;
      return digits >= 8 && digits <= 15 ? '[téléphone]' : m;
    });
  // Cut after masking, so no half of an address or number is left at the end.
  return masked.length > REPORT_TEXT_MAX ? `${masked.slice(0, REPORT_TEXT_MAX - 1)}…` : masked;
}

/** The pseudonymous key of a person: HMAC-SHA256 (hex) of "platform|workspace|user" with the secret. */
export function reporterKey(secret: string, who: { platform: string; workspace?: string | undefined; user?: string | undefined }): string {
  return createHmac('sha256', secret).update(`${who.platform}|${who.workspace ?? ''}|${who.user ?? ''}`).digest('hex');
}

/** The random secret made when none is configured, and whether its warning was given. */
export interface RandomSecretState {
  secret: string | null;
  warned: boolean;
}

// Without VIGIE_REPORT_SECRET, one random secret for the whole process (every desk of it).
const PROCESS_SECRET: RandomSecretState = { secret: null, warned: false };

/**
 * The secret keys are made with: the configured one, or this process's random one (warned
 * about once, never logged). `state` is the process's unless a test hands its own.
 */
export function reportSecret(configured: string | undefined, logger: Logger, state: RandomSecretState = PROCESS_SECRET): string {
  if (configured) return configured;
  if (!state.warned) {
    state.warned = true;
    logger.warn(
      'VIGIE_REPORT_SECRET is not set: reporters are keyed with a random secret made for this process, so a person who writes again after a restart, or to another instance, counts as someone new. Set VIGIE_REPORT_SECRET (a long random string, the same on every instance).',
    );
  }
  state.secret ??= randomBytes(32).toString('hex');
  return state.secret;
}

/** One message read as a report. */
export interface ReportInput {
  at: Date;
  /** Who wrote, as the platform names them (hashed here, never stored). */
  who: { platform: string; workspace?: string | undefined; user?: string | undefined };
  text: string;
  service: string | null;
  place: { kind: PlaceKind; code: string } | null;
  level: Level | null;
}

/** What became of a report. */
export interface ReportOutcome {
  /** False when the reporter was over the rate limit: thanked, not stored. */
  stored: boolean;
  /** Distinct people who reported within the same service × place in the last 30 minutes (this one included). */
  count: number;
}

/** Options of a ReportDesk. */
export interface ReportDeskOptions {
  secret?: string | undefined;
  logger: Logger;
  /** Where places lie, for counts rolled up along the map (Montpellier counts for Occitanie); without it a place counts only for itself and France. */
  places?: PlaceContainment | null;
  /** At most this many reports per transaction (default 500). */
  maxBatch?: number;
}

/** Why a report was not recorded after the desk stopped. */
export class ReportDeskClosedError extends Error {
  constructor() {
    super('reports: the desk is stopped; the report was not recorded');
  }
}

interface Pending {
  record: ReportRecord;
  resolve: (stored: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Takes reports in: keys the reporter, masks the text, applies the rate limit, writes, counts.
 *
 * The reply needs no query: the rate limit is checked (and a place reserved) in memory, the
 * count comes from ReporterCounts, both warmed from the store at the first report and fed by
 * the reports stored. Writes are grouped: reports queue while a transaction is in flight and
 * go together in the next one (at most `maxBatch`), the store checking the limit again, so it
 * holds across instances and restarts. A report's reply waits for its batch's commit: what is
 * acknowledged is stored, and a failed batch makes each of its reports' `record` throw (the
 * reply says it was not recorded). `close` writes what is queued.
 */
export class ReportDesk {
  private secret: string | null = null;
  private readonly counts: ReporterCounts;
  private readonly gate = new RateGate(REPORT_RATE_LIMIT, REPORT_RATE_WINDOW_MS);
  private readonly maxBatch: number;
  private queue: Pending[] = [];
  private writing: Promise<void> | null = null;
  private scheduled = false;
  private warming: Promise<void> | null = null;
  private warm = false;
  private closed = false;

  constructor(
    private readonly log: ReportLog,
    private readonly options: ReportDeskOptions,
  ) {
    this.counts = new ReporterCounts(REPORT_COUNT_WINDOW_MS, options.places ?? null);
    this.maxBatch = Math.max(1, options.maxBatch ?? 500);
  }

  /** Records one report (unless its reporter is over the limit) and counts the people who reported the same. */
  async record(input: ReportInput): Promise<ReportOutcome> {
    if (this.closed) throw new ReportDeskClosedError();
    // Resolved at the first report, so a process that never takes one (`vigie ask`) never warns.
    this.secret ??= reportSecret(this.options.secret, this.options.logger);
    if (!this.warm) await this.warmUp(input.at);
    if (this.closed) throw new ReportDeskClosedError();
    const reporter = reporterKey(this.secret, input.who);
    const place = input.place ? { kind: input.place.kind, code: input.place.code } : null;
    const at = input.at.getTime();
    let stored = false;
    if (this.gate.reserve(reporter, at)) {
      try {
        stored = await this.enqueue({ at: input.at, service: input.service, place, level: input.level, platform: input.who.platform, reporter, text: maskReportText(input.text) });
      } finally {
        if (!stored) this.gate.release(reporter, at);
      }
    }
    // This reporter counts even when over the limit (their earlier reports are in the window).
    return { stored, count: Math.max(this.counts.count({ service: input.service, place }, input.at), 1) };
  }

  /**
   * `source` (the store's reports) that also counts what it reads: the signals service's
   * minute pull then brings reports other instances stored into this desk's counts (a person
   * counts once, however often read).
   */
  counting(source: ReportSource): ReportSource {
    return {
      reportsBetween: async (from, to) => {
        const reports = await source.reportsBetween(from, to);
        // Only what the count's window can still hold (a start reads days back).
        const since = to.getTime() - REPORT_COUNT_WINDOW_MS;
        for (const r of reports) if (r.at.getTime() >= since) this.counts.add(r);
        return reports;
      },
    };
  }

  /** Writes what is queued and takes no more reports (their `record` throws). */
  async close(): Promise<void> {
    this.closed = true;
    while (this.writing || this.queue.length > 0) {
      if (this.writing) await this.writing;
      else await this.flush();
    }
  }

  /** How much the desk holds in memory (for the bench and tests: bounded by the last 30 minutes). */
  size(): { keys: number; voices: number; reporters: number; queued: number } {
    return { ...this.counts.size(), reporters: this.gate.size(), queued: this.queue.length };
  }

  /** Reads the reports of the count's window before `at` from the store, once (again after a failure). */
  private warmUp(at: Date): Promise<void> {
    this.warming ??= (async () => {
      const to = at.getTime();
      const reports = await this.log.reportsBetween(new Date(to - REPORT_COUNT_WINDOW_MS), new Date(to + 1));
      for (const r of reports) {
        this.counts.add(r);
        if (r.at.getTime() >= to - REPORT_RATE_WINDOW_MS) this.gate.note(r.reporter, r.at.getTime());
      }
      this.warm = true;
    })().catch((error: unknown) => {
      this.warming = null;
      throw error;
    });
    return this.warming;
  }

  private enqueue(record: ReportRecord): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      this.schedule();
    });
  }

  /** A flush after this turn of the event loop (reports of the same turn go together), unless one is writing. */
  private schedule(): void {
    if (this.writing || this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.writing || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.maxBatch);
    const write = this.write(batch);
    this.writing = write;
    try {
      await write;
    } finally {
      this.writing = null;
      // What queued meanwhile goes in the next transaction.
      if (this.queue.length > 0) this.schedule();
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    let stored: boolean[];
    try {
      stored = await this.log.addBatch(
        batch.map((p) => p.record),
        REPORT_RATE_LIMIT,
        REPORT_RATE_WINDOW_MS,
      );
    } catch (error) {
      this.options.logger.warn('reports: a batch was not written; its reports are answered as not recorded', { reports: batch.length, error });
      for (const p of batch) p.reject(error);
      return;
    }
    batch.forEach((p, i) => {
      if (stored[i] === true) this.counts.add(p.record);
      p.resolve(stored[i] === true);
    });
  }
}
