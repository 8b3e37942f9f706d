/**
 * Publishing a notice: validate, open/update/resolve its incident through the admin path,
 * find the channels, and write the notice and one delivery per channel to the outbox
 * before saying "published". The dispatcher delivers them afterwards.
 */
import { randomBytes } from 'node:crypto';
import type { AdminOutcome } from '../admin/incidents.js';
import type { Actor, FieldNamer } from '../admin/incident-input.js';
import type { Incident } from '../incidents/schema.js';
import type { Store } from '../store/index.js';
import type { Language, Reply } from '../types.js';
import { channelKey, type Delivery, type DeliveryKind } from '../delivery/delivery.js';
import { Outbox } from '../delivery/outbox.js';
import type { IncidentSnapshot, Notice } from './notice.js';
import { noticeMessages, type NoticeMessages } from './message.js';
import { countByPlatform, planTargets, type Target } from './targeting.js';
import { incidentInputOf, noticeFieldName, readNotice, type ValidateDeps } from './validate.js';
import { noticeText } from './words.js';

/** What publishing needs from the rest of the core (the Bot has all of it). */
export interface NoticeDeps extends ValidateDeps {
  store: Store;
  previewIncident(input: unknown, actor: Actor, lang: Language, fieldName?: FieldNamer): Promise<AdminOutcome>;
  applyIncident(input: unknown, actor: Actor, lang: Language, fieldName?: FieldNamer): Promise<AdminOutcome>;
  now(): Date;
  /** The language deliveries are written in first (the other follows); default 'fr'. */
  deliveryLanguage?: Language;
}

/** What publishing (or previewing) a notice gives back. */
export type NoticeOutcome =
  | {
      ok: true;
      dryRun: boolean;
      notice: Notice;
      /** Channels per platform, and how many get an edit + thread reply rather than a new post. */
      targets: { total: number; byPlatform: Record<string, number>; updates: number };
      /** How the notice will read in a channel. */
      messages: NoticeMessages;
      reply: Reply;
    }
  | { ok: false; errors: string[]; reply: Reply };

/** Publishes notices for admins (permission checks stay in the adapters and the CLI). */
export class NoticePublisher {
  readonly outbox: Outbox;
  constructor(private readonly deps: NoticeDeps) {
    this.outbox = new Outbox(deps.store);
  }

  /** Validates and counts the channels; stores nothing. */
  preview(raw: unknown, actor: Actor, lang: Language): Promise<NoticeOutcome> {
    return this.run(raw, actor, lang, false);
  }

  /** Validates, applies the incident, writes the notice and its deliveries, audits. */
  publish(raw: unknown, actor: Actor, lang: Language): Promise<NoticeOutcome> {
    return this.run(raw, actor, lang, true);
  }

  private async run(raw: unknown, actor: Actor, lang: Language, apply: boolean): Promise<NoticeOutcome> {
    const now = this.deps.now();
    const read = readNotice(raw, lang, this.deps);
    const readable = read.ok ? read : read.partial;
    const errors = read.ok ? [] : [...read.errors];
    let incident: Incident | null = null;
    // The incident's own checks (times, ids) run even when the notice has other problems, so
    // the admin sees everything to fix at once.
    const incidentInput = readable ? incidentInputOf(readable.input, readable.places) : null;
    if (readable && incidentInput) {
      const previewed = await this.deps.previewIncident(incidentInput, actor, lang, noticeFieldName(readable.input));
      if (!previewed.ok) errors.push(...previewed.errors);
      else incident = previewed.incident;
    }
    if (!read.ok || errors.length > 0) return this.refused(actor, lang, now, [...new Set(errors)], apply);
    const { input } = read;
    const seq = apply ? await this.outbox.nextSeq() : 0;
    const author = { platform: actor.platform, user: actor.workspace ? `${actor.workspace}/${actor.user}` : actor.user, ...(actor.name ? { name: actor.name } : {}) };
    let notice: Notice = {
      id: apply ? `n${String(seq).padStart(4, '0')}-${randomBytes(2).toString('hex')}` : 'preview',
      seq: Math.max(seq, 1),
      state: 'draft',
      services: incident ? [incident.service] : (input.services ?? []),
      places: incident ? incident.scope.places : read.places.map((p) => ({ kind: p.kind, code: p.code })),
      levels: incident ? incident.scope.levels : (input.levels ?? []),
      audience: input.audience,
      status: incident?.status ?? input.status ?? null,
      phase: incident?.phase ?? input.phase ?? null,
      title: input.title ? { fr: input.title.fr, en: input.title.en ?? input.title.fr } : null,
      text: { fr: input.text.fr, en: input.text.en ?? input.text.fr },
      source: input.source ?? { name: actor.name ?? noticeText(this.deps.templates, lang, 'admin.default_source') },
      author,
      createdAt: now.toISOString(),
      publishedAt: null,
      incident: incident ? snapshotOf(incident, input.incident?.action ?? 'update') : null,
      targets: {},
    };
    const targets = planTargets(await this.deps.store.subscriptions.listAll(), notice, this.deps.gazetteer);
    notice.targets = countByPlatform(targets);
    const language = this.deps.deliveryLanguage ?? 'fr';

    if (!apply) {
      const kinds = await this.kinds(notice.incident?.id ?? null, targets);
      return this.success(notice, targets, kinds, lang, false);
    }
    // Draft first: if the process dies before the deliveries are all written, nothing is sent.
    notice = await this.outbox.saveNotice(notice);
    if (incidentInput) {
      const applied = await this.deps.applyIncident(incidentInput, actor, lang, noticeFieldName(input));
      if (!applied.ok) return this.refused(actor, lang, now, applied.errors, true);
      notice = await this.outbox.saveNotice({ ...notice, incident: snapshotOf(applied.incident, incidentInput.action) });
    }
    const kinds = await this.kinds(notice.incident?.id ?? null, targets);
    const stamp = now.toISOString();
    for (const [i, target] of targets.entries()) {
      const delivery: Delivery = {
        id: `${notice.id}.${String(i + 1).padStart(5, '0')}`,
        noticeId: notice.id,
        subscriptionIds: target.subscriptionIds,
        platform: target.platform,
        workspace: target.workspace,
        channel: target.channel,
        language,
        incidentId: notice.incident?.id ?? null,
        kind: kinds[i] ?? 'post',
        state: 'pending',
        attempts: 0,
        lastError: null,
        edited: false,
        messageRef: null,
        rootRef: null,
        createdAt: stamp,
        updatedAt: stamp,
        deliveredAt: null,
      };
      await this.outbox.saveDelivery(delivery);
    }
    notice = await this.outbox.saveNotice({ ...notice, state: 'published', publishedAt: stamp });
    await this.deps.store.audit.append({
      actor: { platform: actor.platform, user: author.user },
      action: 'notice.publish',
      outcome: 'ok',
      target: notice.id,
      detail: `${targets.length} channel(s)${notice.incident ? ` · incident ${notice.incident.action} ${notice.incident.id}` : ''}`,
    });
    return this.success(notice, targets, kinds, lang, true);
  }

