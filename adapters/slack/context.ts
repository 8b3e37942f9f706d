/**
 * What every Slack handler shares: the bot, the logger, who may do what, what is known of
 * users, and the rule that a failure still gets the person an answer (an apology with a
 * reference id) and never escapes to bolt as an unhandled error.
 */
import { randomUUID } from 'node:crypto';
import { errorReply, type Actor, type Core, type ConversationRef, type Language, type Logger } from '../../src/index.js';
import type { ProgressReporter } from './admin-progress.js';
import { renderNotice, type SlackMessage } from './render.js';
import type { SlackUsers } from './users.js';

/** Shared by the handlers. */
export interface SlackContext {
  bot: Core;
  logger: Logger;
  /** Slack user ids allowed to manage incidents (VIGIE_SLACK_ADMINS). */
  admins: ReadonlySet<string>;
  /** Slack user ids allowed to change subscriptions besides admins (VIGIE_SLACK_SUBSCRIBERS). */
  subscribers: ReadonlySet<string>;
  users: SlackUsers;
  /** Follows published notices' delivery for the admins who published them. */
  progress: ProgressReporter;
}

/** A Slack conversation reference for the core. */
export function slackConversation(workspace: string | undefined, channel: string, user?: string, thread?: string): ConversationRef {
  return {
    platform: 'slack',
    ...(workspace ? { workspace } : {}),
    channel,
    ...(thread ? { thread } : {}),
    ...(user ? { user } : {}),
  };
}

/** The Slack user as an actor for subscriptions and the audit log. */
export function slackActor(workspace: string | undefined, user: string, name?: string): Actor {
  return { platform: 'slack', ...(workspace ? { workspace } : {}), user, ...(name ? { name } : {}) };
}

/** The apology shown when answering failed. */
export function apology(bot: Core, language: Language, ref: string): SlackMessage {
  // A short notice: the apology's headline and its text (the reference id), without the section title.
  const reply = errorReply(bot.templates, language, ref, bot.now());
  return renderNotice(`${reply.headline}\n${reply.sections[0]!.text}`);
}

/**
 * Runs `work`; if it throws, logs the error with a reference id and sends the person an
 * apology carrying that id through `send`. Never throws.
 */
export async function answering(
  ctx: SlackContext,
  where: string,
  language: () => Language,
  send: (message: SlackMessage) => Promise<unknown>,
  work: () => Promise<void>,
): Promise<void> {
  try {
    await work();
  } catch (error) {
    const ref = randomUUID().slice(0, 8);
    ctx.logger.error(`slack: ${where} failed`, { ref, error, slackError: slackErrorCode(error) });
    try {
      await send(apology(ctx.bot, safeLanguage(language), ref));
    } catch (again) {
      ctx.logger.error('slack: apology not delivered', { ref, error: again, slackError: slackErrorCode(again) });
    }
  }
}

/** Runs a listener's whole body so nothing it throws reaches bolt; logs with a reference id. */
export async function guarded(ctx: SlackContext, where: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    ctx.logger.error(`slack: ${where} failed`, { ref: randomUUID().slice(0, 8), error, slackError: slackErrorCode(error) });
  }
}

function safeLanguage(language: () => Language): Language {
  try {
    return language();
  } catch {
    return 'fr';
  }
}

/** Slack's error code in a Web API error, for logs. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** A string field of a payload, or '' (payloads from Slack may lack any field). */
export function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
