/** How the console shows times: the Paris wall clock, with the date. */
import type { Language } from '../../src/index.js';

/** "mardi 17 mars 2020, 10:00" / "Tuesday 17 March 2020, 10:00" on the Paris clock. */
export function formatClock(at: Date, language: Language): string {
  return new Intl.DateTimeFormat(language === 'fr' ? 'fr-FR' : 'en-GB', {
    timeZone: 'Europe/Paris',
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}
