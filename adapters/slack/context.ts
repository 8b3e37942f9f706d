/**
 * What every Slack handler shares: the bot, the logger, the admins, the users' locales, and
 * the rule that a failure still gets the person an answer (an apology with a reference id).
 */
import { randomUUID } from 'node:crypto';
import type { webApi } from '@slack/bolt';
import type { Actor, Bot, ConversationRef, Language, Logger } from '../../src/index.js';
import type { ProgressReporter } from './admin/progress.js';
import { languageOfLocale } from './messages.js';
import { renderNotice, type SlackMessage } from './render.js';

/** Shared by the handlers. */
export interface SlackContext {
  bot: Bot;
  logger: Logger;
  /** Slack user ids allowed to manage incidents. */
  admins: ReadonlySet<string>;
  locales: LocaleCache;
  /** Follows published notices' delivery for the admins who published them. */
  progress: ProgressReporter;
}

const MAX_CACHED_LOCALES = 5000;

/** Users' Slack locales (users.info), looked up once per user; a failed lookup is just "unknown". */
export class LocaleCache {
  private readonly known = new Map<string, string | undefined>();
  constructor(private readonly logger: Logger) {}

  async get(client: webApi.WebClient, user: string | undefined): Promise<string | undefined> {
    if (!user) return undefined;
    if (this.known.has(user)) return this.known.get(user);
    let locale: string | undefined;
    try {
      const info = await client.users.info({ user, include_locale: true });
      locale = info.user?.locale;
    } catch (error) {
      // Language then comes from the question itself; not worth failing the answer.
      this.logger.debug('slack: user locale unavailable', { error });
    }
    if (this.known.size >= MAX_CACHED_LOCALES) this.known.delete(this.known.keys().next().value!);
    this.known.set(user, locale);
    return locale;
  }

  /** The user's language, French when unknown. */
  async language(client: webApi.WebClient, user: string | undefined): Promise<Language> {
    return languageOfLocale(await this.get(client, user)) ?? 'fr';
  }
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
export function apology(bot: Bot, language: Language, ref: string): SlackMessage {
  return renderNotice(`${bot.templates.t(language, 'error.headline')}\n${bot.templates.t(language, 'error.text', { ref })}`);
}

/**
 * Runs `work`; if it throws, logs the error with a reference id and sends the person an
 * apology carrying that id through `send`.
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
      await send(apology(ctx.bot, language(), ref));
    } catch (again) {
      ctx.logger.error('slack: apology not delivered', { ref, error: again });
    }
  }
}

function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}
