/** `/historique` (`/en/history`): the official incidents of the last 30 days, newest first. */
import type { Core } from '../core.js';
import type { Language } from '../base/types.js';
import { html } from './html.js';
import { layout } from './page-layout.js';
import { incidentItem } from './page-parts.js';
import { PATHS, timeWords, w } from './words.js';

const DAYS_MS = 30 * 24 * 3600_000;

/** The start of the history: 30 days before now, at the start of that day (UTC): the page changes once a day, not every minute. */
export function historySince(now: Date): Date {
  const since = new Date(now.getTime() - DAYS_MS);
  since.setUTCHours(0, 0, 0, 0);
  return since;
}

export async function historyPage(core: Core, lang: Language): Promise<string> {
  const now = core.now();
  const since = historySince(now);
  const index = await core.incidents(now);
  const incidents = index
    .all()
    .filter((i) => new Date(i.startedAt).getTime() <= now.getTime())
    .filter((i) => i.resolvedAt === null || new Date(i.resolvedAt).getTime() >= since.getTime() || new Date(i.resolvedAt).getTime() > now.getTime())
    .sort((a, b) => b.startedAt.localeCompare(a.startedAt) || a.id.localeCompare(b.id));
  const title = w(core, lang, 'history.title');
  const main = html`<h1>${title}</h1>
<p>${w(core, lang, 'history.intro', { since: timeWords(core, lang, since, 'day') })}</p>
${incidents.length > 0 ? html`<ul>${incidents.map((i) => incidentItem(core, lang, i))}</ul>` : html`<p>${w(core, lang, 'history.none')}</p>`}`;
  return layout(core, { lang, title, otherPath: PATHS[lang === 'fr' ? 'en' : 'fr'].history, main });
}
