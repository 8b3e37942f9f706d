/**
 * Answering an interaction as fast as Discord allows. The interaction callback (type 4 "reply",
 * type 7 "update") is not bound by the bot's global rate limit (Discord documents interaction
 * endpoints as exempt; @discordjs/rest sends callbacks through its BurstHandler, discord.js
 * PR #8996), while editing a deferred reply is a webhook request that @discordjs/rest queues
 * under its 50 requests/s global limit. So Vigie replies directly whenever the answer is ready
 * in time, which is nearly always, and only when it is not (deadline, ~2 s of Discord's 3)
 * defers and edits the reply afterwards.
 */
import { InteractionResponseType, MessageFlags, Routes, type REST, type ButtonInteraction, type MessageComponentInteraction, type ModalSubmitInteraction, type RepliableInteraction } from 'discord.js';
import { callbackBody, type DiscordMessage } from '../base/render.js';

/** A timer that fires when it is time to defer; cancelled once the answer is sent. */
export interface Deadline {
  promise: Promise<void>;
  cancel(): void;
}

/** Default wait before deferring: Discord allows 3 s for the first callback, network included. */
export const DEFER_AFTER_MS = 2000;

/** A real timer of `ms` (unref'd, so it never keeps the process alive). */
export function timerDeadline(ms: number = DEFER_AFTER_MS): Deadline {
  let handle: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => {
    handle = setTimeout(resolve, ms);
    handle.unref();
  });
  return { promise, cancel: () => clearTimeout(handle) };
}

/** What the handlers need to answer in time. */
export interface AnswerContext {
  deadline: () => Deadline;
}

type Pages = DiscordMessage | DiscordMessage[];
const asPages = (m: Pages): DiscordMessage[] => (Array.isArray(m) ? m : [m]);

/**
 * The work's result, or undefined when the deadline came first. Every answer goes through
 * here, so it is one race and nothing more: `produce` never resolves to undefined, and the
 * race's own handlers keep a failure after the deadline from going unhandled (it is awaited
 * again by the caller).
 */
async function raceDeadline<T extends object>(ctx: AnswerContext, work: Promise<T>): Promise<T | undefined> {
  const deadline = ctx.deadline();
  try {
    return (await Promise.race([work, deadline.promise])) as T | undefined;
  } finally {
    deadline.cancel();
  }
}

/**
 * Answers with the messages `produce` builds: a direct reply when they are ready before the
 * deadline, else a deferral then an edit. Pages after the first (long listings) follow up.
 * `produce` errors propagate (the router apologizes, in whatever state the interaction is).
 */
export async function answer(ctx: AnswerContext, interaction: RepliableInteraction, produce: () => Promise<Pages>, options: { ephemeral?: boolean } = {}): Promise<void> {
  await answerWith(ctx, { interaction: () => interaction, replyFirst: (message, flags) => replyDirect(interaction, message, flags) }, produce, options);
}

/**
 * Where `answerWith` answers: the first page as a direct reply (`replyFirst`), anything else
 * (deferral, edit, follow-ups) through the discord.js interaction, which `interaction` may
 * build only when first needed (fast-status.ts: nearly every answer is the direct reply alone).
 */
export interface AnswerTarget {
  interaction(): RepliableInteraction;
  replyFirst(message: DiscordMessage, flags: number | undefined): Promise<void>;
}

/** `answer`, for a target whose discord.js interaction may not exist yet. */
export async function answerWith(ctx: AnswerContext, target: AnswerTarget, produce: () => Promise<Pages>, options: { ephemeral?: boolean } = {}): Promise<void> {
  const flags = options.ephemeral ? MessageFlags.Ephemeral : undefined;
  const work = produce();
  const ready = await raceDeadline(ctx, work);
  let pages: DiscordMessage[];
  if (ready !== undefined) {
    pages = asPages(ready);
    await target.replyFirst(pages[0]!, flags);
  } else {
    const interaction = target.interaction();
    await interaction.deferReply(flags ? { flags } : {});
    pages = asPages(await work);
    await interaction.editReply(pages[0]!);
  }
  for (let i = 1; i < pages.length; i++) await target.interaction().followUp({ ...pages[i]!, ...(flags ? { flags } : {}) });
}

/**
 * The first callback (type 4) with a message that is already Discord API JSON. It is what
 * `interaction.reply` sends, through the same REST client (same route, no auth, no global
 * limit), without discord.js resolving the payload again (builders, snake_case conversion):
 * on a burst of questions that resolution was a third of the adapter's cost per answer.
 */
export async function replyDirect(interaction: RepliableInteraction, message: DiscordMessage, flags?: number): Promise<void> {
  await postReply(interaction.client.rest, interaction.id, interaction.token, message, flags);
  // What interaction.reply records, so later calls (followUp, editReply) behave the same.
  interaction.replied = true;
  interaction.ephemeral = flags !== undefined && (flags & MessageFlags.Ephemeral) !== 0;
}

/** The direct reply (callback type 4) to interaction `id`, `token`, through `rest` (the client's). */
export async function postReply(rest: REST, id: string, token: string, message: DiscordMessage, flags?: number): Promise<void> {
  const route = Routes.interactionCallback(id, token);
  // A memoised reply's page comes with its JSON already made (render.ts): sent as bytes.
  const prepared = callbackBody(message, flags);
  if (prepared) {
    await rest.post(route, { body: prepared, passThroughBody: true, headers: JSON_HEADERS, auth: false });
  } else {
    const data: Record<string, unknown> = { embeds: message.embeds, components: message.components, allowed_mentions: NO_MENTIONS };
    if (message.content !== undefined) data.content = message.content;
    if (flags) data.flags = flags;
    await rest.post(route, { body: { type: InteractionResponseType.ChannelMessageWithSource, data }, auth: false });
  }
}

const JSON_HEADERS = Object.freeze({ 'Content-Type': 'application/json' }) as Record<string, string>;

/** Nobody is pinged by a direct reply (the API form of NO_PINGS; shared, only ever serialized). */
const NO_MENTIONS = Object.freeze({ parse: Object.freeze([]), replied_user: false });

/** Like `answer`, for a button under a message: updates that message (type 7), or defers the update then edits it. */
export async function answerUpdate(ctx: AnswerContext, interaction: ButtonInteraction | MessageComponentInteraction | ModalSubmitInteraction, produce: () => Promise<DiscordMessage>): Promise<void> {
  const work = produce();
  const ready = await raceDeadline(ctx, work);
  if (ready !== undefined) {
    await (interaction as MessageComponentInteraction).update(ready);
    return;
  }
  await (interaction as MessageComponentInteraction).deferUpdate();
  await interaction.editReply(await work);
}
