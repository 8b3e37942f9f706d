/**
 * Subscriptions in JSON Lines, to move or restore a deployment's subscribers or seed a store:
 *
 *   {"platform":"slack","workspace":"T024BE7LD","channel":"C024BE91L","service":"ent","place":"region:76"}
 *
 * one subscription per line; `service` may be `*` (every service); optional `levels`
 * (["ecole","college","lycee"], default every level), `audience` ("all", "staff",
 * "families"; default all) and `active` (false for a paused subscription). Export writes
 * exactly this format, so export → import gives back the same subscriptions.
 *
 * Import is all-or-nothing: every line is checked first and every problem is reported with
 * its line number; when any line is wrong, nothing is written. Otherwise everything is
 * written in one transaction, in multi-row statements (500 rows each on SQLite; on PostgreSQL
 * 10,000, each column one array parameter). It is idempotent: a subscription is
 * identified by platform, workspace, channel, service and place, so importing a file again
 * changes nothing; a line for an existing subscription sets its levels and audience (and its
 * state when `active` is given), keeping who created it and when.
 */
import { z } from 'zod';
import { sql, type Kysely } from 'kysely';
import type { Gazetteer } from '../places/gazetteer.js';
import type { PlaceContainers, PlaceLocator, Store, Subscription } from '../store/index.js';
import { subscriptionId } from '../store/index.js';
import type { Database, SubscriptionTable } from '../store/sql/schema.js';
import { chunks, nextCounter, unnestInsert, type UnnestColumn } from '../store/sql/rows.js';
import { SUBSCRIPTION_COUNTER } from '../store/subscription-copy.js';
import { toRow } from '../store/subscription-repository.js';
import { AUDIENCES, LEVELS, PLACE_KINDS, SUBSCRIPTION_PLATFORMS, type Localized, type PlaceKind, type PlaceRef } from '../base/types.js';
import { failure, type ErrorCode, type Failure } from '../base/errors.js';
import { issueFailures } from '../content/validation.js';

/** Rows per INSERT on SQLite: 19 columns each, well under its parameter limit. */
const BATCH = 500;

/**
 * Rows per statement on PostgreSQL, where a statement takes one array per column whatever
 * its number of rows: large, so 100,000 lines are a few round trips, not hundreds.
 */
const PG_BATCH = 10_000;

/** Lines longer than this are refused without being parsed. */
const MAX_LINE = 4_000;

/** A problem with an import line or an admin's command: its code, its field, its text in French and English. */
export type Problem = Failure<Localized>;

/** A problem on one line. */
export type LineError = Problem & { line: number };

const problem = (code: ErrorCode, fr: string, en: string, field?: string): Problem => failure(code, { fr, en }, field);

/** What an import did. */
export interface ImportOutcome {
  /** Lines read (blank ones included). */
  lines: number;
  /** Subscriptions in the file (a subscription given twice counts once: the last line wins). */
  subscriptions: number;
  added: number;
  updated: number;
  /** Every problem found; when there is any, nothing was written. */
  errors: LineError[];
}

/** What an import needs to check lines. */
export interface ImportDeps {
  store: Store;
  gazetteer: Gazetteer;
  /** Known service ids ('*' is always accepted). */
  services: ReadonlySet<string>;
  locate: PlaceLocator;
  /** Recorded as the creator of new subscriptions, e.g. "cli:alice". */
  actor: string;
  now: Date;
}

const lineSchema = z.strictObject({
  platform: z.enum(SUBSCRIPTION_PLATFORMS),
  workspace: z.string().max(100).default(''),
  channel: z.string().min(1).max(100),
  service: z.string().min(1).max(100),
  place: z.string().min(1).max(100),
  levels: z.array(z.enum(LEVELS)).max(LEVELS.length).optional(),
  audience: z.enum(AUDIENCES).optional(),
  active: z.boolean().optional(),
});
type Line = z.infer<typeof lineSchema>;

