/**
 * A Reply as Discord messages: an embed (colour by status, a field per concern, footer with
 * the source and time) and buttons to follow the channel or report a problem. Every text a
 * person or admin wrote goes through escapeText (escape.ts); every Discord limit is kept with
 * grapheme-safe cuts, except for listings (subscriptions), which are never cut: they are
 * spread over fields and, past one message's 6,000 characters or 25 fields, over more pages.
 */
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponent, type APIEmbed, type APIEmbedField } from 'discord.js';
import { CHOICE_PREFIX, firstMessage, type FirstMessage, cutText, formatShortTime, parseHttpUrl, type Reply, type ReplyKind, type ReplySection, type ReplyStatus, type Templates } from '../../../src/index.js';
import { escapeText, plainText } from './escape.js';
import { discordText } from './templates.js';

/** What the first embed adds to the core's lines ("⚠️ " before the demo label, "Source : ", Markdown escapes): kept free. */
const SURFACE_RESERVE = 16;

export { escapeText, plainText } from './escape.js';

/** Colours by status, worst in red (Statuspage's palette); neutral grey when the status is unknown. */
export const STATUS_COLOURS = {
  unknown: 0x99aab5,
  operational: 0x2ecc71,
  under_maintenance: 0x3498db,
  degraded_performance: 0xf1c40f,
  partial_outage: 0xe67e22,
  major_outage: 0xe74c3c,
} as const satisfies Record<ReplyStatus, number>;

const KIND_COLOURS: Partial<Record<ReplyKind, number>> = { all_clear: 0x2ecc71, no_information: 0x99aab5, error: 0x95a5a6, subscribe: 0x5865f2, clarify: 0x5865f2, help: 0x5865f2 };

/** Sections shown as embed fields; the others go to the description. */
const FIELD_KEYS = new Set(['scope', 'since', 'cause', 'update', 'recovery', 'advice', 'also_affected', 'recently_resolved', 'links']);
const INLINE_KEYS = new Set(['scope', 'since', 'cause', 'recovery']);
/** Sections that are listings: every line is shown, never cut. */
const LIST_KEYS = new Set(['subscription_list']);

/** Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits), with a margin on the total. */
export const DISCORD_LIMITS = {
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embedsTotal: 5_900,
  embeds: 10,
  content: 2000,
  buttonLabel: 80,
  customId: 100,
  buttonsPerRow: 5,
  modalTitle: 45,
  inputLabel: 45,
  inputValue: 4000,
  choiceName: 100,
  choiceValue: 100,
  choices: 25,
} as const;

