/**
 * The sentences about one incident: headline, who is affected, since when, cause, latest
 * official update, expected recovery, advice. Each says only what the incident or the
 * content holds.
 */
import type { Service } from '../content/schemas.js';
import type { Incident, IncidentUpdate } from '../incidents/schema.js';
import type { Gazetteer } from '../places/gazetteer.js';
import type { Language, Level, ReplySection, ReplyStatus } from '../base/types.js';
import { LEVELS } from '../base/types.js';
import { spanEnd } from '../base/precision.js';
import { capitalize, joinList, type Templates } from '../content/templates.js';
import type { PlacePhrases } from './place-phrases.js';
import type { TimePhrases } from '../content/time-phrases.js';

/** Statuspage colours, as emoji; white for unknown (nothing official either way). */
export const STATUS_EMOJI: Record<ReplyStatus, string> = {
  unknown: '⚪',
  operational: '🟢',
  under_maintenance: '🔧',
  degraded_performance: '🟡',
  partial_outage: '🟠',
  major_outage: '🔴',
};

/** What the incident sentences need. */
export interface SentenceDeps {
  templates: Templates;
  places: PlacePhrases;
  times: TimePhrases;
  gazetteer: Gazetteer;
  services: Map<string, Service>;
  /** Phrases already built per incident object (incidents are immutable values once indexed). */
  cache: WeakMap<Incident, Map<string, unknown>>;
}

/** The latest official update of an incident. */
export function latestUpdate(incident: Incident): IncidentUpdate | undefined {
  let latest = incident.updates[0];
  for (const u of incident.updates) if (latest === undefined || Date.parse(u.at) >= Date.parse(latest.at)) latest = u;
  return latest;
}

/** Sentences about incidents in one language at one moment. */
export class IncidentSentences {
  private readonly prefix: string;

  constructor(
    private readonly deps: SentenceDeps,
    readonly lang: Language,
    readonly now: Date,
  ) {
    this.prefix = `${lang}|${deps.times.day(now)}|`;
  }

  /** A phrase about an incident, built once per language and day of the question. */
  private memo<T>(incident: Incident, name: string, make: () => T): T {
    let phrases = this.deps.cache.get(incident);
    if (!phrases) {
      phrases = new Map();
      this.deps.cache.set(incident, phrases);
    }
    const key = this.prefix + name;
    if (phrases.has(key)) return phrases.get(key) as T;
    const value = make();
    phrases.set(key, value);
    return value;
  }

  t(key: string, vars?: Record<string, string | number>): string {
    return this.deps.templates.t(this.lang, key, vars);
  }
  section(key: string, text: string): ReplySection {
    return { key, title: this.t(`section.${key}`), text };
  }
  /** The service's short name, or its id when the catalogue does not know it. */
  serviceName(id: string): string {
    return this.deps.services.get(id)?.short[this.lang] ?? id;
  }

  headline(incident: Incident): string {
    return this.memo(incident, 'headline', () => this.makeHeadline(incident));
  }
  private makeHeadline(incident: Incident): string {
    return this.t('headline.incident', {
      emoji: STATUS_EMOJI[incident.status],
      service: this.serviceName(incident.service),
      status: this.t(`status.${incident.status}`),
      where: this.deps.places.scope(this.lang, incident.scope.places),
    });
  }

  /** One line for a list of other incidents. */
  item(incident: Incident): string {
    return this.memo(incident, 'item', () => this.makeItem(incident));
  }
  private makeItem(incident: Incident): string {
    return this.t('also.item', {
      emoji: STATUS_EMOJI[incident.status],
      service: this.serviceName(incident.service),
      status: this.t(`status.${incident.status}`),
      where: this.deps.places.scope(this.lang, incident.scope.places),
      when: this.deps.times.when(this.lang, incident.startedAt, this.now, incident.startPrecision),
    });
  }

  /** "🟢 ENT : rétabli en Occitanie à 17 h 30": a resolution, said as such. */
  restoredHeadline(incident: Incident): string {
    return this.memo(incident, 'restoredHeadline', () =>
      this.t('headline.restored', {
        service: this.serviceName(incident.service),
        where: this.deps.places.scope(this.lang, incident.scope.places),
        at: this.resolvedAt(incident),
      }),
    );
  }

  resolvedItem(incident: Incident): string {
    return this.memo(incident, 'resolvedItem', () => this.makeResolvedItem(incident));
  }
  private makeResolvedItem(incident: Incident): string {
    return this.t('resolved.item', {
      service: this.serviceName(incident.service),
      where: this.deps.places.scope(this.lang, incident.scope.places),
      at: this.resolvedAt(incident),
    });
  }

  /** "à 18 h 30", or the span its source gave ("ce soir") when the resolution's update has a precision. */
  private resolvedAt(incident: Incident): string {
    const iso = incident.resolvedAt ?? incident.startedAt;
    const precision = incident.resolvedAt === null ? incident.startPrecision : incident.updates.find((u) => u.at === iso)?.precision;
    return this.deps.times.at(this.lang, iso, this.now, precision);
  }

