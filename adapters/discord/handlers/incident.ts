/**
 * `/incident` for admins: the command's options (action, incident, service, places,
 * status...) then a modal for the texts, a preview of how answers will read, and a confirm
 * button that stores it. With "notify" the preview also says how many channels per platform
 * will receive the official notice, confirming publishes it (bot.publishNotice), and the
 * admin's reply then shows delivery progress. Anyone else gets an ephemeral refusal, audited
 * by the core.
 */
import {
  ButtonStyle,
  ComponentType,
  MessageFlags,
  TextInputStyle,
  type APIModalInteractionResponseCallbackData,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
} from 'discord.js';
import type { Language, Templates } from '../../../src/index.js';
import { discordText, type DiscordTemplateKey } from '../base/templates.js';
import { DISCORD_LIMITS, IDS, NO_PINGS, plainText, renderReply, textMessage, type DiscordMessage } from '../base/render.js';
import { actorOf, isAdmin, languageOf, type HandlerContext } from './context.js';
import { platformCounts, type ProgressView } from './progress.js';
import { answer, answerUpdate } from './respond.js';

const TIME_ONLY = /^(\d{1,2}[:h]\d{2}|\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)$/i;
const ACTION_WORDS: Record<Language, Record<string, string>> = {
  fr: { open: 'ouvrir', update: 'mettre à jour', resolve: 'clore' },
  en: { open: 'open', update: 'update', resolve: 'resolve' },
};

/** /incident: the modal for admins, an audited refusal for everyone else. */
export async function handleIncidentCommand(ctx: HandlerContext, interaction: ChatInputCommandInteraction): Promise<void> {
  const lang = languageOf(interaction.locale);
  const action = interaction.options.getString('action', true);
  if (!isAdmin(ctx, interaction)) {
    await answer(ctx, interaction, async () => renderReply(ctx.bot.templates, await ctx.bot.refuse(actorOf(interaction), `incident.${action}`, lang), { buttons: false }), { ephemeral: true });
    return;
  }
  const input: Record<string, unknown> = { action };
  const copy = (option: string, field: string) => {
    const value = interaction.options.getString(option);
    if (value) input[field] = value;
  };
  copy('incident', 'id');
  copy('service', 'service');
  copy('places', 'places');
  copy('status', 'status');
  copy('phase', 'phase');
  copy('cause', 'cause');
  const level = interaction.options.getString('level');
  if (level) input.levels = [level];
  const notify = interaction.options.getBoolean('notify') ?? false;
  // Opening an incident identical to an open one is refused unless forced.
  if (interaction.options.getBoolean('force') === true) input.force = true;
  const id = ctx.pending.add({ user: interaction.user.id, input, notify });
  await interaction.showModal(incidentModal(ctx.bot.templates, id, action, lang));
}

function field(templates: Templates, customId: string, label: DiscordTemplateKey, lang: Language, style: TextInputStyle, required: boolean, max: number) {
  return {
    type: ComponentType.ActionRow as const,
    components: [{ type: ComponentType.TextInput as const, custom_id: customId, label: plainText(discordText(templates, lang, label), DISCORD_LIMITS.inputLabel), style, required, max_length: max }],
  };
}

/** The modal of an admin action: texts only, the rest came with the command. */
export function incidentModal(templates: Templates, id: string, action: string, lang: Language): APIModalInteractionResponseCallbackData {
  const rows = [];
  if (action !== 'resolve') rows.push(field(templates, 'titleFr', 'discord.incident.title_label', lang, TextInputStyle.Short, false, 200));
  rows.push(field(templates, 'textFr', 'discord.incident.text_fr', lang, TextInputStyle.Paragraph, true, 3000));
  rows.push(field(templates, 'textEn', 'discord.incident.text_en', lang, TextInputStyle.Paragraph, false, 3000));
  if (action !== 'resolve') {
    rows.push(field(templates, 'recovery', 'discord.incident.recovery', lang, TextInputStyle.Short, false, 500));
    rows.push(field(templates, 'adviceFr', 'discord.incident.advice', lang, TextInputStyle.Paragraph, false, 1000));
  }
  return { custom_id: `${IDS.incidentModal}${id}`, title: plainText(discordText(templates, lang, 'discord.incident.title', { action: ACTION_WORDS[lang][action] ?? action }), DISCORD_LIMITS.modalTitle), components: rows };
}

