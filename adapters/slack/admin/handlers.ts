/**
 * `/statut-admin`: admins (VIGIE_SLACK_ADMINS) get the incident modal; anyone else gets a
 * refusal, and the attempt goes to the audit log. Submitting the form shows a preview
 * (bot.previewIncident, nothing stored); confirming stores it (bot.applyIncident) and the
 * admin gets the result privately. With "notify subscribers" ticked, the preview also says
 * how many channels per platform will receive it (bot.previewNotice), confirming publishes
 * the notice (bot.publishNotice) and the admin follows its delivery in a DM that updates
 * itself. Every step checks the admin list again.
 */
import { randomUUID } from 'node:crypto';
import type { App, BlockAction, RespondArguments, StaticSelectAction, webApi } from '@slack/bolt';
import type { Language } from '../../../src/index.js';
import { answering, slackActor, type SlackContext } from '../context.js';
import { st } from '../messages.js';
import { renderNotice, renderReply, type SlackMessage } from '../render.js';
import { ADMIN_VIEWS, PICK_INCIDENT, adminForm, errorsByBlock, formInput, noticeView, previewView, type FormMetadata, type PreviewTargets, type ViewState } from './form.js';
import { NOTICE_FIELDS, countsText, noticeInputOf, splitNotify } from './notify.js';

interface Pending {
  input: Record<string, unknown>;
  /** Set when "notify subscribers" was ticked: what bot.publishNotice gets. */
  notice?: Record<string, unknown>;
  user: string;
  channel?: string;
  language: Language;
}

// Previews waiting for "Publish". In memory: a restart only asks the admin to submit again.
const MAX_PENDING = 200;

function readMeta(raw: string | undefined): Partial<FormMetadata> & { pending?: string } {
  try {
    const value = JSON.parse(raw ?? '{}') as unknown;
    return value && typeof value === 'object' ? (value as Partial<FormMetadata> & { pending?: string }) : {};
  } catch {
    return {};
  }
}

/** Tells the admin privately where they ran the command, or in the app's DM. */
async function tellAdmin(client: webApi.WebClient, user: string, channel: string | undefined, message: SlackMessage): Promise<void> {
  const base = { text: message.text, blocks: message.blocks as never };
  if (channel) {
    try {
      await client.chat.postEphemeral({ channel, user, ...base });
      return;
    } catch {
      // Not a member of that channel: the app's DM always works.
    }
  }
  await client.chat.postMessage({ channel: user, ...base });
}

