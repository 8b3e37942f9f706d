/**
 * The fake's channels and messages: chat.postMessage (with thread_ts and message metadata),
 * chat.update, conversations.history (newest first, top-level messages only) and
 * conversations.replies (the parent then its replies), both paginated with cursors and
 * returning metadata only with `include_all_metadata`, as Slack does. Nothing is ever
 * deduplicated: a message sent twice is stored twice, so duplicates are counted here.
 */

/** Message metadata as Slack stores it. */
export interface SlackMetadata {
  event_type: string;
  event_payload: Record<string, unknown>;
}

/** A stored message. */
export interface SlackFakeMessage {
  ts: string;
  workspace: string;
  channel: string;
  text: string;
  blocks: unknown;
  metadata: SlackMetadata | null;
  /** The parent's ts for a thread reply, null for a top-level message. */
  threadTs: string | null;
  /** How many times chat.update changed it. */
  edits: number;
  /** Order of arrival (ts order). */
  seq: number;
}

/** A Slack-shaped answer body. */
export type SlackBody = Record<string, unknown>;

const BOT = { user: 'UVIGIEBOT', bot_id: 'BVIGIE' } as const;

function metadataOf(value: unknown): SlackMetadata | null {
  if (!value || typeof value !== 'object') return null;
  const m = value as { event_type?: unknown; event_payload?: unknown };
  if (typeof m.event_type !== 'string') return null;
  return { event_type: m.event_type, event_payload: m.event_payload && typeof m.event_payload === 'object' ? (m.event_payload as Record<string, unknown>) : {} };
}

const truthy = (v: unknown) => v === true || v === 'true' || v === '1' || v === 1;

/** Every message the fake holds. */
export class FakeConversations {
  private readonly byKey = new Map<string, SlackFakeMessage>();
  private readonly list: SlackFakeMessage[] = [];
  private seq = 0;

  /** All messages in arrival order. */
  all(): readonly SlackFakeMessage[] {
    return this.list;
  }

  /** Messages of one channel, in arrival order. */
  channel(workspace: string, channel: string): SlackFakeMessage[] {
    return this.list.filter((m) => m.workspace === workspace && m.channel === channel);
  }

  /** Messages grouped by the `delivery` of their vigie_notice metadata. */
  byDelivery(): Map<string, SlackFakeMessage[]> {
    const out = new Map<string, SlackFakeMessage[]>();
    for (const m of this.list) {
      const id = m.metadata?.event_payload.delivery;
      if (typeof id !== 'string') continue;
      const list = out.get(id);
      if (list) list.push(m);
      else out.set(id, [m]);
    }
    return out;
  }

  post(workspace: string, args: SlackBody): SlackBody {
    const channel = String(args.channel ?? '');
    if (!channel) return { ok: false, error: 'channel_not_found' };
    if (typeof args.text !== 'string' && args.blocks === undefined) return { ok: false, error: 'no_text' };
    const threadTs = typeof args.thread_ts === 'string' && args.thread_ts ? args.thread_ts : null;
    // A parent the fake never saw is a person's message (mentions are answered in their thread).
    const parent = threadTs ? this.byKey.get(key(workspace, channel, threadTs)) : undefined;
    if (parent && parent.threadTs !== null) return { ok: false, error: 'thread_not_found' };
    const seq = ++this.seq;
    const message: SlackFakeMessage = {
      ts: `${1_584_435_600 + seq}.${String(seq % 1_000_000).padStart(6, '0')}`,
      workspace,
      channel,
      text: typeof args.text === 'string' ? args.text : '',
      blocks: args.blocks ?? null,
      metadata: metadataOf(args.metadata),
      threadTs,
      edits: 0,
      seq,
    };
    this.byKey.set(key(workspace, channel, message.ts), message);
    this.list.push(message);
    return { ok: true, channel, ts: message.ts, message: this.view(message, true) };
  }

  update(workspace: string, args: SlackBody): SlackBody {
    const channel = String(args.channel ?? '');
    const message = this.byKey.get(key(workspace, channel, String(args.ts ?? '')));
    if (!message) return { ok: false, error: 'message_not_found' };
    if (typeof args.text === 'string') message.text = args.text;
    if (args.blocks !== undefined) message.blocks = args.blocks;
    // Slack keeps the metadata when chat.update does not send any.
    const metadata = metadataOf(args.metadata);
    if (metadata) message.metadata = metadata;
    message.edits++;
    return { ok: true, channel, ts: message.ts, text: message.text };
  }

  history(workspace: string, args: SlackBody): SlackBody {
    const channel = String(args.channel ?? '');
    const top = this.channel(workspace, channel)
      .filter((m) => m.threadTs === null)
      .reverse();
    return this.page(top, args);
  }

  replies(workspace: string, args: SlackBody): SlackBody {
    const channel = String(args.channel ?? '');
    const parent = this.byKey.get(key(workspace, channel, String(args.ts ?? '')));
    if (!parent) return { ok: false, error: 'thread_not_found' };
    const thread = [parent, ...this.channel(workspace, channel).filter((m) => m.threadTs === parent.ts)];
    return this.page(thread, args);
  }

  private page(messages: SlackFakeMessage[], args: SlackBody): SlackBody {
    const limit = Math.min(999, Math.max(1, Number(args.limit ?? 100) || 100));
    const start = Number(args.cursor ?? 0) || 0;
    const slice = messages.slice(start, start + limit);
    const more = start + limit < messages.length;
    const withMetadata = truthy(args.include_all_metadata);
    return {
      ok: true,
      messages: slice.map((m) => this.view(m, withMetadata)),
      has_more: more,
      response_metadata: { next_cursor: more ? String(start + limit) : '' },
    };
  }

  private view(m: SlackFakeMessage, withMetadata: boolean): SlackBody {
    const replies = m.threadTs === null ? this.list.filter((r) => r.threadTs === m.ts && r.channel === m.channel && r.workspace === m.workspace).length : 0;
    return {
      type: 'message',
      ...BOT,
      ts: m.ts,
      text: m.text,
      ...(m.blocks ? { blocks: m.blocks } : {}),
      ...(m.threadTs ? { thread_ts: m.threadTs } : replies > 0 ? { thread_ts: m.ts, reply_count: replies } : {}),
      ...(m.edits > 0 ? { edited: { user: BOT.user, ts: m.ts } } : {}),
      ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
    };
  }
}

function key(workspace: string, channel: string, ts: string): string {
  return `${workspace}/${channel}/${ts}`;
}
