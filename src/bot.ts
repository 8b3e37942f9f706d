/**
 * The facade adapters talk to: `bot.ask(inbound)` reads a question, finds the incidents in
 * effect, composes a Reply and remembers the conversation's context for follow-ups.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Clock } from './base/clock.js';
import type { Content } from './content/load.js';
import type { Gazetteer } from './places/gazetteer.js';
import { decodeChoice } from './answer/choices.js';
import type { Logger } from './base/logger.js';
import type { Store } from './store/index.js';
import { conversationKey } from './store/index.js';
import { keyPart } from './store/conversations.js';
import type { StoredConversationContext } from './store/conversations.js';
import type { IncidentSource } from './sources/incident-source.js';
import type { IncidentIndex } from './incidents/index.js';
import { createTemplates, type Templates } from './content/templates.js';
import { createAnswerer, errorReply, type Answerer } from './answer/index.js';
import { createUnderstander, type Understander } from './understand/index.js';
import type { ChannelPlatform, ConversationRef, DemoLabel, Inbound, Language, Localized, PlaceKind, PlaceRef, Query, Reply } from './base/types.js';
import type { BotAnswer, Core } from './core.js';
import type { Subscription } from './store/subscription-repository.js';
import type { Scenario } from './content/schemas.js';
import { replayScenario, scenarioTimeline, timedEvents } from './incidents/index.js';
import { loadScenario } from './content/load.js';
import type { Service } from './content/schemas.js';
import type { Incident } from './incidents/index.js';
import { suggesterFor } from './places/suggest.js';
import { SubscriptionManager, type SubscriptionOutcome } from './subscriptions/manage.js';
import { AdminIncidents, auditActor, type AdminOutcome } from './admin/incident-actions.js';
import type { Actor } from './base/types.js';
import { DEFAULT_DELIVERY_DEADLINE_MS, NoticePublisher, type NoticeOutcome, type PublishOptions } from './notices/publish.js';
import type { Notice } from './store/notice.js';
import type { NoticeProgress } from './store/outbox.js';
import { resolvePlaces } from './admin/resolve-places.js';
import { ReportDesk } from './signals/reports.js';
import type { SignalLookup, SignalsSnapshot } from './signals/service.js';
import { signalLines } from './answer/signal-listing.js';

export type { BotAnswer } from './core.js';

/** What the bot is built from. */
export interface BotDeps {
  content: Content;
  gazetteer: Gazetteer;
  store: Store;
  clock: Clock;
  source: IncidentSource;
  logger: Logger;
  /** The words of the content's messages; built from the content when not given (npm start hands the platforms' own). */
  templates?: Templates;
  /** Built from content and gazetteer when not given. */
  understander?: Understander;
  answerer?: Answerer;
  /** Where reports go (built on the store, with a random per-process secret, when not given). */
  reports?: ReportDesk;
}

/** The platform-neutral bot; platforms see it only as a `Core` (src/core.ts). */
export class Bot implements Core {
  readonly content: Content;
  readonly gazetteer: Gazetteer;
  readonly store: Store;
  readonly clock: Clock;
  readonly source: IncidentSource;
  readonly templates: Templates;
  private readonly logger: Logger;
  private readonly understander: Understander;
  private readonly answerer: Answerer;
  private readonly reports: ReportDesk;
  private readonly subscriptions: SubscriptionManager;
  private readonly admin: AdminIncidents;
  /** Crowd signals and probes, once a SignalsService runs (npm start); none before. */
  private signals: SignalLookup | null = null;
  private readonly notices: NoticePublisher;
  private readonly publishedListeners: ((notice: Notice) => void)[] = [];
  private readonly serviceById: ReadonlyMap<string, Service>;
  /** A number per incident index seen, for `statusVersion` (a new index per store change). */
  private readonly indexSerials = new WeakMap<IncidentIndex, number>();
  private lastIndexSerial = 0;
  /** Demo labels per scenario id and language (made once, frozen and shared). */
  private readonly demoLabels = new Map<string, DemoLabel>();

