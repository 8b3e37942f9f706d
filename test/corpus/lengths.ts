/**
 * Answer length over the whole corpus (issue 13, item 1): every question of test/corpus, and
 * every follow-up pair in one conversation, is asked through the bot in several states (the
 * demo day at 10:00 and 18:45, the next morning past its announced recoveries, and a live
 * store with nothing in it), each as the first question of a conversation (the demo label in
 * full: the longest case). Its first message is rendered as each platform shows it (console
 * and CLI text, Slack blocks, Discord embed) and its visible lines and characters counted.
 * `npm run eval` prints the distribution; test/answer/lengths.test.ts holds every one to
 * 5 lines and 500 characters.
 */
import { renderFirstMessage, FIRST_MESSAGE_MAX_CHARS, FIRST_MESSAGE_MAX_LINES, type Reply, type Templates } from '../../src/index.js';
import { createRuntime, loadCheckedScenario, type Runtime } from '../../src/runtime.js';
import { scenarioTime } from '../../src/incidents/index.js';
import type { ReferenceData } from '../../src/reference-snapshot.js';
import { FixedClock } from '../../src/base/clock.js';
import { renderReply as renderSlack, type Block } from '../../adapters/slack/render.js';
import { renderReply as renderDiscord } from '../../adapters/discord/base/render.js';
import { loadCorpus } from './load.js';

/** The surfaces measured. */
export const PLATFORMS = ['console', 'cli', 'slack', 'discord'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** One first message measured. */
export interface Measured {
  state: string;
  question: string;
  platform: Platform;
  lines: number;
  chars: number;
  text: string;
}

/** The measures, and the ones over the limits. */
export interface LengthReport {
  measured: Measured[];
  over: Measured[];
  answers: number;
}

/** What a person sees of a Slack message: headers, sections and contexts, links shown as their words. */
function slackVisible(blocks: Block[]): string[] {
  const shown: string[] = [];
  const decode = (s: string) => s.replace(/<[^|>]+\|([^>]+)>/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  for (const b of blocks as { type: string; text?: { text: string }; elements?: { text?: string }[] }[]) {
    if ((b.type === 'header' || b.type === 'section') && b.text) shown.push(decode(b.text.text));
    if (b.type === 'context') shown.push(...(b.elements ?? []).map((e) => decode(e.text ?? '')));
  }
  return shown.join('\n').split('\n');
}

/** What a person sees of a Discord embed: its title, description and footer. */
function discordVisible(templates: Templates, reply: Reply): string[] {
  const embed = renderDiscord(templates, reply).embeds[0] ?? {};
  const fields = (embed.fields ?? []).flatMap((f) => [f.name, ...f.value.split('\n')]);
  return [embed.title, ...(embed.description ?? '').split('\n'), ...fields, embed.footer?.text].filter((x): x is string => !!x);
}

/** The first message of a reply as each platform shows it. */
export function visibleLines(reply: Reply, platform: Platform, templates: Templates): string[] {
  switch (platform) {
    case 'console':
      return renderFirstMessage(reply, { hint: templates.t(reply.language, 'console.more_hint') }).split('\n');
    case 'cli':
      return renderFirstMessage(reply, { hint: templates.t(reply.language, 'cli.more_hint') }).split('\n');
    case 'slack':
      return slackVisible(renderSlack(templates, reply).blocks);
    case 'discord':
      return discordVisible(templates, reply);
  }
}

/** The states questions are asked in: a name and how to build the bot for it. */
function states(reference: ReferenceData): { name: string; open(): Promise<Runtime> }[] {
  const scenario = loadCheckedScenario('2020-03-17', reference.content, reference.gazetteer);
  const demo = (at: string) => () => createRuntime({ storeUrl: 'memory://', clock: new FixedClock(scenarioTime(scenario, at)), reference, scenario });
  return [
    { name: 'demo 10:00', open: demo('10:00') },
    { name: 'demo 18:45', open: demo('18:45') },
    { name: 'demo +1 09:00', open: demo('+1 09:00') },
    { name: 'live, empty store', open: () => createRuntime({ storeUrl: 'memory://', clock: new FixedClock(new Date('2026-12-01T09:00:00Z')), reference }) },
  ];
}

/** Asks the whole corpus in every state and measures every first message on every platform. */
export async function measureCorpus(reference: ReferenceData): Promise<LengthReport> {
  const corpus = loadCorpus({ gazetteer: reference.gazetteer, serviceIds: new Set(reference.content.services.map((s) => s.id)) });
  const measured: Measured[] = [];
  let answers = 0;
  let conversation = 0;
  for (const state of states(reference)) {
    const runtime = await state.open();
    try {
      const measure = (question: string, reply: Reply) => {
        answers++;
        for (const platform of PLATFORMS) {
          const lines = visibleLines(reply, platform, runtime.bot.templates);
          const text = lines.join('\n');
          measured.push({ state: state.name, question, platform, lines: lines.length, chars: text.length, text });
        }
      };
      const ask = (text: string, locale?: string) =>
        runtime.bot.ask({ conversation: { platform: 'console', channel: `c${conversation}`, user: 'u' }, text, ...(locale ? { locale } : {}) });
      for (const item of corpus.questions) {
        conversation++;
        measure(item.q, (await ask(item.q, item.locale)).reply);
      }
      for (const pair of corpus.followUps) {
        conversation++;
        measure(pair.first.q, (await ask(pair.first.q, pair.first.locale)).reply);
        measure(`${pair.first.q} → ${pair.then.q}`, (await ask(pair.then.q, pair.then.locale)).reply);
      }
    } finally {
      await runtime.close();
    }
  }
  const over = measured.filter((m) => m.lines > FIRST_MESSAGE_MAX_LINES || m.chars > FIRST_MESSAGE_MAX_CHARS);
  return { measured, over, answers };
}

/** The distribution of lines and characters per platform, as `npm run eval` prints it. */
export function describeLengths(report: LengthReport): string[] {
  const out: string[] = [];
  const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? 0;
  for (const platform of PLATFORMS) {
    const mine = report.measured.filter((m) => m.platform === platform);
    const lines = new Map<number, number>();
    for (const m of mine) lines.set(m.lines, (lines.get(m.lines) ?? 0) + 1);
    const chars = mine.map((m) => m.chars).sort((a, b) => a - b);
    const histogram = [...lines.entries()].sort((a, b) => a[0] - b[0]).map(([n, count]) => `${n}: ${count}`).join(', ');
    out.push(
      `  ${platform.padEnd(8)} lines {${histogram}} · characters p50 ${pct(chars, 0.5)}, p90 ${pct(chars, 0.9)}, p99 ${pct(chars, 0.99)}, max ${chars.at(-1) ?? 0}`,
    );
  }
  return out;
}