  /** Post or update per target: an update when the channel already has (or will have) the incident's message. */
  private async kinds(incidentId: string | null, targets: readonly Target[]): Promise<DeliveryKind[]> {
    if (!incidentId) return targets.map(() => 'post');
    const earlier = new Set(
      (await this.outbox.listDeliveries())
        .filter((d) => d.incidentId === incidentId && d.state !== 'failed')
        .map((d) => channelKey(d)),
    );
    const out: DeliveryKind[] = [];
    for (const t of targets) {
      const known = earlier.has(channelKey(t)) || (await this.outbox.getRoot(incidentId, t)) !== null;
      out.push(known ? 'update' : 'post');
    }
    return out;
  }

  private success(notice: Notice, targets: Target[], kinds: DeliveryKind[], lang: Language, published: boolean): NoticeOutcome {
    const t = (key: string, vars?: Record<string, string | number>) => noticeText(this.deps.templates, lang, key, vars);
    const byPlatform = countByPlatform(targets);
    const platforms = Object.entries(byPlatform).map(([p, n]) => `${p} ${n}`).join(', ') || t('notice.targets.none');
    const messages = noticeMessages(notice, lang, this.deps.templates);
    const headline = published ? t('notice.published', { id: notice.id, total: targets.length, platforms }) : t('notice.preview', { total: targets.length, platforms });
    const reply: Reply = { ...messages.root, headline: `${headline}\n${messages.root.headline}` };
    const updates = kinds.filter((k) => k === 'update').length;
    return { ok: true, dryRun: !published, notice, targets: { total: targets.length, byPlatform, updates }, messages, reply };
  }

  private async refused(actor: Actor, lang: Language, now: Date, errors: string[], audit: boolean): Promise<NoticeOutcome> {
    if (audit) {
      await this.deps.store.audit.append({
        actor: { platform: actor.platform, user: actor.workspace ? `${actor.workspace}/${actor.user}` : actor.user },
        action: 'notice.publish',
        outcome: 'failed',
        detail: errors.join(' | ').slice(0, 500),
      });
    }
    const t = (key: string) => noticeText(this.deps.templates, lang, key);
    const reply: Reply = {
      kind: 'clarify',
      language: lang,
      headline: t('notice.invalid'),
      status: null,
      sections: [{ key: 'errors', title: t('notice.invalid.title'), text: errors.map((e) => `• ${e}`).join('\n') }],
      source: null,
      time: now.toISOString(),
      actions: [],
      incidents: [],
    };
    return { ok: false, errors, reply };
  }
}

function snapshotOf(incident: Incident, action: IncidentSnapshot['action']): IncidentSnapshot {
  const recovery = incident.expectedRecovery?.text;
  return {
    id: incident.id || 'preview',
    action,
    title: incident.title,
    status: incident.status,
    phase: incident.phase,
    startedAt: incident.startedAt,
    recovery: recovery && recovery.fr !== '—' ? recovery : null,
    advice: incident.advice,
  };
}