  constructor(deps: BotDeps) {
    this.content = deps.content;
    this.gazetteer = deps.gazetteer;
    this.store = deps.store;
    this.clock = deps.clock;
    this.source = deps.source;
    this.logger = deps.logger;
    this.templates = deps.templates ?? createTemplates(deps.content.messages);
    this.understander =
      deps.understander ??
      createUnderstander({
        gazetteer: deps.gazetteer,
        services: deps.content.services,
        // The reader never throws; a bug inside it is still worth a log line.
        onError: (error, text) => deps.logger.error('understanding failed', { error, length: text.length }),
      });
    this.answerer = deps.answerer ?? createAnswerer({ content: deps.content, gazetteer: deps.gazetteer, templates: this.templates });
    this.reports = deps.reports ?? new ReportDesk(deps.store.reports, { logger: deps.logger, places: deps.gazetteer });
    this.serviceById = new Map(deps.content.services.map((s) => [s.id, s]));
    const now = () => this.clock.now();
    const shared = { store: deps.store, understander: this.understander, gazetteer: deps.gazetteer, templates: this.templates, services: this.serviceById, now };
    this.subscriptions = new SubscriptionManager(shared);
    this.admin = new AdminIncidents({ ...shared, source: deps.source, answerer: this.answerer });
    this.notices = new NoticePublisher({
      store: deps.store,
      gazetteer: deps.gazetteer,
      templates: this.templates,
      serviceIds: new Set(this.serviceById.keys()),
      resolvePlaces: (text) => resolvePlaces(text, this.understander, deps.gazetteer),
      previewIncident: (input, actor, lang, fieldName) => this.admin.preview(input, actor, lang, fieldName),
      applyIncident: (input, actor, lang, fieldName, tx) => this.admin.apply(input, actor, lang, fieldName, tx),
      now,
    });
  }

  /** Answers read crowd signals and probe readings from `signals` from now on (null: none). */
  useSignals(signals: SignalLookup | null): void {
    this.signals = signals;
  }

  /**
   * The open crowd signals, alert groups and probe states at the clock's now, as lines in
   * `language` (`vigie signals`, /signaux), with the snapshot; null without a signals service.
   */
  async listSignals(language: Language): Promise<{ lines: string[]; snapshot: SignalsSnapshot } | null> {
    const signals = this.signals;
    if (!signals) return null;
    await signals.tick?.();
    const snapshot = signals.snapshot(this.clock.now());
    const lines = signalLines(snapshot, language, { templates: this.templates, gazetteer: this.gazetteer, serviceName: (id) => this.serviceById.get(id)?.short[language] ?? id });
    return { lines, snapshot };
  }

  /** Open crowd signals, alert groups and probe states now (null without a signals service). */
  signalsSnapshot(): SignalsSnapshot | null {
    return this.signals?.snapshot(this.clock.now()) ?? null;
  }

  /** Validates an official notice and counts the channels it would reach, per platform; stores nothing. */
  previewNotice(input: unknown, actor: Actor, language: Language, options: Pick<PublishOptions, 'force'> = {}): Promise<NoticeOutcome> {
    return this.notices.preview(input, actor, language, options);
  }

  /**
   * Publishes an official notice: the notice and one delivery per channel are in the outbox
   * before this resolves; the dispatcher (started by main) sends them.
   */
  async publishNotice(input: unknown, actor: Actor, language: Language, options: PublishOptions = {}): Promise<NoticeOutcome> {
    const outcome = await this.notices.publish(input, actor, language, options);
    if (outcome.ok && !outcome.dryRun && !outcome.duplicate) for (const listener of this.publishedListeners) listener(outcome.notice);
    return outcome;
  }

  /** Delivered / failed / pending counts of a notice, or null when unknown. */
  noticeProgress(noticeId: string): Promise<NoticeProgress | null> {
    return this.store.outbox.progress(noticeId);
  }

  /**
   * Queues the failed deliveries of a notice again, with a fresh deadline; those delivered are
   * not touched, and one that may have landed is looked for before any resend. Audited.
   * Returns how many were queued, or null when the notice is unknown.
   */
  async retryFailedDeliveries(noticeId: string, actor: Actor): Promise<number | null> {
    const notice = await this.store.outbox.getNotice(noticeId);
    if (!notice) return null;
    const now = this.clock.now();
    const count = await this.store.outbox.retryFailed(noticeId, now, new Date(now.getTime() + DEFAULT_DELIVERY_DEADLINE_MS));
    await this.store.audit.append({ actor: auditActor(actor), action: 'notice.retry', outcome: 'ok', target: noticeId, detail: `${count} delivery(ies)` });
    if (count > 0) for (const listener of this.publishedListeners) listener(notice);
    return count;
  }

