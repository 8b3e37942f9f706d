/**
 * After "Publish" with "notify subscribers": one message in the admin's direct messages
 * with the notice's progress, edited in place every ~2 s (bot.noticeProgress) until nothing
 * is pending, for a bounded time, and no longer once the adapter stops.
 */
import type { webApi } from '@slack/bolt';
import { ProgressFollower, type Core, type Language, type Logger } from '../../src/index.js';
import { progressMessage, type FollowState } from './admin-notify.js';

/** How often and how long progress is followed. */
export interface ProgressOptions {
  /** Between two looks (default 2000 ms). */
  intervalMs?: number;
  /** Following stops after this long, saying where to look next (default 15 min). */
  maxMs?: number;
}

/** What to follow. */
export interface Follow {
  client: webApi.WebClient;
  user: string;
  noticeId: string;
  language: Language;
  /** First line of the message ("Notice n0001 published: 12 channel(s)..."). */
  headline: string;
}

/** Follows notices' delivery for admins. */
export class ProgressReporter {
  private readonly running = new Set<Promise<void>>();
  private readonly follower: ProgressFollower;

  constructor(
    private readonly bot: Core,
    private readonly logger: Logger,
    options: ProgressOptions = {},
  ) {
    this.follower = new ProgressFollower((id) => bot.noticeProgress(id), { intervalMs: options.intervalMs ?? 2000, maxMs: options.maxMs ?? 15 * 60_000 });
  }

  /** Posts the progress message and keeps it current in the background. */
  follow(f: Follow): void {
    if (this.follower.isStopped) return;
    const task = this.run(f).catch((error: unknown) => this.logger.warn('slack: notice progress not shown', { notice: f.noticeId, error }));
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
  }

  /** Stops every follow (the messages keep their last state) and waits for them. */
  async stop(): Promise<void> {
    this.follower.stop();
    await Promise.all([...this.running]);
  }

  /** Resolves when no follow is running (tests). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  private async run(f: Follow): Promise<void> {
    const progress = await this.bot.noticeProgress(f.noticeId);
    const state: FollowState = progress && progress.pending === 0 ? 'done' : 'running';
    let shown = progressMessage(this.bot.templates, f.language, f.headline, progress, state, f.noticeId);
    // The app's DM: chat.update needs the real channel id Slack gives back.
    const posted = await f.client.chat.postMessage({ channel: f.user, text: shown.text, blocks: shown.blocks as never });
    const channel = posted.channel;
    const ts = posted.ts;
    if (!channel || !ts || state === 'done') return;
    await this.follower.follow(f.noticeId, async (next, nextState) => {
      const message = progressMessage(this.bot.templates, f.language, f.headline, next, nextState, f.noticeId);
      if (message.text === shown.text) return;
      shown = message;
      await f.client.chat.update({ channel, ts, text: shown.text, blocks: shown.blocks as never });
    });
  }
}
