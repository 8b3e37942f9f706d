/**
 * The answer when incidents are in effect: a headline for the worst, its sections in the
 * order the intent asks for, then the others briefly.
 */
import type { Incident } from '../incidents/schema.js';
import type { IncidentMatches } from '../incidents/incident-index.js';
import type { Intent, Query, Reply, ReplySection } from '../base/types.js';
import { latestUpdate, type IncidentSentences } from './incident-sentences.js';

/** How many other incidents, and recently resolved ones, are listed before "and N more". */
export const MAX_LISTED = 3;

type SectionKey = 'scope' | 'since' | 'cause' | 'update' | 'recovery' | 'advice';

/** Which concern comes first, by intent. */
export const SECTION_ORDER: Record<Intent, SectionKey[]> = {
  status: ['scope', 'since', 'cause', 'update', 'recovery', 'advice'],
  eta: ['recovery', 'update', 'since', 'scope', 'cause', 'advice'],
  cause: ['cause', 'update', 'since', 'scope', 'recovery', 'advice'],
  advice: ['advice', 'scope', 'since', 'update', 'recovery', 'cause'],
  report: ['scope', 'since', 'update', 'recovery', 'advice', 'cause'],
  subscribe: ['scope', 'since', 'cause', 'update', 'recovery', 'advice'],
  unsubscribe: ['scope', 'since', 'cause', 'update', 'recovery', 'advice'],
  help: ['scope', 'since', 'cause', 'update', 'recovery', 'advice'],
  unknown: ['scope', 'since', 'cause', 'update', 'recovery', 'advice'],
};

/** The section of one concern about an incident, or null when there is nothing to say. */
export function incidentSection(sentences: IncidentSentences, incident: Incident, key: SectionKey): ReplySection | null {
  switch (key) {
    case 'scope':
      return sentences.scope(incident);
    case 'since':
      return sentences.since(incident);
    case 'cause':
      return sentences.cause(incident);
    case 'update':
      return sentences.update(incident);
    case 'recovery':
      return sentences.recovery(incident);
    case 'advice':
      return sentences.advice(incident);
  }
}

/** The source of an incident's latest update, as Reply.source wants it. */
export function sourceOf(incident: Incident): Reply['source'] {
  const u = latestUpdate(incident);
  if (!u) return null;
  const precision = u.precision ? { precision: u.precision } : {};
  return u.source.url ? { name: u.source.name, url: u.source.url, at: u.at, ...precision } : { name: u.source.name, at: u.at, ...precision };
}

/** Lines for other incidents, capped, with "and N more". */
export function listSection(
  sentences: IncidentSentences,
  key: string,
  incidents: Incident[],
  line: (i: Incident) => string,
  total = incidents.length,
): ReplySection | null {
  if (incidents.length === 0) return null;
  const lines = incidents.slice(0, MAX_LISTED).map(line);
  const shown = Math.min(incidents.length, MAX_LISTED);
  if (total > shown) lines.push(sentences.t('also.more', { count: total - shown }));
  return sentences.section(key, lines.join('\n'));
}

/** The reply for one or more incidents in effect (matches.active is not empty). */
export function composeIncidents(sentences: IncidentSentences, query: Query, matches: IncidentMatches): Omit<Reply, 'time' | 'actions' | 'language'> {
  const [main, ...others] = matches.active as [Incident, ...Incident[]];
  const sections: ReplySection[] = [];
  for (const key of SECTION_ORDER[query.intent]) {
    const section = incidentSection(sentences, main, key);
    if (section) sections.push(section);
  }
  const also = listSection(sentences, 'also_affected', others, (i) => sentences.item(i), matches.activeCount - 1);
  if (also) sections.push(also);
  const resolved = listSection(sentences, 'recently_resolved', matches.recentlyResolved, (i) => sentences.resolvedItem(i), matches.recentlyResolvedCount);
  if (resolved) sections.push(resolved);
  const links = sentences.links(main.service);
  if (links) sections.push(links);
  const shown = [main, ...others.slice(0, MAX_LISTED), ...matches.recentlyResolved.slice(0, MAX_LISTED)];
  return {
    kind: 'incidents',
    headline: sentences.headline(main),
    status: main.status,
    sections,
    source: sourceOf(main),
    incidents: shown.map((i) => i.id),
  };
}
