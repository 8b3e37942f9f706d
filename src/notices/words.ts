/**
 * The notice texts not yet in content/messages (the lead moves them there); templates win
 * when they have the key, so content can override any of them.
 */
import type { Templates, Vars } from '../answer/messages.js';
import type { Language } from '../types.js';

/** FR/EN texts of notices and their outcomes, keyed like content/messages. */
export const NOTICE_WORDS: Record<Language, Record<string, string>> = {
  fr: {
    'notice.headline': '📢 {title} — {status}',
    'notice.headline.standalone': '📢 {title}',
    'notice.title.default': 'Information officielle',
    'notice.reply.update': '🔁 Mise à jour — {status}',
    'notice.reply.resolve': '✅ Résolu — {title}',
    'notice.section.text': 'Information officielle',
    'notice.section.phase': 'Où en est-on',
    'notice.section.other_language': 'In English',
    'notice.published': '📣 Avis {id} publié : {total} salon(s) ({platforms}).',
    'notice.preview': '👀 Aperçu : {total} salon(s) recevront cet avis ({platforms}).',
    'notice.invalid': '⚠️ Avis non publié',
    'notice.invalid.title': 'À corriger',
    'notice.targets.title': 'Destinataires',
    'notice.targets.none': 'aucun',
    'notice.error.services_required': 'services : au moins un service (ou « * »).',
    'notice.error.places_required': 'places : au moins un lieu.',
    'notice.error.one_service': "services : un seul service pour ouvrir un incident.",
    'notice.error.unknown_place_code': 'places : lieu inconnu « {value} ».',
  },
  en: {
    'notice.headline': '📢 {title} — {status}',
    'notice.headline.standalone': '📢 {title}',
    'notice.title.default': 'Official notice',
    'notice.reply.update': '🔁 Update — {status}',
    'notice.reply.resolve': '✅ Resolved — {title}',
    'notice.section.text': 'Official notice',
    'notice.section.phase': 'Where things stand',
    'notice.section.other_language': 'En français',
    'notice.published': '📣 Notice {id} published: {total} channel(s) ({platforms}).',
    'notice.preview': '👀 Preview: {total} channel(s) will receive this notice ({platforms}).',
    'notice.invalid': '⚠️ Notice not published',
    'notice.invalid.title': 'To fix',
    'notice.targets.title': 'Recipients',
    'notice.targets.none': 'none',
    'notice.error.services_required': 'services: at least one service (or "*").',
    'notice.error.places_required': 'places: at least one place.',
    'notice.error.one_service': 'services: a single service to open an incident.',
    'notice.error.unknown_place_code': 'places: unknown place "{value}".',
  },
};

/** Fills a notice text: the content's template when there is one, else NOTICE_WORDS. */
export function noticeText(templates: Templates | undefined, lang: Language, key: string, vars: Vars = {}): string {
  if (templates?.has(lang, key)) return templates.t(lang, key, vars);
  const template = NOTICE_WORDS[lang][key] ?? NOTICE_WORDS.fr[key];
  if (template === undefined) return templates ? templates.t(lang, key, vars) : key;
  return template.replace(/\{([a-zA-Z0-9_]+)\}/g, (slot, name: string) => (vars[name] === undefined ? slot : String(vars[name])));
}
