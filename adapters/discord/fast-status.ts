/**
 * `/status` (`/statut`) answered from the gateway's raw INTERACTION_CREATE, without discord.js
 * building its interaction first.
 *
 * discord.js turns every interaction into a ChatInputCommandInteraction (the user and member
 * cached, the channel resolved, permissions and options parsed) before emitting it; for a
 * burst of parents' questions that is work and retained memory for nothing, since nearly every
 * answer is one direct reply (callback type 4). So /status commands that look exactly as
 * expected are taken here, before discord.js's packet handler, and answered by the same code
 * as handlers/status.ts (composeStatus, answerWith): the same question, the same rendering and
 * bytes, through the same client's REST (same rate-limit state, no auth, the callback route).
 * The discord.js interaction is built only when the answer needs more than the direct reply
 * (a deferral when the answer is late, a follow-up page, an apology), from the same payload.
 *
 * Anything else goes to discord.js as before: other commands, buttons, modals, autocomplete,
 * and any /status payload that is not plainly well-formed (an option that is not a string, a
 * field discord.js requires missing, a permission field it would refuse), so that malformed
 * dispatches meet the packet guard and unanswered.ts as they did. The permission that decides
 * whether an answer offers to follow the channel is read exactly as discord.js reads it: the
 * member's `permissions` bitfield Discord computed and sent, through PermissionsBitField.
 *
 * Like the packet guard, this wraps the client's private `WebSocketManager#handlePacket`: it is
 * installed only where the guard is (the discord.js versions it was checked against), and only
 * takes dispatches once the client is ready with no packets queued, when discord.js would
 * handle them at once too.
 */
import { ApplicationCommandOptionType, ApplicationCommandType, ChatInputCommandInteraction, InteractionType, MessageFlags, PermissionFlagsBits, PermissionsBitField, Status, type Client } from 'discord.js';
import type { ConversationRef } from '../../src/index.js';
import { COMMANDS } from './base/commands.js';
import { safeError } from './base/log-safe.js';
import { apologize, type HandlerContext } from './handlers/context.js';
import { answerWith, postReply } from './handlers/respond.js';
import { composeStatus } from './handlers/status.js';

/** The string options /status has. */
const STATUS_OPTIONS: ReadonlySet<string> = new Set(['question', 'service', 'place', 'level']);

