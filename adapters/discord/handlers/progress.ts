/**
 * An admin's view of a notice being delivered: delivered / failed / pending, edited into the
 * admin's ephemeral reply every couple of seconds until nothing is pending. Bounded (an
 * interaction token lasts 15 minutes) and stopped with the adapter.
 */
import { ButtonStyle, ComponentType } from 'discord.js';
import { platformsInOrder, ProgressFollower, type Core, type FollowTiming, type Language, type Logger, type NoticeProgress, type Templates } from '../../../src/index.js';
import { discordText } from '../base/templates.js';
import { DISCORD_LIMITS, IDS, plainText } from '../base/render.js';

const PLATFORM_NAMES: Record<string, string> = { discord: 'Discord', slack: 'Slack', console: 'Console' };
const MAX_FAILURES_SHOWN = 10;

/** "Discord 3 · Slack 2": channels per platform, Discord first, then the others by name. */
export function platformCounts(byPlatform: Record<string, number>): string {
  return platformsInOrder(byPlatform, 'discord', true)
    .map(([p, n]) => `${PLATFORM_NAMES[p] ?? p} ${n}`)
    .join(' · ');
}

/** The progress line (and, once done, the failures) shown to the admin. */
export function progressText(templates: Templates, lang: Language, p: NoticeProgress): string {
  const vars = { delivered: String(p.delivered), failed: String(p.failed), pending: String(p.pending), total: String(p.total) };
  if (p.pending > 0) return discordText(templates, lang, 'discord.notice.progress', vars);
  const lines = [discordText(templates, lang, 'discord.notice.done', vars)];
  if (p.failures.length > 0) {
    lines.push(discordText(templates, lang, 'discord.notice.failures'));
    for (const f of p.failures.slice(0, MAX_FAILURES_SHOWN)) {
      // A channel link shows its name to the admin and notifies nobody.
      const where = f.platform === 'discord' ? `<#${f.channel}>` : `${PLATFORM_NAMES[f.platform] ?? f.platform} ${f.channel}`;
      lines.push(`• ${where} — ${f.reason}`);
    }
    if (p.failures.length > MAX_FAILURES_SHOWN) lines.push(`• … +${p.failures.length - MAX_FAILURES_SHOWN}`);
  }
  return lines.join('\n');
}

/** What the admin's progress message shows: the text, and a retry button once failures are final. */
export interface ProgressView {
  content: string;
  components: unknown[];
}

/** The "retry failed deliveries" row, shown when nothing is pending and something failed. */
export function retryRow(templates: Templates, lang: Language, p: NoticeProgress, noticeId: string): unknown[] {
  if (p.pending > 0 || p.failed === 0) return [];
  const custom_id = `${IDS.retry}${noticeId}`;
  // A custom_id holds at most 100 characters; notice ids are far shorter.
  if (custom_id.length > 100) return [];
  return [{ type: ComponentType.ActionRow, components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id, label: plainText(discordText(templates, lang, 'discord.notice.retry_button'), DISCORD_LIMITS.buttonLabel) }] }];
}

/** Timing of the progress updates (default: every 2 s for 14 minutes, under the interaction token's 15). */
export type ProgressTiming = FollowTiming;

/** The progress updates in course, so the adapter can stop them. */
export class ProgressWatchers {
  private readonly follower: ProgressFollower;
  private readonly templates: Templates;

  constructor(
    bot: Pick<Core, 'noticeProgress' | 'templates'>,
    timing: Partial<ProgressTiming> = {},
  ) {
    this.follower = new ProgressFollower((id) => bot.noticeProgress(id), timing);
    this.templates = bot.templates;
  }

  /** Updates `edit` with the notice's progress until nothing is pending, the time bound or stop(). Never throws. */
  async watch(noticeId: string, lang: Language, edit: (view: ProgressView) => Promise<unknown>, logger: Logger, headline = ''): Promise<void> {
    const { templates } = this;
    let shown = '';
    try {
      await this.follower.follow(noticeId, async (progress, state) => {
        if (!progress) return;
        const text = `${headline ? `${headline}\n` : ''}${progressText(templates, lang, progress)}`;
        const content = state === 'stopped' ? `${text}\n${discordText(templates, lang, 'discord.notice.stopped', { id: noticeId })}` : text;
        if (content === shown) return;
        await edit({ content, components: retryRow(templates, lang, progress, noticeId) });
        shown = content;
      });
    } catch (error) {
      // The token expired or Discord is unreachable: the CLI still has the status.
      logger.warn('discord notice progress not updated', { notice: noticeId, error });
    }
  }

  /** Ends every update now. */
  stop(): void {
    this.follower.stop();
  }
}
