/**
 * The tables of the store, as Kysely sees them. Times are ISO-8601 UTC strings from
 * `Date#toISOString` (fixed width, so text order is time order in SQLite and PostgreSQL);
 * booleans are 0/1 integers; structured fields are JSON text. Columns that queries filter
 * or sort on are real columns with indexes; the rest of a record is its JSON `body`.
 */
import type { Generated } from 'kysely';

/** Small facts about the store itself: schema origin, legacy import. */
export interface MetaTable {
  key: string;
  value: string;
}

/** Named counters, incremented atomically inside transactions (notice numbers, change epochs). */
export interface CounterTable {
  name: string;
  value: number;
}

/** One row per incident; `body` is the whole validated Incident. */
export interface IncidentTable {
  id: string;
  service: string;
  status: string;
  phase: string;
  started_at: string;
  /** Null while the incident is open. */
  resolved_at: string | null;
  /** The replayed scenario it was loaded from, for demo labels and unloading. */
  scenario: string | null;
  /** Bumped from the `incidents` counter on every write: readers catch up on what changed. */
  change_seq: number;
  body: string;
}

/** Incidents deleted, by the change that deleted them. */
export interface IncidentTombstoneTable {
  id: string;
  change_seq: number;
}

/** Channel subscriptions, with the containing places denormalised so targeting is a query. */
export interface SubscriptionTable {
  id: string;
  platform: string;
  workspace: string;
  channel: string;
  service: string;
  place_kind: string;
  place_code: string;
  place_name: string;
  /** The région, académie and département the place lies in ('' when it has none). */
  region: string;
  academie: string;
  departement: string;
  /** JSON array of levels; [] means every level. */
  levels: string;
  audience: string;
  active: number;
  failures: number;
  created_at: string;
  created_by: string;
  updated_at: string;
  /** Bumped from the `subscriptions` counter on every write: copies catch up on what changed. */
  change_seq: number;
}

/** Subscriptions removed, by the change that removed them. */
export interface SubscriptionTombstoneTable {
  id: string;
  change_seq: number;
}

/** Official notices; `body` is the Notice. */
export interface NoticeTable {
  id: string;
  seq: number;
  state: string;
  /** Set by the publisher from the file or form, so a notice published twice is recognised. */
  idempotency_key: string | null;
  created_at: string;
  published_at: string | null;
  /** Until when its deliveries keep being retried. */
  deadline_at: string;
  body: string;
}

/** One delivery per notice and channel. */
export interface DeliveryTable {
  id: string;
  notice_id: string;
  /** The notice's number: a channel's deliveries go out in this order. */
  notice_seq: number;
  /** "platform/workspace/channel". */
  channel_key: string;
  platform: string;
  workspace: string;
  channel: string;
  incident_id: string | null;
  language: string;
  /** JSON array of the subscription ids that matched. */
  subscription_ids: string;
  kind: string;
  state: string;
  attempts: number;
  last_error: string | null;
  /** When the current run of failures began (for "retrying since"). */
  failing_since: string | null;
  edited: number;
  message_ref: string | null;
  root_ref: string | null;
  /** Not to be tried before this time (backoff, Retry-After). */
  next_attempt_at: string;
  /** Given up (failed, reason "expired") if not delivered by then. */
  deadline_at: string;
  /** A dispatcher holds it until then (several instances share the outbox). */
  lease_owner: string | null;
  lease_until: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

/** Per incident and channel, the first message that later updates edit and reply to. */
export interface RootMessageTable {
  incident_id: string;
  channel_key: string;
  ref: string;
  delivery_id: string;
  at: string;
}

/** The append-only audit log. */
export interface AuditTable {
  seq: Generated<number>;
  at: string;
  actor_platform: string;
  actor_user: string;
  action: string;
  target: string | null;
  outcome: string;
  detail: string | null;
}

/**
 * Deliveries held back because the bot itself is refused (revoked token, missing scope):
 * per platform workspace, or the whole platform (workspace ''). Never a channel's fault.
 */
export interface PlatformPauseTable {
  platform: string;
  workspace: string;
  reason: string;
  since: string;
  /** When the dispatcher tries again whether the token works. */
  next_check_at: string;
}

/**
 * Platform rate limits shared by the instances (GCRA): per key, the theoretical arrival
 * time of the next request, in (fractional) milliseconds since the epoch.
 */
export interface RateBucketTable {
  key: string;
  tat_ms: number;
}

/**
 * What people reported to the bot: one row per report stored (src/store/reports.ts). Never
 * the person's id: `reporter` is an HMAC of platform, workspace and user. `text` is masked
 * (e-mail addresses, phone numbers) before it is written, and read by admins only.
 */
export interface ReportTable {
  id: Generated<number>;
  at: string;
  service: string | null;
  /** The finest place the message named; both null when it named none. */
  place_kind: string | null;
  place_code: string | null;
  /** The région, académie and département the place lies in ('' when it has none). */
  region: string;
  academie: string;
  departement: string;
  level: string | null;
  platform: string;
  reporter: string;
  text: string;
}

/** Crowd-signal alerts shown in operators' channels (src/store/alerts.ts); `body` is the desk's JSON record. */
export interface SignalAlertTable {
  id: string;
  /** 'open' or 'ended'. */
  state: string;
  opened_at: string;
  updated_at: string;
  body: string;
}

/** The message showing an alert on a platform (Slack ts, Discord message id), and the revision it shows. */
export interface SignalAlertMessageTable {
  alert_id: string;
  platform: string;
  message_id: string;
  revision: number;
  posted_at: string;
}

/** Every table. */
export interface Database {
  meta: MetaTable;
  counters: CounterTable;
  incidents: IncidentTable;
  incident_tombstones: IncidentTombstoneTable;
  subscriptions: SubscriptionTable;
  subscription_tombstones: SubscriptionTombstoneTable;
  notices: NoticeTable;
  deliveries: DeliveryTable;
  root_messages: RootMessageTable;
  audit: AuditTable;
  platform_pauses: PlatformPauseTable;
  rate_buckets: RateBucketTable;
  reports: ReportTable;
  signal_alerts: SignalAlertTable;
  signal_alert_messages: SignalAlertMessageTable;
}
