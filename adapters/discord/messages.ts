/**
 * The Discord adapter's own words (command descriptions live in commands.ts). A small FR/EN
 * map for now; the keys are meant to move into content/messages/{fr,en}.yaml.
 */
import type { Language } from '../../src/index.js';

const FR = {
  'discord.button.subscribe': 'Suivre dans ce salon',
  'discord.button.report': 'Signaler un problème',
  'discord.button.confirm': 'Confirmer et publier',
  'discord.button.cancel': 'Annuler',
  'discord.report.title': 'Signaler un problème',
  'discord.report.label': 'Que se passe-t-il ? (service, ville)',
  'discord.incident.title': 'Incident : {action}',
  'discord.incident.title_label': 'Titre (FR)',
  'discord.incident.text_fr': 'Message officiel (FR)',
  'discord.incident.text_en': 'Message officiel (EN, facultatif)',
  'discord.incident.recovery': 'Retour prévu (HH:MM ou texte)',
  'discord.incident.advice': 'Conseil en attendant (FR)',
  'discord.incident.expired': 'Ce formulaire a expiré : relancez /incident.',
  'discord.incident.cancelled': 'Annulé : rien n’a été publié.',
  'discord.incident.confirm_hint': 'Vérifiez l’aperçu puis confirmez : les réponses changeront aussitôt.',
  'discord.need_manage_channels': 'Il faut la permission « Gérer les salons » pour abonner ce salon.',
  'discord.guild_only': 'Cette commande s’utilise dans un salon de serveur.',
  'discord.footer': 'Vigie',
  'discord.footer_source': 'Source : {source}',
} as const;

export type DiscordMessageKey = keyof typeof FR;

const EN: Record<DiscordMessageKey, string> = {
  'discord.button.subscribe': 'Follow in this channel',
  'discord.button.report': 'Report a problem',
  'discord.button.confirm': 'Confirm and publish',
  'discord.button.cancel': 'Cancel',
  'discord.report.title': 'Report a problem',
  'discord.report.label': 'What is happening? (service, town)',
  'discord.incident.title': 'Incident: {action}',
  'discord.incident.title_label': 'Title (FR)',
  'discord.incident.text_fr': 'Official message (FR)',
  'discord.incident.text_en': 'Official message (EN, optional)',
  'discord.incident.recovery': 'Expected back (HH:MM or text)',
  'discord.incident.advice': 'Advice meanwhile (FR)',
  'discord.incident.expired': 'This form has expired: run /incident again.',
  'discord.incident.cancelled': 'Cancelled: nothing was published.',
  'discord.incident.confirm_hint': 'Check the preview, then confirm: answers will change at once.',
  'discord.need_manage_channels': 'You need the “Manage Channels” permission to subscribe this channel.',
  'discord.guild_only': 'Use this command in a server channel.',
  'discord.footer': 'Vigie',
  'discord.footer_source': 'Source: {source}',
};

/** The adapter's text for `key` in `lang`, with {placeholders} filled. */
export function say(lang: Language, key: DiscordMessageKey, vars: Record<string, string> = {}): string {
  const template: string = lang === 'fr' ? FR[key] : EN[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}
