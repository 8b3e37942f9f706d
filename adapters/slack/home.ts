/**
 * The App Home tab: the incidents in effect for what this workspace's channels follow (all
 * incidents when nothing is followed yet), and how to use Vigie.
 */
import type { Core, Incident, Language, Subscription, Templates, TimePrecision } from '../../src/index.js';
import { guarded, type SlackContext } from './context.js';
import { languageOfLocale } from './language.js';
import { slackText } from './templates.js';
import { formatApproxTime } from '../../src/index.js';
import { formatTime, mrkdwn, plain, type Block } from './render.js';
import type { SlackRouter } from './router.js';

const STATUS_EMOJI: Record<Incident['status'], string> = {
  operational: '🟢',
  under_maintenance: '🔧',
  degraded_performance: '🟡',
  partial_outage: '🟠',
  major_outage: '🔴',
};
const MAX_INCIDENTS = 15;

function incidentBlock(templates: Templates, incident: Incident, language: Language, now: Date, tag: string | undefined): Block {
  const last = incident.updates[incident.updates.length - 1];
  // Times with the year when it is not the reader's; demo data tagged as such.
  // Times the source gave as a span ("ce matin") are said as such.
  const when = (iso: string, precision?: TimePrecision) => formatApproxTime(iso, language, now, precision);
  const lines = [
    `${STATUS_EMOJI[incident.status]} ${tag ? `\`${mrkdwn(tag, 40)}\` ` : ''}*${mrkdwn(incident.title[language], 300)}*`,
    `${slackText(templates, language, `status.${incident.status}`)} · ${slackText(templates, language, 'slack.home.since', { time: when(incident.startedAt, incident.startPrecision) })}`,
  ];
  if (last) lines.push(`_${mrkdwn(last.text[language], 1500)}_ — ${mrkdwn(last.source.name, 200)}, ${when(last.at, last.precision)}`);
  if (incident.expectedRecovery) {
    const text = incident.expectedRecovery.at ? when(incident.expectedRecovery.at, incident.expectedRecovery.precision) : incident.expectedRecovery.text[language];
    lines.push(slackText(templates, language, 'slack.home.recovery', { text: mrkdwn(text, 300) }));
  }
  return { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } };
}

function followedLabel(bot: Core, s: Subscription, language: Language): string {
  const service = s.service === '*' ? '∗' : (bot.services().find((x) => x.id === s.service)?.short[language] ?? s.service);
  return `${service} · ${s.place.name}`;
}

/** The Home view for a workspace, in `language`. */
export async function homeView(bot: Core, workspace: string | undefined, language: Language): Promise<{ type: 'home'; blocks: Block[] }> {
  const { templates } = bot;
  const now = bot.now();
  const index = await bot.incidents(now);
  const followed = await bot.followedChannels('slack', workspace);
  const found = new Map<string, Incident>();
  if (followed.length === 0) {
    for (const i of index.find({ service: null, place: null, level: null, at: now }, MAX_INCIDENTS).active) found.set(i.id, i);
  } else {
    for (const s of followed) {
      const matches = index.find({ service: s.service === '*' ? null : s.service, place: s.place, level: null, at: now }, MAX_INCIDENTS);
      for (const i of matches.active) found.set(i.id, i);
    }
  }
  const blocks: Block[] = [{ type: 'header', text: { type: 'plain_text', text: plain(slackText(templates, language, 'slack.home.title'), 150), emoji: true } }];
  const incidents = [...found.values()].slice(0, MAX_INCIDENTS);
  // A replay, or demo data loaded into the store: its label, once per scenario.
  const demos = new Map<string, string>();
  const replay = bot.demoLabel(language);
  if (replay) demos.set(replay.scenario, replay.label);
  for (const i of incidents) if (i.scenario && !demos.has(i.scenario)) demos.set(i.scenario, bot.demoFor(i.scenario, language).label);
  for (const label of demos.values()) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `⚠️ ${mrkdwn(label, 2900)}` }] });
  if (followed.length > 0) {
    const labels = [...new Set(followed.map((s) => followedLabel(bot, s, language)))].slice(0, 30);
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: `*${slackText(templates, language, 'slack.home.followed')}*\n${mrkdwn(labels.join(' · '), 2800)}` } });
  } else {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: slackText(templates, language, 'slack.home.none_followed') }] });
  }
  blocks.push({ type: 'header', text: { type: 'plain_text', text: plain(slackText(templates, language, 'slack.home.active'), 150), emoji: true } });
  if (incidents.length === 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: slackText(templates, language, 'slack.home.none') } });
  for (const incident of incidents) blocks.push(incidentBlock(templates, incident, language, now, incident.scenario ? bot.demoFor(incident.scenario, language).tag : undefined), { type: 'divider' });
  blocks.push(
    { type: 'header', text: { type: 'plain_text', text: plain(slackText(templates, language, 'slack.home.how'), 150), emoji: true } },
    { type: 'section', text: { type: 'mrkdwn', text: slackText(templates, language, 'slack.home.how_text') } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: slackText(templates, language, 'slack.computed', { time: formatTime(now.toISOString(), language) }) }] },
  );
  return { type: 'home', blocks };
}

/** Publishes the Home tab whenever someone opens it. */
export function registerHome(router: SlackRouter, ctx: SlackContext): void {
  router.event('app_home_opened', async ({ event, body, client }) => {
    if (event.tab !== 'home' || !event.user) return;
    // A Home tab that fails to render is left as it was; the error is logged with a reference.
    await guarded(ctx, 'home tab', async () => {
      const language = languageOfLocale(await ctx.users.locale(event.user)) ?? 'fr';
      const view = await homeView(ctx.bot, body.team_id, language);
      await client.views.publish({ user_id: event.user, view: view as never });
    });
  });
}
