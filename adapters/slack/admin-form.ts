/**
 * The admin modal: a form to open, update or resolve an incident, and the preview pushed on
 * top of it before anything is stored. Block ids are the AdminIncidentInput field names
 * (with a ".n" suffix after a prefill, so Slack shows the new initial values). The incident
 * to update or resolve is picked with a search over every open incident (an external
 * select: a static one lists 100 at most).
 */
import { CAUSES, cutText, LEVELS, neutralizeMentions, PHASES, STATUSES, type Core, type Failure, type Incident, type Language, type Reply, type Templates } from '../../src/index.js';
import { slackText, type SlackTemplateKey } from './templates.js';
import { mrkdwn, plain, renderReply, type Block } from './render.js';
import { forceBlock, notifyBlock } from './admin-notify.js';
import type { AlertPrefill } from '../../src/signals/alert-types.js';

/** Callback ids of the two modal steps. */
export const ADMIN_VIEWS = { form: 'vigie_admin_form', preview: 'vigie_admin_preview' } as const;
/** Action id of the incident picker (it refills the form). */
export const PICK_INCIDENT = 'vigie_admin_pick';

/** Text inputs: field, label key, multiline, max length. */
const TEXT_FIELDS: [string, SlackTemplateKey, boolean, number][] = [
  ['titleFr', 'slack.admin.titleFr', false, 200],
  ['titleEn', 'slack.admin.titleEn', false, 200],
  ['textFr', 'slack.admin.textFr', true, 3000],
  ['textEn', 'slack.admin.textEn', true, 3000],
  ['recoveryAt', 'slack.admin.recoveryAt', false, 40],
  ['recoveryFr', 'slack.admin.recoveryFr', false, 500],
  ['recoveryEn', 'slack.admin.recoveryEn', false, 500],
  ['adviceFr', 'slack.admin.adviceFr', true, 1000],
  ['adviceEn', 'slack.admin.adviceEn', true, 1000],
  ['sourceName', 'slack.admin.sourceName', false, 120],
  ['sourceUrl', 'slack.admin.sourceUrl', false, 500],
];

/** What the form remembers between steps (Slack's private_metadata). */
export interface FormMetadata {
  channel?: string;
  language: Language;
  /** Bumped at each prefill so block ids change. */
  revision: number;
}

const option = (text: string, value: string) => ({ text: { type: 'plain_text', text: plain(text, 75), emoji: true }, value });
const label = (text: string) => ({ type: 'plain_text', text: plain(text, 2000), emoji: true });
// Modal titles and their buttons: 24 characters at most.
const short = (text: string) => ({ type: 'plain_text', text: plain(text, 24), emoji: true });

/** Options Slack shows at most in a select (and takes from an options request). */
export const MAX_OPTIONS = 100;

/** An open incident as a select option: its title cut so the id always shows. */
export function incidentOption(incident: Incident, language: Language, demoTag?: string): { text: { type: string; text: string; emoji: boolean }; value: string } {
  const id = ` (${incident.id})`;
  // Demo data loaded from a scenario says so in the picker too.
  const demo = demoTag ? `[${demoTag}] ` : '';
  const title = cutText(`${demo}${incident.title[language] || incident.title.fr}`, Math.max(10, 75 - id.length));
  return option(`${title}${id}`, incident.id);
}

function select(id: string, rev: number, title: string, options: { text: { type: string; text: string }; value: string }[], initial?: string, optional = true): Block {
  const chosen = options.find((o) => o.value === initial);
  return {
    type: 'input',
    block_id: rev ? `${id}.${rev}` : id,
    optional,
    label: label(title),
    element: { type: 'static_select', action_id: id, options: options.slice(0, MAX_OPTIONS), ...(chosen ? { initial_option: chosen } : {}) },
  };
}

/**
 * The form, optionally prefilled from an incident to update or resolve, or, for an opening,
 * from a crowd-signal alert's "Ouvrir un incident" (`draft`: service, places, status, cause).
 */