  /** The published notices, oldest first (the latest `limit` when given). */
  async publishedNotices(limit?: number): Promise<Notice[]> {
    return (await this.store.outbox.listNotices(limit)).filter((n) => n.state === 'published');
  }

  /** Calls `listener` after each publication or retry (main uses it to wake the dispatcher). */
  onPublished(listener: (notice: Notice) => void): void {
    this.publishedListeners.push(listener);
  }

  /** Subscribes the conversation's channel from text such as "abonner ENT Occitanie". */
  subscribe(inbound: Inbound): Promise<SubscriptionOutcome> {
    return this.subscriptions.subscribe(inbound);
  }

  /** Subscribes from a "follow updates" button, whose value is "serviceId kind:code". */
  subscribeTo(conversation: ConversationRef, target: string, actor: Actor, language: Language): Promise<SubscriptionOutcome> {
    return this.subscriptions.subscribeTo(conversation, target, actor, language);
  }

  /** Removes the channel's subscriptions named in the text ("désabonner tout" removes all). */
  unsubscribe(inbound: Inbound): Promise<SubscriptionOutcome> {
    return this.subscriptions.unsubscribe(inbound);
  }

  /** Refuses (and audits) a subscription change by someone the platform says may not make it. */
  refuseSubscriptionChange(conversation: ConversationRef, actor: Actor, action: 'subscribe' | 'unsubscribe', language: Language): Promise<SubscriptionOutcome> {
    return this.subscriptions.refuse(conversation, actor, action, language);
  }

  /** The channel's subscriptions. */
  listSubscriptions(conversation: ConversationRef, language: Language): Promise<SubscriptionOutcome> {
    return this.subscriptions.list(conversation, language);
  }

  /** The active subscriptions of a platform's channels (of one workspace when given), by creation time. */
  async followedChannels(platform: ChannelPlatform, workspace?: string): Promise<Subscription[]> {
    return (await this.store.subscriptions.list({ platform, ...(workspace ? { workspace } : {}) })).filter((s) => s.active);
  }

  /** The place of a kind and code (as autocomplete gives them), or null when there is none. */
  place(kind: PlaceKind, code: string): PlaceRef | null {
    return this.gazetteer.get(kind, code);
  }

  /** The places that contain this one, widest first, itself excluded. */
  placeAncestors(place: { kind: PlaceKind; code: string }): PlaceRef[] {
    return this.gazetteer.ancestors(place);
  }

  /** The places one level inside this one (France → régions → académies → départements), by name. */
  placesWithin(place: { kind: PlaceKind; code: string }): PlaceRef[] {
    const g = this.gazetteer;
    let codes: { kind: PlaceKind; code: string }[];
    if (place.kind === 'national') codes = g.regions.map((r) => ({ kind: 'region', code: r.code }));
    else if (place.kind === 'region') codes = g.academies.filter((a) => a.region === place.code).map((a) => ({ kind: 'academie', code: a.slug }));
    else if (place.kind === 'academie') codes = g.departements.filter((d) => d.academie === place.code).map((d) => ({ kind: 'departement', code: d.code }));
    else codes = [];
    return codes.flatMap((c) => g.get(c.kind, c.code) ?? []).sort((a, b) => a.name.localeCompare(b.name, 'fr'));
  }

  /**
   * A tag that changes whenever a status page may read differently: the index (a new one per
   * store change), its epoch at now (an incident starting, ending, leaving the all-clear
   * window), a replay's clock, the open crowd signals and probe states.
   */
  async statusVersion(): Promise<string> {
    const now = this.clock.now();
    const index = await this.source.index(now);
    let serial = this.indexSerials.get(index);
    if (serial === undefined) {
      serial = ++this.lastIndexSerial;
      this.indexSerials.set(index, serial);
    }
    const replay = this.source.scenario ? `r${now.getTime()}` : '';
    let signals = '';
    if (this.signals) {
      const snapshot = this.signals.snapshot(now);
      // What listings show of them, not the whole objects (a JSON of them costs a hundred times more).
      const parts: (string | number)[] = [];
      for (const e of snapshot.episodes) parts.push(e.id, e.state, e.strength, e.current, e.total, e.reporters, e.peak.count, e.firstSeen.getTime(), e.lastSeen.getTime());
      for (const g of snapshot.groups) parts.push(g.id, g.state, g.strength, g.episodes.length);
      for (const p of snapshot.probes) parts.push(p.probe, p.state, p.since.getTime());
      signals = createHash('sha1').update(parts.join('|')).digest('base64url').slice(0, 12);
    }
    return `${serial}.${index.epochAt(now)}.${replay}.${signals}`;
  }

