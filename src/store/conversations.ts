/**
 * Follow-up context per conversation ("et à Lyon ?" after "l'ENT marche à Toulouse ?"):
 * what the last question was about, kept for a while and then forgotten. It lives in keyv,
 * not in the database: in memory (bounded) for one instance, in Redis when several share
 * the work. A question never waits for a disk write.
 */
import Keyv from 'keyv';
import { z } from 'zod';
import type { Clock } from '../base/clock.js';
import { INTENTS, LANGUAGES, LEVELS, PLACE_KINDS, type ConversationRef, type PlaceRef } from '../base/types.js';
import type { Logger } from '../base/logger.js';
import { BoundedTtlMap } from './bounded-map.js';

/** How long a conversation's context is remembered by default: 30 minutes. */
export const DEFAULT_CONVERSATION_TTL_MS = 30 * 60 * 1000;

/** Contexts kept in memory at most (about 1 KB each). */
export const MAX_MEMORY_CONTEXTS = 100_000;

const placeRefSchema = z.strictObject({
  kind: z.enum(PLACE_KINDS),
  code: z.string().min(1),
  name: z.string().min(1),
});

/** What a follow-up question can lean on. */
export const conversationContextSchema = z.strictObject({
  language: z.enum(LANGUAGES),
  intent: z.enum(INTENTS),
  service: z.string().nullable(),
  level: z.enum(LEVELS).nullable(),
  place: placeRefSchema.nullable(),
  /** Places offered in a clarifying question, so "the second one" can be understood. */
  alternatives: z.array(placeRefSchema).default([]),
  /** Incidents shown in the last answer. */
  incidents: z.array(z.string()).default([]),
  /** When the question was asked (ISO-8601). */
  at: z.iso.datetime({ offset: true }),
  /** The scenario whose demo label this conversation has seen in full (later answers show its short tag). */
  demo: z.string().max(120).optional(),
});
export type ConversationContext = z.input<typeof conversationContextSchema>;
export type StoredConversationContext = z.output<typeof conversationContextSchema>;

const recordSchema = z.strictObject({
  context: conversationContextSchema,
  /** Clock time after which the context is forgotten (epoch ms). */
  expiresAt: z.number().int(),
});

/** Follow-up contexts, keyed by conversation. */
export interface ConversationStore {
  /** The context, or null when none, expired (by the injected clock) or corrupted. */
  get(key: string): Promise<StoredConversationContext | null>;
  /**
   * Remembers a context for `ttlMs` (30 minutes by default). Throws on an invalid context;
   * when the cache cannot be written (Redis down), the context is skipped with a warning.
   */
  set(key: string, value: ConversationContext, ttlMs?: number): Promise<void>;
  /** Forgets a context; false when there was none. */
  delete(key: string): Promise<boolean>;
  close(): Promise<void>;
}

/** The key of a conversation: platform, workspace, channel and thread, so threads are separate. */
export function conversationKey(ref: ConversationRef): string {
  return `${keyPart(ref.platform)}/${keyPart(ref.workspace ?? '')}/${keyPart(ref.channel)}/${keyPart(ref.thread ?? '')}`;
}