/** Custom id prefixes of the adapter's buttons and modals. */
export const IDS = {
  subscribe: 'vigie:sub:',
  report: 'vigie:report:',
  reportModal: 'vigie:report-modal',
  incidentModal: 'vigie:incident:',
  confirm: 'vigie:confirm:',
  cancel: 'vigie:cancel:',
  /** "Retry failed deliveries" under a finished notice's progress; followed by the notice id. */
  retry: 'vigie:retry:',
  /** "Plus de détails" under an answer's first message; followed by the question's token without its prefix. */
  more: 'vigie:more:',
  /** "Ouvrir un incident" under a crowd-signal alert; followed by the compact prefill or "~" and a token (alerts.ts). */
  alert: 'vigie:alert:',
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

/** The embed colour of a reply. */
export function colourOf(reply: Reply): number {
  if (reply.status) return STATUS_COLOURS[reply.status];
  return KIND_COLOURS[reply.kind] ?? 0x5865f2;
}

const embedLength = (e: APIEmbed) =>
  (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0) + (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);

/** The characters Discord counts in a message's embeds (title, description, fields, footer). */
export function embedsLength(embeds: readonly APIEmbed[]): number {
  return embeds.reduce((n, e) => n + embedLength(e), 0);
}

/** A listing section as fields of at most 1,024 characters, split between lines, nothing cut. */
function listFields(section: ReplySection): APIEmbedField[] {
  const name = escapeText(section.title, DISCORD_LIMITS.fieldName) || '—';
  const fields: APIEmbedField[] = [];
  let value = '';
  for (const raw of section.text.split('\n')) {
    // A single line longer than a field (it cannot happen with real names) is the only cut.
    const line = escapeText(raw, DISCORD_LIMITS.fieldValue);
    if (value && value.length + 1 + line.length > DISCORD_LIMITS.fieldValue) {
      fields.push({ name, value });
      value = '';
    }
    value = value ? `${value}\n${line}` : line;
  }
  // A section split over two fields keeps its title on both.
  fields.push({ name, value: value || '—' });
  return fields;
}

/** A concern section as an embed field, or as a paragraph of the description. */
function sectionPart(section: ReplySection): APIEmbedField | string {
  if (FIELD_KEYS.has(section.key)) {
    return { name: escapeText(section.title, DISCORD_LIMITS.fieldName) || '—', value: escapeText(section.text, DISCORD_LIMITS.fieldValue) || '—', inline: INLINE_KEYS.has(section.key) };
  }
  // A line that names itself ("Non confirmé : …" under "Non confirmé") is not titled twice.
  if (section.title && section.text.startsWith(section.title)) return escapeText(section.text, DISCORD_LIMITS.description);
  return `**${escapeText(section.title, DISCORD_LIMITS.fieldName)}**\n${escapeText(section.text, DISCORD_LIMITS.description)}`;
}

// The core hands out the same frozen section objects answer after answer (an incident's
// sections are built once per day and language): their rendering is kept with them.
const renderedSections = new WeakMap<ReplySection, APIEmbedField | string>();

function sectionPartOf(section: ReplySection): APIEmbedField | string {
  if (!Object.isFrozen(section)) return sectionPart(section);
  let part = renderedSections.get(section);
  if (part === undefined) {
    part = sectionPart(section);
    renderedSections.set(section, part);
  }
  return part;
}

/** The parts of a reply's first embed, before limits are shared out. */
function partsOf(reply: Reply) {
  const fields: APIEmbedField[] = [];
  const lists: APIEmbedField[] = [];
  const description: string[] = [];
  if (reply.demo) description.push(`⚠️ ${escapeText(reply.demo.label, 500)}`);
  for (const section of reply.sections) {
    if (LIST_KEYS.has(section.key)) {
      lists.push(...listFields(section));
      continue;
    }
    const part = sectionPartOf(section);
    // A copy: sharing out the limits below may shorten a field's value.
    if (typeof part === 'string') description.push(part);
    else fields.push({ ...part });
  }
  return { fields, lists, description };
}

/** The footer: the source (or Vigie) and the time of the answer or of the official update shown. */
function footerText(templates: Templates, reply: Reply): string {
  const at = reply.source?.when ?? formatShortTime(reply.source?.at ?? reply.time, reply.language, reply.time);
  const footerWords = reply.source ? discordText(templates, reply.language, 'discord.footer_source', { source: plainText(reply.source.name, 200) }) : discordText(templates, reply.language, 'discord.footer');
  return plainText(`${footerWords} · ${at}`, DISCORD_LIMITS.footer);
}

/**
 * A reply as embeds spread over one or more messages (pages). The first page carries the
 * headline, the description, the concern fields and as many listing fields as fit; listing
 * fields that do not fit go to further pages, whole. Every page stays under 6,000 characters,
 * 25 fields and 10 embeds.
 */
export function renderEmbedPages(templates: Templates, reply: Reply): APIEmbed[][] {
  const { fields, lists, description } = partsOf(reply);
  const embed: APIEmbed = {
    title: escapeText(reply.headline, DISCORD_LIMITS.title),
    color: colourOf(reply),
    fields: fields.slice(0, DISCORD_LIMITS.fields),
    footer: { text: footerText(templates, reply) },
    timestamp: new Date(reply.time).toISOString(),
  };
  // Only addresses the core's parser accepts become the title's link: anything else would make
  // Discord refuse the whole message (50035).
  const url = reply.source?.url ? parseHttpUrl(reply.source.url) : null;
  if (url) embed.url = url;

  // Listing fields that fit on the first page (they are never cut), the rest on later pages.
  const firstFields = embed.fields!;
  const pending = [...lists];
  let listRoom = DISCORD_LIMITS.embedsTotal - embedLength(embed) - 600;
  while (pending.length > 0 && firstFields.length < DISCORD_LIMITS.fields) {
    const next = pending[0]!;
    const size = next.name.length + next.value.length;
    if (size > listRoom) break;
    firstFields.push(next);
    listRoom -= size;
    pending.shift();
  }

  // Concern fields share what is left, then the description takes the rest (it gives way first).
  const cuttable = firstFields.filter((f) => !lists.includes(f));
  const frame = embedLength({ ...embed, fields: firstFields.filter((f) => lists.includes(f)) }) + cuttable.reduce((n, f) => n + f.name.length, 0);
  const perField = Math.floor((DISCORD_LIMITS.embedsTotal - frame - 500) / Math.max(1, cuttable.length));
  for (const field of cuttable) if (field.value.length > perField) field.value = cutText(field.value, Math.max(20, perField));
  const room = Math.min(DISCORD_LIMITS.description, DISCORD_LIMITS.embedsTotal - embedLength(embed));
  if (description.length > 0 && room > 1) embed.description = cutText(description.join('\n\n'), room);

  const pages: APIEmbed[][] = [[embed]];
  const title = escapeText(reply.headline, DISCORD_LIMITS.title);
  let page: APIEmbed[] = [];
  let current: APIEmbed | null = null;
  for (const field of pending) {
    const size = field.name.length + field.value.length;
    const newEmbed = !current || current.fields!.length >= DISCORD_LIMITS.fields;
    const needed = size + (newEmbed ? title.length : 0);
    if (page.length > 0 && ((newEmbed && page.length >= DISCORD_LIMITS.embeds) || embedsLength(page) + needed > DISCORD_LIMITS.embedsTotal)) {
      pages.push(page);
      page = [];
      current = null;
    }
    if (!current || current.fields!.length >= DISCORD_LIMITS.fields) {
      current = { title, color: colourOf(reply), fields: [] };
      page.push(current);
    }
    current.fields!.push(field);
  }
  if (page.length > 0) pages.push(page);
  return pages;
}

/** The main embed of a reply (notices, answers); listings beyond one message are in renderEmbedPages. */
export function renderEmbed(templates: Templates, reply: Reply): APIEmbed {
  return renderEmbedPages(templates, reply)[0]![0]!;
}

/**
 * The buttons of a reply: "Plus de détails" under a first message, follow this channel (when
 * there is a place to follow), report a problem, the choices of a clarifying question.
 */
export function renderButtons(templates: Templates, reply: Reply, first = false): APIActionRowComponent<APIButtonComponent>[] {
  const buttons: APIButtonComponent[] = [];
  const choices: APIButtonComponent[] = [];
  const more = first ? reply.actions.find((a) => a.id === 'more') : undefined;
  // The question's token, its prefix replaced by ours (always under Discord's 100 characters).
  if (more?.value.startsWith(CHOICE_PREFIX) && `${IDS.more}${more.value.slice(CHOICE_PREFIX.length)}`.length <= DISCORD_LIMITS.customId) {
    buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: plainText(more.label, DISCORD_LIMITS.buttonLabel), custom_id: `${IDS.more}${more.value.slice(CHOICE_PREFIX.length)}` });
  }
  for (const action of reply.actions) {
    // A choice of a clarifying question: its token is the custom id (always under 100 characters), numbered like its line.
    if (action.id === 'choose') {
      if (action.value.startsWith(CHOICE_PREFIX) && action.value.length <= DISCORD_LIMITS.customId) {
        const label = plainText(`${choices.length + 1}. ${action.label}`, DISCORD_LIMITS.buttonLabel);
        choices.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, label, custom_id: action.value });
      }
      continue;
    }
    // The other reading of the question: its token is the custom id, as a choice's is.
    if (action.id === 'other') {
      if (action.value.startsWith(CHOICE_PREFIX) && action.value.length <= DISCORD_LIMITS.customId) {
        buttons.push({ type: ComponentType.Button, style: ButtonStyle.Secondary, label: plainText(action.label, DISCORD_LIMITS.buttonLabel), custom_id: action.value });
      }
      continue;
    }
    let customId: string | null = null;
    // A follow target is "serviceId kind:code": cut, it would follow something else, so a
    // target too long for Discord's 100-character custom ids gets no button.
    if (action.id === 'subscribe' && action.value.includes(':') && `${IDS.subscribe}${action.value}`.length <= DISCORD_LIMITS.customId) customId = `${IDS.subscribe}${action.value}`;
    // A report value is only the hint pre-filled in the form: cutting it is harmless.
    else if (action.id === 'report') customId = cutText(`${IDS.report}${plainText(action.value, DISCORD_LIMITS.customId)}`, DISCORD_LIMITS.customId, '');
    if (!customId) continue;
    buttons.push({
      type: ComponentType.Button,
      style: action.id === 'subscribe' ? ButtonStyle.Primary : ButtonStyle.Secondary,
      label: plainText(discordText(templates, reply.language, action.id === 'subscribe' ? 'discord.button.subscribe' : 'discord.button.report'), DISCORD_LIMITS.buttonLabel),
      custom_id: customId,
    });
  }
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  // Discord holds at most 5 rows of 5 buttons: the choices first, 5 a row.
  for (let i = 0; i < choices.length && rows.length < 4; i += DISCORD_LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: choices.slice(i, i + DISCORD_LIMITS.buttonsPerRow) });
  }
  if (buttons.length > 0) rows.push({ type: ComponentType.ActionRow, components: buttons.slice(0, DISCORD_LIMITS.buttonsPerRow) });
  return rows;
}

