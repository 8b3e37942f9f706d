/**
 * The buttons under an answer: more details (the whole answer), post it to the channel,
 * follow updates (subscribes the channel, for those who may), report a problem, and
 * suggested questions. Results come back
 * privately (ephemeral), except "post to the channel", whose point is to be seen. One
 * listener routes every button by its action id, so a button Vigie does not know (from an
 * older message) still gets an answer.
 */
import type { BlockAction, RespondArguments, RespondFn, webApi } from '@slack/bolt';
import type { Language } from '../../src/index.js';
import { answering, slackActor, slackConversation, str, type SlackContext } from './context.js';
import { slackText } from './templates.js';
import { subscriptionRefusal } from './permissions.js';
import { ACTIONS, renderNotice, renderReply, type SlackMessage } from './render.js';
import type { ActionArgs, SlackRouter } from './router.js';

/** Where a clicked button lives, and in which language its answer was. */
interface Clicked {
  team?: string;
  channel: string | undefined;
  user: string;
  thread?: string;
  value: string;
  language: Language;
}

interface LooseAction {
  action_id?: unknown;
  block_id?: unknown;
  value?: unknown;
}

function clicked(body: BlockAction, action: LooseAction): Clicked {
  const language: Language = str(action.block_id).endsWith('_en') ? 'en' : 'fr';
  const thread = (body.message as { thread_ts?: string } | undefined)?.thread_ts;
  const team = body.team?.id ?? body.user.team_id;
  const channel = body.channel?.id ?? (body.container as { channel_id?: string } | undefined)?.channel_id;
  return {
    ...(team ? { team } : {}),
    channel: channel || undefined,
    user: body.user.id,
    ...(thread ? { thread } : {}),
    value: str(action.value),
    language,
  };
}

function privately(respond: RespondFn | undefined) {
  return async (message: SlackMessage) => {
    // Without a response URL there is nowhere private to answer; nothing is lost but the echo.
    if (respond) await respond({ response_type: 'ephemeral', replace_original: false, ...message } as RespondArguments);
  };
}

/** Posts to the channel as the bot; falls back to the response URL when the bot is not a member. */
async function postToChannel(client: webApi.WebClient, respond: RespondFn | undefined, channel: string, message: SlackMessage): Promise<void> {
  try {
    await client.chat.postMessage({ channel, text: message.text, blocks: message.blocks as never, unfurl_links: false, unfurl_media: false });
  } catch (error) {
    const code = (error as { data?: { error?: string } }).data?.error;
    if ((code !== 'not_in_channel' && code !== 'channel_not_found') || !respond) throw error;
    await respond({ response_type: 'in_channel', replace_original: false, ...message } as RespondArguments);
  }
}

/** Registers the answer buttons. */
export function registerActions(router: SlackRouter, ctx: SlackContext): void {
  // The answer's own language is the best hint for the question the button carries.
  const ask = (c: Clicked) =>
    ctx.bot.ask({ conversation: slackConversation(c.team, c.channel ?? c.user, c.user, c.thread), text: c.value, locale: c.language });

  const share = async (c: Clicked, respond: RespondFn | undefined, client: webApi.WebClient) => {
    if (!c.channel) return privately(respond)(renderNotice(slackText(ctx.bot.templates, c.language, 'slack.no_channel')));
    const { reply } = await ask(c);
    await postToChannel(client, respond, c.channel, renderReply(ctx.bot.templates, reply));
    if (respond) await respond({ replace_original: true, ...renderNotice(slackText(ctx.bot.templates, reply.language, 'slack.shared')) } as RespondArguments);
  };

  const subscribe = async (c: Clicked, respond: RespondFn | undefined) => {
    if (!c.channel || !c.user) return privately(respond)(renderNotice(slackText(ctx.bot.templates, c.language, 'slack.no_channel')));
    const conversation = slackConversation(c.team, c.channel, c.user);
    const actor = slackActor(c.team, c.user);
    const refused = await subscriptionRefusal(ctx, conversation, actor, 'subscribe', c.language);
    if (refused) return privately(respond)(renderReply(ctx.bot.templates, refused));
    const outcome = await ctx.bot.subscribeTo(conversation, c.value, actor, c.language);
    await privately(respond)(renderReply(ctx.bot.templates, outcome.reply));
  };

  const question = async (c: Clicked, respond: RespondFn | undefined) => {
    const { reply } = await ask(c);
    await privately(respond)(renderReply(ctx.bot.templates, reply, c.channel ? { share: c.value } : {}));
  };

  // "Signaler un problème": a report whatever its words read as, counted (never shared to the channel).
  const report = async (c: Clicked, respond: RespondFn | undefined) => {
    const { reply } = await ctx.bot.report({ conversation: slackConversation(c.team, c.channel ?? c.user, c.user, c.thread), text: c.value, locale: c.language });
    await privately(respond)(renderReply(ctx.bot.templates, reply));
  };

  // "Plus de détails": the same question (its token), answered whole, privately.
  const details = async (c: Clicked, respond: RespondFn | undefined) => {
    const { reply } = await ask(c);
    await privately(respond)(renderReply(ctx.bot.templates, reply, { full: true }));
  };

  const on = (id: string | RegExp, where: string, run: typeof share) =>
    router.action(id, async ({ ack, body, action, respond, client }: ActionArgs) => {
      await ack();
      const c = clicked(body, action as LooseAction);
      await answering(ctx, where, () => c.language, privately(respond), () => run(c, respond, client));
    });
  on(ACTIONS.share, 'share', share);
  on(ACTIONS.subscribe, 'subscribe button', subscribe);
  on(ACTIONS.report, 'report button', report);
  on(ACTIONS.more, 'more button', details);
  on(new RegExp(`^${ACTIONS.suggestion}_\\d+$`), 'suggestion button', question);
  on(new RegExp(`^${ACTIONS.choose}_\\d+$`), 'choice button', question);
}
