/**
 * Publishing a notice: validate, open/update/resolve its incident through the admin path,
 * find the channels, and write the notice and one delivery per channel to the outbox
 * before saying "published". The dispatcher delivers them afterwards.
 */
import type { AdminOutcome } from '../admin/incident-actions.js';
import type { Actor } from '../base/types.js';
import type { FieldNamer } from '../admin/incident-input.js';
import type { Incident } from '../incidents/schema.js';
import type { Store, StoreTx } from '../store/index.js';
import type { Language, Reply } from '../base/types.js';
import { uniqueFailures, type Failure } from '../base/errors.js';
import { channelKey, type Delivery, type DeliveryKind } from '../store/delivery.js';
import type { IncidentSnapshot, Notice } from '../store/notice.js';
import { noticeMessages, type NoticeMessages } from './message.js';
import { countByPlatform, countTargets, planTargets, spreadWorkspaces, type Target, type TargetCount } from './targeting.js';
import { incidentInputOf, noticeFieldName, readNotice, type ValidateDeps } from './validate.js';

/** What publishing needs from the rest of the core (the Bot has all of it). */
export interface NoticeDeps extends ValidateDeps {
  store: Store;
  previewIncident(input: unknown, actor: Actor, lang: Language, fieldName?: FieldNamer): Promise<AdminOutcome>;
  applyIncident(input: unknown, actor: Actor, lang: Language, fieldName: FieldNamer | undefined, tx: StoreTx): Promise<AdminOutcome>;
  now(): Date;
  /** The language deliveries are written in first (the other follows); default 'fr'. */
  deliveryLanguage?: Language;
  /** How long deliveries keep being retried after publication (default 24 h). */
  deliveryDeadlineMs?: number;
}

/** How long a notice stays worth delivering, by default. */
export const DEFAULT_DELIVERY_DEADLINE_MS = 24 * 3600_000;

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
      /** True when this notice was already published (same idempotency key): nothing new was written. */
      duplicate?: boolean;
    }
  | {
      ok: false;
      /** Each problem, coded and about its field when it has one: what callers branch on. */
      failures: Failure[];
      /** The failures' texts, in order (what the admin reads). */
      errors: string[];
      reply: Reply;
      /** Set when refused because this identical incident is already open (failure INCIDENT_DUPLICATE_OPEN). */
      openIncident?: string;
    };

/** Options of a publication. */
export interface PublishOptions {
  /**
   * Recognises a notice published again (a retried form, the same file after a crash): a
   * second publication with the same key returns the first one and writes nothing.
   */
  idempotencyKey?: string;
  /** Opens the incident even when an identical one is open (`--force`). */
  force?: boolean;
}

/** Publishes notices for admins (permission checks stay in the adapters and the CLI). */
export class NoticePublisher {
  constructor(private readonly deps: NoticeDeps) {}

  /** Validates and counts the channels; stores nothing. */
  preview(raw: unknown, actor: Actor, lang: Language, options: Pick<PublishOptions, 'force'> = {}): Promise<NoticeOutcome> {
    return this.run(raw, actor, lang, false, options);
  }

  /**
   * Validates, then in one transaction applies the incident, numbers the notice and writes
   * it with one delivery per channel, and audits: a publisher that dies halfway leaves
   * nothing behind, and "published" is said only once all of it is on disk.
   */
  publish(raw: unknown, actor: Actor, lang: Language, options: PublishOptions = {}): Promise<NoticeOutcome> {
    return this.run(raw, actor, lang, true, options);
  }