/**
 * The identifiers each platform uses, so a swapped or truncated column is caught (on strings
 * the line's schema has already checked: a plain regex, not a second schema per field).
 */
const PLATFORM_IDS: Record<Line['platform'], { workspace: RegExp; channel: RegExp; example: string }> = {
  slack: { workspace: /^[TE][A-Z0-9]{1,20}$/, channel: /^[CGD][A-Z0-9]{1,20}$/, example: 'workspace T024BE7LD, channel C024BE91L' },
  // Discord ids are snowflakes of 17 to 20 digits: a shorter one is truncated or mistyped.
  discord: { workspace: /^\d{17,20}$/, channel: /^\d{17,20}$/, example: 'workspace (guild) 81384788765712384, channel 81384788765712385' },
  console: { workspace: /^[\s\S]{0,100}$/, channel: /^[\w.:-]{1,100}$/, example: 'channel console' },
};

/** A checked line, ready to write. */
interface Checked {
  subscription: Subscription;
  containers: PlaceContainers;
  /** Whether the line set the state. */
  setsActive: boolean;
}

/** A place as a line gives it, read and located once per import (100,000 lines name a few hundred places). */
type PlaceMemo = Map<string, { place: PlaceRef | null; containers: PlaceContainers | null }>;

/** Checks one line; the subscription, or the problems (French and English). `places`: an import's memo. */
export function checkLine(text: string, deps: Pick<ImportDeps, 'gazetteer' | 'services' | 'locate' | 'actor' | 'now'>, places?: PlaceMemo): Checked | Problem[] {
  if (text.length > MAX_LINE) return [problem('INPUT_TOO_LONG', `ligne trop longue (plus de ${MAX_LINE} caractères)`, `line too long (over ${MAX_LINE} characters)`)];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return [problem('INPUT_NOT_JSON', 'ce n’est pas un objet JSON', 'not a JSON object')];
  }
  const parsed = lineSchema.safeParse(raw);
  if (!parsed.success) {
    return issueFailures(parsed.error, 'ligne', (issue, field): Localized => {
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.join(', ');
        return { fr: `champ(s) inconnu(s) : ${keys}`, en: `unknown field(s): ${keys}` };
      }
      if (issue.code === 'invalid_type' && issue.input === undefined) return { fr: `${field} manquant`, en: `${field} is missing` };
      if (issue.code === 'invalid_value' && 'values' in issue) {
        const allowed = issue.values.map(String).join(', ');
        return { fr: `${field} : attendu l’une de ces valeurs : ${allowed}`, en: `${field}: expected one of ${allowed}` };
      }
      return { fr: `${field} invalide (${issue.message})`, en: `${field} is invalid (${issue.message})` };
    });
  }
  const line = parsed.data;
  const problems: Problem[] = [];
  const ids = PLATFORM_IDS[line.platform];
  for (const field of ['workspace', 'channel'] as const) {
    if (!ids[field].test(line[field])) {
      problems.push(
        problem(
          'INPUT_BAD_ID',
          `${field} « ${clip(line[field])} » n’est pas un identifiant ${line.platform} (par exemple ${ids.example})`,
          `${field} "${clip(line[field])}" is not a ${line.platform} id (e.g. ${ids.example})`,
          field,
        ),
      );
    }
  }
  if (line.service !== '*' && !deps.services.has(line.service)) {
    problems.push(problem('INPUT_UNKNOWN_SERVICE', `service inconnu « ${clip(line.service)} » (un identifiant de content/services, ou *)`, `unknown service "${clip(line.service)}" (a service id from content/services, or *)`, 'service'));
  }
  let read = places?.get(line.place);
  if (!read) {
    read = { place: readPlace(line.place, deps.gazetteer), containers: null };
    places?.set(line.place, read);
  }
  const place = read.place;
  if (!place) {
    problems.push(
      problem(
        'INPUT_UNKNOWN_PLACE',
        `lieu inconnu « ${clip(line.place)} » (attendu TYPE:CODE, TYPE parmi ${PLACE_KINDS.join(', ')} : region:76, departement:31, academie:toulouse, commune:31555, national)`,
        `unknown place "${clip(line.place)}" (expected KIND:CODE, KIND one of ${PLACE_KINDS.join(', ')}: region:76, departement:31, academie:toulouse, commune:31555, national)`,
        'place',
      ),
    );
  }
  if (problems.length > 0 || !place) return problems;
  const subscription: Subscription = {
    id: subscriptionId({ platform: line.platform, workspace: line.workspace, channel: line.channel, service: line.service, place }),
    platform: line.platform,
    workspace: line.workspace,
    channel: line.channel,
    service: line.service,
    place,
    levels: [...new Set(line.levels ?? [])],
    audience: line.audience ?? 'all',
    createdAt: isoOf(deps.now),
    createdBy: deps.actor,
    active: line.active ?? true,
    failures: 0,
  };
  read.containers ??= deps.locate(place);
  return { subscription, containers: read.containers, setsActive: line.active !== undefined };
}

