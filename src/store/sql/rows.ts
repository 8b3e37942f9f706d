/**
 * What every repository shares: counters incremented inside a transaction, and JSON bodies
 * read back through a zod schema (a row that no longer validates is skipped with a warning,
 * never a crash).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { z } from 'zod';
import { describeIssues } from '../../content/validation.js';
import type { Logger } from '../../base/logger.js';
import type { Database } from './schema.js';

/** The next value of a named counter (1, 2, …), atomically, in the caller's transaction. */
export async function nextCounter(tx: Kysely<Database>, name: string, by = 1): Promise<number> {
  const row = await tx
    .insertInto('counters')
    .values({ name, value: by })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value: sql<number>`counters.value + ${by}` }))
    .returning('value')
    .executeTakeFirstOrThrow();
  return Number(row.value);
}

/** The current value of a counter (0 when never incremented). */
export async function readCounter(db: Kysely<Database>, name: string): Promise<number> {
  const row = await db.selectFrom('counters').select('value').where('name', '=', name).executeTakeFirst();
  return Number(row?.value ?? 0);
}

/** Parses and validates a JSON body; null (and a warning) when it is not what it should be. */
export function readBody<S extends z.ZodType>(body: string, schema: S, what: string, logger: Logger): z.output<S> | null {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    logger.warn('store: skipping a record that is not JSON', { record: what });
    return null;
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    logger.warn('store: skipping an invalid record', { record: what, problem: describeIssues(parsed.error) });
    return null;
  }
  return parsed.data;
}

/** Splits `items` into chunks (multi-row inserts stay under the databases' parameter limits). */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A column of a multi-row insert on PostgreSQL, with the type its array parameter is cast to. */
export type UnnestColumn<R> = readonly [keyof R & string, 'text' | 'integer'];

/**
 * Rows in one INSERT on PostgreSQL, each column passed as one array parameter and zipped back
 * into rows by `unnest`: one statement of a few parameters whatever the number of rows, where
 * a multi-row VALUES has one parameter per cell for the server to parse and plan (500 rows of
 * 19 columns: 9,500). A column with the same value in every row is passed once, not as an
 * array. The first column (the key) is always an array: it gives the number of rows. `rest`
 * follows the SELECT (an ON CONFLICT clause, RETURNING). `rows` must not be empty.
 */
export function unnestInsert<R>(table: string, columns: readonly UnnestColumn<R>[], rows: readonly R[], rest: RawBuilder<unknown> = sql``): RawBuilder<unknown> {
  const first = rows[0]!;
  const varying = columns.filter(([c], i) => i === 0 || rows.some((row) => row[c] !== first[c]));
  const varies = new Set(varying.map(([c]) => c));
  const names = sql.join(columns.map(([c]) => sql.id(c)));
  const values = sql.join(columns.map(([c, type]) => (varies.has(c) ? sql`u.${sql.id(c)}` : sql`cast(${first[c]} as ${sql.raw(type)})`)));
  const arrays = sql.join(varying.map(([c, type]) => sql`cast(${rows.map((row) => row[c])} as ${sql.raw(type)}[])`));
  return sql`insert into ${sql.id(table)} (${names}) select ${values} from unnest(${arrays}) as u(${sql.join(varying.map(([c]) => sql.id(c)))}) ${rest}`;
}
