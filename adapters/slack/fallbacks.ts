/**
 * Every interaction gets an answer, whatever its shape. `normalize` fills in what a payload
 * lacks (no text, no user, `view.state.values: null`, no action) before any handler reads
 * it, so handlers never throw on a missing field; the fallbacks answer what no handler of
 * Vigie's takes: a button from an older version, a slash command the manifest names but
 * this process does not.
 */
import type { AllMiddlewareArgs, AnyMiddlewareArgs, RespondArguments } from '@slack/bolt';
import { guarded, str, type SlackContext } from './context.js';
import { languageOfWords } from './language.js';
import { slackText } from './templates.js';
import { renderNotice } from './render.js';
import type { ActionArgs, CommandArgs } from './router.js';

type Loose = Record<string, unknown>;

const isObject = (v: unknown): v is Loose => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Makes `obj[key]` a string ('' when missing or of another type). */
function ensureString(obj: Loose, key: string): void {
  if (typeof obj[key] !== 'string') obj[key] = '';
}

/**
 * Fills in missing fields in place; returns false when there is nothing a handler could
 * act on (a click without any action), after acknowledging it.
 */
export async function normalize(args: AnyMiddlewareArgs & AllMiddlewareArgs): Promise<boolean> {
  const body = args.body as Loose;
  if (typeof body.command === 'string') {
    for (const key of ['text', 'user_id', 'user_name', 'channel_id', 'team_id', 'trigger_id']) ensureString(body, key);
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
      await (args as { ack?: () => Promise<void> }).ack?.();
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
  if (body.type === 'block_suggestion') for (const key of ['action_id', 'block_id', 'value']) ensureString(body, key);
  return true;
}

/** A slash command this process does not handle (renamed, an older manifest): a short pointer. */
export async function unknownCommand(ctx: SlackContext, { command, ack }: CommandArgs, known: readonly string[]): Promise<void> {
  const language = languageOfWords(ctx.bot, command.text) ?? 'fr';
  await ack({ response_type: 'ephemeral', ...renderNotice(slackText(ctx.bot.templates, language, 'slack.unknown_command', { command: known[0] ?? '/statut' })) } as RespondArguments);
}

/** A button Vigie does not know (any more): acknowledged, and told so privately when possible. */
export async function unknownAction(ctx: SlackContext, { ack, respond, action }: ActionArgs): Promise<void> {
  await ack();
  const language = str((action as { block_id?: unknown }).block_id).endsWith('_en') ? 'en' : 'fr';
  await guarded(ctx, 'unknown action', async () => {
    if (respond) await respond({ response_type: 'ephemeral', replace_original: false, ...renderNotice(slackText(ctx.bot.templates, language, 'slack.unknown_action')) } as RespondArguments);
  });
}
