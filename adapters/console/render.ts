/** How the console shows times: the Paris wall clock, with the date. */
import { formatParisClock, type Language } from '../../src/index.js';

/** "mardi 17 mars 2020 à 10:00" / "Tuesday 17 March 2020 at 10:00" on the Paris clock. */
export function formatClock(at: Date, language: Language): string {
  return formatParisClock(at, language);
}
