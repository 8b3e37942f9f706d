/**
 * Who may change a channel's subscriptions on Slack (subscribe, unsubscribe, the "follow
 * updates" button): the workspace's admins and owners (users.info is_admin / is_owner /
 * is_primary_owner, cached a few minutes), VIGIE_SLACK_ADMINS and VIGIE_SLACK_SUBSCRIBERS.
 * Anyone may list them and ask questions; those never look a role up.
 */
import type { Actor, ConversationRef, Language, Reply } from '../../src/index.js';
import type { SlackContext } from './context.js';
import { slackText } from './templates.js';

/** Whether `user` may open, update and resolve incidents (VIGIE_SLACK_ADMINS), as /statut-admin checks. */
export function mayOpenIncidents(ctx: SlackContext, user: string): boolean {
  return user !== '' && ctx.admins.has(user);
}

/** Whether `user` may change channels' subscriptions. Unknown (Slack did not answer) means no. */
export async function maySubscribe(ctx: SlackContext, user: string): Promise<boolean> {
  if (ctx.admins.has(user) || ctx.subscribers.has(user)) return true;
  const manager = await ctx.users.isWorkspaceManager(user);
  if (manager === null) ctx.logger.warn('slack: could not check a workspace role; subscription change refused', { user });
  return manager === true;
}

/**
 * Null when `actor` may make the change; otherwise the refusal to show, which the core has
 * written to the audit log.
 */
export async function subscriptionRefusal(
  ctx: SlackContext,
  conversation: ConversationRef,
  actor: Actor,
  action: 'subscribe' | 'unsubscribe',
  language: Language,
): Promise<Reply | null> {
  if (await maySubscribe(ctx, actor.user)) return null;
  return (await ctx.bot.refuseSubscriptionChange(conversation, actor, action, language)).reply;
}

/**
 * A "follow in this channel" answer ("préviens-moi quand le CNED revient") keeps its button
 * only for someone who may subscribe the channel; others are told who can. The click is
 * checked again (actions.ts), so a button seen by someone else still changes nothing.
 */
export async function offerFollow(ctx: SlackContext, user: string | undefined, reply: Reply): Promise<Reply> {
  if (reply.kind !== 'subscribe' || !reply.actions.some((a) => a.id === 'subscribe')) return reply;
  if (user && (await maySubscribe(ctx, user))) return reply;
  return {
    ...reply,
    actions: reply.actions.filter((a) => a.id !== 'subscribe'),
    sections: [...reply.sections, { key: 'note', title: ctx.bot.templates.t(reply.language, 'section.note'), text: slackText(ctx.bot.templates, reply.language, 'slack.follow.not_allowed') }],
  };
}