  /** The département code of a commune, or undefined for an unknown commune. */
  departementOf(communeCode: string): string | undefined {
    return this.gazetteer.commune(communeCode)?.departement;
  }

  /** The core's now: its injected clock's. */
  now(): Date {
    return this.clock.now();
  }

  /** The scenario being replayed (its id, day and title), or null for live data. */
  replayedScenario(): { id: string; date: string; title: Localized } | null {
    const scenario = this.source.scenario;
    return scenario ? { id: scenario.id, date: scenario.date, title: scenario.title } : null;
  }

  /** Place autocomplete: régions, académies, départements, communes (built on first use). */
  suggestPlaces(prefix: string, limit?: number): PlaceRef[] {
    return suggesterFor(this.gazetteer).suggest(prefix, limit);
  }

  /** The services catalogue, for choices and selects. */
  services(): { id: string; name: Localized; short: Localized }[] {
    return this.content.services.map((s) => ({ id: s.id, name: s.name, short: s.short }));
  }

  /** Builds an admin's incident and shows how answers will read; stores nothing. */
  previewIncident(input: unknown, actor: Actor, language: Language): Promise<AdminOutcome> {
    return this.admin.preview(input, actor, language);
  }

  /** Opens, updates or resolves an incident for an admin: stored, audited, answers change at once. */
  applyIncident(input: unknown, actor: Actor, language: Language): Promise<AdminOutcome> {
    return this.admin.apply(input, actor, language);
  }

  /** Audits a refused admin attempt and returns the refusal to show. */
  refuse(actor: Actor, action: string, language: Language): Promise<Reply> {
    return this.admin.refuse(actor, action, language);
  }

  /** Incidents not yet resolved, for update and resolve pickers. */
  openIncidents(): Promise<Incident[]> {
    return this.admin.openIncidents();
  }

  /**
   * Reads and answers one message. Never throws: a failure becomes an apology with a reference
   * id. A message read as a report (from a chat, the console or a button) is recorded, and the
   * reply says how many people reported the same (the CLI's `ask` only shows how it is read).
   */
  ask(inbound: Inbound): Promise<BotAnswer> {
    return this.respond(inbound, inbound.conversation.platform === 'cli' ? 'never' : 'when-read');
  }

  /**
   * Records the message as a report whatever else it reads as (`vigie report "…"`, a report
   * form) and answers as to a report: what is known, and how many people reported the same.
   */
  report(inbound: Inbound): Promise<BotAnswer> {
    return this.respond(inbound, 'always');
  }

