/**
 * `/status` (`/statut`) and the autocomplete of place and incident options. The options
 * are turned into a question the core reads like any other, so typed and picked answers
 * are the same.
 */
import type { AutocompleteInteraction, ButtonInteraction, ChatInputCommandInteraction } from 'discord.js';
import { CHOICE_PREFIX, type ConversationRef, type Language } from '../../../src/index.js';
import { DISCORD_LIMITS, IDS, plainText, renderReply, type DiscordMessage } from '../base/render.js';
import { conversationOf, isAdmin, languageOf, placeFromValue, type HandlerContext } from './context.js';
import { answer } from './respond.js';
import { canChangeSubscriptions, offerFollow } from './subscriptions.js';

const LEVEL_WORDS: Record<Language, Record<string, string>> = {
  fr: { ecole: 'école', college: 'collège', lycee: 'lycée' },
  en: { ecole: 'primary school', college: 'collège', lycee: 'lycée' },
};

/** What a /status command says: where, who (and whether they may follow), in which language, with which options. */
export interface StatusAsked {
  conversation: ConversationRef;
  locale: string | null | undefined;
  /** A string option's value, or null. */
  option(name: string): string | null;
  /** True when the answer may offer to follow the channel: in a guild, for a member with Manage Channels. */
  mayFollow(): boolean;
}

/** The question a /status command asks, from its options. */
export function statusQuestion(ctx: HandlerContext, interaction: ChatInputCommandInteraction): string {
  return questionOf(ctx, interaction.locale, (name) => interaction.options.getString(name));
}

function questionOf(ctx: HandlerContext, locale: string | null | undefined, option: (name: string) => string | null): string {
  const lang = languageOf(locale);
  const serviceId = option('service');
  const placeValue = option('place');
  const level = option('level');
  const question = option('question')?.trim();
  const service = serviceId ? ctx.bot.services().find((s) => s.id === serviceId)?.short[lang] ?? serviceId : null;
  const picked = placeValue ? placeFromValue(ctx.bot, placeValue) : null;
  // A commune picked from the list keeps its département, so a homonym stays the one picked: "Saint-Denis (93)".
  const dep = picked?.kind === 'commune' ? ctx.bot.departementOf(picked.code) : undefined;
  const place = picked ? (dep ? `${picked.name} (${dep})` : picked.name) : placeValue;
  // Most /statut commands carry only a question: no list to join then.
  if (!service && !place && !level) return question ?? '';
  const parts = [question, service, place, level ? LEVEL_WORDS[lang][level] : null].filter((p): p is string => Boolean(p));
  return parts.join(' ').trim();
}

/** The answer to a /status command, rendered for Discord. */
export async function composeStatus(ctx: HandlerContext, asked: StatusAsked): Promise<DiscordMessage> {
  const { reply } = await ctx.bot.ask({
    conversation: asked.conversation,
    text: questionOf(ctx, asked.locale, asked.option) || (languageOf(asked.locale) === 'fr' ? 'état des services' : 'service status'),
    locale: asked.locale ?? undefined,
  });
  return renderReply(ctx.bot.templates, offerFollow(ctx.bot.templates, reply, asked.mayFollow()));
}

/** Answers /status in the channel, as an embed: directly when ready in time (nearly always), deferred otherwise. */
export async function handleStatus(ctx: HandlerContext, interaction: ChatInputCommandInteraction): Promise<void> {
  await answer(ctx, interaction, async () =>
    composeStatus(ctx, {
      conversation: conversationOf(interaction),
      locale: interaction.locale,
      option: (name) => interaction.options.getString(name),
      mayFollow: () => interaction.inGuild() && canChangeSubscriptions(interaction),
    }),
  );
}

/** An autocomplete choice: Discord shows its name as plain text, 1 to 100 characters. */
const choice = (name: string, value: string) => ({ name: plainText(name, DISCORD_LIMITS.choiceName) || '—', value: value.slice(0, DISCORD_LIMITS.choiceValue) });

/** Suggestions for the focused option: places (anyone), open incidents (admins); nothing for anything else. */
export async function handleAutocomplete(ctx: HandlerContext, interaction: AutocompleteInteraction): Promise<void> {
  // A request without a focused option (malformed) gets an empty list, not silence.
  const focused = interaction.options.data.some((o) => o.focused) ? interaction.options.getFocused(true) : null;
  const typed = String(focused?.value ?? '');
  if (focused?.name === 'place') {
    const places = ctx.bot.suggestPlaces(typed, DISCORD_LIMITS.choices);
    await interaction.respond(places.map((p) => choice(p.name, `${p.kind}:${p.code}`)));
    return;
  }
  if (focused?.name === 'incident' && isAdmin(ctx, interaction)) {
    const lang = languageOf(interaction.locale);
    const needle = typed.toLowerCase();
    const open = (await ctx.bot.openIncidents()).filter(
      (i) => !needle || i.id.toLowerCase().includes(needle) || i.title[lang].toLowerCase().includes(needle),
    );
    // Incident titles are admin-written: plain text, mentions defused.
    // Demo data loaded from a scenario says so in the picker too.
    await interaction.respond(open.slice(0, DISCORD_LIMITS.choices).map((i) => choice(`${i.scenario ? `[${ctx.bot.demoFor(i.scenario, lang).tag}] ` : ''}${i.id} — ${i.title[lang]}`, i.id)));
    return;
  }
  await interaction.respond([]);
}

/** "Plus de détails" under an answer: the same question (its token), answered whole, privately. */
export async function handleMoreButton(ctx: HandlerContext, interaction: ButtonInteraction): Promise<void> {
  await answer(
    ctx,
    interaction,
    async () => {
      const token = `${CHOICE_PREFIX}${interaction.customId.slice(IDS.more.length)}`;
      const { reply } = await ctx.bot.ask({ conversation: conversationOf(interaction), text: token, locale: interaction.locale });
      return renderReply(ctx.bot.templates, reply, { full: true });
    },
    { ephemeral: true },
  );
}

/** A choice button of a clarifying question ("Quel Saint-Denis ?"): the answer for that choice, privately. */
export async function handleChoiceButton(ctx: HandlerContext, interaction: ButtonInteraction): Promise<void> {
  await answer(
    ctx,
    interaction,
    async () => {
      const { reply } = await ctx.bot.ask({ conversation: conversationOf(interaction), text: interaction.customId, locale: interaction.locale });
      return renderReply(ctx.bot.templates, reply);
    },
    { ephemeral: true },
  );
}
