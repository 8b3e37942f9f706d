/**
 * What Vigie needs to know about a Slack user, from users.info: their locale (to answer in
 * their language when the question's words do not say it) and whether they administer the
 * workspace (to change channels' subscriptions). Looked up only when needed, one request at
 * a time per user, and cached: the locale for a day, the role for `roleTtlMs` (default
 * 5 minutes, so someone who stops being an admin soon loses the right). users.info is a
 * Tier 4 method (about 100 calls a minute): a crisis morning brings thousands of new people,
 * so most questions must not need it, and a lookup never waits out a rate limit (its client
 * has retries off and rejects rate-limited calls): the answer goes on without it.
 */
import type { webApi } from '@slack/bolt';
import type { Logger } from '../../src/index.js';

/** Cache settings. */
export interface SlackUsersOptions {
  /** How long a workspace role is trusted (default 5 min). */
  roleTtlMs?: number;
  /** How long a locale is trusted (default 24 h). */
  localeTtlMs?: number;
  /** Users kept at most (default 50,000; the oldest looked up is dropped first). */
  max?: number;
}

interface Known {
  locale: string | undefined;
  /** Admin or owner of the workspace; null when the lookup failed. */
  manager: boolean | null;
  at: number;
}

interface UserShape {
  locale?: string;
  is_admin?: boolean;
  is_owner?: boolean;
  is_primary_owner?: boolean;
  deleted?: boolean;
}

/** Users' locales and workspace roles, cached. */
export class SlackUsers {
  private readonly known = new Map<string, Known>();
  private readonly pending = new Map<string, Promise<Known>>();
  private readonly roleTtlMs: number;
  private readonly localeTtlMs: number;
  private readonly max: number;

  /** `client` makes the lookups; `now` gives milliseconds (the bot's clock, so tests move it). */
  constructor(
    private readonly client: webApi.WebClient,
    private readonly logger: Logger,
    private readonly now: () => number,
    options: SlackUsersOptions = {},
  ) {
    this.roleTtlMs = options.roleTtlMs ?? 5 * 60_000;
    this.localeTtlMs = options.localeTtlMs ?? 24 * 3600_000;
    this.max = options.max ?? 50_000;
  }

  /** The locale already known for `user` (no lookup), or undefined. */
  cachedLocale(user: string | undefined): string | undefined {
    const k = user ? this.known.get(user) : undefined;
    return k && this.now() - k.at < this.localeTtlMs ? k.locale : undefined;
  }

  /** The user's Slack locale ("fr-FR"), looked up when not known; undefined when unavailable. */
  async locale(user: string | undefined): Promise<string | undefined> {
    if (!user) return undefined;
    const k = this.known.get(user);
    if (k && this.now() - k.at < this.localeTtlMs) return k.locale;
    return (await this.lookup(user)).locale;
  }

  /** Whether the user is an admin or owner of the workspace; null when Slack could not say. */
  async isWorkspaceManager(user: string): Promise<boolean | null> {
    const k = this.known.get(user);
    if (k && k.manager !== null && this.now() - k.at < this.roleTtlMs) return k.manager;
    return (await this.lookup(user)).manager;
  }

  private lookup(user: string): Promise<Known> {
    const running = this.pending.get(user);
    if (running) return running;
    const task = this.fetch(user).finally(() => this.pending.delete(user));
    this.pending.set(user, task);
    return task;
  }

  private async fetch(user: string): Promise<Known> {
    let known: Known;
    try {
      const info = await this.client.users.info({ user, include_locale: true });
      const u = (info.user ?? {}) as UserShape;
      known = { locale: u.locale, manager: !u.deleted && (u.is_admin === true || u.is_owner === true || u.is_primary_owner === true), at: this.now() };
    } catch (error) {
      // The language then comes from the words, and a subscription change is refused: both
      // are safe; the role is looked up again next time.
      this.logger.debug('slack: users.info unavailable', { error });
      known = { locale: this.known.get(user)?.locale, manager: null, at: this.now() };
    }
    this.known.delete(user);
    if (this.known.size >= this.max) this.known.delete(this.known.keys().next().value!);
    this.known.set(user, known);
    return known;
  }
}