  private async respond(inbound: Inbound, reports: 'never' | 'when-read' | 'always'): Promise<BotAnswer> {
    const now = this.clock.now();
    const remember = inbound.conversation.platform !== 'cli';
    const key = contextKey(inbound);
    let query: Query | null = null;
    try {
      // The context is read and written here, not in helpers of their own: every question does
      // both, and each async layer is a frame, a promise and a turn of the microtask queue more.
      let context: StoredConversationContext | null = null;
      if (remember) {
        try {
          context = await this.store.conversations.get(key);
        } catch (error) {
          // Losing follow-up context is better than losing the answer.
          this.logger.warn('conversation context unavailable', { error });
        }
      }
      const previous = context ? queryOf(context) : null;
      // A choice button or number carries the question it stands for (src/answer/choices.ts).
      query = decodeChoice(inbound.text, this.gazetteer, this.serviceById) ?? this.understander.understand(inbound.text, { previous, locale: inbound.locale });
      if (reports === 'always' && query.intent !== 'report') query = { ...query, intent: 'report', otherIntent: undefined };
      const index = await this.source.index(now);
      const channel = inbound.conversation.platform === 'slack' || inbound.conversation.platform === 'discord';
      // What crowd reports and probes say there: one "Non confirmé" line, never the status.
      // A question naming no service gets the open signals of its place (at most 3 services).
      const signals = this.signals;
      if (signals?.settle && (query.service !== null || query.place !== null)) await signals.settle();
      const signal = !signals ? null : query.service !== null ? signals.view(query.service, query.place, now) : query.place !== null ? (signals.viewPlace?.(query.place, now, 3) ?? null) : null;
      let reply = this.answerer.answer(query, index, now, { demo: this.demoLabel(query.language), channel, signal });
      if (reports !== 'never' && query.intent === 'report' && reply.kind === 'report') reply = await this.recordReport(inbound, query, reply, now);
      // Demo data loaded into the store (`vigie scenario load`) is labelled like a replay.
      if (!reply.demo) {
        const scenario = loadedDemoOf(reply, index);
        if (scenario) reply.demo = this.demoFor(scenario, query.language);
      }
      // The demo label in full once per conversation, then its short tag.
      const showsData = !NO_DATA.has(reply.kind);
      if (reply.demo && context?.demo === reply.demo.scenario) reply.demo = { ...reply.demo, short: true };
      // "et pourquoi ?" after "l'ENT est en panne ?": the same incident, a new fact; the first message gives only it.
      if (context && reply.kind === 'incidents' && context.intent !== query.intent && reply.incidents[0] !== undefined && context.incidents[0] === reply.incidents[0]) reply.followUp = true;
      // A message not understood at all (no service, no place, no intent) leaves the context as
      // it was: "et en Bretagne ?" after a typo still follows the question before it.
      const notUnderstood = query.intent === 'unknown' && query.service === null && query.place === null && query.unknownPlace === null;
      if (remember && !(notUnderstood && context)) {
        const demoShown = showsData && reply.demo ? reply.demo.scenario : context?.demo;
        try {
          await this.store.conversations.set(key, {
            language: query.language,
            intent: query.intent,
            service: query.service,
            level: query.level,
            place: query.place,
            alternatives: query.alternatives,
            incidents: reply.incidents,
            // The answer's own time (now, as ISO-8601).
            at: reply.time,
            ...(demoShown ? { demo: demoShown } : {}),
          });
        } catch (error) {
          this.logger.warn('conversation context not saved', { error });
        }
      }
      return { query, reply };
    } catch (error) {
      const ref = randomUUID().slice(0, 8);
      this.logger.error('answering failed', { ref, platform: inbound.conversation.platform, error });
      const language: Language = query?.language ?? (inbound.locale?.startsWith('en') ? 'en' : 'fr');
      return { query: query ?? fallbackQuery(inbound.text, language), reply: this.apology(language, ref, now) };
    }
  }

  /**
   * Builds in the background, in slices, what reading questions would otherwise build on first
   * need (the typo index), so the first misspelled place name does not hold every question
   * for a tenth of a second. Called by `npm start` once the bot is up.
   */
  async prepare(): Promise<void> {
    await this.understander.prepare?.();
  }

  /** Read-only understanding, for tools that show how a question is read. */
  understand(text: string, locale?: string): Query {
    return this.understander.understand(text, { locale });
  }

  /**
   * The incidents in effect at `at` (default: now), worst first, each with its line in the
   * words of answers ("🔴 ENT : panne majeure en Occitanie (depuis 9 h)"), for listings.
   */
  async listIncidents(language: Language, at: Date = this.clock.now()): Promise<{ incident: Incident; line: string; demo?: DemoLabel }[]> {
    const active = (await this.source.index(at)).find({ service: null, place: null, level: null, at }).active;
    const lines = this.answerer.listing(active, language, at);
    return active.map((incident, i) => ({ incident, line: lines[i] ?? incident.id, ...(incident.scenario ? { demo: this.demoFor(incident.scenario, language) } : {}) }));
  }

  /**
   * The replayed scenario's steps, each with what was said then, in the words of answers
   * ("🔴 ENT : panne majeure en Occitanie — Ministère … : « … »"), and whether the clock has
   * reached it; null for live data.
   */
  scenarioSteps(language: Language, now: Date = this.clock.now()): { at: string; time: Date; lines: string[]; reached: boolean }[] | null {
    const scenario = this.source.scenario;
    if (!scenario) return null;
    const events = timedEvents(scenario);
    return scenarioTimeline(scenario).map((step) => {
      const at = step.time.getTime();
      const state = new Map(replayScenario(scenario, step.time).map((i) => [i.id, i]));
      const ids = [...new Set(events.filter((e) => e.time.getTime() === at).map((e) => e.event.incident))];
      const lines = ids.flatMap((id) => {
        const incident = state.get(id);
        // Words relative to the step's own moment: "à 9 h", not "hier" for a day replayed later.
        return incident ? [this.answerer.step(incident, language, step.time)] : [];
      });
      return { at: step.at, time: step.time, lines, reached: at <= now.getTime() };
    });
  }

