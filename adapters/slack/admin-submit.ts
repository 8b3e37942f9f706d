/**
 * The admin modal's two submissions. The form shows a preview (bot.previewIncident, nothing
 * stored); "Publish" stores it (bot.applyIncident) and the admin gets the result privately.
 * With "notify subscribers" ticked, the preview also counts the channels per platform
 * (bot.previewNotice) and "Publish" writes the notice and one delivery per channel to the
 * outbox (bot.publishNotice): both grow with the number of channels, so they run after
 * Slack has its answer (within its 3 seconds) — a "preparing…" / "publishing…" view — and
 * the view is then updated with the result; the admin follows delivery in a DM.
 */
import { randomUUID } from 'node:crypto';
import type { AckFn, ViewResponseAction, webApi } from '@slack/bolt';
import type { Failure, Language } from '../../src/index.js';
import { answering, guarded, slackActor, slackErrorCode, type SlackContext } from './context.js';
import { slackText } from './templates.js';
import { renderNotice, renderReply, type SlackMessage } from './render.js';
import type { SlackRouter } from './router.js';
import { ADMIN_VIEWS, errorsByBlock, formInput, noticeView, previewView, type FormMetadata, type PreviewTargets, type ViewState } from './admin-form.js';
import { countsText, noticeInputOf, splitNotify } from './admin-notify.js';

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

