/**
 * What the repositories need from a key-value backend, beyond what keyv offers: a listing
 * that is exact and stable, reading a raw record so a corrupted one can be skipped, and an
 * append that numbers records atomically even when two processes share the store.
 */
import type Keyv from 'keyv';
import type { z } from 'zod';
import { describeIssues } from '../content/load.js';
import { StoreError } from '../errors.js';
import type { Logger } from '../logger.js';

/** A stored record as read back: its key (without namespace) and its serialized value. */
export interface RawRecord {
  key: string;
  raw: string;
}

/** A key-value backend holding one keyv per namespace. */
export interface Backend {
  /** A human description for messages ("sqlite:///abs/path.sqlite"). */
  readonly description: string;
  /** The keyv of a namespace (created once, then reused). */
  keyv(namespace: string): Keyv;
  /** The serialized value at `key`, or undefined when absent. */
  getRaw(namespace: string, key: string): Promise<string | undefined>;
  /** Every record of a namespace in a single read, sorted by key (byte order). */
  entries(namespace: string): Promise<RawRecord[]>;
  /**
   * Stores `value` with the next sequence number of the namespace (1, 2, ...) written into
   * its `seq` field and used as its key (zero-padded so key order is number order).
   */
  appendSequenced(namespace: string, value: Record<string, unknown>): Promise<number>;
  close(): Promise<void>;
}

/** Namespaces are plain words so the key range "ns:" … "ns;" holds exactly their keys. */
export const NAMESPACE_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;

/** Throws a StoreError unless `namespace` is a plain lower-case word. */
export function checkNamespace(namespace: string): void {
  if (!NAMESPACE_PATTERN.test(namespace)) {
    throw new StoreError(`invalid store namespace "${namespace}": expected lower-case letters, digits and "-"`);
  }
}

/** The key of the record numbered `seq`: "000000000042". */
export function sequenceKey(seq: number): string {
  return String(seq).padStart(12, '0');
}

/** Serializes a value the way keyv stores it (`{ value }`, strings starting with ":" escaped). */
export async function serializeEnvelope(keyv: Keyv, value: unknown): Promise<string> {
  const serialize = keyv.serialize;
  if (!serialize) return JSON.stringify({ value });
  return serialize({ value });
}

/** Reads keyv's stored envelope `{ value, expires }`, or null when it is not one. */
function parseEnvelope(raw: string): { value: unknown; expires?: unknown } | null {
  try {
    const parsed: unknown = JSON.parse(raw, (_key, value: unknown) =>
      // keyv's serializer escapes strings that start with ":" by doubling the colon.
      typeof value === 'string' && value.startsWith(':') ? value.slice(1) : value,
    );
    if (typeof parsed !== 'object' || parsed === null || !('value' in parsed)) return null;
    return parsed as { value: unknown; expires?: unknown };
  } catch {
    return null;
  }
}

/**
 * Decodes and validates one stored record. A record that is not JSON, has expired, or does
 * not match the schema gives null; the corrupted ones are reported through the logger.
 */
export function decodeRecord<S extends z.ZodType>(
  record: RawRecord,
  namespace: string,
  schema: S,
  logger: Logger,
  nowMs: number = Date.now(),
): z.output<S> | null {
  const envelope = parseEnvelope(record.raw);
  if (!envelope) {
    logger.warn('store: skipping a record that is not valid JSON', { namespace, key: record.key });
    return null;
  }
  // Same rule as keyv itself, which expires on the wall clock.
  if (typeof envelope.expires === 'number' && nowMs > envelope.expires) return null;
  const parsed = schema.safeParse(envelope.value);
  if (!parsed.success) {
    logger.warn('store: skipping an invalid record', {
      namespace,
      key: record.key,
      problem: describeIssues(parsed.error),
    });
    return null;
  }
  return parsed.data;
}

/** Reads every valid record of a namespace, skipping (and reporting) the corrupted ones. */
export async function readAll<S extends z.ZodType>(
  backend: Backend,
  namespace: string,
  schema: S,
  logger: Logger,
): Promise<{ key: string; value: z.output<S> }[]> {
  const out: { key: string; value: z.output<S> }[] = [];
  for (const record of await backend.entries(namespace)) {
    const value = decodeRecord(record, namespace, schema, logger);
    if (value !== null) out.push({ key: record.key, value });
  }
  return out;
}

/** Reads one record, or null when absent, expired or corrupted. */
export async function readOne<S extends z.ZodType>(
  backend: Backend,
  namespace: string,
  key: string,
  schema: S,
  logger: Logger,
): Promise<z.output<S> | null> {
  const raw = await backend.getRaw(namespace, key);
  if (raw === undefined) return null;
  return decodeRecord({ key, raw }, namespace, schema, logger);
}

/** Wraps a backend failure in a StoreError that says what was being done. */
export function storeFailure(what: string, backend: Backend, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreError(`${what} failed on ${backend.description}: ${reason}`, { cause: error });
}