  private async run(raw: unknown, actor: Actor, lang: Language, apply: boolean, options: PublishOptions): Promise<NoticeOutcome> {
    const now = this.deps.now();
    const read = readNotice(raw, lang, this.deps);
    const readable = read.ok ? read : read.partial;
    const errors = read.ok ? [] : [...read.failures];
    let incident: Incident | null = null;
    let openIncident: string | undefined;
    // The incident's own checks (times, ids) run even when the notice has other problems, so
    // the admin sees everything to fix at once.
    const incidentInput = readable ? incidentInputOf(readable.input, readable.places) : null;
    if (incidentInput && options.force) incidentInput.force = true;
    // The same publication again (a retry, the same file twice) is recognised before any check:
    // its incident, already open, is not a duplicate of itself.
    if (apply && options.idempotencyKey) {
      const earlier = await this.deps.store.outbox.noticeByKey(options.idempotencyKey);
      if (earlier) return this.duplicate(earlier, lang);
    }
    if (readable && incidentInput) {
      const previewed = await this.deps.previewIncident(incidentInput, actor, lang, noticeFieldName(readable.input));
      if (!previewed.ok) {
        errors.push(...previewed.failures);
        openIncident = previewed.duplicateOf;
      }
      else incident = previewed.incident;
    }
    if (!read.ok || errors.length > 0) return this.refused(actor, lang, now, uniqueFailures(errors), apply, openIncident);
    const { input } = read;
    const author = { platform: actor.platform, user: actor.workspace ? `${actor.workspace}/${actor.user}` : actor.user, ...(actor.name ? { name: actor.name } : {}) };
    const draft = (id: string, seq: number, snapshot: Incident | null, action: IncidentSnapshot['action']): Notice => ({
      id,
      seq,
      state: apply ? 'published' : 'draft',
      services: snapshot ? [snapshot.service] : (input.services ?? []),
      places: snapshot ? snapshot.scope.places : read.places.map((p) => ({ kind: p.kind, code: p.code })),
      levels: snapshot ? snapshot.scope.levels : (input.levels ?? []),
      audience: input.audience,
      status: snapshot?.status ?? input.status ?? null,
      phase: snapshot?.phase ?? input.phase ?? null,
      title: input.title ? { fr: input.title.fr, en: input.title.en ?? input.title.fr } : null,
      text: { fr: input.text.fr, en: input.text.en ?? input.text.fr },
      source: input.source ?? { name: actor.name ?? this.deps.templates.t(lang, 'admin.default_source') },
      author,
      createdAt: now.toISOString(),
      publishedAt: apply ? now.toISOString() : null,
      incident: snapshot ? snapshotOf(snapshot, action) : null,
      targets: {},
    });
    const action = input.incident?.action ?? 'update';

    if (!apply) {
      const notice = draft('preview', 1, incident, action);
      // Counted, not planned: a preview builds no target per channel.
      const known = notice.incident ? await this.deps.store.outbox.channelsWithIncident(notice.incident.id) : new Set<string>();
      const count = countTargets(await this.candidatesOf(notice), notice, this.deps.gazetteer, this.deps.store.subscriptions.channels, known);
      notice.targets = count.byPlatform;
      return this.success(notice, count, lang, false);
    }

    // The channels are found before the write transaction (reading them can take a while and
    // must not hold the store's write lock), from the incident as previewed; numbered with
    // the workspaces spread out, so a fan-out's first claims reach every workspace.
    const targets = spreadWorkspaces(await this.targetsOf(draft('pending', 1, incident, action)));
    const language = this.deps.deliveryLanguage ?? 'fr';
    const deadline = new Date(now.getTime() + (this.deps.deliveryDeadlineMs ?? DEFAULT_DELIVERY_DEADLINE_MS)).toISOString();
    const key = options.idempotencyKey ?? null;
    const written = await this.deps.store.write(async (tx) => {
      if (key) {
        const earlier = await this.deps.store.outbox.noticeByKey(key, tx);
        if (earlier) return { duplicate: true as const, notice: earlier };
      }
      let snapshot: Incident | null = null;
      if (incidentInput) {
        const applied = await this.deps.applyIncident(incidentInput, actor, lang, noticeFieldName(input), tx);
        if (!applied.ok) return { duplicate: false as const, failures: applied.failures, openIncident: applied.duplicateOf };
        snapshot = applied.incident;
      }
      const seq = await this.deps.store.outbox.nextNoticeSeq(tx);
      const notice = draft(`n${String(seq).padStart(4, '0')}`, seq, snapshot, action);
      notice.targets = countByPlatform(targets);
      const known = notice.incident ? await this.deps.store.outbox.channelsWithIncident(notice.incident.id, tx) : new Set<string>();
      const kinds = kindsOf(targets, known, notice.incident !== null);
      const stamp = now.toISOString();
      const deliveries: Delivery[] = targets.map((target, i) => ({
        id: `${notice.id}.${String(i + 1).padStart(5, '0')}`,
        noticeId: notice.id,
        noticeSeq: seq,
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
        failingSince: null,
        edited: false,
        messageRef: null,
        rootRef: null,
        nextAttemptAt: stamp,
        deadlineAt: deadline,
        createdAt: stamp,
        updatedAt: stamp,
        deliveredAt: null,
      }));
      await this.deps.store.outbox.insert(notice, deliveries, tx, { idempotencyKey: key, deadlineAt: deadline });
      await this.deps.store.audit.append(
        {
          actor: { platform: actor.platform, user: author.user },
          action: 'notice.publish',
          outcome: 'ok',
          target: notice.id,
          detail: `${targets.length} channel(s)${notice.incident ? ` · incident ${notice.incident.action} ${notice.incident.id}` : ''}`,
        },
        tx,
      );
      return { duplicate: false as const, notice, targets: { total: targets.length, byPlatform: notice.targets, updates: kinds.filter((k) => k === 'update').length } };
      // On disk before the admin is told "published", even if the power goes next.
    }, { durable: true });
    if ('failures' in written) return this.refused(actor, lang, now, written.failures ?? [], true, written.openIncident);
    if (written.duplicate) return this.duplicate(written.notice, lang);
    return this.success(written.notice, written.targets, lang, true);
  }

