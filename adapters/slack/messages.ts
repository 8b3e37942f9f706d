/**
 * The Slack adapter's own words (buttons, Home tab, admin form), FR and EN, from
 * content/messages/{fr,en}.yaml under "slack.*" keys.
 */
import { words, type Language } from '../../src/index.js';

/** The keys of the adapter's words in content/messages (stored there with a "slack." prefix). */
const KEYS = [
  'slack.share',
  'slack.shared',
  'slack.share_failed',
  'slack.source',
  'slack.computed',
  'slack.empty_question',
  'slack.error_ref',
  'slack.home.title',
  'slack.home.followed',
  'slack.home.active',
  'slack.home.none',
  'slack.home.none_followed',
  'slack.home.since',
  'slack.home.recovery',
  'slack.home.how',
  'slack.home.how_text',
  'slack.admin.title',
  'slack.admin.preview_title',
  'slack.admin.submit',
  'slack.admin.confirm',
  'slack.admin.cancel',
  'slack.admin.action',
  'slack.admin.action.open',
  'slack.admin.action.update',
  'slack.admin.action.resolve',
  'slack.admin.incident',
  'slack.admin.no_incident',
  'slack.admin.service',
  'slack.admin.places',
  'slack.admin.places_hint',
  'slack.admin.levels',
  'slack.admin.status',
  'slack.admin.phase',
  'slack.admin.cause',
  'slack.admin.titleFr',
  'slack.admin.titleEn',
  'slack.admin.textFr',
  'slack.admin.textEn',
  'slack.admin.recoveryAt',
  'slack.admin.recoveryFr',
  'slack.admin.recoveryEn',
  'slack.admin.adviceFr',
  'slack.admin.adviceEn',
  'slack.admin.sourceName',
  'slack.admin.sourceUrl',
  'slack.admin.preview_intro',
  'slack.admin.expired',
  'slack.admin.done',
  'slack.admin.notify',
  'slack.admin.notify_option',
  'slack.admin.notify_count',
  'slack.admin.notify_none',
  'slack.admin.notify_intro',
  'slack.admin.progress',
  'slack.admin.progress_failure',
  'slack.admin.progress_running',
  'slack.admin.progress_done',
  'slack.admin.progress_stopped',
  'level.ecole',
  'level.college',
  'level.lycee',
  'status.operational',
  'status.under_maintenance',
  'status.degraded_performance',
  'status.partial_outage',
  'status.major_outage',
  'phase.investigating',
  'phase.identified',
  'phase.monitoring',
  'phase.resolved',
  'cause.overload',
  'cause.cyberattack',
  'cause.provider',
  'cause.network_operator',
  'cause.maintenance',
  'cause.unknown',
] as const;

export type SlackMessageKey = (typeof KEYS)[number];

/** The adapter's text for `key` in `language`, with `{name}` placeholders filled. */
export function st(language: Language, key: SlackMessageKey, vars: Record<string, string | number> = {}): string {
  return words().t(language, key.startsWith('slack.') ? key : `slack.${key}`, vars);
}

/** Every key, so a test can check content/messages holds them all. */
export const SLACK_MESSAGE_KEYS: readonly string[] = KEYS.map((k) => (k.startsWith('slack.') ? k : `slack.${k}`));

/** The language of a Slack locale ("fr-FR", "en-US"), or undefined when unknown. */
export function languageOfLocale(locale: string | undefined): Language | undefined {
  if (!locale) return undefined;
  return locale.toLowerCase().startsWith('en') ? 'en' : locale.toLowerCase().startsWith('fr') ? 'fr' : undefined;
}
