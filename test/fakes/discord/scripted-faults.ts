/**
 * Faults a test scripts on the fake Discord, on the fake's clock: rate limits (a channel
 * route's or the bot's global one) with a given Retry-After, an outage answering 500 (some
 * after storing the message, as a real outage does), a request that never gets an answer
 * (a timeout for the client; some after storing the message), 401 Unauthorized (a revoked
 * token) and 403 with any code. Each is active for a period of the fake's clock, or for its next
 * `times` matching requests, on every channel route (and, for 401 and global limits, on
 * GET /users/@me too) or only some channels.
 */
import type { FakeAnswer } from './channel-messages.js';

/** One scripted fault. */
export interface ScriptedFault {
  kind: '429' | '500' | 'timeout' | '401' | '403';
  /** 429: the bot's global limit (X-RateLimit-Global) instead of the channel route's. */
  global?: boolean;
  /** 429: Retry-After in seconds (default 1). */
  retryAfterSec?: number;
  /** 403: Discord's error code (default 50001 Missing Access). */
  code?: number;
  /** Active from this instant of the fake's clock, epoch ms (default: when scripted)... */
  from?: number;
  /** ...for this long (default: until spent or removed). */
  forMs?: number;
  /** Hits at most this many requests (default: no limit). */
  times?: number;
  /** Only requests to these channels (default: every channel). */
  channels?: readonly string[];
  /** Only these HTTP methods (default: every method). */
  methods?: readonly string[];
  /** 500 and timeout: every n-th hit stores the message (post or edit) before answering 500 or hanging (default 0: none). */
  storeEvery?: number;
}

/** What a scripted fault answers: a status, body and headers, and whether to store first. */
export interface ScriptedAnswer extends FakeAnswer {
  headers: Record<string, string>;
  storeFirst: boolean;
  /** Never answer (the fake holds the request, then drops the connection: FakeDiscordOptions.hangMs). */
  hang?: boolean;
}

interface Active extends ScriptedFault {
  from: number;
  hits: number;
}

/** The faults scripted on one fake. */
export class ScriptedFaults {
  private readonly active: Active[] = [];
  /** Requests answered by a scripted fault. */
  hits = 0;

  constructor(private readonly now: () => number) {}

  /** Adds a fault; returns a function that removes it. */
  add(fault: ScriptedFault): () => void {
    const entry: Active = { ...fault, from: fault.from ?? this.now(), hits: 0 };
    this.active.push(entry);
    return () => {
      const i = this.active.indexOf(entry);
      if (i >= 0) this.active.splice(i, 1);
    };
  }

  /** Removes every fault. */
  clear(): void {
    this.active.length = 0;
  }

  /** The scripted answer to a request, or null to answer normally. */
  answer(method: string, path: string): ScriptedAnswer | null {
    const now = this.now();
    const channel = /^\/channels\/(\d+)/.exec(path)?.[1] ?? null;
    const me = path === '/users/@me';
    const fault = this.active.find((f) => {
      if (now < f.from || (f.forMs !== undefined && now >= f.from + f.forMs) || (f.times !== undefined && f.hits >= f.times)) return false;
      if (f.methods && !f.methods.includes(method)) return false;
      if (me) return !f.channels && (f.kind === '401' || (f.kind === '429' && f.global === true));
      return channel !== null && (!f.channels || f.channels.includes(channel));
    });
    if (!fault) return null;
    fault.hits++;
    this.hits++;
    return answerOf(fault);
  }
}

function answerOf(f: Active): ScriptedAnswer {
  switch (f.kind) {
    case '429': {
      const after = f.retryAfterSec ?? 1;
      const headers: Record<string, string> = f.global
        ? { 'retry-after': String(Math.ceil(after)), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' }
        : { 'retry-after': String(Math.ceil(after)), 'x-ratelimit-scope': 'user', 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset-after': after.toFixed(3), 'x-ratelimit-bucket': 'scripted' };
      return { status: 429, data: { message: 'You are being rate limited.', retry_after: after, global: f.global === true }, headers, storeFirst: false };
    }
    case '500':
      return { status: 500, data: { message: '500: Internal Server Error', code: 0 }, headers: {}, storeFirst: (f.storeEvery ?? 0) > 0 && f.hits % f.storeEvery! === 0 };
    case 'timeout':
      return { status: 0, headers: {}, hang: true, storeFirst: (f.storeEvery ?? 0) > 0 && f.hits % f.storeEvery! === 0 };
    case '401':
      return { status: 401, data: { message: '401: Unauthorized', code: 0 }, headers: {}, storeFirst: false };
    case '403':
      return { status: 403, data: { message: 'Forbidden', code: f.code ?? 50001 }, headers: {}, storeFirst: false };
  }
}
