/**
 * `/status` (`/statut`) and the autocomplete of place and incident options. The options
 * are turned into a question the core reads like any other, so typed and picked answers
 * are the same.
 */
import type { AutocompleteInteraction, ChatInputCommandInteraction } from 'discord.js';
import type { Language } from '../../../src/index.js';
import { renderReply } from '../render.js';
import { conversationOf, isAdmin, languageOf, placeFromValue, type HandlerContext } from './context.js';

const LEVEL_WORDS: Record<Language, Record<string, string>> = {
  fr: { ecole: 'école', college: 'collège', lycee: 'lycée' },
  en: { ecole: 'primary school', college: 'collège', lycee: 'lycée' },
};

/** The question a /status command asks, from its options. */
export function statusQuestion(ctx: HandlerContext, interaction: ChatInputCommandInteraction): string {
  const lang = languageOf(interaction.locale);
  const serviceId = interaction.options.getString('service');
  const placeValue = interaction.options.getString('place');
  const level = interaction.options.getString('level');
  const question = interaction.options.getString('question')?.trim();
  const service = serviceId ? ctx.bot.services().find((s) => s.id === serviceId)?.short[lang] ?? serviceId : null;
  const place = placeValue ? (placeFromValue(ctx.bot, placeValue)?.name ?? placeValue) : null;
  const parts = [question, service, place, level ? LEVEL_WORDS[lang][level] : null].filter((p): p is string => Boolean(p));
  return parts.join(' ').trim();
}

/** Answers /status in the channel, as an embed. */
export async function handleStatus(ctx: HandlerContext, interaction: ChatInputCommandInteraction): Promise<void> {
  // Reading incidents hits the store: acknowledge first, Discord allows only 3 seconds.
  await interaction.deferReply();
  const { reply } = await ctx.bot.ask({
    conversation: conversationOf(interaction),
    text: statusQuestion(ctx, interaction) || (languageOf(interaction.locale) === 'fr' ? 'état des services' : 'service status'),
    locale: interaction.locale,
  });
  await interaction.editReply(renderReply(reply));
}

/** Suggestions for the focused option: places (anyone), open incidents (admins). */
export async function handleAutocomplete(ctx: HandlerContext, interaction: AutocompleteInteraction): Promise<void> {
  const focused = interaction.options.getFocused(true);
  const typed = String(focused.value ?? '');
  if (focused.name === 'place') {
    const places = ctx.bot.suggestPlaces(typed, 25);
    await interaction.respond(places.map((p) => ({ name: p.name.slice(0, 100), value: `${p.kind}:${p.code}`.slice(0, 100) })));
    return;
  }
  if (focused.name === 'incident' && isAdmin(ctx, interaction)) {
    const lang = languageOf(interaction.locale);
    const needle = typed.toLowerCase();
    const open = (await ctx.bot.openIncidents()).filter(
      (i) => !needle || i.id.toLowerCase().includes(needle) || i.title[lang].toLowerCase().includes(needle),
    );
    await interaction.respond(open.slice(0, 25).map((i) => ({ name: `${i.id} — ${i.title[lang]}`.slice(0, 100), value: i.id.slice(0, 100) })));
    return;
  }
  await interaction.respond([]);
}
