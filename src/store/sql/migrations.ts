/**
 * The schema's versions, oldest first. Each migration runs once, at start-up, in order
 * (Kysely's Migrator keeps which ran in `kysely_migration`). Names are dated so they sort;
 * a released migration is never edited, only followed by a new one.
 */
import { sql, type Kysely, type Migration } from 'kysely';

/** Which SQL the store speaks. */
export type Dialect = 'sqlite' | 'postgres';

/** The migrations for a dialect, by name. */
export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '2026-12-02-01-initial': {
      async up(db: Kysely<unknown>) {
        await db.schema.createTable('meta').addColumn('key', 'text', (c) => c.primaryKey()).addColumn('value', 'text', (c) => c.notNull()).execute();
        await db.schema.createTable('counters').addColumn('name', 'text', (c) => c.primaryKey()).addColumn('value', 'integer', (c) => c.notNull()).execute();

        await db.schema
          .createTable('incidents')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('service', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('phase', 'text', (c) => c.notNull())
          .addColumn('started_at', 'text', (c) => c.notNull())
          .addColumn('resolved_at', 'text')
          .addColumn('scenario', 'text')
          .addColumn('change_seq', 'integer', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('incidents_change_seq').on('incidents').column('change_seq').execute();
        await db.schema.createIndex('incidents_resolved_at').on('incidents').column('resolved_at').execute();
        // Deleted incidents (a scenario unloaded), so readers that catch up by change_seq drop them too.
        await db.schema
          .createTable('incident_tombstones')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('change_seq', 'integer', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('incident_tombstones_change_seq').on('incident_tombstones').column('change_seq').execute();

        await db.schema
          .createTable('subscriptions')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('platform', 'text', (c) => c.notNull())
          .addColumn('workspace', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('service', 'text', (c) => c.notNull())
          .addColumn('place_kind', 'text', (c) => c.notNull())
          .addColumn('place_code', 'text', (c) => c.notNull())
          .addColumn('place_name', 'text', (c) => c.notNull())
          .addColumn('region', 'text', (c) => c.notNull())
          .addColumn('academie', 'text', (c) => c.notNull())
          .addColumn('departement', 'text', (c) => c.notNull())
          .addColumn('levels', 'text', (c) => c.notNull())
          .addColumn('audience', 'text', (c) => c.notNull())
          .addColumn('active', 'integer', (c) => c.notNull())
          .addColumn('failures', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('created_by', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('subscriptions_channel').on('subscriptions').columns(['platform', 'workspace', 'channel']).execute();
        await db.schema.createIndex('subscriptions_target').on('subscriptions').columns(['service', 'place_kind', 'place_code']).execute();
        await db.schema.createIndex('subscriptions_departement').on('subscriptions').column('departement').execute();

        await db.schema
          .createTable('notices')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('seq', 'integer', (c) => c.notNull().unique())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('idempotency_key', 'text', (c) => c.unique())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('published_at', 'text')
          .addColumn('deadline_at', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('notices_state_created').on('notices').columns(['state', 'created_at']).execute();

        await db.schema
          .createTable('deliveries')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('notice_id', 'text', (c) => c.notNull())
          .addColumn('notice_seq', 'integer', (c) => c.notNull())
          .addColumn('channel_key', 'text', (c) => c.notNull())
          .addColumn('platform', 'text', (c) => c.notNull())
          .addColumn('workspace', 'text', (c) => c.notNull())
          .addColumn('channel', 'text', (c) => c.notNull())
          .addColumn('incident_id', 'text')
          .addColumn('language', 'text', (c) => c.notNull())
          .addColumn('subscription_ids', 'text', (c) => c.notNull())
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('last_error', 'text')
          .addColumn('failing_since', 'text')
          .addColumn('edited', 'integer', (c) => c.notNull())
          .addColumn('message_ref', 'text')
          .addColumn('root_ref', 'text')
          .addColumn('next_attempt_at', 'text', (c) => c.notNull())
          .addColumn('deadline_at', 'text', (c) => c.notNull())
          .addColumn('lease_owner', 'text')
          .addColumn('lease_until', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('delivered_at', 'text')
          .execute();
        await db.schema.createIndex('deliveries_due').on('deliveries').columns(['state', 'next_attempt_at']).execute();
        await db.schema.createIndex('deliveries_channel').on('deliveries').columns(['channel_key', 'state', 'notice_seq']).execute();
        await db.schema.createIndex('deliveries_notice').on('deliveries').column('notice_id').execute();
        await db.schema.createIndex('deliveries_incident_channel').on('deliveries').columns(['incident_id', 'channel_key']).execute();

        await db.schema
          .createTable('root_messages')
          .addColumn('incident_id', 'text', (c) => c.notNull())
          .addColumn('channel_key', 'text', (c) => c.notNull())
          .addColumn('ref', 'text', (c) => c.notNull())
          .addColumn('delivery_id', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('root_messages_pk', ['incident_id', 'channel_key'])
          .execute();

        await db.schema
          .createTable('audit')
          .addColumn('seq', dialect === 'postgres' ? sql`integer generated always as identity` : 'integer', (c) =>
            dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('actor_platform', 'text', (c) => c.notNull())
          .addColumn('actor_user', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target', 'text')
          .addColumn('outcome', 'text', (c) => c.notNull())
          .addColumn('detail', 'text')
          .execute();
        await db.schema.createIndex('audit_at').on('audit').column('at').execute();

        await db.schema
          .createTable('platform_pauses')
          .addColumn('platform', 'text', (c) => c.notNull())
          .addColumn('workspace', 'text', (c) => c.notNull())
          .addColumn('reason', 'text', (c) => c.notNull())
          .addColumn('since', 'text', (c) => c.notNull())
          .addColumn('next_check_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('platform_pauses_pk', ['platform', 'workspace'])
          .execute();
      },
    },
    '2026-12-02-02-root-messages-by-age': {
      // Retention finds expired root messages by age (src/store/retention.ts).
      async up(db: Kysely<unknown>) {
        await db.schema.createIndex('root_messages_at').on('root_messages').column('at').execute();
      },
    },
    '2026-12-02-03-rate-buckets': {
      async up(db: Kysely<unknown>) {
        // Platform limits shared by every instance: one row per limited thing (Discord's bot
        // token, a Slack channel), its next free slot in milliseconds since the epoch (fractional).
        await db.schema
          .createTable('rate_buckets')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('tat_ms', dialect === 'postgres' ? 'double precision' : 'real', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('rate_buckets_tat').on('rate_buckets').column('tat_ms').execute();
      },
    },
    '2026-12-02-04-claim-order': {
      // Claims walk one state's due deliveries in claim order and stop at the limit, instead
      // of sorting every due delivery (src/store/outbox.ts, claim and nextDueAt).
      async up(db: Kysely<unknown>) {
        await db.schema.createIndex('deliveries_claim').on('deliveries').columns(['state', 'next_attempt_at', 'notice_seq']).execute();
        await db.schema.dropIndex('deliveries_due').execute();
      },
    },
    '2026-12-02-05-subscription-changes': {
      // Subscriptions numbered by change, as incidents are, so a process keeps a copy for
      // targeting and catches up on what changed (src/store/subscription-repository.ts).
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('subscriptions').addColumn('change_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
        await db.schema.createIndex('subscriptions_change_seq').on('subscriptions').column('change_seq').execute();
        await db.schema
          .createTable('subscription_tombstones')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('change_seq', 'integer', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('subscription_tombstones_change_seq').on('subscription_tombstones').column('change_seq').execute();
      },
    },
    '2026-12-02-06-due-by-state': {
      // Due deliveries in one partial index per state, and no index led by `state` over the
      // whole table. With a long history the planner's statistics lag behind a fresh
      // publication (they say almost nothing is pending); with an index led by `state` it then
      // looked up "an earlier unfinished delivery of this channel" by scanning every unfinished
      // delivery for each candidate (seconds per claim at 50,000 pending). Now that lookup can
      // only go through the channel index, whatever the statistics say.
      async up(db: Kysely<unknown>) {
        await sql`create index deliveries_due_pending on deliveries (next_attempt_at, notice_seq) where state = 'pending'`.execute(db);
        await sql`create index deliveries_due_in_flight on deliveries (next_attempt_at, notice_seq) where state = 'in_flight'`.execute(db);
        await db.schema.dropIndex('deliveries_claim').execute();
      },
    },
    '2026-12-02-07-leased': {
      // The deliveries a dispatcher holds (leased), and only those: a dispatcher starting up
      // looks for what dead processes held here, instead of reading every unfinished delivery
      // (50,000 pending during a fan-out: a 100-200 ms synchronous read on SQLite).
      async up(db: Kysely<unknown>) {
        await sql`create index deliveries_leased on deliveries (lease_owner) where lease_owner is not null`.execute(db);
      },
    },
    '2026-12-03-01-claim-by-number': {
      // Deliveries due at the same time are claimed by notice, then by number (the publisher
      // numbers a notice's deliveries with the workspaces spread out: src/notices/targeting.ts
      // spreadWorkspaces), the number in the index so a claim still walks it and stops at its limit.
      async up(db: Kysely<unknown>) {
        await sql`create index deliveries_claim_pending on deliveries (next_attempt_at, notice_seq, id) where state = 'pending'`.execute(db);
        await sql`create index deliveries_claim_in_flight on deliveries (next_attempt_at, notice_seq, id) where state = 'in_flight'`.execute(db);
        await db.schema.dropIndex('deliveries_due_pending').execute();
        await db.schema.dropIndex('deliveries_due_in_flight').execute();
      },
    },
    '2026-12-03-02-reports': {
      // What people report to the bot (src/store/reports.ts): pseudonymous (an HMAC of who
      // wrote, never the id), text masked, kept VIGIE_REPORT_RETENTION (src/store/retention.ts).
      // The containing places are denormalised, as for subscriptions, so "how many people
      // reported the ENT in Occitanie" counts those who named Montpellier too.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('reports')
          .addColumn('id', dialect === 'postgres' ? sql`integer generated always as identity` : 'integer', (c) =>
            dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('service', 'text')
          .addColumn('place_kind', 'text')
          .addColumn('place_code', 'text')
          .addColumn('region', 'text', (c) => c.notNull())
          .addColumn('academie', 'text', (c) => c.notNull())
          .addColumn('departement', 'text', (c) => c.notNull())
          .addColumn('level', 'text')
          .addColumn('platform', 'text', (c) => c.notNull())
          .addColumn('reporter', 'text', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('reports_at').on('reports').column('at').execute();
        await db.schema.createIndex('reports_reporter_at').on('reports').columns(['reporter', 'at']).execute();
        await db.schema.createIndex('reports_service_at').on('reports').columns(['service', 'at']).execute();
      },
    },
    '2026-12-03-05-signal-alerts': {
      // Crowd-signal alerts in operators' channels (src/store/alerts.ts): one row per alert
      // (its last wording, so an alert whose signal vanished across a restart can still be
      // ended), and the message each platform shows it in, so a restart edits that message
      // instead of posting a second one.
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('signal_alerts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('opened_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('signal_alerts_state').on('signal_alerts').columns(['state', 'updated_at']).execute();
        await db.schema
          .createTable('signal_alert_messages')
          .addColumn('alert_id', 'text', (c) => c.notNull())
          .addColumn('platform', 'text', (c) => c.notNull())
          .addColumn('message_id', 'text', (c) => c.notNull())
          .addColumn('revision', 'integer', (c) => c.notNull())
          .addColumn('posted_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('signal_alert_messages_pk', ['alert_id', 'platform'])
          .execute();
      },
    },
  };
}