/** Options of a reply's rendering. */
export interface ReplyRenderOptions {
  /** False: no buttons (previews, notices). */
  buttons?: boolean;
  /** The whole answer ("Plus de détails"); by default an answer shows its first message. */
  full?: boolean;
}

/** A reply as one message (its first page when a listing needs more; see renderReplyPages). */
export function renderReply(templates: Templates, reply: Reply, options: ReplyRenderOptions = {}): DiscordMessage {
  return renderReplyPages(templates, reply, options)[0]!;
}

/**
 * An answer's first message as one embed: the status line as its title, the demo label (once)
 * and the asked fact as its description, the source and time as its footer: at most 5 lines
 * and 500 characters, with a "Plus de détails" button.
 */
function renderFirstEmbed(templates: Templates, reply: Reply, first: FirstMessage): APIEmbed {
  const description = [first.demo ? `⚠️ ${first.demo}` : null, ...first.facts].filter((x): x is string => x !== null).map((l) => escapeText(l, DISCORD_LIMITS.description));
  const embed: APIEmbed = { color: colourOf(reply), timestamp: new Date(reply.time).toISOString() };
  if (first.headline) embed.title = escapeText(first.headline, DISCORD_LIMITS.title);
  if (description.length > 0) embed.description = cutText(description.join('\n'), DISCORD_LIMITS.description);
  // A footer only when there is a source or a time to say: a line is precious in a first message.
  if (reply.source) embed.footer = { text: footerText(templates, reply) };
  else if (first.footer) embed.footer = { text: plainText(first.footer, DISCORD_LIMITS.footer) };
  const url = reply.source?.url ? parseHttpUrl(reply.source.url) : null;
  if (url && embed.title) embed.url = url;
  return embed;
}

