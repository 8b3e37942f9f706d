/** Slack request payloads as the platform sends them, for the fakes to deliver. */
import { FAKE_TEAM } from './web-api.js';

let seq = 0;
const ts = () => `1584435600.${String(++seq).padStart(6, '0')}`;

/** A slash command (same fields over Socket Mode and as an HTTP form). */
export function slashCommand(o: { command?: string; text: string; user: string; channel?: string; responseUrl: string; userName?: string }): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: FAKE_TEAM.id,
    team_domain: 'school',
    channel_id: o.channel ?? 'CCLASSE',
    channel_name: 'classe-6b',
    user_id: o.user,
    user_name: o.userName ?? o.user.toLowerCase(),
    command: o.command ?? '/statut',
    text: o.text,
    api_app_id: 'AVIGIE',
    is_enterprise_install: 'false',
    response_url: o.responseUrl,
    trigger_id: `trigger.${++seq}`,
  };
}

/** An Events API callback wrapping `event`. */
export function eventCallback(event: Record<string, unknown>): Record<string, unknown> {
  return {
    token: 'legacy-verification-token',
    team_id: FAKE_TEAM.id,
    api_app_id: 'AVIGIE',
    event,
    type: 'event_callback',
    event_id: `Ev${++seq}`,
    event_time: 1584435600,
    authorizations: [{ team_id: FAKE_TEAM.id, user_id: FAKE_TEAM.botUserId, is_bot: true }],
  };
}

/** "@Vigie <text>" in a channel (optionally inside a thread). */
export function appMention(o: { text: string; user: string; channel?: string; threadTs?: string }): Record<string, unknown> {
  const own = ts();
  return eventCallback({
    type: 'app_mention',
    user: o.user,
    text: `<@${FAKE_TEAM.botUserId}> ${o.text}`,
    ts: own,
    ...(o.threadTs ? { thread_ts: o.threadTs } : {}),
    channel: o.channel ?? 'CCLASSE',
    team: FAKE_TEAM.id,
    event_ts: own,
  });
}

/** A direct message to the app. */
export function directMessage(o: { text: string; user: string; channel?: string }): Record<string, unknown> {
  const own = ts();
  return eventCallback({ type: 'message', channel_type: 'im', user: o.user, text: o.text, ts: own, channel: o.channel ?? 'DVIGIE', team: FAKE_TEAM.id, event_ts: own });
}

/** The App Home tab opened. */
export function appHomeOpened(user: string): Record<string, unknown> {
  return eventCallback({ type: 'app_home_opened', user, channel: 'DVIGIE', tab: 'home', event_ts: ts() });
}

/** A button clicked under a message; `blockId` carries the answer's language. */
export function buttonClick(o: { actionId: string; value: string; user: string; responseUrl: string; channel?: string; blockId?: string; ephemeral?: boolean }): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: o.user, username: o.user.toLowerCase(), name: o.user.toLowerCase(), team_id: FAKE_TEAM.id },
    api_app_id: 'AVIGIE',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: ts(), channel_id: o.channel ?? 'CCLASSE', is_ephemeral: o.ephemeral ?? true },
    trigger_id: `trigger.${++seq}`,
    team: { id: FAKE_TEAM.id, domain: 'school' },
    channel: { id: o.channel ?? 'CCLASSE', name: 'classe-6b' },
    response_url: o.responseUrl,
    actions: [{ type: 'button', action_id: o.actionId, block_id: o.blockId ?? 'vigie_actions_fr', text: { type: 'plain_text', text: 'x' }, value: o.value, action_ts: ts() }],
  };
}

/** Slack's view state for a form: block id → { action id → value }. */
export type FormValues = Record<string, string | string[]>;

/** The view state Slack would send for the admin form filled with `values` (selects, checkboxes and texts). */
export function viewState(values: FormValues, selects: readonly string[] = ['action', 'service', 'status', 'phase', 'cause'], searched: readonly string[] = ['id']): Record<string, unknown> {
  const state: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(values)) {
    const element = Array.isArray(value)
      ? { type: 'checkboxes', selected_options: value.map((v) => ({ value: v, text: { type: 'plain_text', text: v } })) }
      : selects.includes(field) || searched.includes(field)
        ? { type: searched.includes(field) ? 'external_select' : 'static_select', selected_option: { value, text: { type: 'plain_text', text: value } } }
        : { type: 'plain_text_input', value };
    // The incident picker's action id is the one that refills the form.
    state[field] = { [field === 'id' ? 'vigie_admin_pick' : field]: element };
  }
  return { values: state };
}

/** An external select asking for its options, as the person types `value`. */
export function blockSuggestion(o: { actionId: string; blockId: string; value: string; user: string; privateMetadata?: string }): Record<string, unknown> {
  return {
    type: 'block_suggestion',
    user: { id: o.user, username: o.user.toLowerCase(), name: o.user.toLowerCase(), team_id: FAKE_TEAM.id },
    container: { type: 'view', view_id: 'VFORM' },
    api_app_id: 'AVIGIE',
    token: 'legacy-verification-token',
    action_id: o.actionId,
    block_id: o.blockId,
    value: o.value,
    team: { id: FAKE_TEAM.id, domain: 'school' },
    view: { id: 'VFORM', type: 'modal', callback_id: 'vigie_admin_form', private_metadata: o.privateMetadata ?? '{"language":"fr","revision":0}', state: { values: {} }, hash: 'h1' },
  };
}

/** A modal submitted. */
export function viewSubmission(o: { callbackId: string; user: string; privateMetadata: string; state: Record<string, unknown>; viewId?: string }): Record<string, unknown> {
  return {
    type: 'view_submission',
    team: { id: FAKE_TEAM.id, domain: 'school' },
    user: { id: o.user, username: o.user.toLowerCase(), name: o.user.toLowerCase(), team_id: FAKE_TEAM.id },
    api_app_id: 'AVIGIE',
    token: 'legacy-verification-token',
    trigger_id: `trigger.${++seq}`,
    view: {
      id: o.viewId ?? `V${++seq}`,
      team_id: FAKE_TEAM.id,
      type: 'modal',
      callback_id: o.callbackId,
      private_metadata: o.privateMetadata,
      state: o.state,
      hash: 'h1',
      blocks: [],
    },
  };
}