  /** The incidents known at `at` (default: now). */
  incidents(at: Date = this.clock.now()): Promise<IncidentIndex> {
    return this.source.index(at);
  }

  /** The demo label for answers from a replayed scenario, or undefined for live data. */
  demoLabel(language: Language): DemoLabel | undefined {
    const scenario = this.source.scenario;
    return scenario ? this.demoFor(scenario.id, language, scenario) : undefined;
  }

  /**
   * The label of a scenario's data, replayed or loaded into the store: "DÉMO — données
   * rejouées du scénario « … » (2020-03-17), pas la situation réelle d'aujourd'hui." and the
   * short tag "DÉMO 17/03/2020". A scenario no longer in content/ is named by its id.
   */
  demoFor(id: string, language: Language, known?: Scenario): DemoLabel {
    const key = `${language}|${id}`;
    let demo = this.demoLabels.get(key);
    if (!demo) {
      let scenario: Scenario | null = known ?? null;
      if (!scenario) {
        try {
          scenario = loadScenario(id, this.content.dir);
        } catch {
          scenario = null; // removed or renamed since it was loaded: the id still says what it is
        }
      }
      const date = scenario?.date ?? (/^\d{4}-\d{2}-\d{2}$/.test(id) ? id : null);
      demo = Object.freeze({
        scenario: id,
        label: this.templates.t(language, 'demo.label', { title: scenario?.title[language] ?? id, date: date ?? id }),
        tag: date ? this.templates.t(language, 'demo.tag', { date: date.split('-').reverse().join('/') }) : this.templates.t(language, 'demo.tag', { date: id }),
      });
      if (this.demoLabels.size > 1_000) this.demoLabels.clear();
      this.demoLabels.set(key, demo);
    }
    return demo;
  }

  /** Stores the report (unless its writer is over the rate limit) and says what is counted. */
  private async recordReport(inbound: Inbound, query: Query, reply: Reply, now: Date): Promise<Reply> {
    let count: number | null = null;
    try {
      const { workspace, user, platform } = inbound.conversation;
      const place = query.place ? { kind: query.place.kind, code: query.place.code } : null;
      count = (await this.reports.record({ at: now, who: { platform, workspace, user }, text: inbound.text, service: query.service, place, level: query.level })).count;
    } catch (error) {
      // The answer still goes out, saying the report was not recorded.
      this.logger.warn('report not recorded', { error, platform: inbound.conversation.platform });
    }
    return this.answerer.counted(reply, query, count, now);
  }

  private apology(language: Language, ref: string, now: Date): Reply {
    return errorReply(this.templates, language, ref, now);
  }

}

/** Replies that show no incident data: no demo label in their first message. */
const NO_DATA = new Set<Reply['kind']>(['unknown', 'help', 'subscribe', 'error']);

/** The question a conversation's context stands for, for follow-ups. */
function queryOf(context: StoredConversationContext): Query {
  return {
    text: '',
    language: context.language,
    intent: context.intent,
    service: context.service,
    level: context.level,
    place: context.place,
    alternatives: context.alternatives,
    unknownPlace: null,
    truncated: false,
  };
}

/**
 * The scenario of demo data an answer rests on, when it comes from the store: an incident it
 * shows, or (for "nothing official here") the latest update it dates its data by.
 */
function loadedDemoOf(reply: Reply, index: IncidentIndex): string | undefined {
  for (const id of reply.incidents) {
    const scenario = index.scenarioOf(id);
    if (scenario) return scenario;
  }
  return reply.kind === 'no_information' ? index.latestUpdateScenario() : undefined;
}

/** Follow-up context is per conversation and per person: two parents in one channel don't mix. */
function contextKey(inbound: Inbound): string {
  return `${conversationKey(inbound.conversation)}/${keyPart(inbound.conversation.user ?? '')}`;
}

function fallbackQuery(text: string, language: Language): Query {
  return {
    text: text.slice(0, 200),
    language,
    intent: 'unknown',
    service: null,
    level: null,
    place: null,
    alternatives: [],
    unknownPlace: null,
    truncated: false,
  };
}