/** A reply as every message it needs: the first with the buttons, then the rest of a long listing. */
export function renderReplyPages(templates: Templates, reply: Reply, options: ReplyRenderOptions = {}): DiscordMessage[] {
  const buttons = options.buttons !== false;
  if (!options.full && reply.brief) {
    // A memoised reply's first message (frozen brief, shared answer after answer) is made once too.
    const memoised = Object.isFrozen(reply.brief) && Object.isFrozen(reply.sections) && Object.isFrozen(reply.actions);
    const kept = memoised ? firstKept(templates, reply, buttons) : null;
    if (kept) return [kept];
    const first = firstMessage(reply, { reserve: SURFACE_RESERVE });
    if (first) {
      const message: DiscordMessage = { embeds: [renderFirstEmbed(templates, reply, first)], components: buttons ? renderButtons(templates, reply, true) : [], allowedMentions: NO_PINGS };
      if (memoised) keepFirst(templates, reply, buttons, message);
      return [message];
    }
  }
  // A memoised reply (frozen sections, shared answer after answer) is rendered once: later
  // answers with the same words only get their own timestamp (and footer, when its time moved).
  const memo = Object.isFrozen(reply.sections) ? renderedOf(templates, reply, buttons) : null;
  if (memo) return memo;
  const pages = renderEmbedPages(templates, reply).map((embeds, i) => ({
    embeds,
    components: i === 0 && buttons ? renderButtons(templates, reply) : [],
    allowedMentions: NO_PINGS,
  }));
  if (Object.isFrozen(reply.sections)) {
    const entry = remember(templates, reply, buttons, pages);
    markServable(pages[0]!, entry, pages[0]!.embeds[0]?.timestamp);
  }
  return pages;
}

/** A memoised reply's rendering, and what it was rendered from (everything renderEmbedPages and renderButtons read). */
/** What a kept rendering was made from, besides its key: the parts of the reply it shows. */
interface MadeFrom {
  /** The templates the adapter's own texts (footer, buttons) came from. */
  templates: Templates;
  kind: Reply['kind'];
  status: Reply['status'];
  language: Reply['language'];
  headline: string;
  source: Reply['source'];
  actions: Reply['actions'];
  demo: string | undefined;
  buttons: boolean;
}