/** The modal's texts: shows the preview with confirm and cancel buttons. */
export async function handleIncidentModal(ctx: HandlerContext, interaction: ModalSubmitInteraction): Promise<void> {
  const lang = languageOf(interaction.locale);
  await answer(ctx, interaction, () => incidentPreview(ctx, interaction, lang), { ephemeral: true });
}

async function incidentPreview(ctx: HandlerContext, interaction: ModalSubmitInteraction, lang: Language): Promise<DiscordMessage> {
  const id = interaction.customId.slice(IDS.incidentModal.length);
  const form = ctx.pending.get(id, interaction.user.id);
  if (!form || !isAdmin(ctx, interaction)) return textMessage(discordText(ctx.bot.templates, lang, 'discord.incident.expired'));
  const value = (name: string) => {
    try {
      return interaction.fields.getTextInputValue(name).trim();
    } catch {
      return ''; // the resolve modal has no such field
    }
  };
  for (const name of ['titleFr', 'textFr', 'textEn', 'adviceFr']) if (value(name)) form.input[name] = value(name);
  const recovery = value('recovery');
  if (recovery) form.input[TIME_ONLY.test(recovery) ? 'recoveryAt' : 'recoveryFr'] = recovery;
  const actor = actorOf(interaction);
  const outcome = form.notify ? await ctx.bot.previewNotice(noticeInputOf(form.input), actor, lang) : await ctx.bot.previewIncident(form.input, actor, lang);
  if (!outcome.ok) {
    ctx.pending.delete(id);
    return renderReply(ctx.bot.templates, outcome.reply, { buttons: false });
  }
  let hint = discordText(ctx.bot.templates, lang, 'discord.incident.confirm_hint');
  if (form.notify && 'targets' in outcome) {
    const counts = platformCounts(outcome.targets.byPlatform);
    hint = counts
      ? `${discordText(ctx.bot.templates, lang, 'discord.notice.targets', { total: String(outcome.targets.total), platforms: counts })}\n${discordText(ctx.bot.templates, lang, 'discord.notice.confirm_hint')}`
      : `${discordText(ctx.bot.templates, lang, 'discord.notice.no_targets')}\n${hint}`;
  }
  return {
    ...renderReply(ctx.bot.templates, outcome.reply, { buttons: false }),
    content: hint,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          { type: ComponentType.Button, style: ButtonStyle.Success, custom_id: `${IDS.confirm}${id}`, label: plainText(discordText(ctx.bot.templates, lang, 'discord.button.confirm'), DISCORD_LIMITS.buttonLabel) },
          { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: `${IDS.cancel}${id}`, label: plainText(discordText(ctx.bot.templates, lang, 'discord.button.cancel'), DISCORD_LIMITS.buttonLabel) },
        ],
      },
    ],
  };
}

