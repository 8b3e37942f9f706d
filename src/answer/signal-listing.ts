/**
 * What `vigie signals` and the console's /signaux show (#15): open crowd signals (service,
 * place, strength, reporters, first seen, top places), alert groups and probe states, in the
 * words of content/messages and Paris time. Counts and places only: nothing people wrote.
 */
import type { Language } from '../base/types.js';
import type { Templates } from '../content/templates.js';
import type { Gazetteer } from '../places/gazetteer.js';
import type { SignalsSnapshot } from '../signals/service.js';
import { createPlacePhrases } from './place-phrases.js';
import { neutralizeMentions } from './safe-text.js';
import { createTimePhrases } from '../content/time-phrases.js';
import { formatParisClock } from './render-text.js';

/** The listing's lines: a header, one line per open signal, then groups and probes (indented items). */
export function signalLines(
  snapshot: SignalsSnapshot,
  language: Language,
  deps: { templates: Templates; gazetteer: Gazetteer; serviceName: (id: string) => string },
): string[] {
  const t = (key: string, vars?: Record<string, string | number>) => deps.templates.t(language, key, vars);
  const places = createPlacePhrases(deps.templates, deps.gazetteer);
  const times = createTimePhrases(deps.templates);
  const now = snapshot.at;
  const when = (d: Date) => times.when(language, d.toISOString(), now);
  const lines: string[] = [];
  const time = formatParisClock(now, language);
  lines.push(t(snapshot.episodes.length > 0 ? 'signals.header' : 'signals.none', { time }));
  // A replayed scenario's reconstructed reports: its label, before any count.
  if (snapshot.reconstructed) lines.push(t('signals.reconstructed', { label: snapshot.reconstructed[language] }));
  for (const e of snapshot.episodes) {
    const top = e.topPlaces.map((p) => t('signals.top_place', { place: p.place.name, count: p.reporters }));
    lines.push(
      `• ${t('signals.episode', {
        service: deps.serviceName(e.service),
        // A count over France is "en France", not "dans toute la France" (its top places say where).
        where: e.place.kind === 'national' ? t('signal.where_national') : places.phrase(language, e.place),
        strength: t(`signals.strength.${e.current === 'calm' ? 'calm' : e.strength}`),
        reporters: e.reporters,
        total: e.total,
        since: when(e.firstSeen),
        top: top.length > 0 ? t('signals.top', { places: top.join(', ') }) : '',
      })}`,
    );
  }
  // Related signals sent to operators as one alert (one provider in several régions, two
  // services in one académie). A group of one signal says nothing its line has not said.
  const related = snapshot.groups.filter((g) => g.episodes.filter((e) => e.state === 'open').length > 1);
  if (related.length > 0) {
    lines.push(t('signals.groups'));
    for (const g of related) {
      const open = g.episodes.filter((e) => e.state === 'open');
      lines.push(
        `• ${t('signals.group', {
          services: g.services.map(deps.serviceName).join(', '),
          places: [...new Set(open.map((e) => (e.place.kind === 'national' ? t('signal.where_national') : places.phrase(language, e.place))))].join(', '),
          count: open.length,
          strength: t(`signals.strength.${g.strength}`),
          since: when(g.firstSeen),
        })}`,
      );
    }
  }
  if (snapshot.probes.length === 0) lines.push(t('signals.probes_none'));
  else {
    lines.push(t('signals.probes'));
    for (const p of snapshot.probes) {
      lines.push(`• ${t('signals.probe', { probe: p.probe, service: deps.serviceName(p.service), state: t(`signals.probe.${p.state}`), since: when(p.since) })}`);
    }
  }
  return lines.map((l) => neutralizeMentions(l));
}