  scope(incident: Incident): ReplySection {
    return this.memo(incident, 'scope', () => this.makeScope(incident));
  }
  private makeScope(incident: Incident): ReplySection {
    const service = this.deps.services.get(incident.service);
    const levels: readonly Level[] =
      incident.scope.levels.length > 0 ? incident.scope.levels : service?.levels.length ? service.levels : [];
    const levelText =
      levels.length === 0
        ? this.t('level.all')
        : joinList(this.deps.templates, this.lang, LEVELS.filter((l) => levels.includes(l)).map((l) => this.t(`level.${l}`)));
    const parts = [capitalize(this.t('scope.text', { levels: levelText, where: this.deps.places.scope(this.lang, incident.scope.places) }))];
    const brand = this.brand(service, incident, levels);
    if (brand) parts.push(this.t('scope.brand', { brand }));
    const kinds = new Set(incident.scope.places.map((p) => p.kind));
    if (service && service.brands.length > 0 && kinds.size === 1 && (kinds.has('region') || kinds.has('departement'))) {
      parts.push(this.t(kinds.has('region') ? 'scope.owner_region' : 'scope.owner_departement'));
    } else if (service) {
      parts.push(this.t('scope.operator', { operator: service.operator[this.lang] }));
    }
    return this.section('scope', parts.join(' '));
  }

  since(incident: Incident): ReplySection {
    return this.memo(incident, 'since', () => this.makeSince(incident));
  }
  private makeSince(incident: Incident): ReplySection {
    return this.section('since', this.deps.times.since(this.lang, incident.startedAt, this.now, incident.startPrecision));
  }

  cause(incident: Incident): ReplySection {
    return this.memo(incident, 'cause', () => this.makeCause(incident));
  }
  private makeCause(incident: Incident): ReplySection {
    const text = this.t('cause.text', { cause: this.t(`cause.${incident.cause}`), phase: this.t(`phase.${incident.phase}`) });
    return this.section('cause', capitalize(text));
  }

  update(incident: Incident): ReplySection | null {
    return this.memo(incident, 'update', () => this.makeUpdate(incident));
  }
  private makeUpdate(incident: Incident): ReplySection | null {
    const u = latestUpdate(incident);
    if (!u) return null;
    const at = capitalize(this.deps.times.at(this.lang, u.at, this.now, u.precision));
    return this.section('update', this.t('update.text', { at, source: u.source.name, text: u.text[this.lang].trim() }));
  }

  /**
   * The expected recovery as announced; once its time has passed without a newer word, it is
   * said as such ("annoncé pour 8 h, sans nouvelle information depuis"), never as a promise.
   * An announced span ("dès demain matin") is said as a span, and passes once it is over.
   */
  recovery(incident: Incident): ReplySection {
    const r = incident.expectedRecovery;
    const passed = r?.at != null && spanEnd(r.at, r.precision) <= this.now.getTime();
    return this.memo(incident, passed ? 'recovery.passed' : 'recovery', () => this.makeRecovery(incident, passed));
  }
  private makeRecovery(incident: Incident, passed: boolean): ReplySection {
    const r = incident.expectedRecovery;
    if (!r) return this.section('recovery', this.t('recovery.none'));
    const text = r.text[this.lang].trim();
    if (r.at === null) return this.section('recovery', this.t('recovery.text', { text }));
    if (passed) return this.section('recovery', capitalize(this.t('recovery.passed', { when: this.deps.times.when(this.lang, r.at, this.now, r.precision) })));
    if (r.precision) return this.section('recovery', this.t('recovery.approx', { when: this.deps.times.when(this.lang, r.at, this.now, r.precision), text }));
    return this.section('recovery', this.t('recovery.at', { at: this.deps.times.at(this.lang, r.at, this.now), text }));
  }

  /**
   * The incident's own advice (given with the official information), else the service's
   * self-help, titled as Vigie's own tip so it never reads as an official word; null when
   * neither exists.
   */
  advice(incident: Incident): ReplySection | null {
    return this.memo(incident, 'advice', () => this.makeAdvice(incident));
  }
  private makeAdvice(incident: Incident): ReplySection | null {
    const own = incident.advice?.[this.lang];
    if (own) return this.section('advice', own.trim());
    const selfHelp = this.deps.services.get(incident.service)?.selfHelp?.[this.lang];
    return selfHelp ? this.selfHelp(selfHelp) : null;
  }

  /** A service's self-help: Vigie's practical tip, said as such ("Conseil de Vigie"). */
  selfHelp(text: string): ReplySection {
    return { key: 'advice', title: this.t('section.advice_vigie'), text: text.trim() };
  }

  links(serviceId: string): ReplySection | null {
    const links = this.deps.services.get(serviceId)?.links ?? [];
    if (links.length === 0) return null;
    return this.section('links', links.map((l) => this.t('links.item', { label: l.label[this.lang], url: l.url })).join('\n'));
  }

  /** The brand of a regional/departmental service that covers the incident's places and levels. */
  private brand(service: Service | undefined, incident: Incident, levels: readonly Level[]): string | null {
    if (!service) return null;
    const regions = new Set<string>();
    const departements = new Set<string>();
    for (const place of incident.scope.places) {
      if (place.kind === 'region') regions.add(place.code);
      else if (place.kind === 'departement') {
        departements.add(place.code);
      } else if (place.kind === 'commune') {
        const c = this.deps.gazetteer.commune(place.code);
        if (c) departements.add(c.departement);
      } else return null;
    }
    const names = service.brands
      .filter((b) => levels.length === 0 || b.levels.length === 0 || b.levels.some((l) => levels.includes(l)))
      .filter((b) => {
        if (b.regions.some((r) => regions.has(r))) return true;
        if (b.departements.some((d) => departements.has(d))) return true;
        // A région-wide brand also serves the départements and communes inside it.
        return [...departements].some((d) => b.regions.includes(this.deps.gazetteer.departement(d)?.region ?? ''));
      })
      .map((b) => b.name);
    return names.length > 0 ? joinList(this.deps.templates, this.lang, names) : null;
  }
}
