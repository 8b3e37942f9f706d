/**
 * A Reply as a Discord message: one embed (colour by status, a field per concern, footer
 * with the source and time) and buttons to follow the channel or report a problem. Text is
 * escaped for Discord markdown and the message pings nobody.
 */
import { ButtonStyle, ComponentType, escapeMarkdown, type APIActionRowComponent, type APIButtonComponent, type APIEmbed, type APIEmbedField } from 'discord.js';
import { formatShortTime, neutralizeMentions, type Reply, type ReplyKind, type Status } from '../../src/index.js';
import { say } from './messages.js';

/** Colours by status, worst in red (Statuspage's palette). */
export const STATUS_COLOURS = {
  operational: 0x2ecc71,
  under_maintenance: 0x3498db,
  degraded_performance: 0xf1c40f,
  partial_outage: 0xe67e22,
  major_outage: 0xe74c3c,
} as const satisfies Record<Status, number>;

const KIND_COLOURS: Partial<Record<ReplyKind, number>> = { all_clear: 0x2ecc71, error: 0x95a5a6, subscribe: 0x5865f2, clarify: 0x5865f2, help: 0x5865f2 };

/** Sections shown as embed fields; the others go to the description. */
const FIELD_KEYS = new Set(['scope', 'since', 'cause', 'update', 'recovery', 'advice', 'also_affected', 'recently_resolved', 'links']);
const INLINE_KEYS = new Set(['scope', 'since', 'cause', 'recovery']);

/** Custom id prefixes of the adapter's buttons and modals. */
export const IDS = {
  subscribe: 'vigie:sub:',
  report: 'vigie:report:',
  reportModal: 'vigie:report-modal',
  incidentModal: 'vigie:incident:',
  confirm: 'vigie:confirm:',
  cancel: 'vigie:cancel:',
} as const;

/** Nobody is pinged by a Vigie message, whatever the text says. */
export const NO_PINGS = { parse: [] as never[], repliedUser: false };

/** A rendered message, ready for reply/editReply/send. */
export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIButtonComponent>[];
  allowedMentions: typeof NO_PINGS;
}

const URL_RE = /(https?:\/\/[^\s<>]+)/g;

/** Escapes Discord markdown and defuses mentions; URLs are kept as they are so they stay links. */
export function escapeText(text: string): string {
  return neutralizeMentions(
    text
      .split(URL_RE)
      .map((part, i) => (i % 2 === 1 ? part : escapeMarkdown(part)))
      .join(''),
  );
}

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}


/** The embed colour of a reply. */
export function colourOf(reply: Reply): number {
  if (reply.status) return STATUS_COLOURS[reply.status];
  return KIND_COLOURS[reply.kind] ?? 0x5865f2;
}

/** The embed of a reply. */
export function renderEmbed(reply: Reply): APIEmbed {
  const fields: APIEmbedField[] = [];
  const description: string[] = [];
  if (reply.demo) description.push(`⚠️ ${escapeText(reply.demo.label)}`);
  for (const section of reply.sections) {
    if (FIELD_KEYS.has(section.key) && fields.length < 25) {
      fields.push({ name: cut(escapeText(section.title), 256), value: cut(escapeText(section.text) || '—', 1024), inline: INLINE_KEYS.has(section.key) });
    } else {
      description.push(`**${escapeText(section.title)}**\n${escapeText(section.text)}`);
    }
  }
  const at = reply.source?.at ?? reply.time;
  const footer = reply.source ? say(reply.language, 'discord.footer_source', { source: reply.source.name }) : say(reply.language, 'discord.footer');
  const embed: APIEmbed = {
    title: cut(escapeText(reply.headline), 256),
    color: colourOf(reply),
    fields,
    footer: { text: cut(`${neutralizeMentions(footer)} · ${formatShortTime(at, reply.language)}`, 2048) },
    timestamp: new Date(reply.time).toISOString(),
  };
  // Discord refuses an embed whose texts add up to more than 6,000 characters: the
  // description (the longest, least structured part) gives way to the fields.
  const frame = (embed.title?.length ?? 0) + (embed.footer?.text.length ?? 0) + fields.reduce((n, f) => n + f.name.length, 0);
  // Fields share what the frame leaves, keeping room for a short description.
  const perField = Math.floor((EMBED_TOTAL_LIMIT - frame - 500) / Math.max(1, fields.length));
  for (const field of fields) if (field.value.length > perField) field.value = cut(field.value, Math.max(20, perField));
  const fixed = frame + fields.reduce((n, f) => n + f.value.length, 0);
  const room = Math.min(4096, EMBED_TOTAL_LIMIT - fixed);
  if (description.length > 0 && room > 0) embed.description = cut(description.join('\n\n'), room);
  if (reply.source?.url && /^https?:\/\//.test(reply.source.url)) embed.url = reply.source.url;
  return embed;
}

/** Discord's limit on all the texts of one embed, with a margin. */
const EMBED_TOTAL_LIMIT = 5_900;

/** The buttons of a reply: follow this channel (when there is a place to follow), report a problem. */
export function renderButtons(reply: Reply): APIActionRowComponent<APIButtonComponent>[] {
  const buttons: APIButtonComponent[] = [];
  for (const action of reply.actions) {
    const customId =
      action.id === 'subscribe' && action.value.includes(':')
        ? `${IDS.subscribe}${action.value}`
        : action.id === 'report'
          ? `${IDS.report}${action.value}`
          : null;
    // Discord caps custom ids at 100 characters; a report value is only a pre-filled hint.
    if (!customId || (action.id === 'subscribe' && customId.length > 100)) continue;
    buttons.push({
      type: ComponentType.Button,
      style: action.id === 'subscribe' ? ButtonStyle.Primary : ButtonStyle.Secondary,
      label: say(reply.language, action.id === 'subscribe' ? 'discord.button.subscribe' : 'discord.button.report'),
      custom_id: cut(customId, 100),
    });
  }
  return buttons.length > 0 ? [{ type: ComponentType.ActionRow, components: buttons.slice(0, 5) }] : [];
}

/** A reply as a message. */
export function renderReply(reply: Reply, options: { buttons?: boolean } = {}): DiscordMessage {
  return {
    embeds: [renderEmbed(reply)],
    components: options.buttons === false ? [] : renderButtons(reply),
    allowedMentions: NO_PINGS,
  };
}
