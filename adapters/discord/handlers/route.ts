/**
 * Sends each interaction to its handler. Every handler acknowledges within Discord's three
 * seconds (reply, modal or defer first); a failure becomes an apology with a reference id.
 */
import type { Interaction } from 'discord.js';
import { COMMANDS } from '../commands.js';
import { IDS } from '../render.js';
import { apologize, type HandlerContext } from './context.js';
import { handleIncidentButton, handleIncidentCommand, handleIncidentModal } from './incident.js';
import { handleReportButton, handleReportModal } from './report.js';
import { handleAutocomplete, handleStatus } from './status.js';
import { handleSubscribeButton, handleSubscriptionCommand } from './subscriptions.js';

/** Handles one interaction; never throws. */
export async function routeInteraction(ctx: HandlerContext, interaction: Interaction): Promise<void> {
  try {
    if (interaction.isAutocomplete()) return await handleAutocomplete(ctx, interaction);
    if (interaction.isChatInputCommand()) {
      switch (interaction.commandName) {
        case COMMANDS.status:
          return await handleStatus(ctx, interaction);
        case COMMANDS.subscribe:
        case COMMANDS.unsubscribe:
        case COMMANDS.subscriptions:
          return await handleSubscriptionCommand(ctx, interaction);
        case COMMANDS.incident:
          return await handleIncidentCommand(ctx, interaction);
      }
    } else if (interaction.isButton()) {
      const id = interaction.customId;
      if (id.startsWith(IDS.subscribe)) return await handleSubscribeButton(ctx, interaction);
      if (id.startsWith(IDS.report)) return await handleReportButton(ctx, interaction);
      if (id.startsWith(IDS.confirm) || id.startsWith(IDS.cancel)) return await handleIncidentButton(ctx, interaction);
    } else if (interaction.isModalSubmit()) {
      if (interaction.customId.startsWith(IDS.incidentModal)) return await handleIncidentModal(ctx, interaction);
      if (interaction.customId === IDS.reportModal) return await handleReportModal(ctx, interaction);
    }
    ctx.logger.debug('discord interaction ignored', { type: interaction.type });
  } catch (error) {
    if (interaction.isAutocomplete()) {
      ctx.logger.warn('discord autocomplete failed', { error });
      return;
    }
    await apologize(ctx, interaction, error);
  }
}
