/**
 * content/signals.yaml: how crowd reports become signals (#15). Counting windows, one person
 * one voice, the baseline, the thresholds of each strength, when an episode ends and how
 * related episodes are grouped. Validated once, at load, like every content file.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { DEFAULT_CONTENT_DIR, loadYamlFile } from './load.js';

const minutes = (max: number) => z.number().int().min(1).max(max);

const thresholdSchema = z.strictObject({
  /** Distinct reporters in one window, at least. */
  minReporters: z.number().int().min(1),
  /** Times the baseline of that window, at least. */
  ratio: z.number().min(1),
});

export const signalsFileSchema = z
  .strictObject({
    /** Length of a counting window; the baseline is kept per weekday and window of the day. */
    windowMinutes: minutes(60).refine((m) => 60 % m === 0, 'a number of minutes that divides an hour (5, 10, 15, 20, 30, 60)'),
    /** A reporter counts once per service × place in this span, however often they write. */
    reporterOnceMinutes: minutes(24 * 60),
    /** An episode closes after this long with no window above the elevated threshold. */
    calmMinutes: minutes(24 * 60),
    baseline: z.strictObject({
      /** Past weeks averaged (same weekday, same window of the day, school time zone). */
      weeks: z.number().int().min(1).max(12),
      /** The least baseline assumed, in reporters per window: places with no history use it. */
      floor: z.number().positive(),
    }),
    thresholds: z.strictObject({ elevated: thresholdSchema, surge: thresholdSchema }),
    /**
     * A wider place does not open its own episode while one narrower hot place holds at least
     * this share of its reporters (a surge in Gard is Gard's, not Occitanie's nor France's).
     */
    dominantShare: z.number().gt(0).max(1),
    /** Places listed in an episode (the most reported narrower places). */
    topPlaces: z.number().int().min(0).max(20),
  })
  .superRefine((f, ctx) => {
    const { elevated, surge } = f.thresholds;
    if (surge.minReporters < elevated.minReporters) ctx.addIssue({ code: 'custom', path: ['thresholds', 'surge', 'minReporters'], message: 'a surge needs at least as many reporters as elevated' });
    if (surge.ratio < elevated.ratio) ctx.addIssue({ code: 'custom', path: ['thresholds', 'surge', 'ratio'], message: 'a surge needs at least the ratio of elevated' });
  });
export type SignalsConfig = z.infer<typeof signalsFileSchema>;

/** The file read by `loadSignalsConfig`, relative to the content folder. */
export const SIGNALS_FILE = 'signals.yaml';

/** Reads and validates content/signals.yaml (a bad file throws a ContentError naming the field). */
export function loadSignalsConfig(dir: string = DEFAULT_CONTENT_DIR): SignalsConfig {
  return loadYamlFile(join(dir, SIGNALS_FILE), signalsFileSchema);
}
