/**
 * "Ouvrir un incident" under a crowd-signal alert (alerts.ts): for someone allowed to open
 * incidents (the /incident rule: VIGIE_DISCORD_ADMINS or a role of VIGIE_DISCORD_ADMIN_ROLES),
 * the /incident modal of an opening, its form pre-filled with the alert's service, places,
 * status and cause; the admin writes the texts, sees the preview and confirms as with
 * /incident. Anyone else gets the private refusal the core records in the audit log.
 */
import { MessageFlags, type ButtonInteraction } from 'discord.js';
import { discordText } from '../base/templates.js';
import { renderReply, textMessage } from '../base/render.js';
import { prefillOfButton } from '../base/alert-render.js';
import { actorOf, isAdmin, languageOf, type HandlerContext } from './context.js';
import { incidentModal } from './incident.js';

/** The button's press. */
export async function handleAlertButton(ctx: HandlerContext, interaction: ButtonInteraction): Promise<void> {
  const lang = languageOf(interaction.locale);
  if (!isAdmin(ctx, interaction)) {
    const refusal = await ctx.bot.refuse(actorOf(interaction), 'incident.open', lang);
    await interaction.reply({ ...renderReply(ctx.bot.templates, refusal, { buttons: false }), flags: MessageFlags.Ephemeral });
    return;
  }
  const prefill = prefillOfButton(interaction.customId, ctx.alertPrefills);
  if (!prefill) {
    await interaction.reply({ ...textMessage(discordText(ctx.bot.templates, lang, 'discord.incident.expired')), flags: MessageFlags.Ephemeral });
    return;
  }
  const input: Record<string, unknown> = { action: 'open', service: prefill.service, places: prefill.places.join(', '), status: prefill.status, cause: prefill.cause };
  const id = ctx.pending.add({ user: interaction.user.id, input });
  await interaction.showModal(incidentModal(ctx.bot.templates, id, 'open', lang));
}