  /** A notice published before with the same key: nothing new is written; its progress is told. */
  private async duplicate(notice: Notice, lang: Language): Promise<NoticeOutcome> {
    const progress = await this.deps.store.outbox.progress(notice.id);
    const byPlatform = progress ? Object.fromEntries(Object.entries(progress.byPlatform).map(([p, c]) => [p, c.delivered + c.failed + c.pending])) : {};
    const outcome = this.success(notice, { total: 0, byPlatform: {}, updates: 0 }, lang, true);
    const t = (k: string, vars?: Record<string, string | number>) => this.deps.templates.t(lang, k, vars);
    return outcome.ok
      ? { ...outcome, duplicate: true, targets: { total: progress?.total ?? 0, byPlatform, updates: 0 }, reply: { ...outcome.reply, headline: `${t('notice.duplicate', { id: notice.id })}\n${outcome.messages.root.headline}` } }
      : outcome;
  }

  /** The subscriptions that may match a notice (the store's prefilter; the exact rules come after). */
  private candidatesOf(notice: Notice) {
    const ancestors = notice.places.flatMap((p) => this.deps.gazetteer.ancestors(p));
    return this.deps.store.subscriptions.candidates({ services: notice.services, places: notice.places, ancestors });
  }

  /** The channels a notice reaches: candidates from the store, then the exact rules. */
  private async targetsOf(notice: Notice): Promise<Target[]> {
    return planTargets(await this.candidatesOf(notice), notice, this.deps.gazetteer, this.deps.store.subscriptions.channels);
  }

  private success(notice: Notice, targets: TargetCount, lang: Language, published: boolean): NoticeOutcome {
    const t = (key: string, vars?: Record<string, string | number>) => this.deps.templates.t(lang, key, vars);
    const { total, byPlatform, updates } = targets;
    const platforms = Object.entries(byPlatform).map(([p, n]) => `${p} ${n}`).join(', ') || t('notice.targets.none');
    const messages = noticeMessages(notice, lang, this.deps.templates);
    const headline = published ? t('notice.published', { id: notice.id, total, platforms }) : t('notice.preview', { total, platforms });
    const reply: Reply = { ...messages.root, headline: `${headline}\n${messages.root.headline}` };
    return { ok: true, dryRun: !published, notice, targets: { total, byPlatform: { ...byPlatform }, updates }, messages, reply };
  }

  private async refused(actor: Actor, lang: Language, now: Date, failures: Failure[], audit: boolean, openIncident?: string): Promise<NoticeOutcome> {
    const errors = failures.map((f) => f.text);
    if (audit) {
      await this.deps.store.audit.append({
        actor: { platform: actor.platform, user: actor.workspace ? `${actor.workspace}/${actor.user}` : actor.user },
        action: 'notice.publish',
        outcome: 'failed',
        detail: errors.join(' | ').slice(0, 500),
      });
    }
    const t = (key: string) => this.deps.templates.t(lang, key);
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
    return { ok: false, failures, errors, reply, ...(openIncident ? { openIncident } : {}) };
  }
}

/** Post or update per target: an update when the channel already has (or will have) the incident's message. */
function kindsOf(targets: readonly Target[], known: ReadonlySet<string>, hasIncident: boolean): DeliveryKind[] {
  return targets.map((t) => (hasIncident && known.has(channelKey(t)) ? 'update' : 'post'));
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