/** Registers `/statut-admin` and the modal's steps. */
export function registerAdmin(app: App, ctx: SlackContext, command = '/statut-admin'): void {
  const pending = new Map<string, Pending>();
  const isAdmin = (user: string) => ctx.admins.has(user);

  app.command(command, async ({ command: cmd, ack, respond, client }) => {
    await ack();
    const language = await ctx.locales.language(client, cmd.user_id);
    const actor = slackActor(cmd.team_id, cmd.user_id, cmd.user_name);
    const send = (m: SlackMessage) => respond({ response_type: 'ephemeral', ...m } as RespondArguments);
    await answering(ctx, 'command /statut-admin', () => language, send, async () => {
      if (!isAdmin(cmd.user_id)) {
        await send(renderReply(await ctx.bot.refuse(actor, 'incident.admin', language)));
        return;
      }
      const open = await ctx.bot.openIncidents();
      const meta: FormMetadata = { channel: cmd.channel_id, language, revision: 0 };
      await client.views.open({ trigger_id: cmd.trigger_id, view: adminForm(ctx.bot, open, meta) as never });
    });
  });

  // Picking an incident refills the form with what it currently says.
  app.action<BlockAction<StaticSelectAction>>(PICK_INCIDENT, async ({ ack, body, action, client }) => {
    await ack();
    const view = body.view;
    if (!view || !isAdmin(body.user.id)) return;
    const meta = readMeta(view.private_metadata);
    const language: Language = meta.language === 'en' ? 'en' : 'fr';
    await answering(ctx, 'admin incident picker', () => language, async () => undefined, async () => {
      const open = await ctx.bot.openIncidents();
      const chosen = open.find((i) => i.id === action.selected_option.value);
      const next: FormMetadata = { ...(meta.channel ? { channel: meta.channel } : {}), language, revision: (meta.revision ?? 0) + 1 };
      await client.views.update({ view_id: view.id, hash: view.hash, view: adminForm(ctx.bot, open, next, chosen) as never });
    });
  });

  app.view(ADMIN_VIEWS.form, async ({ ack, body, view }) => {
    const meta = readMeta(view.private_metadata);
    const language: Language = meta.language === 'en' ? 'en' : 'fr';
    const user = body.user.id;
    const actor = slackActor(body.team?.id ?? body.user.team_id, user, body.user.name);
    const state = view.state.values as unknown as ViewState;
    if (!isAdmin(user)) {
      const refusal = await ctx.bot.refuse(actor, 'incident.preview', language);
      await ack({ response_action: 'errors', errors: errorsByBlock([refusal.headline], state) });
      return;
    }
    const { input, notify } = splitNotify(formInput(state));
    const id = randomUUID();
    let pushed: Record<string, unknown>;
    let notice: Record<string, unknown> | undefined;
    if (notify) {
      notice = noticeInputOf(input);
      const outcome = await ctx.bot.previewNotice(notice, actor, language);
      if (!outcome.ok) {
        await ack({ response_action: 'errors', errors: errorsByBlock(outcome.errors, state, NOTICE_FIELDS) });
        return;
      }
      const targets: PreviewTargets = { line: countsText(language, outcome.targets.total, outcome.targets.byPlatform) };
      pushed = previewView(outcome.messages.root, id, language, targets);
    } else {
      const outcome = await ctx.bot.previewIncident(input, actor, language);
      if (!outcome.ok) {
        await ack({ response_action: 'errors', errors: errorsByBlock(outcome.errors, state) });
        return;
      }
      pushed = previewView(outcome.reply, id, language);
    }
    if (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value!);
    pending.set(id, { input, user, language, ...(notice ? { notice } : {}), ...(meta.channel ? { channel: meta.channel } : {}) });
    await ack({ response_action: 'push', view: pushed as never });
  });

  app.view(ADMIN_VIEWS.preview, async ({ ack, body, view, client }) => {
    const meta = readMeta(view.private_metadata);
    const language: Language = meta.language === 'en' ? 'en' : 'fr';
    const user = body.user.id;
    const actor = slackActor(body.team?.id ?? body.user.team_id, user, body.user.name);
    const waiting = meta.pending ? pending.get(meta.pending) : undefined;
    if (!isAdmin(user) || (waiting && waiting.user !== user)) {
      const refusal = await ctx.bot.refuse(actor, 'incident.apply', language);
      await ack({ response_action: 'update', view: noticeView(`${refusal.headline}\n${refusal.sections.map((s) => s.text).join('\n')}`, language) as never });
      return;
    }
    if (!waiting || !meta.pending) {
      await ack({ response_action: 'update', view: noticeView(st(language, 'slack.admin.expired'), language) as never });
      return;
    }
    pending.delete(meta.pending);
    if (waiting.notice) {
      const published = await ctx.bot.publishNotice(waiting.notice, actor, language);
      if (!published.ok) {
        await ack({ response_action: 'update', view: noticeView(`${published.reply.headline}\n${published.errors.join('\n')}`, language) as never });
        return;
      }
      await ack({ response_action: 'clear' });
      // The core's headline starts with "Notice n0001 published: N channel(s) (...)".
      const headline = published.reply.headline.split('\n')[0] ?? published.notice.id;
      ctx.progress.follow({ client, user, noticeId: published.notice.id, language, headline });
      return;
    }
    const outcome = await ctx.bot.applyIncident(waiting.input, actor, language);
    if (!outcome.ok) {
      await ack({ response_action: 'update', view: noticeView(`${outcome.reply.headline}\n${outcome.errors.join('\n')}`, language) as never });
      return;
    }
    await ack({ response_action: 'clear' });
    await answering(ctx, 'admin confirmation', () => language, (m) => tellAdmin(client, user, waiting.channel, m), async () => {
      const message = renderReply(outcome.reply);
      await tellAdmin(client, user, waiting.channel, message.blocks.length > 0 ? message : renderNotice(st(language, 'slack.admin.done')));
    });
  });
}
