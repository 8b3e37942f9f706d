/** Shared pieces of the signal detection tests: the shipped config and gazetteer, reports, a clock. */
import { join } from 'node:path';
import { DEFAULT_CONTENT_DIR, loadYamlFile } from '../../src/content/load.js';
import { academiesFileSchema } from '../../src/content/schemas.js';
import { loadSignalsConfig, type SignalsConfig } from '../../src/content/signals-schema.js';
import { Gazetteer } from '../../src/places/gazetteer.js';
import { SignalDetector } from '../../src/signals/detect.js';
import type { PlaceKind } from '../../src/base/types.js';
import type { SignalReport } from '../../src/signals/types.js';
import type { FixedClock } from '../../src/base/clock.js';
import type { Timer } from '../../src/base/timer.js';

const { academies, regionAliases } = loadYamlFile(join(DEFAULT_CONTENT_DIR, 'places', 'academies.yaml'), academiesFileSchema);
export const gazetteer = new Gazetteer(academies, regionAliases);
export const config: SignalsConfig = loadSignalsConfig();

export const MIN = 60_000;
export const WEEK = 7 * 24 * 60 * MIN;
/** A Tuesday, 08:00 in Paris (07:00 UTC): the windows start on the quarter-hour. */
export const T0 = new Date('2026-12-01T08:00:00+01:00').getTime();
export const at = (minutes: number): Date => new Date(T0 + minutes * MIN);

export const HERAULT = { kind: 'departement', code: '34' } as const;
export const GARD = { kind: 'departement', code: '30' } as const;
export const OCCITANIE = { kind: 'region', code: '76' } as const;
export const MONTPELLIER_COMMUNE = { kind: 'commune', code: '34172' } as const;
export const BRETAGNE = { kind: 'region', code: '53' } as const;

/** One report; the reporter key stands in for the HMAC. */
export function report(
  when: Date,
  reporter: string,
  place: { kind: PlaceKind; code: string } | null,
  service: string | null = 'ent',
): SignalReport {
  return { at: when, service, place, level: null, platform: 'slack', reporter };
}

/** `n` reports from `n` different people (prefix-0 … prefix-(n-1)), spread over the minute. */
export function people(n: number, when: Date, place: { kind: PlaceKind; code: string } | null, service = 'ent', prefix = `${service}-${place?.code ?? 'fr'}-${when.getTime()}`): SignalReport[] {
  return Array.from({ length: n }, (_, i) => report(new Date(when.getTime() + Math.floor((i * 60_000) / n)), `${prefix}-${i}`, place, service));
}

/** A detector that has been counting for five weeks before T0 (so past weeks are evidence). */
export function detector(overrides: Partial<SignalsConfig> = {}, observedFrom = new Date(T0 - 5 * WEEK)): SignalDetector {
  return new SignalDetector({ places: gazetteer, config: { ...config, ...overrides }, observedFrom });
}

/** A timer the test moves by hand: `advance` moves the clock and wakes whoever is due. */
export class HandTimer implements Timer {
  private sleepers: { at: number; resolve: () => void }[] = [];
  constructor(private readonly clock: FixedClock) {}
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (ms <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const s = { at: this.clock.now().getTime() + ms, resolve };
      this.sleepers.push(s);
      signal?.addEventListener(
        'abort',
        () => {
          this.sleepers = this.sleepers.filter((x) => x !== s);
          resolve();
        },
        { once: true },
      );
    });
  }
  get waiting(): number {
    return this.sleepers.length;
  }
  /** Moves the clock by `ms`, waking sleepers as their time comes, and lets their work finish. */
  async advance(ms: number): Promise<void> {
    const end = this.clock.now().getTime() + ms;
    for (;;) {
      const due = this.sleepers.filter((s) => s.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.sleepers = this.sleepers.filter((s) => s !== due);
      this.clock.set(new Date(due.at));
      due.resolve();
      // The step runs (it may read the store) and the loop sleeps again: waits for that.
      for (let i = 0; i < 100_000 && this.sleepers.length === 0; i++) await new Promise((r) => setImmediate(r));
    }
    this.clock.set(new Date(end));
  }
}

