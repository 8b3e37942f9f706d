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
 * written in one transaction, in multi-row batches. It is idempotent: a subscription is
 * identified by platform, workspace, channel, service and place, so importing a file again
 * changes nothing; a line for an existing subscription sets its levels and audience (and its
 * state when `active` is given), keeping who created it and when.
 */
import { z } from 'zod';
import type { Kysely } from 'kysely';
import type { Gazetteer } from '../places/gazetteer.js';
import type { PlaceContainers, PlaceLocator, Store, Subscription } from '../store/index.js';
import { subscriptionId } from '../store/index.js';
import type { Database, SubscriptionTable } from '../store/sql/schema.js';
import { nextCounter } from '../store/sql/rows.js';
import { SUBSCRIPTION_COUNTER } from '../store/subscription-copy.js';
import { toRow } from '../store/subscription-repository.js';
import { AUDIENCES, LEVELS, PLACE_KINDS, SUBSCRIPTION_PLATFORMS, type Localized, type PlaceKind, type PlaceRef } from '../base/types.js';
import { failure, type ErrorCode, type Failure } from '../base/errors.js';
import { issueFailures } from '../content/validation.js';

/** Rows per INSERT: 18 columns each, well under SQLite's and PostgreSQL's parameter limits. */
const BATCH = 500;

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

const ID = (what: RegExp) => z.string().regex(what);
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

/** The identifiers each platform uses, so a swapped or truncated column is caught. */
const PLATFORM_IDS: Record<Line['platform'], { workspace: z.ZodType; channel: z.ZodType; example: string }> = {
  slack: { workspace: ID(/^[TE][A-Z0-9]{1,20}$/), channel: ID(/^[CGD][A-Z0-9]{1,20}$/), example: 'workspace T024BE7LD, channel C024BE91L' },
  // Discord ids are snowflakes of 17 to 20 digits: a shorter one is truncated or mistyped.
  discord: { workspace: ID(/^\d{17,20}$/), channel: ID(/^\d{17,20}$/), example: 'workspace (guild) 81384788765712384, channel 81384788765712385' },
  console: { workspace: z.string().max(100), channel: ID(/^[\w.:-]{1,100}$/), example: 'channel console' },
};

/** A checked line, ready to write. */
interface Checked {
  subscription: Subscription;
  containers: PlaceContainers;
  /** Whether the line set the state. */
  setsActive: boolean;
}

/** Checks one line; the subscription, or the problems (French and English). */
export function checkLine(text: string, deps: Pick<ImportDeps, 'gazetteer' | 'services' | 'locate' | 'actor' | 'now'>): Checked | Problem[] {
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
    if (!ids[field].safeParse(line[field]).success) {
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
  const place = readPlace(line.place, deps.gazetteer);
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
    createdAt: deps.now.toISOString(),
    createdBy: deps.actor,
    active: line.active ?? true,
    failures: 0,
  };
  return { subscription, containers: deps.locate(place), setsActive: line.active !== undefined };
}

/** Reads and checks every line, then writes them all in one transaction (or nothing when any is wrong). */
export async function importSubscriptions(lines: AsyncIterable<string> | Iterable<string>, deps: ImportDeps): Promise<ImportOutcome> {
  const errors: LineError[] = [];
  const byId = new Map<string, Checked>();
  let count = 0;
  for await (const text of lines) {
    count++;
    if (text.trim() === '') continue;
    const checked = checkLine(text.trim(), deps);
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
  await deps.store.write(async (tx) => {
    // One change number for the whole import: every process's copy catches up on all of it.
    const change = await nextCounter(tx, SUBSCRIPTION_COUNTER);
    for (let i = 0; i < all.length; i += BATCH) {
      const part = all.slice(i, i + BATCH);
      const existing = await tx
        .selectFrom('subscriptions')
        .select('id')
        .where(
          'id',
          'in',
          part.map((c) => c.subscription.id),
        )
        .execute();
      outcome.updated += existing.length;
      outcome.added += part.length - existing.length;
      await upsert(
        tx,
        part.filter((c) => c.setsActive),
        true,
        now,
        change,
      );
      await upsert(
        tx,
        part.filter((c) => !c.setsActive),
        false,
        now,
        change,
      );
    }
  });
  return outcome;
}

async function upsert(tx: Kysely<Database>, rows: Checked[], setsActive: boolean, now: string, change: number): Promise<void> {
  if (rows.length === 0) return;
  await tx
    .insertInto('subscriptions')
    .values(rows.map((c) => toRow(c.subscription, c.containers, now, change)))
    .onConflict((oc) =>
      oc.column('id').doUpdateSet((eb) => ({
        levels: eb.ref('excluded.levels'),
        audience: eb.ref('excluded.audience'),
        place_name: eb.ref('excluded.place_name'),
        region: eb.ref('excluded.region'),
        academie: eb.ref('excluded.academie'),
        departement: eb.ref('excluded.departement'),
        updated_at: eb.ref('excluded.updated_at'),
        change_seq: eb.ref('excluded.change_seq'),
        ...(setsActive ? { active: eb.ref('excluded.active'), failures: eb.ref('excluded.failures') } : {}),
      })),
    )
    .execute();
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
