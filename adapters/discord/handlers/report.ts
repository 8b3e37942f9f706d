/**
 * The "report a problem" button: a modal pre-filled with the answer's context; what the
 * person writes is read by the core, which says whether a known incident matches.
 */
import { ComponentType, MessageFlags, TextInputStyle, type ButtonInteraction, type ModalSubmitInteraction } from 'discord.js';
import { say } from '../messages.js';
import { IDS, renderReply } from '../render.js';
import { conversationOf, languageOf, type HandlerContext } from './context.js';

/** Opens the report modal. */
export async function handleReportButton(_ctx: HandlerContext, interaction: ButtonInteraction): Promise<void> {
  const lang = languageOf(interaction.locale);
  const hint = interaction.customId.slice(IDS.report.length);
  await interaction.showModal({
    custom_id: IDS.reportModal,
    title: say(lang, 'discord.report.title').slice(0, 45),
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: 'text',
            label: say(lang, 'discord.report.label').slice(0, 45),
            style: TextInputStyle.Paragraph,
            required: true,
            max_length: 500,
            ...(hint ? { value: hint } : {}),
          },
        ],
      },
    ],
  });
}

/** Answers the report privately. */
export async function handleReportModal(ctx: HandlerContext, interaction: ModalSubmitInteraction): Promise<void> {
  await interaction.deferReply({ flags: MessageFlags.Ephemeral });
  const text = interaction.fields.getTextInputValue('text');
  const { reply } = await ctx.bot.ask({ conversation: conversationOf(interaction), text, locale: interaction.locale });
  await interaction.editReply(renderReply(reply, { buttons: false }));
}
