/**
 * The neutral values the core speaks in. Nothing here knows about Slack, Discord or the
 * console: adapters turn an incoming message into an `Inbound` and render a `Reply`.
 */

/** Languages Vigie answers in. French first. */
export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** What the person wants. */
export const INTENTS = [
  'status',
  'eta',
  'cause',
  'advice',
  'report',
  'subscribe',
  'unsubscribe',
  'help',
  'unknown',
] as const;
export type Intent = (typeof INTENTS)[number];

/** School levels, as French schools are organised. */
export const LEVELS = ['ecole', 'college', 'lycee'] as const;
export type Level = (typeof LEVELS)[number];

/** Kinds of place, from the widest to the narrowest (académies sit between région and département). */
/** Platforms a channel subscription can deliver to. */
export const SUBSCRIPTION_PLATFORMS = ['slack', 'discord', 'console'] as const;
export type SubscriptionPlatform = (typeof SUBSCRIPTION_PLATFORMS)[number];

/** The platforms whose channels can be subscribed from the command line. */
export const CHANNEL_PLATFORMS = ['slack', 'discord'] as const;
export type ChannelPlatform = (typeof CHANNEL_PLATFORMS)[number];

/** Who a subscribed channel speaks to (notices can target one audience). */
export const AUDIENCES = ['all', 'staff', 'families'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const PLACE_KINDS = ['national', 'region', 'academie', 'departement', 'commune'] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

/**
 * A place. Codes: "FR" for national, INSEE codes for région ("76"), département ("31", "2A")
 * and commune ("31555"), the académie slug ("toulouse").
 */
export interface PlaceRef {
  kind: PlaceKind;
  code: string;
  name: string;
}

/** Statuspage's component statuses, from best to worst (maintenance aside). */
export const STATUSES = [
  'operational',
  'under_maintenance',
  'degraded_performance',
  'partial_outage',
  'major_outage',
] as const;
export type Status = (typeof STATUSES)[number];

/**
 * What an answer says about a service: an incident's status, or `unknown` when no official
 * source said anything in effect for it there (Vigie never turns silence into "operational").
 */
export type ReplyStatus = Status | 'unknown';

/** Statuspage's incident phases. */
export const PHASES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type Phase = (typeof PHASES)[number];

/** Why a service fails. */
export const CAUSES = [
  'overload',
  'cyberattack',
  'provider',
  'network_operator',
  'maintenance',
  'unknown',
] as const;
export type Cause = (typeof CAUSES)[number];

/**
 * How precisely a time is known when the source gives no minute: "vers 9 h" (about), "ce
 * matin" (morning), "ce soir" (evening), "aujourd'hui" (day). The instant stored beside it is
 * a point inside that span, for ordering; answers say the span, never the point's minutes.
 * No precision: the time is exact.
 */
export const TIME_PRECISIONS = ['about', 'morning', 'evening', 'day'] as const;
export type TimePrecision = (typeof TIME_PRECISIONS)[number];

/** A text in both languages. */
export interface Localized {
  fr: string;
  en: string;
}

/** Where a conversation happens, so follow-ups and subscriptions can be keyed on it. */
export interface ConversationRef {
  platform: string; // 'slack' | 'discord' | 'console' | 'cli'
  workspace?: string; // Slack team id, Discord guild id
  channel: string;
  thread?: string;
  user?: string;
}

/** A message from a person, as an adapter hands it to the core. */
export interface Inbound {
  conversation: ConversationRef;
  text: string;
  /** The platform's idea of the user's language (Slack user locale, Discord interaction locale). */
  locale?: string;
}

/** The result of reading a question. */
export interface Query {
  /** The question as read (cut to the maximum length, control characters removed). */
  text: string;
  language: Language;
  intent: Intent;
  /** A service id from content/services.yaml, or null when none was named. */
  service: string | null;
  level: Level | null;
  place: PlaceRef | null;
  /** Other places the text could have meant, most likely first (for ambiguous names). */
  alternatives: PlaceRef[];
  /** A word that looked like a place but matched none ("à Trifouillis"), for a clarifying question. */
  unknownPlace: string | null;
  /** True when the input was longer than the maximum and was cut. */
  truncated: boolean;
  /** How likely the intent read is, from 0 to 1 (the intent model's probability). */
  confidence?: number;
  /** A second intent nearly as likely as `intent`, offered as a follow-up. */
  otherIntent?: Intent;
}

/** One block of an answer: "Depuis quand", "Cause", "Conseil"... */
export interface ReplySection {
  key: string;
  title: string;
  text: string;
}

/** A button or command the person can use next. */
export interface ReplyAction {
  /**
   * `choose`: one answer of a clarifying question; `other`: the question read the other way
   * it nearly was ("when is it back?" after an answer to "is it down?"). Both carry a choice
   * token (src/answer/choices.ts).
   */
  id: 'subscribe' | 'report' | 'more' | 'suggestion' | 'choose' | 'other';
  label: string;
  /** The question or argument the action carries (e.g. the suggested query). */
  value: string;
}

/** What kind of answer this is, so adapters can pick colours and layouts. */
export const REPLY_KINDS = [
  'incidents',
  /** Operational on an official word (a recent resolution covering the question). */
  'all_clear',
  /** Nothing official in effect: status unknown. */
  'no_information',
  'clarify',
  'help',
  'unknown',
  'report',
  'subscribe',
  'error',
] as const;
export type ReplyKind = (typeof REPLY_KINDS)[number];

/**
 * What labels demo data (a replayed scenario, or one loaded into the store): the scenario id,
 * the full label said once per conversation, and a short tag ("DÉMO 17/03/2020") for the rest.
 */
export interface DemoLabel {
  scenario: string;
  label: string;
  tag?: string;
  /** True once the full label was shown in this conversation: the first message shows the tag. */
  short?: boolean;
}

/**
 * The first message of an answer, beside its headline: the asked fact in at most two lines
 * (since when and who for "is it down", the expected recovery for "when", the cause for "why",
 * the advice for "what to do"); everything else stays in `sections`, one action away.
 */
export interface ReplyBrief {
  facts: string[];
  /** The new fact alone, in one line that names its subject, for a follow-up on the same incident ("et pourquoi ?"). */
  followUp?: string;
  /** A time line when the reply has no source: "Dernière information officielle reçue à 17 h 30." */
  footer?: string;
}

/** A platform-neutral answer. Each adapter renders it its own way. */
export interface Reply {
  kind: ReplyKind;
  language: Language;
  /** One line: the status in words, e.g. "🔴 ENT : panne majeure en Occitanie". */
  headline: string;
  /**
   * The worst status among the incidents shown; `operational` only when an official source
   * said so (a resolution within the all-clear window); `unknown` when nothing official is in
   * effect; null when the reply is not about status.
   */
  status: ReplyStatus | null;
  sections: ReplySection[];
  /**
   * The latest official update shown: who said it and when; `when` is that time in words
   * relative to the reader's now ("9 h", "hier, 18 h 45", "17 mars 2020, 9 h") when the core
   * composed the reply for a reader.
   */
  source: { name: string; url?: string; at: string; precision?: TimePrecision; when?: string } | null;
  /** The clock time the answer was computed for (ISO-8601). */
  time: string;
  actions: ReplyAction[];
  /** Ids of the incidents the answer is built from. */
  incidents: string[];
  /** Set when the data is a replayed scenario, so every adapter can label it. */
  demo?: DemoLabel;
  /** The first message's facts (answers to questions); without it, the reply is shown whole. */
  brief?: ReplyBrief;
  /** Set by the bot when the question follows up on the incident just shown: the first message says only the new fact. */
  followUp?: boolean;
}

/** Who acts. */
export interface Actor {
  platform: 'slack' | 'discord' | 'console' | 'cli';
  workspace?: string;
  user: string;
  name?: string;
}