/** `date` in ISO form, the last one remembered (every line of an import has the same time). */
function isoOf(date: Date): string {
  if (date !== lastDate.date || date.getTime() !== lastDate.time) lastDate = { date, time: date.getTime(), iso: date.toISOString() };
  return lastDate.iso;
}
let lastDate = { date: null as Date | null, time: NaN, iso: '' };

/** Reads and checks every line, then writes them all in one transaction (or nothing when any is wrong). */
export async function importSubscriptions(lines: AsyncIterable<string> | Iterable<string>, deps: ImportDeps): Promise<ImportOutcome> {
  const errors: LineError[] = [];
  const byId = new Map<string, Checked>();
  const places: PlaceMemo = new Map();
  let count = 0;
  for await (const text of lines) {
    count++;
    const trimmed = text.trim();
    if (trimmed === '') continue;
    const checked = checkLine(trimmed, deps, places);
    if (Array.isArray(checked)) for (const e of checked) errors.push({ line: count, ...e });
    else {
      // The last line for a subscription wins, as if the lines were imported one by one.
      byId.delete(checked.subscription.id);
      byId.set(checked.subscription.id, checked);
    }
  }
  const outcome: ImportOutcome = { lines: count, subscriptions: byId.size, added: 0, updated: 0, errors };
  if (errors.length > 0 || byId.size === 0) return outcome;
  const all = [...byId.values()];
  const now = deps.now.toISOString();
  const pg = deps.store.db.dialect === 'postgres';
  await deps.store.write(async (tx) => {
    // One change number for the whole import: every process's copy catches up on all of it.
    const change = await nextCounter(tx, SUBSCRIPTION_COUNTER);
    for (const part of chunks(all, pg ? PG_BATCH : BATCH)) {
      const ids = part.map((c) => c.subscription.id);
      const existing = pg
        ? Number((await sql<{ n: string }>`select count(*) as n from subscriptions where id = any(cast(${ids} as text[]))`.execute(tx)).rows[0]?.n ?? 0)
        : (await tx.selectFrom('subscriptions').select('id').where('id', 'in', ids).execute()).length;
      outcome.updated += existing;
      outcome.added += part.length - existing;
      for (const setsActive of [true, false]) {
        const rows = part.filter((c) => c.setsActive === setsActive).map((c) => toRow(c.subscription, c.containers, now, change));
        if (rows.length > 0) await (pg ? upsertPg(tx, rows, setsActive) : upsert(tx, rows, setsActive));
      }
    }
  });
  return outcome;
}

/** The columns an import sets on an existing subscription (with `active` and `failures` when the line gives the state). */
const UPDATED: readonly (keyof SubscriptionTable)[] = ['levels', 'audience', 'place_name', 'region', 'academie', 'departement', 'updated_at', 'change_seq'];
const updated = (setsActive: boolean): readonly (keyof SubscriptionTable)[] => (setsActive ? [...UPDATED, 'active', 'failures'] : UPDATED);

