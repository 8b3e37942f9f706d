/**
 * Sends each interaction to its handler. Every interaction gets an answer within Discord's
 * three seconds: the handler's, or for anything Vigie does not know (an old button, a command
 * removed since, a select menu, a context menu, an autocomplete without a focused option) a
 * short private "this action has expired" or an empty suggestion list; a failure becomes an
 * apology with a reference id. Interactions discord.js cannot even build are answered by
 * unanswered.ts.
 */
import { MessageFlags, type Interaction, type RepliableInteraction } from 'discord.js';
import { COMMANDS } from '../base/commands.js';
import { discordText } from '../base/templates.js';
import { IDS, textMessage } from '../base/render.js';
import { safeError } from '../base/log-safe.js';
import { apologize, languageOf, type HandlerContext } from './context.js';
import { handleAlertButton } from './alert.js';
import { handleIncidentButton, handleIncidentCommand, handleIncidentModal, handleRetryButton } from './incident.js';
import { handleReportButton, handleReportModal } from './report.js';
import { handleAutocomplete, handleChoiceButton, handleMoreButton, handleStatus } from './status.js';
import { CHOICE_PREFIX } from '../../../src/index.js';
import { handleSubscribeButton, handleSubscriptionCommand } from './subscriptions.js';

/** Answers an interaction Vigie has no handler for: privately, "this action has expired". */
export async function answerExpired(ctx: HandlerContext, interaction: RepliableInteraction): Promise<void> {
  ctx.logger.debug('discord interaction not handled, answered as expired', { type: interaction.type });
  await interaction.reply({ ...textMessage(discordText(ctx.bot.templates, languageOf(interaction.locale), 'discord.expired')), flags: MessageFlags.Ephemeral });
}

async function dispatch(ctx: HandlerContext, interaction: Interaction): Promise<void> {
  if (interaction.isAutocomplete()) return handleAutocomplete(ctx, interaction);
  if (interaction.isChatInputCommand()) {
    switch (interaction.commandName) {
      case COMMANDS.status:
        return handleStatus(ctx, interaction);
      case COMMANDS.subscribe:
      case COMMANDS.unsubscribe:
      case COMMANDS.subscriptions:
        return handleSubscriptionCommand(ctx, interaction);
      case COMMANDS.incident:
        return handleIncidentCommand(ctx, interaction);
    }
  } else if (interaction.isButton()) {
    const id = interaction.customId;
    if (id.startsWith(CHOICE_PREFIX)) return handleChoiceButton(ctx, interaction);
    if (id.startsWith(IDS.more)) return handleMoreButton(ctx, interaction);
    if (id.startsWith(IDS.subscribe)) return handleSubscribeButton(ctx, interaction);
    if (id.startsWith(IDS.report)) return handleReportButton(ctx, interaction);
    if (id.startsWith(IDS.confirm) || id.startsWith(IDS.cancel)) return handleIncidentButton(ctx, interaction);
    if (id.startsWith(IDS.retry)) return handleRetryButton(ctx, interaction);
    if (id.startsWith(IDS.alert)) return handleAlertButton(ctx, interaction);
  } else if (interaction.isModalSubmit()) {
    if (interaction.customId.startsWith(IDS.incidentModal)) return handleIncidentModal(ctx, interaction);
    if (interaction.customId === IDS.reportModal) return handleReportModal(ctx, interaction);
  }
  if (interaction.isRepliable()) return answerExpired(ctx, interaction);
}

/** Handles one interaction; never throws. */
export async function routeInteraction(ctx: HandlerContext, interaction: Interaction): Promise<void> {
  try {
    await dispatch(ctx, interaction);
  } catch (error) {
    if (interaction.isAutocomplete()) {
      ctx.logger.warn('discord autocomplete failed', { error: safeError(error) });
      if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
      return;
    }
    await apologize(ctx, interaction, error);
  }
}