// What encodeURIComponent leaves as it is: ids (nearly every part of a key) need no encoding.
const UNRESERVED = /^[A-Za-z0-9\-_.!~*'()]*$/;

/** A part of a key, as encodeURIComponent writes it (without calling it for a plain id). */
export function keyPart(part: string): string {
  return typeof part === 'string' && UNRESERVED.test(part) ? part : encodeURIComponent(part);
}

/**
 * A keyv for contexts: bounded memory by default. Records are kept as objects, not JSON: keyv's
 * serializer (a recursive walk, then JSON.parse with a reviver) cost more than the rest of
 * remembering a question, and a record is validated again when it is read in any case.
 */
export function memoryContextKeyv(max = MAX_MEMORY_CONTEXTS, nowMs?: () => number): Keyv {
  const map = new BoundedTtlMap(max, nowMs);
  const keyv = new Keyv({ store: map, namespace: MEMORY_NAMESPACE, serialize: undefined, deserialize: undefined });
  memoryMaps.set(keyv, map);
  return keyv;
}

const MEMORY_NAMESPACE = 'conversations';

/**
 * The maps behind the memory keyvs made above. The conversation store reads and writes those
 * maps directly, as keyv would (the same prefixed keys, the same `{ value, expires }` entries,
 * expiry on the wall clock), without keyv's hooks, stats and chain of promises: every question
 * reads and writes a context, and that machinery cost more than the rest of remembering it.
 */
const memoryMaps = new WeakMap<Keyv, BoundedTtlMap>();

/** A keyv entry as kept in memory (keyv's own format, unserialized). */
interface MemoryEntry {
  value: unknown;
  expires?: number;
}

/** The key keyv would use in its store: the namespace first (keyv does not add it twice). */
const NAMESPACE_PREFIX = `${MEMORY_NAMESPACE}:`;
// A question reads its context then writes it under the same key: the key made for the read
// (and its hash, computed once by the map) serves the write too.
let lastKey: string | null = null;
let lastPrefixed = '';
const prefixed = (key: string): string => {
  if (key === lastKey) return lastPrefixed;
  const out = key.startsWith(NAMESPACE_PREFIX) ? key : `${NAMESPACE_PREFIX}${key}`;
  lastKey = key;
  lastPrefixed = out;
  return out;
};

/**
 * Contexts kept in a keyv. Expiry follows the injected clock (so a replayed day and the
 * tests behave); keyv's own TTL (the wall clock) lets old entries go in any case.
 */
export function createConversationStore(keyv: Keyv, clock: Clock, logger: Logger): ConversationStore {
  const health = outageLog(logger);
  // A keyv backend error is an 'error' event; without a listener it would crash the process.
  keyv.on('error', (error: unknown) => health.failed('store: context cache error', error));
  const memory = memoryMaps.get(keyv) ?? null;
  return {
    async get(key) {
      let raw: unknown;
      if (memory) {
        const entry = memory.get(prefixed(key)) as MemoryEntry | undefined;
        // Expired entries go as keyv's get would let them go.
        if (entry !== undefined && typeof entry.expires === 'number' && Date.now() > entry.expires) memory.delete(prefixed(key));
        else raw = entry?.value;
      } else {
        try {
          raw = await keyv.get(key);
          health.ok();
        } catch (error) {
          // A lost context only costs a follow-up its memory: answer without it.
          health.failed('store: context not readable; answering without follow-up context', error);
          return null;
        }
      }
      if (raw === undefined || raw === null) return null;
      // A record this module wrote into memory (frozen): read back without the schema. Anything
      // else found there (written through keyv by other code) is validated.
      if (raw instanceof OwnRecord) {
        if (clock.now().getTime() >= raw.expiresAt) return null;
        // A copy: the caller may change what it reads.
        return copyContext(raw.context);
      }
      const record = recordSchema.safeParse(raw);
      if (!record.success) {
        logger.warn('store: skipping an invalid conversation context');
        return null;
      }
      if (clock.now().getTime() >= record.data.expiresAt) return null;
      return record.data.context;
    },
    async set(key, value, ttlMs = DEFAULT_CONVERSATION_TTL_MS) {
      if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be a positive number (got ${ttlMs})`);
      const expiresAt = clock.now().getTime() + ttlMs;
      if (memory) {
        memory.set(prefixed(key), { value: new OwnRecord(frozenContext(value), expiresAt), expires: Date.now() + ttlMs } satisfies MemoryEntry);
        return;
      }
      const record = { context: copyContext(value), expiresAt };
      try {
        await keyv.set(key, record, ttlMs);
        health.ok();
      } catch (error) {
        health.failed('store: context not saved; the next question will not lean on this one', error);
      }
    },
    async delete(key) {
      return keyv.delete(key);
    },
    async close() {
      await keyv.disconnect().catch(() => undefined);
    },
  };
}

/**
 * A record kept in memory by this module: frozen all the way down, so it is read back as
 * written, without the schema. Only this module makes them (the class is not exported).
 */
class OwnRecord {
  constructor(
    readonly context: StoredConversationContext,
    readonly expiresAt: number,
  ) {
    Object.freeze(this);
  }
}

/**
 * The context as kept in memory: frozen, with defaults filled in. Parts already frozen (the
 * understander's memoised queries and the answerer's memoised replies hand out frozen places,
 * lists of places and lists of incidents) are kept as they are; others are copied and frozen.
 */
function frozenContext(value: ConversationContext): StoredConversationContext {
  const frozenPlace = (p: PlaceRef): PlaceRef => (Object.isFrozen(p) ? p : Object.freeze(copyPlace(p)));
  const alternatives = value.alternatives ?? [];
  const incidents = value.incidents ?? [];
  // Frozen at run time; typed as the stored context is (nobody writes into it).
  return Object.freeze({
    language: value.language,
    intent: value.intent,
    service: value.service,
    level: value.level,
    place: value.place ? frozenPlace(value.place) : null,
    alternatives: Object.isFrozen(alternatives) && alternatives.every((p) => Object.isFrozen(p)) ? alternatives : Object.freeze(alternatives.map(frozenPlace)),
    incidents: Object.isFrozen(incidents) ? incidents : Object.freeze([...incidents]),
    at: value.at,
    ...(value.demo !== undefined ? { demo: value.demo } : {}),
  }) as StoredConversationContext;
}

const copyPlace = (p: PlaceRef): PlaceRef => ({ kind: p.kind, code: p.code, name: p.name });

/**
 * The context as stored: a copy, defaults filled in. Every question writes one, so it is not
 * run through the schema here (that cost more than the rest of remembering a question): the
 * bot's own types vouch for it, and `get` validates whatever it reads back.
 */
function copyContext(value: ConversationContext): StoredConversationContext {
  return {
    language: value.language,
    intent: value.intent,
    service: value.service,
    level: value.level,
    place: value.place ? copyPlace(value.place) : null,
    alternatives: (value.alternatives ?? []).map(copyPlace),
    incidents: [...(value.incidents ?? [])],
    at: value.at,
    ...(value.demo !== undefined ? { demo: value.demo } : {}),
  };
}

/** Warns once when the cache starts failing, not once per question, and once when it is back. */
function outageLog(logger: Logger): { ok(): void; failed(message: string, error: unknown): void } {
  let failing = false;
  return {
    ok() {
      if (!failing) return;
      failing = false;
      logger.info('store: context cache works again');
    },
    failed(message, error) {
      if (failing) return;
      failing = true;
      logger.warn(message, { error });
    },
  };
}