/** What the fast path reads of a /status payload. */
export interface RawStatus {
  id: string;
  token: string;
  locale: string | undefined;
  conversation: ConversationRef;
  options: ReadonlyMap<string, string>;
  /** In a guild, with Manage Channels (or Administrator) in the permissions Discord sent. */
  mayFollow: boolean;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The /status command in an INTERACTION_CREATE payload, or null when it is anything else or not
 * exactly what discord.js would build without trouble (then discord.js handles it). Throws
 * when discord.js would throw on the payload too (a permission field it cannot read): the
 * caller then leaves it to discord.js as well.
 */
export function rawStatus(d: unknown): RawStatus | null {
  if (!isObject(d) || d.type !== InteractionType.ApplicationCommand) return null;
  const data = d.data;
  if (!isObject(data) || data.type !== ApplicationCommandType.ChatInput || data.name !== COMMANDS.status) return null;
  if (typeof d.id !== 'string' || typeof d.token !== 'string' || !d.id || !d.token) return null;
  // discord.js reads these without checking (packet-guard.ts): leave odd ones to it.
  if (!Array.isArray(d.entitlements) || !isObject(d.authorizing_integration_owners)) return null;
  if (d.locale !== undefined && typeof d.locale !== 'string') return null;
  const member = d.member === undefined || d.member === null ? null : d.member;
  if (member !== null && !isObject(member)) return null;
  const user = d.user ?? member?.user;
  if (!isObject(user) || typeof user.id !== 'string') return null;
  const channel = d.channel;
  if (channel !== undefined && channel !== null && (!isObject(channel) || (channel.id !== undefined && typeof channel.id !== 'string'))) return null;
  const guildId = d.guild_id ?? null;
  if (guildId !== null && typeof guildId !== 'string') return null;
  const options = new Map<string, string>();
  if (data.options !== undefined) {
    if (!Array.isArray(data.options)) return null;
    for (const o of data.options as unknown[]) {
      if (!isObject(o) || o.type !== ApplicationCommandOptionType.String || typeof o.name !== 'string' || !STATUS_OPTIONS.has(o.name) || typeof o.value !== 'string') return null;
      if (!options.has(o.name)) options.set(o.name, o.value);
    }
  }
  // As discord.js builds them (BaseInteraction): it throws on a value it cannot read, so does this.
  new PermissionsBitField(d.app_permissions as never);
  const memberPermissions = member?.permissions ? new PermissionsBitField(member.permissions as never) : null;
  const channelId = isObject(channel) && typeof channel.id === 'string' ? channel.id : null;
  // BaseInteraction#inGuild: a guild id and a member.
  const inGuild = Boolean(guildId && member);
  return {
    id: d.id,
    token: d.token,
    locale: d.locale,
    conversation: { platform: 'discord', ...(guildId ? { workspace: guildId } : {}), channel: channelId ?? 'unknown', user: user.id },
    options,
    // canChangeSubscriptions: `has` counts Administrator as every permission.
    mayFollow: inGuild && (memberPermissions?.has(PermissionFlagsBits.ManageChannels) ?? false),
  };
}

/** Answers a /status taken from the gateway; never throws. */
export async function answerRawStatus(ctx: HandlerContext, client: Client, payload: Json, raw: RawStatus): Promise<void> {
  let interaction: ChatInputCommandInteraction | null = null;
  let replied: { ephemeral: boolean } | null = null;
  const built = (): ChatInputCommandInteraction => {
    if (interaction) return interaction;
    // The class discord.js builds for this payload (its constructor is public in JavaScript, protected in the typings).
    const made = new (ChatInputCommandInteraction as unknown as new (client: Client, data: Json) => ChatInputCommandInteraction)(client, payload);
    // What replyDirect records on a discord.js interaction, for what follows.
    if (replied) {
      made.replied = true;
      made.ephemeral = replied.ephemeral;
    }
    interaction = made;
    return made;
  };
  try {
    await answerWith(
      ctx,
      {
        interaction: built,
        async replyFirst(message, flags) {
          await postReply(client.rest, raw.id, raw.token, message, flags);
          replied = { ephemeral: flags !== undefined && (flags & MessageFlags.Ephemeral) !== 0 };
          const made = interaction as ChatInputCommandInteraction | null;
          if (made) {
            made.replied = true;
            made.ephemeral = replied.ephemeral;
          }
        },
      },
      async () =>
        composeStatus(ctx, {
          conversation: raw.conversation,
          locale: raw.locale,
          option: (name) => raw.options.get(name) ?? null,
          mayFollow: () => raw.mayFollow,
        }),
    );
  } catch (error) {
    let target: ChatInputCommandInteraction;
    try {
      target = built();
    } catch (buildError) {
      ctx.logger.error('discord interaction failed', { type: InteractionType.ApplicationCommand, error: safeError(error), build: safeError(buildError) });
      return;
    }
    await apologize(ctx, target, error);
  }
}

type PacketHandler = (packet: unknown, shard: unknown) => boolean;

/**
 * Takes /status dispatches before discord.js's packet handler (installed after the packet
 * guard, on the versions it checks); `taken` is told each interaction id taken (unanswered.ts
 * must not answer it again).
 */
export function takeStatusCommands(client: Client, ctx: HandlerContext, taken: (id: string) => void): void {
  const ws = client.ws as unknown as { handlePacket: PacketHandler; status: Status; packetQueue?: unknown[] };
  const next = ws.handlePacket;
  ws.handlePacket = function fastStatus(this: typeof ws, packet: unknown, shard: unknown): boolean {
    if (isObject(packet) && packet.t === 'INTERACTION_CREATE' && this.status === Status.Ready && (this.packetQueue?.length ?? 0) === 0) {
      let raw: RawStatus | null = null;
      try {
        raw = rawStatus(packet.d);
      } catch {
        raw = null;
      }
      if (raw) {
        taken(raw.id);
        void answerRawStatus(ctx, client, packet.d as Json, raw);
        return true;
      }
    }
    return next.call(this, packet, shard);
  };
}
