import type { Level, PlaceRef } from '../base/types.js';
/** One report as stored: pseudonymous, text masked (never the raw user id). */
export interface SignalReport {
  at: Date;
  service: string | null;
  /** The finest place the message named (commune, département, académie, région, national), or null. */
  place: { kind: PlaceRef['kind']; code: string } | null;
  level: Level | null;
  platform: string;
  /** HMAC-SHA256 (hex) of "platform|workspace|user" with VIGIE_REPORT_SECRET. */
  reporter: string;
}
/** Where detection reads reports from (the store implements it; tests use arrays). */
export interface ReportSource {
  /** Reports with at in [from, to), oldest first. */
  reportsBetween(from: Date, to: Date): Promise<SignalReport[]>;
}
export type SignalStrength = 'elevated' | 'surge';
/** What an automated probe sees now. */
export interface ProbeReading {
  probe: string;
  service: string;
  places: { kind: PlaceRef['kind']; code: string }[];
  state: 'up' | 'down' | 'slow' | 'unknown';
  /** Since when the state holds. */
  since: Date;
}