/** The modal's private metadata, whatever Slack sends back. */
export function readMeta(raw: unknown): Partial<FormMetadata> & { pending?: string } {
  try {
    const value = JSON.parse(typeof raw === 'string' && raw ? raw : '{}') as unknown;
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

/** `ack` usable once, remembering whether it was called (so a failure can still answer). */
function onceAck(ack: AckFn<ViewResponseAction> | AckFn<void>) {
  let done = false;
  const call = async (response?: ViewResponseAction) => {
    if (done) return;
    done = true;
    await (ack as (r?: ViewResponseAction) => Promise<void>)(response);
  };
  return { call, get done() { return done; } };
}

const bullets = (errors: readonly string[]) => errors.map((e) => `• ${e}`).join('\n');

/** Registers the form and preview submissions. */
export function registerSubmissions(router: SlackRouter, ctx: SlackContext, isAdmin: (user: string) => boolean): void {
  const pending = new Map<string, Pending>();
  const remember = (id: string, p: Pending) => {
    if (pending.size >= MAX_PENDING) pending.delete(pending.keys().next().value!);
    pending.set(id, p);
  };

  router.view(ADMIN_VIEWS.form, async ({ ack, body, view, client }) => {
    const acked = onceAck(ack);
    const meta = readMeta(view.private_metadata);
    const language: Language = meta.language === 'en' ? 'en' : 'fr';
    const state = view.state.values as unknown as ViewState;
    const firstBlock = meta.revision ? `action.${meta.revision}` : 'action';
    const errors = (lines: readonly (Failure | string)[], aliases: readonly [RegExp, string][] = []) => acked.call({ response_action: 'errors', errors: errorsByBlock(lines, state, aliases, firstBlock) });
    await guarded(ctx, 'admin form', async () => {
      try {
        const user = body.user.id;
        const actor = slackActor(body.team?.id ?? body.user.team_id, user || 'unknown', body.user.name);
        if (!isAdmin(user)) {
          await errors([(await ctx.bot.refuse(actor, 'incident.preview', language)).headline]);
          return;
        }
        const { input, notify } = splitNotify(formInput(state));
        // The incident's own checks do not depend on channels: they come before the ack, so
        // each problem shows next to its field.
        const checked = await ctx.bot.previewIncident(input, actor, language);
        if (!checked.ok) {
          await errors(checked.failures);
          return;
        }
        const id = randomUUID();
        const base: Pending = { input, user, language, ...(meta.channel ? { channel: meta.channel } : {}) };
        if (!notify) {
          remember(id, base);
          await acked.call({ response_action: 'push', view: previewView(ctx.bot.templates, checked.reply, id, language) as never });
          return;
        }
        // Counting the channels grows with them: Slack gets its answer first.
        const externalId = `vigie-preview-${id}`;
        await acked.call({ response_action: 'push', view: noticeView(ctx.bot.templates, slackText(ctx.bot.templates, language, 'slack.admin.preparing'), language, { externalId }) as never });
        const notice = noticeInputOf(input);
        const outcome = await ctx.bot.previewNotice(notice, actor, language);
        let next: Record<string, unknown>;
        if (outcome.ok) {
          remember(id, { ...base, notice });
          const targets: PreviewTargets = { line: countsText(ctx.bot.templates, language, outcome.targets.total, outcome.targets.byPlatform) };
          next = previewView(ctx.bot.templates, outcome.messages.root, id, language, targets, externalId);
        } else {
          next = noticeView(ctx.bot.templates, `${slackText(ctx.bot.templates, language, 'slack.admin.fix_back')}\n${bullets(outcome.errors)}`, language, { externalId });
        }
        await client.views.update({ external_id: externalId, view: next as never });
      } catch (error) {
        if (acked.done) throw error;
        await errors([slackText(ctx.bot.templates, language, 'slack.admin.failed')]);
        throw error;
      }
    });
  });

  router.view(ADMIN_VIEWS.preview, async ({ ack, body, view, client }) => {
    const acked = onceAck(ack);
    const meta = readMeta(view.private_metadata);
    const language: Language = meta.language === 'en' ? 'en' : 'fr';
    const update = (text: string, clearOnClose = false) => acked.call({ response_action: 'update', view: noticeView(ctx.bot.templates, text, language, { clearOnClose }) as never });
    await guarded(ctx, 'admin publish', async () => {
      try {
        const user = body.user.id;
        const actor = slackActor(body.team?.id ?? body.user.team_id, user || 'unknown', body.user.name);
        const waiting = meta.pending ? pending.get(meta.pending) : undefined;
        if (!isAdmin(user) || (waiting && waiting.user !== user)) {
          const refusal = await ctx.bot.refuse(actor, 'incident.apply', language);
          await update(`${refusal.headline}\n${refusal.sections.map((s) => s.text).join('\n')}`);
          return;
        }
        if (!waiting || !meta.pending) {
          await update(slackText(ctx.bot.templates, language, 'slack.admin.expired'));
          return;
        }
        pending.delete(meta.pending);
        if (waiting.notice) {
          // Writing the outbox grows with the channels: Slack gets its answer first.
          await update(slackText(ctx.bot.templates, language, 'slack.admin.publishing'), true);
          await publish(ctx, client, view.id, waiting, actor, language);
          return;
        }
        const outcome = await ctx.bot.applyIncident(waiting.input, actor, language);
        if (!outcome.ok) {
          await update(`${outcome.reply.headline}\n${outcome.errors.join('\n')}`);
          return;
        }
        await acked.call({ response_action: 'clear' });
        await answering(ctx, 'admin confirmation', () => language, (m) => tellAdmin(client, user, waiting.channel, m), async () => {
          const message = renderReply(ctx.bot.templates, outcome.reply);
          await tellAdmin(client, user, waiting.channel, message.blocks.length > 0 ? message : renderNotice(slackText(ctx.bot.templates, language, 'slack.admin.done')));
        });
      } catch (error) {
        if (acked.done) throw error;
        await update(slackText(ctx.bot.templates, language, 'slack.admin.failed'));
        throw error;
      }
    });
  });
}

/** Publishes a notice after the ack, then shows the result in the modal (or a DM when it was closed). */
async function publish(ctx: SlackContext, client: webApi.WebClient, viewId: string, waiting: Pending, actor: ReturnType<typeof slackActor>, language: Language): Promise<void> {
  const published = await ctx.bot.publishNotice(waiting.notice, actor, language);
  const text = published.ok
    ? // The core's headline starts with "Notice n0001 published: N channel(s) (...)".
      `${published.reply.headline.split('\n')[0] ?? published.notice.id}\n${slackText(ctx.bot.templates, language, 'slack.admin.follow_dm')}`
    : `${slackText(ctx.bot.templates, language, 'slack.admin.not_published')}\n${bullets(published.errors)}`;
  try {
    await client.views.update({ view_id: viewId, view: noticeView(ctx.bot.templates, text, language, { clearOnClose: true }) as never });
  } catch (error) {
    // The admin closed the modal: the result still reaches them.
    ctx.logger.debug('slack: publish result not shown in the modal', { slackError: slackErrorCode(error) });
    if (!published.ok) await tellAdmin(client, waiting.user, waiting.channel, renderNotice(text));
  }
  if (published.ok) {
    const headline = published.reply.headline.split('\n')[0] ?? published.notice.id;
    ctx.progress.follow({ client, user: waiting.user, noticeId: published.notice.id, language, headline });
  }
}
