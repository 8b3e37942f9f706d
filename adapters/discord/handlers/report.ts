/**
 * The "report a problem" button: a modal pre-filled with the answer's context; what the
 * person writes is recorded by the core as a report (counted, never forwarded), and the
 * reply says what is known and how many people reported the same.
 */
import { ComponentType, TextInputStyle, type ButtonInteraction, type ModalSubmitInteraction } from 'discord.js';
import { discordText } from '../base/templates.js';
import { DISCORD_LIMITS, IDS, plainText, renderReply } from '../base/render.js';
import { conversationOf, languageOf, type HandlerContext } from './context.js';
import { answer } from './respond.js';

/** The longest report a person may write. */
const REPORT_MAX = 500;

/** Opens the report modal. */
export async function handleReportButton(ctx: HandlerContext, interaction: ButtonInteraction): Promise<void> {
  const lang = languageOf(interaction.locale);
  // The custom id comes back from Discord as the client sent it: treat it as any input.
  const hint = plainText(interaction.customId.slice(IDS.report.length), REPORT_MAX).trim();
  await interaction.showModal({
    custom_id: IDS.reportModal,
    title: plainText(discordText(ctx.bot.templates, lang, 'discord.report.title'), DISCORD_LIMITS.modalTitle),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: 'text',
            label: plainText(discordText(ctx.bot.templates, lang, 'discord.report.label'), DISCORD_LIMITS.inputLabel),
            style: TextInputStyle.Paragraph,
            required: true,
            max_length: REPORT_MAX,
            ...(hint ? { value: hint } : {}),
          },
        ],
      },
    ],
  });
}

/** Answers the report privately. */
export async function handleReportModal(ctx: HandlerContext, interaction: ModalSubmitInteraction): Promise<void> {
  const text = interaction.fields.getTextInputValue('text');
  await answer(
    ctx,
    interaction,
    async () => {
      const { reply } = await ctx.bot.report({ conversation: conversationOf(interaction), text, locale: interaction.locale });
      return renderReply(ctx.bot.templates, reply, { buttons: false });
    },
    { ephemeral: true },
  );
}