/** Confirm or cancel under a preview: the preview message is updated in place. */
export async function handleIncidentButton(ctx: HandlerContext, interaction: ButtonInteraction): Promise<void> {
  const lang = languageOf(interaction.locale);
  const confirm = interaction.customId.startsWith(IDS.confirm);
  const id = interaction.customId.slice((confirm ? IDS.confirm : IDS.cancel).length);
  const form = ctx.pending.get(id, interaction.user.id);
  const plain = (key: 'discord.incident.expired' | 'discord.incident.cancelled'): DiscordMessage => ({ ...textMessage(discordText(ctx.bot.templates, lang, key)), embeds: [], components: [] });
  if (!form || !isAdmin(ctx, interaction)) {
    await interaction.update(plain('discord.incident.expired'));
    return;
  }
  ctx.pending.delete(id);
  if (!confirm) {
    await interaction.update(plain('discord.incident.cancelled'));
    return;
  }
  if (!form.notify) {
    await answerUpdate(ctx, interaction, async () => ({ ...renderReply(ctx.bot.templates, (await ctx.bot.applyIncident(form.input, actorOf(interaction), lang)).reply, { buttons: false }), content: '' }));
    return;
  }
  let noticeId: string | null = null;
  await answerUpdate(ctx, interaction, async () => {
    const outcome = await ctx.bot.publishNotice(noticeInputOf(form.input), actorOf(interaction), lang);
    if (!outcome.ok) return { ...renderReply(ctx.bot.templates, outcome.reply, { buttons: false }), content: '' };
    noticeId = outcome.notice.id;
    const total = String(outcome.targets.total);
    return { ...renderReply(ctx.bot.templates, outcome.reply, { buttons: false }), content: discordText(ctx.bot.templates, lang, 'discord.notice.progress', { delivered: '0', failed: '0', pending: total, total }) };
  });
  if (!noticeId) return;
  const edit = (view: ProgressView) => interaction.editReply({ content: view.content, components: view.components as never, allowedMentions: NO_PINGS });
  void ctx.watchers.watch(noticeId, lang, edit, ctx.logger);
}

/**
 * "Retry failed deliveries" under a finished notice's progress (admins only, checked here):
 * the failed deliveries are queued again, and the same message follows them anew.
 */
export async function handleRetryButton(ctx: HandlerContext, interaction: ButtonInteraction): Promise<void> {
  const lang = languageOf(interaction.locale);
  const noticeId = interaction.customId.slice(IDS.retry.length);
  if (!isAdmin(ctx, interaction)) {
    const refusal = await ctx.bot.refuse(actorOf(interaction), 'notice.retry', lang);
    await interaction.reply({ ...renderReply(ctx.bot.templates, refusal, { buttons: false }), flags: MessageFlags.Ephemeral });
    return;
  }
  const count = await ctx.bot.retryFailedDeliveries(noticeId, actorOf(interaction));
  if (count === null) {
    await interaction.update({ ...textMessage(discordText(ctx.bot.templates, lang, 'discord.incident.expired')), components: [] });
    return;
  }
  const headline = discordText(ctx.bot.templates, lang, 'discord.notice.retry_queued', { id: noticeId, count: String(count) });
  await interaction.update({ content: headline, components: [], allowedMentions: NO_PINGS });
  const edit = (view: ProgressView) => interaction.editReply({ content: view.content, components: view.components as never, allowedMentions: NO_PINGS });
  void ctx.watchers.watch(noticeId, lang, edit, ctx.logger, headline);
}

/** The official notice an admin form stands for (noticeInputSchema); the core validates it. */
export function noticeInputOf(input: Record<string, unknown>): Record<string, unknown> {
  const str = (key: string): string | undefined => (typeof input[key] === 'string' && input[key] !== '' ? (input[key] as string) : undefined);
  const set = (target: Record<string, unknown>, key: string, value: unknown) => {
    if (value !== undefined) target[key] = value;
  };
  const bilingual = (fr: string | undefined, en?: string) => (fr ? { fr, ...(en ? { en } : {}) } : undefined);
  const incident: Record<string, unknown> = { action: str('action') };
  set(incident, 'id', str('id'));
  set(incident, 'cause', str('cause'));
  set(incident, 'recoveryAt', str('recoveryAt'));
  set(incident, 'recovery', bilingual(str('recoveryFr')));
  set(incident, 'advice', bilingual(str('adviceFr')));
  if (input.force === true) incident.force = true;
  const notice: Record<string, unknown> = { text: bilingual(str('textFr') ?? '', str('textEn')) ?? { fr: '' }, incident };
  const service = str('service');
  set(notice, 'services', service ? [service] : undefined);
  set(notice, 'places', str('places'));
  set(notice, 'levels', Array.isArray(input.levels) && input.levels.length > 0 ? input.levels : undefined);
  set(notice, 'status', str('status'));
  set(notice, 'phase', str('phase'));
  set(notice, 'title', bilingual(str('titleFr')));
  return notice;
}
