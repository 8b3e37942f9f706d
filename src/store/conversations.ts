/**
 * Follow-up context per conversation ("et à Lyon ?" after "l'ENT marche à Toulouse ?"):
 * what the last question was about, kept for a while and then forgotten.
 */
import { z } from 'zod';
import type { Clock } from '../clock.js';
import { INTENTS, LANGUAGES, LEVELS, PLACE_KINDS, type ConversationRef } from '../types.js';
import type { Logger } from '../logger.js';
import { readOne, storeFailure, type Backend } from './backend.js';

/** The namespace conversation contexts are kept in. */
export const CONVERSATIONS_NAMESPACE = 'conversations';

/** How long a conversation's context is remembered by default: 30 minutes. */
export const DEFAULT_CONVERSATION_TTL_MS = 30 * 60 * 1000;

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
  /** Remembers a context for `ttlMs` (30 minutes by default). */
  set(key: string, value: ConversationContext, ttlMs?: number): Promise<void>;
  /** Forgets a context; false when there was none. */
  delete(key: string): Promise<boolean>;
}

/** The key of a conversation: platform, workspace, channel and thread, so threads are separate. */
export function conversationKey(ref: ConversationRef): string {
  return [ref.platform, ref.workspace ?? '', ref.channel, ref.thread ?? ''].map(encodeURIComponent).join('/');
}

/**
 * Contexts kept in a backend. Expiry follows the injected clock (so a replayed day and the
 * tests behave); keyv's own TTL, on the wall clock, removes old records in any case.
 */
export function createConversationStore(backend: Backend, clock: Clock, logger: Logger): ConversationStore {
  const ns = CONVERSATIONS_NAMESPACE;
  return {
    async get(key) {
      const record = await readOne(backend, ns, key, recordSchema, logger);
      if (!record) return null;
      if (clock.now().getTime() >= record.expiresAt) return null;
      return record.context;
    },
    async set(key, value, ttlMs = DEFAULT_CONVERSATION_TTL_MS) {
      if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`ttlMs must be a positive number (got ${ttlMs})`);
      const record = { context: conversationContextSchema.parse(value), expiresAt: clock.now().getTime() + ttlMs };
      try {
        await backend.keyv(ns).set(key, record, ttlMs);
      } catch (error) {
        throw storeFailure(`saving conversation ${key}`, backend, error);
      }
    },
    async delete(key) {
      try {
        return await backend.keyv(ns).delete(key);
      } catch (error) {
        throw storeFailure(`deleting conversation ${key}`, backend, error);
      }
    },
  };
}
