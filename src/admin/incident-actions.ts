/**
 * Admin actions on incidents: preview (how answers will look, nothing stored), apply
 * (stored, audited, answers change at once), refuse (audited). Permission checks live in
 * the adapters, which know their platform's roles; everything else is here, once.
 */
import type { Service } from '../content/schemas.js';
import type { Templates } from '../content/templates.js';
import type { Answerer } from '../answer/index.js';
import type { Gazetteer } from '../places/gazetteer.js';
import { IncidentIndex, type Incident } from '../incidents/index.js';
import type { Store, StoreTx } from '../store/index.js';
import type { IncidentSource } from '../sources/incident-source.js';
import type { Understander } from '../understand/index.js';
import type { Language, Reply } from '../base/types.js';
import { failure, uniqueFailures, type Failure } from '../base/errors.js';
import { neutralizeMentions } from '../answer/safe-text.js';
import type { Actor } from '../base/types.js';
import { buildIncident, parseAdminInput, type AdminIncidentInput, type BuildDeps, type BuildResult, type FieldNamer } from './incident-input.js';
import { resolvePlaces } from './resolve-places.js';

/** What an admin action gives back. */
export type AdminOutcome =
  | { ok: true; action: AdminIncidentInput['action']; incident: Incident; reply: Reply }
  | {
      ok: false;
      /** Each problem, coded and about its field when it has one: what callers branch on. */
      failures: Failure[];
      /** The failures' texts, in order (what the admin reads). */
      errors: string[];
      reply: Reply;
      /** Set when refused because this identical incident is open (failure INCIDENT_DUPLICATE_OPEN). */
      duplicateOf?: string;
    };

/** What admin actions need from the rest of the core. */
export interface AdminDeps {
  store: Store;
  source: IncidentSource;
  templates: Templates;
  understander: Understander;
  answerer: Answerer;
  gazetteer: Gazetteer;
  services: ReadonlyMap<string, Service>;
  now: () => Date;
}

/** Opens, updates and resolves incidents for admins. */
/** Who did it, as the audit log names them: "T123/U456" for a user of a workspace. */
export function auditActor(actor: Actor): { platform: string; user: string } {
  return { platform: actor.platform, user: actor.workspace ? `${actor.workspace}/${actor.user}` : actor.user };
}

export class AdminIncidents {
  constructor(private readonly deps: AdminDeps) {}

  /** Validates and builds the incident, and shows how answers will read; stores nothing. */
  async preview(raw: unknown, actor: Actor, lang: Language, fieldName?: FieldNamer): Promise<AdminOutcome> {
    return this.prepare(raw, actor, lang, fieldName);
  }

  /**
   * Validates, stores and audits; the answers change at once. With `tx`, everything happens
   * in the caller's transaction (a notice and its incident land together); otherwise in one
   * of its own. The incident is read again inside the transaction, so a concurrent update
   * is built upon, never overwritten.
   */
  async apply(raw: unknown, actor: Actor, lang: Language, fieldName?: FieldNamer, tx?: StoreTx): Promise<AdminOutcome> {
    const outcome = tx ? await this.applyIn(raw, actor, lang, fieldName, tx) : await this.deps.store.write((t) => this.applyIn(raw, actor, lang, fieldName, t));
    if (!outcome.ok) {
      await this.audit(actor, `incident.${actionOf(raw)}`, 'failed', undefined, outcome.errors.join(' | '), tx);
      return outcome;
    }
    this.deps.source.invalidate();
    return outcome;
  }

  private async applyIn(raw: unknown, actor: Actor, lang: Language, fieldName: FieldNamer | undefined, tx: StoreTx): Promise<AdminOutcome> {
    const outcome = await this.prepare(raw, actor, lang, fieldName, tx);
    if (!outcome.ok) return outcome;
    const incident = outcome.action === 'open' ? { ...outcome.incident, id: await this.freshId(outcome.incident, tx) } : outcome.incident;
    await this.deps.store.incidents.put(incident, tx);
    await this.audit(actor, `incident.${outcome.action}`, 'ok', incident.id, `${incident.status}/${incident.phase}`, tx);
    const t = this.deps.templates;
    const reply = {
      ...outcome.reply,
      headline: t.t(lang, 'admin.applied', { action: t.t(lang, `admin.action.${outcome.action}`), id: incident.id }),
    };
    return { ok: true, action: outcome.action, incident, reply };
  }

  /** Records a refused attempt and returns the refusal to show. */
  async refuse(actor: Actor, action: string, lang: Language): Promise<Reply> {
    await this.audit(actor, action.slice(0, 80), 'refused');
    const t = this.deps.templates;
    return message(lang, this.deps.now(), t.t(lang, 'admin.refused.headline'), t.t(lang, 'admin.refused.title'), t.t(lang, 'admin.refused.text'), 'error');
  }

  /** Incidents not yet resolved, most recent first, for update and resolve pickers. */
  async openIncidents(): Promise<Incident[]> {
    return this.deps.store.incidents.listOpen();
  }

