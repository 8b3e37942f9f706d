/**
 * A scenario's crowd timeline (#15, item 7) as reports the signal detector can read: the
 * demo's reconstructed "ça ne marche pas ici" messages of the day. Each entry says how many
 * distinct people report a service at a place per 15 minutes from its time on; here they
 * become that many reports in every 15-minute span from the entry's time until the next entry
 * of the same service and place, spread evenly across the span, each from a new person.
 *
 * Deterministic: the same scenario gives the same reports, to the millisecond, with the same
 * synthetic reporter keys (a SHA-256 of the scenario, the series, the span and the person's
 * rank: 64 hex characters, as stored keys are, and never anyone's id). Reporters are new in
 * every span, so the detector's one-voice rule does not thin the counts: N per 15 minutes in
 * the file is N distinct reporters in each of those spans.
 */
import { createHash } from 'node:crypto';
import type { Crowd, CrowdEntry, Scenario } from '../content/schemas.js';
import { scenarioTime } from '../incidents/scenario-time.js';
import type { ReportSource, SignalReport } from './types.js';

/** The span an entry's count is per. */
export const CROWD_SPAN_MS = 15 * 60_000;
/** The platform the reconstructed reports carry (no person wrote them on any platform). */
export const CROWD_PLATFORM = 'scenario';

/** One run of a crowd series: `reporters` per span from `from` until `to`. */
export interface CrowdRun {
  service: string;
  place: CrowdEntry['place'];
  from: Date;
  to: Date;
  reporters: number;
}

/** A scenario's crowd reports, readable as a ReportSource. */
export interface CrowdReports extends ReportSource {
  /** Every report, oldest first (ties in key order). */
  readonly reports: readonly SignalReport[];
  /** The runs they were made from, in file order. */
  readonly runs: readonly CrowdRun[];
  /** The timeline's label (that it is reconstructed), as the file says it. */
  readonly label: Crowd['label'] | null;
}

/** The runs of a scenario's crowd timeline: each entry with reporters until the next entry of its series. */
export function crowdRuns(scenario: Pick<Scenario, 'date' | 'timezone' | 'crowd'>): CrowdRun[] {
  const entries = scenario.crowd?.entries ?? [];
  const runs: CrowdRun[] = [];
  entries.forEach((entry, index) => {
    if (entry.reporters === 0) return;
    const key = seriesKey(entry);
    const next = entries.slice(index + 1).find((e) => seriesKey(e) === key);
    // The schema requires every series to end with 0; a timeline that does not (built in
    // code, unchecked) ends its last run one span after it starts.
    const from = scenarioTime(scenario, entry.at);
    const to = next ? scenarioTime(scenario, next.at) : new Date(from.getTime() + CROWD_SPAN_MS);
    runs.push({ service: entry.service, place: { kind: entry.place.kind, code: entry.place.code }, from, to, reporters: entry.reporters });
  });
  return runs;
}

/** The reports of a scenario's crowd timeline (none when it has none). */
export function crowdReports(scenario: Pick<Scenario, 'id' | 'date' | 'timezone' | 'crowd'>): CrowdReports {
  const runs = crowdRuns(scenario);
  const reports: SignalReport[] = [];
  for (const run of runs) {
    const series = `${run.service}|${run.place.kind}:${run.place.code}`;
    for (let start = run.from.getTime(); start < run.to.getTime(); start += CROWD_SPAN_MS) {
      for (let i = 0; i < run.reporters; i++) {
        const at = start + Math.floor((i * CROWD_SPAN_MS) / run.reporters);
        // A span cut short by the next entry keeps only the reports before it.
        if (at >= run.to.getTime()) break;
        reports.push({
          at: new Date(at),
          service: run.service,
          place: { kind: run.place.kind, code: run.place.code },
          level: null,
          platform: CROWD_PLATFORM,
          reporter: createHash('sha256').update(`${scenario.id}|crowd|${series}|${new Date(start).toISOString()}|${i}`).digest('hex'),
        });
      }
    }
  }
  reports.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.reporter < b.reporter ? -1 : a.reporter > b.reporter ? 1 : 0));
  return {
    reports,
    runs,
    label: scenario.crowd?.label ?? null,
    async reportsBetween(from: Date, to: Date): Promise<SignalReport[]> {
      return reports.slice(firstAtOrAfter(reports, from.getTime()), firstAtOrAfter(reports, to.getTime())).map(copy);
    },
  };
}

function seriesKey(entry: CrowdEntry): string {
  return `${entry.service}|${entry.place.kind}:${entry.place.code}`;
}

/** Index of the first report at or after `t` (reports sorted by time). */
function firstAtOrAfter(reports: readonly SignalReport[], t: number): number {
  let lo = 0;
  let hi = reports.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (reports[mid]!.at.getTime() < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A caller's copy: mutating it leaves the timeline as it is. */
function copy(r: SignalReport): SignalReport {
  return { ...r, at: new Date(r.at.getTime()), place: r.place ? { ...r.place } : null };
}