function madeFrom(templates: Templates, reply: Reply, buttons: boolean): MadeFrom {
  return {
    templates,
    kind: reply.kind,
    status: reply.status,
    language: reply.language,
    headline: reply.headline,
    source: reply.source,
    actions: reply.actions,
    demo: reply.demo?.label,
    buttons,
  };
}

/** The kept rendering was made from these parts of `reply`. */
function sameMadeFrom(known: MadeFrom, templates: Templates, reply: Reply, buttons: boolean): boolean {
  return (
    known.templates === templates &&
    known.buttons === buttons &&
    known.headline === reply.headline &&
    known.kind === reply.kind &&
    known.status === reply.status &&
    known.language === reply.language &&
    known.source === reply.source &&
    known.actions === reply.actions &&
    known.demo === reply.demo?.label
  );
}

interface Rendered extends MadeFrom {
  /** The reply time the footer was last checked for, and the footer's text. */
  footerAt: string;
  footer: string | undefined;
  pages: DiscordMessage[];
  /** The first page as an interaction callback's JSON, cut where its timestamp goes; per message flags. */
  bodies?: Map<number, PreparedBody | null>;
}

/** Per memoised reply (its frozen sections list): its last rendering. Weak, so it lives as long as the answerer's memo keeps the reply. */
const rendered = new WeakMap<readonly ReplySection[], Rendered>();

function renderedOf(templates: Templates, reply: Reply, buttons: boolean): DiscordMessage[] | null {
  const known = rendered.get(reply.sections);
  if (!known || !sameMadeFrom(known, templates, reply, buttons)) return null;
  // The footer (a function of the source, the language and the time) shows the time to the
  // minute: the same words and the same footer are the same pages.
  if (reply.time !== known.footerAt) {
    if (footerText(templates, reply) !== known.footer) return null;
    known.footerAt = reply.time;
  }
  const timestamp = new Date(reply.time).toISOString();
  return known.pages.map((page, i) => {
    if (i > 0) return { ...page };
    const first: DiscordMessage = { embeds: page.embeds.map((e, j) => (j === 0 ? { ...e, timestamp } : e)), components: page.components, allowedMentions: NO_PINGS };
    markServable(first, known, timestamp);
    return first;
  });
}

function remember(templates: Templates, reply: Reply, buttons: boolean, pages: DiscordMessage[]): Rendered {
  const entry: Rendered = {
    ...madeFrom(templates, reply, buttons),
    footerAt: reply.time,
    footer: pages[0]?.embeds[0]?.footer?.text,
    pages,
  };
  rendered.set(reply.sections, entry);
  return entry;
}

/** A memoised reply's first message, and what it was made from (everything firstMessage, renderFirstEmbed and renderButtons read). */
interface FirstKept extends Kept, MadeFrom {
  sections: Reply['sections'];
  demoShort: boolean | undefined;
  demoTag: string | undefined;
  followUp: boolean | undefined;
  /** The reply time the footer was last checked for, and the footer's text. */
  footerAt: string;
  footer: string | undefined;
}

/** Per memoised reply (its frozen brief): its last first message. Weak, as `rendered`. */
const firstMessages = new WeakMap<NonNullable<Reply['brief']>, FirstKept>();

function firstKept(templates: Templates, reply: Reply, buttons: boolean): DiscordMessage | null {
  const known = firstMessages.get(reply.brief!);
  if (
    !known ||
    !sameMadeFrom(known, templates, reply, buttons) ||
    known.sections !== reply.sections ||
    known.demoShort !== reply.demo?.short ||
    known.demoTag !== reply.demo?.tag ||
    known.followUp !== reply.followUp
  ) {
    return null;
  }
  if (reply.time !== known.footerAt) {
    // Only a source's footer says a time (a brief's own footer line does not depend on it).
    if (reply.source && footerText(templates, reply) !== known.footer) return null;
    known.footerAt = reply.time;
  }
  const timestamp = new Date(reply.time).toISOString();
  const page = known.pages[0]!;
  const message: DiscordMessage = { embeds: [{ ...page.embeds[0]!, timestamp }], components: page.components, allowedMentions: NO_PINGS };
  markServable(message, known, timestamp);
  return message;
}

function keepFirst(templates: Templates, reply: Reply, buttons: boolean, message: DiscordMessage): void {
  const entry: FirstKept = {
    ...madeFrom(templates, reply, buttons),
    sections: reply.sections,
    demoShort: reply.demo?.short,
    demoTag: reply.demo?.tag,
    followUp: reply.followUp,
    footerAt: reply.time,
    footer: message.embeds[0]?.footer?.text,
    pages: [message],
  };
  firstMessages.set(reply.brief!, entry);
  markServable(message, entry, message.embeds[0]?.timestamp);
}

