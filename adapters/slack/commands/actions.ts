/**
 * The buttons under an answer: post it to the channel, follow updates (subscribes the
 * channel), report a problem, and suggested questions. Results come back privately
 * (ephemeral), except "post to the channel", whose point is to be seen.
 */
import type { App, BlockAction, ButtonAction, RespondArguments, RespondFn, webApi } from '@slack/bolt';
import type { Language } from '../../../src/index.js';
import { answering, slackActor, slackConversation, type SlackContext } from '../context.js';
import { ACTIONS, renderNotice, renderReply, type SlackMessage } from '../render.js';
import { st } from '../messages.js';

/** Where a clicked button lives, and in which language its answer was. */
interface Clicked {
  team?: string;
  channel: string | undefined;
  user: string;
  thread?: string;
  value: string;
  language: Language;
}

function clicked(body: BlockAction, action: ButtonAction): Clicked {
  const language: Language = action.block_id?.endsWith('_en') ? 'en' : 'fr';
  const thread = (body.message as { thread_ts?: string } | undefined)?.thread_ts;
  return {
    team: body.team?.id ?? body.user.team_id,
    channel: body.channel?.id ?? (body.container as { channel_id?: string } | undefined)?.channel_id,
    user: body.user.id,
    ...(thread ? { thread } : {}),
    value: action.value ?? '',
    language,
  };
}

function privately(respond: RespondFn) {
  return (message: SlackMessage) => respond({ response_type: 'ephemeral', replace_original: false, ...message } as RespondArguments);
}

/** Posts to the channel as the bot; falls back to the response URL when the bot is not a member. */
async function postToChannel(client: webApi.WebClient, respond: RespondFn, channel: string, message: SlackMessage): Promise<void> {
  try {
    await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks as never, unfurl_links: false, unfurl_media: false });
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if (code !== 'not_in_channel' && code !== 'channel_not_found') throw error;
    await respond({ response_type: 'in_channel', replace_original: false, ...message } as RespondArguments);
  }
}

/** Registers the answer buttons. */
export function registerActions(app: App, ctx: SlackContext): void {
  // The answer's own language is the best hint for the question the button carries.
  const ask = (c: Clicked) =>
    ctx.bot.ask({ conversation: slackConversation(c.team, c.channel ?? c.user, c.user, c.thread), text: c.value, locale: c.language });

  app.action<BlockAction<ButtonAction>>(ACTIONS.share, async ({ ack, body, action, respond, client }) => {
    await ack();
    const c = clicked(body, action);
    await answering(ctx, 'share', () => c.language, privately(respond), async () => {
      if (!c.channel) throw new Error('no channel to post to');
      const { reply } = await ask(c);
      await postToChannel(client, respond, c.channel, renderReply(reply));
      await respond({ replace_original: true, ...renderNotice(st(reply.language, 'slack.shared')) } as RespondArguments);
    });
  });

  app.action<BlockAction<ButtonAction>>(ACTIONS.subscribe, async ({ ack, body, action, respond }) => {
    await ack();
    const c = clicked(body, action);
    await answering(ctx, 'subscribe button', () => c.language, privately(respond), async () => {
      if (!c.channel) throw new Error('no channel to subscribe');
      const outcome = await ctx.bot.subscribeTo(slackConversation(c.team, c.channel, c.user), c.value, slackActor(c.team, c.user), c.language);
      await privately(respond)(renderReply(outcome.reply));
    });
  });

  const askButton = (id: string | RegExp, where: string) =>
    app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: id }, async ({ ack, body, action, respond }) => {
      await ack();
      const c = clicked(body, action);
      await answering(ctx, where, () => c.language, privately(respond), async () => {
        const { reply } = await ask(c);
        await privately(respond)(renderReply(reply, c.channel ? { share: c.value } : {}));
      });
    });
  askButton(ACTIONS.report, 'report button');
  askButton(ACTIONS.more, 'more button');
  askButton(new RegExp(`^${ACTIONS.suggestion}_\\d+$`), 'suggestion button');
}