export function adminForm(bot: Core, meta: FormMetadata, prefill?: Incident, draft?: AlertPrefill): Record<string, unknown> {
  const lang = meta.language;
  const rev = meta.revision;
  const { templates } = bot;
  const t = (key: SlackTemplateKey) => slackText(templates, lang, key);
  const blocks: Block[] = [
    select('action', rev, t('slack.admin.action'), (['open', 'update', 'resolve'] as const).map((a) => option(t(`slack.admin.action.${a}`), a)), prefill ? 'update' : 'open', false),
    {
      type: 'input',
      block_id: rev ? `id.${rev}` : 'id',
      optional: true,
      dispatch_action: true,
      label: label(t('slack.admin.incident')),
      element: {
        type: 'external_select',
        action_id: PICK_INCIDENT,
        min_query_length: 0,
        placeholder: { type: 'plain_text', text: plain(t('slack.admin.incident_placeholder'), 150), emoji: true },
        ...(prefill ? { initial_option: incidentOption(prefill, lang, prefill.scenario ? bot.demoFor(prefill.scenario, lang).tag : undefined) } : {}),
      },
    },
  ];
  blocks.push(notifyBlock(templates, lang, rev), forceBlock(templates, lang, rev));
  blocks.push(
    select('service', rev, t('slack.admin.service'), bot.services().map((s) => option(s.name[lang], s.id)), prefill?.service ?? draft?.service),
    {
      type: 'input',
      block_id: rev ? `places.${rev}` : 'places',
      optional: true,
      label: label(t('slack.admin.places')),
      hint: label(t('slack.admin.places_hint')),
      element: { type: 'plain_text_input', action_id: 'places', max_length: 500, ...(draft && draft.places.length > 0 ? { initial_value: cutText(neutralizeMentions(draft.places.join(', ')), 500, '') } : {}) },
    },
    {
      type: 'input',
      block_id: rev ? `levels.${rev}` : 'levels',
      optional: true,
      label: label(t('slack.admin.levels')),
      element: {
        type: 'checkboxes',
        action_id: 'levels',
        options: LEVELS.map((l) => option(slackText(templates, lang, `level.${l}`), l)),
        ...(prefill && prefill.scope.levels.length > 0 ? { initial_options: prefill.scope.levels.map((l) => option(slackText(templates, lang, `level.${l}`), l)) } : {}),
      },
    },
    select('status', rev, t('slack.admin.status'), STATUSES.map((s) => option(slackText(templates, lang, `status.${s}`), s)), prefill?.status ?? draft?.status),
    select('phase', rev, t('slack.admin.phase'), PHASES.map((p) => option(slackText(templates, lang, `phase.${p}`), p)), prefill?.phase),
    select('cause', rev, t('slack.admin.cause'), CAUSES.map((c) => option(slackText(templates, lang, `cause.${c}`), c)), prefill?.cause ?? draft?.cause),
  );
  for (const [field, key, multiline, max] of TEXT_FIELDS) {
    const initial = prefill && field === 'titleFr' ? prefill.title.fr : prefill && field === 'titleEn' ? prefill.title.en : undefined;
    blocks.push({
      type: 'input',
      block_id: rev ? `${field}.${rev}` : field,
      optional: field !== 'textFr',
      label: label(t(key)),
      // Shown for editing, not rendered; still defused, since whatever is submitted back is stored.
      element: { type: 'plain_text_input', action_id: field, multiline, max_length: max, ...(initial ? { initial_value: cutText(neutralizeMentions(initial), max, '') } : {}) },
    });
  }
  return {
    type: 'modal',
    callback_id: ADMIN_VIEWS.form,
    private_metadata: JSON.stringify(meta),
    title: short(t('slack.admin.title')),
    submit: short(t('slack.admin.submit')),
    close: short(t('slack.admin.cancel')),
    blocks,
  };
}

/** Slack's view state: block id → action id → the element's value. */
export type ViewState = Record<string, Record<string, { type?: string; value?: string | null; selected_option?: { value?: string } | null; selected_options?: { value?: string }[] | null } | null> | null>;

/** The form's values as AdminIncidentInput-shaped raw input (the core validates it); odd shapes are skipped. */
export function formInput(state: ViewState | null | undefined): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [blockId, actions] of Object.entries(state ?? {})) {
    const field = blockId.split('.')[0]!;
    for (const element of Object.values(actions ?? {})) {
      if (!element) continue;
      if (element.type === 'checkboxes') {
        const values = (element.selected_options ?? []).map((o) => o?.value).filter((v): v is string => typeof v === 'string');
        if (values.length > 0) input[field] = values;
      } else if (element.type === 'static_select' || element.type === 'external_select') {
        if (typeof element.selected_option?.value === 'string') input[field] = element.selected_option.value;
      } else if (typeof element.value === 'string' && element.value.trim() !== '') {
        input[field] = element.value;
      }
    }
  }
  return input;
}