/**
 * Sending a reply directly (an interaction callback) serializes it: for a memoised reply's
 * first page that JSON is the same answer after answer except for the timestamp, so it is
 * made once and kept cut around the timestamp. A first page handed out by renderReplyPages
 * carries (in a property JSON and spreads do not see) what `callbackBody` needs to check it is
 * still that page.
 */
const SERVABLE = Symbol('vigie.discord.servable');

/** A kept rendering whose first page can be sent prepared. */
interface Kept {
  pages: DiscordMessage[];
  /** The first page as an interaction callback's JSON, cut where its timestamp goes; per message flags. */
  bodies?: Map<number, PreparedBody | null>;
}

/**
 * A kept callback body: its JSON bytes without the timestamp, and where the timestamp goes.
 * The bytes have their own memory, not a slice of Node's shared 8 KB buffer pool: a kept
 * slice would keep its whole pool slab (and the garbage of every send that shared it) alive,
 * about 5 KB of external memory per wording answered.
 */
interface PreparedBody {
  bytes: Buffer;
  at: number;
}

interface Servable {
  entry: Kept;
  embeds: DiscordMessage['embeds'];
  timestamp: string | undefined;
}

function markServable(message: DiscordMessage, entry: Kept, timestamp: string | undefined): void {
  Object.defineProperty(message, SERVABLE, { value: { entry, embeds: message.embeds, timestamp } satisfies Servable });
}

/** Stands for the timestamp in the kept JSON (controls never reach a rendered text: escape.ts removes them). */
const TIMESTAMP_MARK = '\u0001vigie-timestamp\u0001';

/**
 * The body of a type-4 interaction callback for `message`, as JSON bytes, when `message` is a
 * memoised reply's first page as renderReplyPages handed it out (unchanged); null otherwise
 * (the caller then serializes the message itself). The bytes parse to exactly the body the
 * caller would send: `{ type: 4, data: { embeds, components, allowed_mentions, flags? } }`.
 */
export function callbackBody(message: DiscordMessage, flags?: number): Buffer | null {
  const servable = (message as DiscordMessage & { [SERVABLE]?: Servable })[SERVABLE];
  if (!servable || servable.timestamp === undefined || message.content !== undefined) return null;
  const { entry } = servable;
  const page = entry.pages[0];
  if (!page || message.embeds !== servable.embeds || message.components !== page.components || message.embeds.length !== page.embeds.length) return null;
  entry.bodies ??= new Map();
  let parts = entry.bodies.get(flags ?? 0);
  if (parts === undefined) {
    parts = bodyParts(page, flags);
    entry.bodies.set(flags ?? 0, parts);
  }
  if (!parts) return null;
  // One buffer per send: the bytes before the timestamp, the timestamp, the bytes after it.
  const { bytes, at } = parts;
  const timestamp = JSON.stringify(servable.timestamp);
  const size = Buffer.byteLength(timestamp);
  const body = Buffer.allocUnsafe(bytes.length + size);
  bytes.copy(body, 0, 0, at);
  body.write(timestamp, at);
  bytes.copy(body, at + size, at);
  return body;
}

/** The callback JSON of a page with its first embed's timestamp left out, and where it goes. */
function bodyParts(page: DiscordMessage, flags: number | undefined): PreparedBody | null {
  const data: Record<string, unknown> = {
    embeds: page.embeds.map((e, j) => (j === 0 ? { ...e, timestamp: TIMESTAMP_MARK } : e)),
    components: page.components,
    allowed_mentions: { parse: [], replied_user: false },
  };
  if (flags) data.flags = flags;
  const json = JSON.stringify({ type: 4, data });
  const mark = JSON.stringify(TIMESTAMP_MARK);
  const at = json.indexOf(mark);
  if (at < 0 || json.indexOf(mark, at + 1) >= 0) return null;
  const before = json.slice(0, at);
  const after = json.slice(at + mark.length);
  const split = Buffer.byteLength(before);
  const bytes = Buffer.allocUnsafeSlow(split + Buffer.byteLength(after));
  bytes.write(before, 0);
  bytes.write(after, split);
  return { bytes, at: split };
}

/** A short text message (our own words, no user text), with no pings. */
export function textMessage(content: string): DiscordMessage {
  return { content: cutText(content, DISCORD_LIMITS.content), embeds: [], components: [], allowedMentions: NO_PINGS };
}
