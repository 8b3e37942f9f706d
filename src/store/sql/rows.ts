/**
 * What every repository shares: counters incremented inside a transaction, and JSON bodies
 * read back through a zod schema (a row that no longer validates is skipped with a warning,
 * never a crash).
 */
import { sql, type Kysely } from 'kysely';
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