/**
 * Where each of the core's failures belongs in the form (block id), "action" when unsure: the
 * block of the failure's field when it has one in the form; for a failure without a field
 * (or a plain line), the field its text names. `aliases` map other names of fields (a
 * notice's "text.fr") to the form's.
 */
export function errorsByBlock(errors: readonly (Failure | string)[], state: ViewState, aliases: readonly [RegExp, string][] = [], fallback = 'action'): Record<string, string> {
  const blocks = Object.keys(state ?? {});
  const blockOf = (field: string) => blocks.find((b) => b.split('.')[0] === field);
  const out: Record<string, string> = {};
  for (const given of errors) {
    const error = typeof given === 'string' ? given : given.text;
    const field = typeof given === 'string' ? undefined : given.field?.split('.')[0];
    if (field && blockOf(field)) {
      const block = blockOf(field)!;
      out[block] = out[block] ? `${out[block]} · ${error}` : error;
      continue;
    }
    const aliased = aliases.find(([pattern, field]) => pattern.test(error) && blockOf(field))?.[1];
    const named = aliased ?? blocks.map((b) => b.split('.')[0]!).find((f) => new RegExp(`(^|[^\\w])${f}([^\\w]|$)`).test(error));
    const guessed = named ?? (/lieu|place/i.test(error) ? 'places' : /service/i.test(error) ? 'service' : /incident|identifiant|\bid\b/i.test(error) ? 'id' : undefined);
    const block = (guessed && blockOf(guessed)) ?? blockOf('action') ?? blocks[0] ?? fallback;
    out[block] = out[block] ? `${out[block]} · ${error}` : error;
  }
  for (const key of Object.keys(out)) out[key] = plain(out[key]!, 300);
  return out;
}

/** Channels a notice will reach, shown on the preview when "notify subscribers" is ticked. */
export interface PreviewTargets {
  /** "📣 12 channel(s) will receive this notice: Slack 8, Discord 4." */
  line: string;
}

/**
 * The preview step: how answers will read (or, when notifying, the message subscribed
 * channels will receive and how many there are), with "Publish" to store it.
 */
export function previewView(templates: Templates, reply: Reply, pendingId: string, language: Language, targets?: PreviewTargets, externalId?: string): Record<string, unknown> {
  const rendered = renderReply(templates, { ...reply, actions: [] }).blocks.filter((b) => b.type !== 'actions');
  const intro = slackText(templates, language, targets ? 'slack.admin.notify_intro' : 'slack.admin.preview_intro');
  const head: Block[] = [{ type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn(intro) }] }];
  if (targets) head.unshift({ type: 'section', text: { type: 'mrkdwn', text: `*${mrkdwn(targets.line, 2900)}*` } });
  return {
    type: 'modal',
    ...(externalId ? { external_id: externalId } : {}),
    callback_id: ADMIN_VIEWS.preview,
    private_metadata: JSON.stringify({ pending: pendingId, language }),
    title: short(slackText(templates, language, 'slack.admin.preview_title')),
    submit: short(slackText(templates, language, 'slack.admin.confirm')),
    close: short(slackText(templates, language, 'slack.admin.cancel')),
    blocks: [...head, ...rendered.slice(0, 100 - head.length)],
  };
}

/** How a one-message modal behaves. */
export interface NoticeViewOptions {
  /** Closing it closes the whole modal (after publishing, going back to the form makes no sense). */
  clearOnClose?: boolean;
  /** So the view can be updated later (views.update with external_id) when its id is unknown. */
  externalId?: string;
}

/** A one-message modal (expired preview, waiting, result, failure). */
export function noticeView(templates: Templates, text: string, language: Language, options: NoticeViewOptions = {}): Record<string, unknown> {
  return {
    type: 'modal',
    ...(options.externalId ? { external_id: options.externalId } : {}),
    title: short(slackText(templates, language, 'slack.admin.title')),
    close: short(slackText(templates, language, options.clearOnClose ? 'slack.admin.close' : 'slack.admin.cancel')),
    ...(options.clearOnClose ? { clear_on_close: true } : {}),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: mrkdwn(text) } }],
  };
}
