/**
 * The fake Discord's channel messages: creation honouring `nonce` + `enforce_nonce` (the same
 * nonce from the same bot in the same channel within the window returns the message that
 * exists, as Discord does "for the past few minutes"; after it, a new message), replies
 * through `message_reference`, edits, history (GET with limit / before / after, newest
 * first, as Discord lists it), messages from people, and channels that answer Unknown
 * Channel (10003), Missing Access (50001) or Missing Permissions (50013). It never
 * deduplicates without enforce_nonce, so a resend shows up twice and duplicates are counted
 * here. Message ids are snowflakes of the fake's clock, like Discord's, so an id says when.
 */

/** A message a bot posted. */
export interface StoredMessage {
  id: string;
  channelId: string;
  /** The Authorization header it came with (the bot). */
  bot: string;
  nonce: string | null;
  /** The message it replies to (message_reference), if any. */
  replyTo: string | null;
  body: Record<string, unknown>;
  edits: number;
  /** The fake's clock (epoch ms) when it was posted. */
  createdAt: number;
  /** Posted by a person rather than a bot (`postAsUser`). */
  person?: boolean;
}

/** Discord's epoch (2015-01-01), the origin of snowflake timestamps. */
export const DISCORD_EPOCH = 1_420_070_400_000;

/** The smallest snowflake of an instant (epoch ms). */
export function snowflakeAt(ms: number): bigint {
  return BigInt(Math.max(0, Math.floor(ms) - DISCORD_EPOCH)) << 22n;
}

/** An answer of the fake: status and JSON body. */
export interface FakeAnswer {
  status: number;
  data?: unknown;
}

const error = (status: number, code: number, message: string): FakeAnswer => ({ status, data: { message, code } });

/** Channel problems, by channel id. */
export interface ChannelFaults {
  unknown?: Iterable<string>;
  missingAccess?: Iterable<string>;
  missingPermissions?: Iterable<string>;
}

/** The messages of every channel. */
export class ChannelMessages {
  readonly messages = new Map<string, StoredMessage>();
  /** Message ids the fake knows without having stored them (dispatched through the gateway). */
  readonly external = new Set<string>();
  /** Posts answered with an existing message because of their nonce. */
  nonceHits = 0;
  private readonly byNonce = new Map<string, StoredMessage>();
  private lastId = 0n;
  readonly unknown: Set<string>;
  readonly missingAccess: Set<string>;
  readonly missingPermissions: Set<string>;
  /** When set, only these channels exist; any other is Unknown Channel. */
  known: Set<string> | null = null;

  constructor(
    faults: ChannelFaults = {},
    private readonly nonceWindowMs = 5 * 60_000,
  ) {
    this.unknown = new Set(faults.unknown ?? []);
    this.missingAccess = new Set(faults.missingAccess ?? []);
    this.missingPermissions = new Set(faults.missingPermissions ?? []);
  }

  /** Why the bot cannot post in a channel, or null. */
  refusal(channelId: string): FakeAnswer | null {
    if (this.unknown.has(channelId) || (this.known && !this.known.has(channelId))) return error(404, 10003, 'Unknown Channel');
    if (this.missingAccess.has(channelId)) return error(403, 50001, 'Missing Access');
    if (this.missingPermissions.has(channelId)) return error(403, 50013, 'Missing Permissions');
    return null;
  }

  /** POST /channels/:id/messages. `toPayload` turns a stored message into Discord's JSON. */
  create(channelId: string, bot: string, body: Record<string, unknown>, now: number, toPayload: (m: StoredMessage) => unknown): FakeAnswer {
    const nonce = typeof body.nonce === 'string' || typeof body.nonce === 'number' ? String(body.nonce) : null;
    if (nonce !== null && nonce.length > 25) return error(400, 50035, 'Invalid Form Body (nonce: Must be 25 or fewer in length.)');
    const key = `${bot}|${channelId}|${nonce}`;
    if (nonce !== null && body.enforce_nonce === true) {
      const seen = this.byNonce.get(key);
      if (seen && now - seen.createdAt <= this.nonceWindowMs) {
        this.nonceHits++;
        return { status: 200, data: toPayload(seen) };
      }
    }
    const reference = body.message_reference as { message_id?: string; fail_if_not_exists?: boolean } | undefined;
    let replyTo: string | null = null;
    if (reference?.message_id) {
      const target = this.messages.get(reference.message_id);
      const exists = (target && target.channelId === channelId) || this.external.has(reference.message_id);
      if (exists) replyTo = reference.message_id;
      else if (reference.fail_if_not_exists !== false) return error(400, 50035, 'Invalid Form Body (message_reference: Unknown message)');
    }
    const message: StoredMessage = { id: this.newId(now), channelId, bot, nonce, replyTo, body, edits: 0, createdAt: now };
    this.messages.set(message.id, message);
    if (nonce !== null) this.byNonce.set(key, message);
    return { status: 200, data: toPayload(message) };
  }

  /** PATCH /channels/:id/messages/:mid. */
  edit(channelId: string, messageId: string, body: Record<string, unknown>, toPayload: (m: StoredMessage) => unknown): FakeAnswer {
    const message = this.messages.get(messageId);
    if (!message || message.channelId !== channelId) return error(404, 10008, 'Unknown Message');
    message.body = { ...message.body, ...body };
    message.edits++;
    return { status: 200, data: toPayload(message) };
  }

  /** A channel's messages in posting order (people's messages included when `people`). */
  inChannel(channelId: string, people = false): StoredMessage[] {
    return [...this.messages.values()].filter((m) => m.channelId === channelId && (people || !m.person));
  }

  /** A person's message in a channel (it moves the bot's messages further back in the history). */
  postAsUser(channelId: string, content: string, now: number): StoredMessage {
    const message: StoredMessage = { id: this.newId(now), channelId, bot: '', nonce: null, replyTo: null, body: { content }, edits: 0, createdAt: now, person: true };
    this.messages.set(message.id, message);
    return message;
  }

  /**
   * GET /channels/:id/messages: at most `limit` (1–100, default 50) messages, newest first;
   * with `before`, the ones just before that id; with `after`, the ones just after it.
   */
  history(channelId: string, query: URLSearchParams, toPayload: (m: StoredMessage) => unknown): FakeAnswer {
    const limit = Number(query.get('limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return error(400, 50035, 'Invalid Form Body (limit)');
    const before = query.get('before');
    const after = query.get('after');
    // Oldest first here; Discord's answer is newest first.
    let list = [...this.messages.values()].filter((m) => m.channelId === channelId).sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    if (after) list = list.filter((m) => BigInt(m.id) > BigInt(after)).slice(0, limit);
    else {
      if (before) list = list.filter((m) => BigInt(m.id) < BigInt(before));
      list = list.slice(-limit);
    }
    return { status: 200, data: list.reverse().map(toPayload) };
  }

  /** A fresh message id: a snowflake of `now`, always above the previous one. */
  private newId(now: number): string {
    const id = snowflakeAt(now) > this.lastId ? snowflakeAt(now) : this.lastId + 1n;
    this.lastId = id;
    return id.toString();
  }

  /** Messages grouped by nonce (duplicates show as lists longer than one). */
  byNonceCount(): Map<string, StoredMessage[]> {
    const out = new Map<string, StoredMessage[]>();
    for (const m of this.messages.values()) {
      if (m.nonce === null) continue;
      const list = out.get(m.nonce);
      if (list) list.push(m);
      else out.set(m.nonce, [m]);
    }
    return out;
  }
}