async function upsert(tx: Kysely<Database>, rows: SubscriptionTable[], setsActive: boolean): Promise<void> {
  await tx
    .insertInto('subscriptions')
    .values(rows)
    .onConflict((oc) => oc.column('id').doUpdateSet((eb) => Object.fromEntries(updated(setsActive).map((c) => [c, eb.ref(`excluded.${c}`)]))))
    .execute();
}

/** Every column of a subscription row, with its PostgreSQL type; the id first. */
const PG_COLUMNS: readonly UnnestColumn<SubscriptionTable>[] = (
  ['id', 'platform', 'workspace', 'channel', 'service', 'place_kind', 'place_code', 'place_name', 'region', 'academie', 'departement', 'levels', 'audience', 'active', 'failures', 'created_at', 'created_by', 'updated_at', 'change_seq'] as const
).map((c) => [c, c === 'active' || c === 'failures' || c === 'change_seq' ? 'integer' : 'text'] as const);

/** The rows in one statement (one array per column, unnest): a few parameters instead of 19 per row. */
async function upsertPg(tx: Kysely<Database>, rows: SubscriptionTable[], setsActive: boolean): Promise<void> {
  const set = sql.join(updated(setsActive).map((c) => sql`${sql.id(c)} = excluded.${sql.id(c)}`));
  await unnestInsert('subscriptions', PG_COLUMNS, rows, sql`on conflict (id) do update set ${set}`).execute(tx);
}

/** One JSON line per subscription, in id order, read page by page (any number of subscriptions). */
export async function* exportSubscriptions(store: Store, pageSize = 5_000): AsyncGenerator<string> {
  const k = store.db.kysely;
  let after = '';
  for (;;) {
    const rows = await k
      .selectFrom('subscriptions')
      .select(['id', 'platform', 'workspace', 'channel', 'service', 'place_kind', 'place_code', 'levels', 'audience', 'active'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    for (const r of rows) yield exportLine(r);
    if (rows.length < pageSize) return;
    after = rows[rows.length - 1]!.id;
  }
}

function exportLine(r: Pick<SubscriptionTable, 'platform' | 'workspace' | 'channel' | 'service' | 'place_kind' | 'place_code' | 'levels' | 'audience' | 'active'>): string {
  let levels: unknown = [];
  try {
    levels = JSON.parse(r.levels);
  } catch {
    levels = [];
  }
  return JSON.stringify({
    platform: r.platform,
    workspace: r.workspace,
    channel: r.channel,
    service: r.service,
    place: r.place_kind === 'national' ? 'national' : `${r.place_kind}:${r.place_code}`,
    ...(Array.isArray(levels) && levels.length > 0 ? { levels } : {}),
    ...(r.audience !== 'all' ? { audience: r.audience } : {}),
    ...(Number(r.active) === 1 ? {} : { active: false }),
  });
}

/** "region:76", "departement:2A", "academie:toulouse", "commune:31555", "national". */
function readPlace(text: string, gazetteer: Gazetteer): PlaceRef | null {
  const trimmed = text.trim();
  if (/^national(:FR)?$/i.test(trimmed)) return gazetteer.get('national', 'FR');
  const m = /^([a-z]+):(\S+)$/i.exec(trimmed);
  if (!m || !(PLACE_KINDS as readonly string[]).includes(m[1]!.toLowerCase())) return null;
  const kind = m[1]!.toLowerCase() as PlaceKind;
  return gazetteer.get(kind, kind === 'departement' ? m[2]!.toUpperCase() : kind === 'academie' ? m[2]!.toLowerCase() : m[2]!);
}

function clip(text: string): string {
  // Echoed in error messages: short, one line, no control characters.
  const one = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return one.length > 40 ? `${one.slice(0, 40)}…` : one;
}