  private async prepare(raw: unknown, actor: Actor, lang: Language, fieldName?: FieldNamer, tx?: StoreTx): Promise<AdminOutcome> {
    const t = this.deps.templates;
    const now = this.deps.now();
    const parsed = parseAdminInput(raw, lang, t, fieldName);
    const deps: BuildDeps = {
      templates: t,
      serviceIds: new Set(this.deps.services.keys()),
      resolvePlaces: (text) => resolvePlaces(text, this.deps.understander, this.deps.gazetteer),
      serviceShort: (id, l) => this.deps.services.get(id)?.short[l] ?? id,
      ...(fieldName ? { fieldName } : {}),
    };
    if (!parsed.ok) {
      // Every problem at once: what zod refused, and what the rest of the form still shows.
      const rest = parsed.partial ? await this.build(parsed.partial, actor, now, lang, deps, tx) : null;
      return this.invalid(lang, now, uniqueFailures([...parsed.failures, ...(rest && !rest.ok ? rest.failures : [])]));
    }
    const input = parsed.input;
    const built = await this.build(input, actor, now, lang, deps, tx);
    if (!built.ok) return this.invalid(lang, now, built.failures);
    // Answers would list both: an identical incident is updated, not opened again, unless forced.
    if (input.action === 'open' && input.force !== true) {
      const same = await this.identicalOpen(built.incident, tx);
      if (same) {
        const refused = this.invalid(lang, now, [failure('INCIDENT_DUPLICATE_OPEN', duplicateOpen(t, lang, actor, same))]);
        return refused.ok ? refused : { ...refused, duplicateOf: same.id };
      }
    }
    const incident = { ...built.incident, id: built.incident.id || 'preview' };
    const place = incident.scope.places[0];
    const ref = place ? this.deps.gazetteer.get(place.kind, place.code) : null;
    const index = new IncidentIndex([incident], this.deps.gazetteer);
    const answer = this.deps.answerer.answer(
      { text: '', language: lang, intent: 'status', service: incident.service, level: null, place: ref, alternatives: [], unknownPlace: null, truncated: false },
      index,
      now,
    );
    // An admin checks every word of it: the preview is the whole answer, not its first message.
    const { brief: _brief, followUp: _followUp, ...whole } = answer;
    const reply: Reply = { ...whole, actions: whole.actions.filter((a) => a.id !== 'more'), headline: `${t.t(lang, 'admin.preview', { action: t.t(lang, `admin.action.${input.action}`) })} ${answer.headline}` };
    return { ok: true, action: input.action, incident: built.incident, reply };
  }

  private async build(input: AdminIncidentInput, actor: Actor, now: Date, lang: Language, deps: BuildDeps, tx?: StoreTx): Promise<BuildResult> {
    const existing = input.id ? await this.deps.store.incidents.get(input.id, tx) : null;
    return buildIncident(input, existing, actor, now, lang, deps);
  }

  /** An open incident with the same service, places and levels, if any. */
  private async identicalOpen(incident: Incident, tx?: StoreTx): Promise<Incident | null> {
    const key = sameness(incident);
    return (await this.deps.store.incidents.listOpen(tx)).find((i) => i.id !== incident.id && sameness(i) === key) ?? null;
  }

  private invalid(lang: Language, now: Date, failures: Failure[]): AdminOutcome {
    const t = this.deps.templates;
    const errors = failures.map((f) => f.text);
    const text = errors.map((e) => `• ${e}`).join('\n');
    return { ok: false, failures, errors, reply: message(lang, now, t.t(lang, 'admin.invalid.headline'), t.t(lang, 'admin.invalid.title'), text, 'clarify') };
  }

  /** A readable, unique id: "ent-occitanie-20200317-0900". */
  private async freshId(incident: Incident, tx: StoreTx): Promise<string> {
    const place = incident.scope.places[0];
    const name = place ? (this.deps.gazetteer.get(place.kind, place.code)?.name ?? place.code) : 'fr';
    const slug = name
      .normalize('NFKD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40);
    const stamp = incident.startedAt.slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
    const base = `${incident.service}-${slug || 'fr'}-${stamp}`;
    let id = base;
    for (let n = 2; (await this.deps.store.incidents.get(id, tx)) !== null; n++) id = `${base}-${n}`;
    return id;
  }

  private async audit(actor: Actor, action: string, outcome: 'ok' | 'refused' | 'failed', target?: string, detail?: string, tx?: StoreTx): Promise<void> {
    await this.deps.store.audit.append(
      {
      actor: auditActor(actor),
      action,
      outcome,
      ...(target ? { target } : {}),
      ...(detail ? { detail: detail.slice(0, 500) } : {}),
      },
      tx,
    );
  }
}

function actionOf(raw: unknown): string {
  const action = (raw as { action?: unknown } | null)?.action;
  return typeof action === 'string' && /^(open|update|resolve)$/.test(action) ? action : 'unknown';
}

function message(lang: Language, now: Date, headline: string, title: string, text: string, kind: Reply['kind']): Reply {
  return {
    kind,
    language: lang,
    headline: neutralizeMentions(headline),
    status: null,
    sections: [{ key: 'admin', title, text: neutralizeMentions(text) }],
    source: null,
    time: now.toISOString(),
    actions: [],
    incidents: [],
  };
}

/** What makes two incidents the same for answers: service, places and levels (order aside). */
function sameness(incident: Incident): string {
  const places = incident.scope.places.map((p) => `${p.kind}:${p.code}`).sort().join(',');
  return `${incident.service}|${places}|${[...incident.scope.levels].sort().join(',')}`;
}

/** The refusal of a duplicate opening: the open incident's id, how to update it and how to force, for the admin's surface. */
function duplicateOpen(t: Templates, lang: Language, actor: Actor, open: Incident): string {
  const surface = actor.platform === 'slack' || actor.platform === 'discord' ? actor.platform : 'cli';
  return t.t(lang, 'admin.error.duplicate_open', {
    id: open.id,
    title: open.title[lang],
    how: t.t(lang, `admin.duplicate.update.${surface}`, { id: open.id }),
    force: t.t(lang, `admin.duplicate.force.${surface}`),
  });
}
