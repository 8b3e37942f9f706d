/**
 * `/statut-admin`: admins (VIGIE_SLACK_ADMINS) get the incident modal; anyone else gets a
 * refusal, and the attempt goes to the audit log. The incident to update or resolve is
 * searched among every open incident (an external select answered here). Submitting and
 * publishing are in submit.ts. Every step checks the admin list again.
 */
import type { RespondArguments } from '@slack/bolt';
import type { Incident, Language } from '../../src/index.js';
import { answering, guarded, slackActor, str, type SlackContext } from './context.js';
import { languageOfLocale } from './language.js';
import { renderReply, type SlackMessage } from './render.js';
import type { SlackRouter } from './router.js';
import { MAX_OPTIONS, PICK_INCIDENT, adminForm, incidentOption, type FormMetadata } from './admin-form.js';
import { RETRY_FAILED } from './admin-notify.js';
import { slackText } from './templates.js';
import { readMeta, registerSubmissions } from './admin-submit.js';

const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase();
const wordsOf = (text: string) => fold(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/**
 * Open incidents matching `query`: every word of it starts a word of the incident's title
 * (either language), id or service. The incident whose id is the query comes first, then
 * those whose words match exactly most often. All of them when the query is empty.
 */
export function searchIncidents(open: readonly Incident[], query: string): Incident[] {
  const wanted = wordsOf(query);
  if (wanted.length === 0) return [...open];
  const exactId = query.trim();
  const scored: { incident: Incident; score: number }[] = [];
  for (const incident of open) {
    const words = wordsOf(`${incident.title.fr} ${incident.title.en} ${incident.id} ${incident.service}`);
    if (!wanted.every((w) => words.some((x) => x.startsWith(w)))) continue;
    const exact = wanted.filter((w) => words.includes(w)).length;
    scored.push({ incident, score: (incident.id === exactId ? 1000 : 0) + exact });
  }
  return scored.sort((a, b) => b.score - a.score).map((s) => s.incident);
}

/** Registers `/statut-admin` and the modal's steps. */
export function registerAdmin(router: SlackRouter, ctx: SlackContext, command = '/statut-admin'): void {
  const isAdmin = (user: string) => user !== '' && ctx.admins.has(user);

  router.command(command, async ({ command: cmd, ack, respond, client }) => {
    await ack();
    let language: Language = 'fr';
    const send = (m: SlackMessage) => respond({ response_type: 'ephemeral', ...m } as RespondArguments);
    await answering(ctx, 'command /statut-admin', () => language, send, async () => {
      language = languageOfLocale(await ctx.users.locale(cmd.user_id || undefined)) ?? 'fr';
      const actor = slackActor(cmd.team_id || undefined, cmd.user_id || 'unknown', cmd.user_name || undefined);
      if (!isAdmin(cmd.user_id)) {
        await send(renderReply(ctx.bot.templates, await ctx.bot.refuse(actor, 'incident.admin', language)));
        return;
      }
      const meta: FormMetadata = { ...(cmd.channel_id ? { channel: cmd.channel_id } : {}), language, revision: 0 };
      await client.views.open({ trigger_id: cmd.trigger_id, view: adminForm(ctx.bot, meta) as never });
    });
  });

  // The incident picker's search: every open incident can be found, 100 options at a time.
  router.options(PICK_INCIDENT, async ({ ack, body, payload }) => {
    let answered = false;
    await guarded(ctx, 'admin incident search', async () => {
      const user = str((body as { user?: { id?: unknown } }).user?.id);
      const meta = readMeta((body as { view?: { private_metadata?: unknown } }).view?.private_metadata);
      const language: Language = meta.language === 'en' ? 'en' : 'fr';
      const found = isAdmin(user) ? searchIncidents(await ctx.bot.openIncidents(), str(payload.value)) : [];
      answered = true;
      await ack({ options: found.slice(0, MAX_OPTIONS).map((i) => incidentOption(i, language, i.scenario ? ctx.bot.demoFor(i.scenario, language).tag : undefined)) } as never);
    });
    if (!answered) await guarded(ctx, 'admin incident search', () => ack({ options: [] } as never));
  });

  // Picking an incident refills the form with what it currently says.
  router.action(PICK_INCIDENT, async ({ ack, body, action, client }) => {
    await ack();
    const view = body.view;
    if (!view || !isAdmin(body.user.id)) return;
    await guarded(ctx, 'admin incident picker', async () => {
      const meta = readMeta(view.private_metadata);
      const language: Language = meta.language === 'en' ? 'en' : 'fr';
      const picked = str((action as { selected_option?: { value?: unknown } | null }).selected_option?.value);
      const chosen = picked ? (await ctx.bot.openIncidents()).find((i) => i.id === picked) : undefined;
      const next: FormMetadata = { ...(meta.channel ? { channel: meta.channel } : {}), language, revision: (meta.revision ?? 0) + 1 };
      await client.views.update({ view_id: view.id, hash: view.hash, view: adminForm(ctx.bot, next, chosen) as never });
    });
  });

  // "Retry failed deliveries" under a finished notice's progress: queued again, then followed anew.
  router.action(RETRY_FAILED, async ({ ack, body, action, client }) => {
    await ack();
    const user = body.user.id;
    let language: Language = 'fr';
    const dm = (m: SlackMessage) => client.chat.postMessage({ channel: user, text: m.text, ...(m.blocks ? { blocks: m.blocks as never } : {}) });
    await answering(ctx, 'notice retry button', () => language, dm, async () => {
      language = languageOfLocale(await ctx.users.locale(user || undefined)) ?? 'fr';
      const actor = slackActor(body.team?.id ?? undefined, user || 'unknown');
      if (!isAdmin(user)) {
        await dm(renderReply(ctx.bot.templates, await ctx.bot.refuse(actor, 'notice.retry', language)));
        return;
      }
      const noticeId = str((action as { value?: unknown }).value);
      const count = noticeId ? await ctx.bot.retryFailedDeliveries(noticeId, actor) : null;
      if (count === null) {
        await dm(renderReply(ctx.bot.templates, await ctx.bot.refuse(actor, 'notice.retry', language)));
        return;
      }
      ctx.progress.follow({ client, user, noticeId, language, headline: slackText(ctx.bot.templates, language, 'slack.admin.retry_queued', { id: noticeId, count }) });
    });
  });

  registerSubmissions(router, ctx, isAdmin);
}
