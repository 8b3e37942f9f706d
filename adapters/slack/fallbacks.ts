/**
 * Every interaction gets an answer, whatever its shape. A global middleware fills in what a
 * payload lacks (no text, no user, `view.state.values: null`, no action) before any listener
 * reads it, so listeners never throw on a missing field; and catch-all listeners answer
 * what no listener of Vigie's handles (a button from an older version, an unknown modal or
 * slash command, a shortcut), briefly or with a silent ack where Slack shows nothing.
 */
import type { AnyMiddlewareArgs, AllMiddlewareArgs, App, RespondArguments } from '@slack/bolt';
import type { Language } from '../../src/index.js';
import { guarded, str, type SlackContext } from './context.js';
import { languageOfWords } from './language.js';
import { st } from './messages.js';
import { renderNotice } from './render.js';

type Loose = Record<string, unknown>;

const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Makes `obj[key]` a string ('' when missing or of another type). */
function ensureString(obj: Loose, key: string): void {
  if (typeof obj[key] !== 'string') obj[key] = '';
}

/**
 * Fills in missing fields in place; returns false when there is nothing a listener could
 * act on (a button click without any action), after acknowledging it.
 */
async function normalize(args: AnyMiddlewareArgs & AllMiddlewareArgs): Promise<boolean> {
  const body = args.body as Loose;
  if (typeof body.command === 'string') {
    for (const key of ['text', 'user_id', 'channel_id', 'team_id', 'trigger_id']) ensureString(body, key);
    return true;
  }
  if (isObject(body.event)) {
    ensureString(body.event, 'text');
    return true;
  }
  if (!isObject(body.user)) body.user = { id: '' };
  else ensureString(body.user, 'id');
  if (body.type === 'block_actions') {
    const first = Array.isArray(body.actions) ? (body.actions[0] as unknown) : undefined;
    if (!isObject(first) || typeof first.action_id !== 'string') {
      const ack = (args as { ack?: () => Promise<void> }).ack;
      if (ack) await ack();
      return false;
    }
    return true;
  }
  if (body.type === 'view_submission' || body.type === 'view_closed') {
    if (!isObject(body.view)) body.view = {};
    const view = body.view as Loose;
    for (const key of ['id', 'callback_id', 'private_metadata', 'hash']) ensureString(view, key);
    if (!isObject(view.state)) view.state = {};
    const state = view.state as Loose;
    if (!isObject(state.values)) state.values = {};
    return true;
  }
  if (body.type === 'block_suggestion') {
    for (const key of ['action_id', 'block_id', 'value']) ensureString(body, key);
  }
  if (body.type === 'shortcut' || body.type === 'message_action') ensureString(body, 'callback_id');
  return true;
}

/** Registers the normalizing middleware and the catch-all listeners. */
export function registerFallbacks(app: App, ctx: SlackContext, known: { commands: readonly string[]; views: readonly string[]; options: readonly string[] }): void {
  app.use(async (args) => {
    let go = false;
    await guarded(ctx, 'payload check', async () => {
      go = await normalize(args);
    });
    if (go) await args.next();
  });

  // Slash commands the manifest names but this process does not (renamed, older manifest).
  app.command(/.*/, async ({ command, ack }) => {
    if (known.commands.includes(command.command)) return;
    await guarded(ctx, 'unknown command', async () => {
      const language = languageOfWords(ctx.bot, command.text) ?? 'fr';
      await ack({ response_type: 'ephemeral', ...renderNotice(st(language, 'slack.unknown_command', { command: known.commands[0] ?? '/statut' })) } as RespondArguments);
    });
  });

  // A modal Vigie no longer knows: closed without a word (Slack shows nothing more).
  app.view({ type: 'view_submission' }, async ({ view, ack }) => {
    if (known.views.includes(view.callback_id)) return;
    await guarded(ctx, 'unknown view', async () => {
      await ack();
    });
  });
  app.view({ type: 'view_closed' }, async ({ ack }) => {
    await guarded(ctx, 'view closed', async () => {
      await ack();
    });
  });

  app.options({ type: 'block_suggestion' }, async ({ payload, ack }) => {
    if (known.options.includes(str((payload as { action_id?: unknown }).action_id))) return;
    await guarded(ctx, 'unknown options', async () => {
      await ack({ options: [] });
    });
  });

  // Shortcuts are not part of Vigie's manifest; acknowledged so Slack shows no error.
  app.shortcut(/.*/, async ({ ack }) => {
    await guarded(ctx, 'shortcut', async () => {
      await ack();
    });
  });
}

/** A button Vigie does not know (any more): acknowledged, and told so privately when possible. */
export async function unknownAction(ctx: SlackContext, ack: () => Promise<void>, respond: ((m: RespondArguments) => Promise<unknown>) | undefined, language: Language): Promise<void> {
  await guarded(ctx, 'unknown action', async () => {
    await ack();
    if (respond) await respond({ response_type: 'ephemeral', replace_original: false, ...renderNotice(st(language, 'slack.unknown_action')) } as RespondArguments);
  });
}
