/**
 * What a platform sees of the core: one interface grouped by capability. Adapters (Slack,
 * Discord, the console) are typed against `Core` only, never against the Bot class or what
 * stands behind it (store, gazetteer, incident source, clock, content): they ask, subscribe,
 * read incidents, publish notices, look places up and word their own messages through it.
 * The Bot (src/bot.ts) implements it; a test can hand an adapter any object that does.
 * `scripts/check-arrows.mjs` keeps adapters/ from importing the modules behind it.
 */
import type { Templates } from './content/templates.js';
import type { Actor, ConversationRef, DemoLabel, Inbound, Language, Localized, PlaceKind, PlaceRef, Query, Reply } from './base/types.js';
import type { Incident, IncidentIndex } from './incidents/index.js';
import type { SubscriptionOutcome } from './subscriptions/manage.js';
import type { AdminOutcome } from './admin/incident-actions.js';
import type { NoticeOutcome, PublishOptions } from './notices/publish.js';
import type { NoticeProgress } from './store/outbox.js';
import type { Notice } from './store/notice.js';
import type { Subscription } from './store/subscription-repository.js';
import type { ChannelPlatform } from './base/types.js';

/** A question read and answered. */
export interface BotAnswer {
  query: Query;
  reply: Reply;
}

/** Asking: reading questions and answering them. */
export interface CoreAsk {
  /** Reads and answers one message. Never throws: a failure becomes an apology with a reference id. */
  ask(inbound: Inbound): Promise<BotAnswer>;
  /**
   * Records the message as a report whatever it reads as (a "report a problem" button or form)
   * and answers as to one: what is known, and how many people reported the same.
   */
  report(inbound: Inbound): Promise<BotAnswer>;
  /** Read-only understanding (which language, which service, which place), remembering nothing. */
  understand(text: string, locale?: string): Query;
}

/** Channel subscriptions to official notices. */
export interface CoreSubscriptions {
  /** Subscribes the conversation's channel from text such as "abonner ENT Occitanie". */
  subscribe(inbound: Inbound): Promise<SubscriptionOutcome>;
  /** Subscribes from a "follow updates" button, whose value is "serviceId kind:code". */
  subscribeTo(conversation: ConversationRef, target: string, actor: Actor, language: Language): Promise<SubscriptionOutcome>;
  /** Removes the channel's subscriptions named in the text ("désabonner tout" removes all). */
  unsubscribe(inbound: Inbound): Promise<SubscriptionOutcome>;
  /** Refuses (and audits) a subscription change by someone the platform says may not make it. */
  refuseSubscriptionChange(conversation: ConversationRef, actor: Actor, action: 'subscribe' | 'unsubscribe', language: Language): Promise<SubscriptionOutcome>;
  /** The channel's subscriptions, worded. */
  listSubscriptions(conversation: ConversationRef, language: Language): Promise<SubscriptionOutcome>;
  /** The active subscriptions of a platform's channels (of one workspace when given), by creation time. */
  followedChannels(platform: ChannelPlatform, workspace?: string): Promise<Subscription[]>;
}

/** Incidents: what is in effect, replays and demo labels, and the admins' incident desk. */
export interface CoreIncidents {
  /** The incidents known at `at` (default: now). */
  incidents(at?: Date): Promise<IncidentIndex>;
  /** The incidents in effect at `at` (default: now), worst first, each with its line in the words of answers. */
  listIncidents(language: Language, at?: Date): Promise<{ incident: Incident; line: string; demo?: DemoLabel }[]>;
  /** Open crowd signals, alert groups and probe states now, as lines (null when signals are not followed). */
  listSignals(language: Language): Promise<{ lines: string[] } | null>;
  /**
   * A tag that changes whenever what a status page shows may change: the incidents (a store
   * change, another instance's), the clock crossing an incident's start, end or all-clear
   * window, a replay's clock step, the crowd signals. Equal tags: the same page. Cheap.
   */
  statusVersion(): Promise<string>;
  /** The replayed scenario's steps and what was said at each; null for live data. */
  scenarioSteps(language: Language, now?: Date): { at: string; time: Date; lines: string[]; reached: boolean }[] | null;
  /** The scenario being replayed (its id, day and title), or null for live data. */
  replayedScenario(): { id: string; date: string; title: Localized } | null;
  /** The demo label for answers from a replayed scenario, or undefined for live data. */
  demoLabel(language: Language): DemoLabel | undefined;
  /** The label of a scenario's data, replayed or loaded into the store. */
  demoFor(id: string, language: Language): DemoLabel;
  /** Incidents not yet resolved, for update and resolve pickers. */
  openIncidents(): Promise<Incident[]>;
  /** Builds an admin's incident and shows how answers will read; stores nothing. */
  previewIncident(input: unknown, actor: Actor, language: Language): Promise<AdminOutcome>;
  /** Opens, updates or resolves an incident for an admin: stored, audited, answers change at once. */
  applyIncident(input: unknown, actor: Actor, language: Language): Promise<AdminOutcome>;
  /** Audits a refused admin attempt and returns the refusal to show. */
  refuse(actor: Actor, action: string, language: Language): Promise<Reply>;
}

/** Official notices: preview, publication, progress and retries. */
export interface CoreNotices {
  /** Validates an official notice and counts the channels it would reach, per platform; stores nothing. */
  previewNotice(input: unknown, actor: Actor, language: Language, options?: Pick<PublishOptions, 'force'>): Promise<NoticeOutcome>;
  /** Publishes an official notice: in the outbox, with one delivery per channel, before this resolves. */
  publishNotice(input: unknown, actor: Actor, language: Language, options?: PublishOptions): Promise<NoticeOutcome>;
  /** Delivered / failed / pending counts of a notice, or null when unknown. */
  noticeProgress(noticeId: string): Promise<NoticeProgress | null>;
  /** Queues the failed deliveries of a notice again; how many, or null when the notice is unknown. */
  retryFailedDeliveries(noticeId: string, actor: Actor): Promise<number | null>;
  /** The published notices, oldest first (the latest `limit` when given): the public feeds' CAP alerts. */
  publishedNotices(limit?: number): Promise<Notice[]>;
}

/** Places and services: autocomplete, picked values, the catalogue. */
export interface CorePlaces {
  /** Place autocomplete: régions, académies, départements, communes. */
  suggestPlaces(prefix: string, limit?: number): PlaceRef[];
  /** The place of a kind and code (as autocomplete gives them), or null when there is none. */
  place(kind: PlaceKind, code: string): PlaceRef | null;
  /** The département code of a commune ("93" for Saint-Denis, 93066), or undefined for an unknown commune. */
  departementOf(communeCode: string): string | undefined;
  /** The services catalogue, for choices and selects. */
  services(): { id: string; name: Localized; short: Localized }[];
  /** The places that contain this one, widest first (national, région, académie, département), itself excluded. */
  placeAncestors(place: { kind: PlaceKind; code: string }): PlaceRef[];
  /**
   * The places one level inside this one: France → régions, région → académies, académie →
   * départements; none for a département or a commune (communes are reached by search).
   */
  placesWithin(place: { kind: PlaceKind; code: string }): PlaceRef[];
}

/** The words of messages, in French and English, and the time they are said at. */
export interface CoreTemplates {
  /** Message templates (content/messages), for a platform's own words. */
  readonly templates: Templates;
  /** The core's now (its injected clock: a replay's hour, a test's fixed time). */
  now(): Date;
}

/** The core as every platform sees it. */
export interface Core extends CoreAsk, CoreSubscriptions, CoreIncidents, CoreNotices, CorePlaces, CoreTemplates {}
