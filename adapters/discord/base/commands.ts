/**
 * The slash commands, as the JSON Discord registers: English names and descriptions with
 * French localizations (`/statut`, `/abonner`...). `/subscribe` and `/unsubscribe` are shown
 * to members with Manage Channels by default (`default_member_permissions`, which server admins
 * can widen: the handlers check the permission again, see handlers/subscriptions.ts);
 * `/subscriptions` (read-only) and `/incident` (checked against the admin lists) are visible to all.
 */
import {
  ApplicationCommandOptionType as Opt,
  ApplicationIntegrationType,
  InteractionContextType,
  PermissionFlagsBits,
  type APIApplicationCommandOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { CAUSES, LEVELS, PHASES, STATUSES, type Localized } from '../../../src/index.js';

/** A service as the catalogue gives it (bot.services()). */
export interface ServiceChoice {
  id: string;
  short: Localized;
}

/** Base (English) command names; interaction.commandName is always one of these. */
export const COMMANDS = { status: 'status', subscribe: 'subscribe', unsubscribe: 'unsubscribe', subscriptions: 'subscriptions', incident: 'incident' } as const;

type L = { en: string; fr: string };
const LEVEL_WORDS: Record<(typeof LEVELS)[number], L> = { ecole: { en: 'Primary school', fr: 'École' }, college: { en: 'Collège (11–15)', fr: 'Collège' }, lycee: { en: 'Lycée (15–18)', fr: 'Lycée' } };
const STATUS_WORDS: Record<(typeof STATUSES)[number], L> = {
  operational: { en: 'Operational', fr: 'Fonctionne' },
  under_maintenance: { en: 'Under maintenance', fr: 'En maintenance' },
  degraded_performance: { en: 'Degraded performance', fr: 'Ralenti' },
  partial_outage: { en: 'Partial outage', fr: 'Panne partielle' },
  major_outage: { en: 'Major outage', fr: 'Panne majeure' },
};
const PHASE_WORDS: Record<(typeof PHASES)[number], L> = {
  investigating: { en: 'Investigating', fr: 'Recherche de la cause' },
  identified: { en: 'Identified', fr: 'Cause identifiée' },
  monitoring: { en: 'Monitoring', fr: 'Sous surveillance' },
  resolved: { en: 'Resolved', fr: 'Résolu' },
};
const CAUSE_WORDS: Record<(typeof CAUSES)[number], L> = {
  overload: { en: 'Overload', fr: 'Surcharge' },
  cyberattack: { en: 'Cyberattack', fr: 'Cyberattaque' },
  provider: { en: 'Provider', fr: 'Prestataire' },
  network_operator: { en: 'Network operators', fr: 'Opérateurs réseau' },
  maintenance: { en: 'Maintenance', fr: 'Maintenance' },
  unknown: { en: 'Unknown', fr: 'Inconnue' },
};

const names = (name: L) => ({ name: name.en, name_localizations: { fr: name.fr } });
const describe = (d: L) => ({ description: d.en, description_localizations: { fr: d.fr } });
const choicesOf = <K extends string>(words: Record<K, L>) =>
  (Object.entries(words) as [K, L][]).map(([value, w]) => ({ ...names(w), value }));

function text(name: L, d: L, extra: { required?: boolean; autocomplete?: true; max_length?: number; choices?: { name: string; name_localizations: { fr: string }; value: string }[] } = {}): APIApplicationCommandOption {
  return { type: Opt.String, ...names(name), ...describe(d), ...extra } as APIApplicationCommandOption;
}

/** Every slash command, with the service choices from the catalogue (Discord allows 25). */
export function commandDefinitions(services: readonly ServiceChoice[]): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const serviceChoices = services.slice(0, 25).map((s) => ({ name: s.short.en, name_localizations: { fr: s.short.fr }, value: s.id }));
  const service = (d: L) => text({ en: 'service', fr: 'service' }, d, { choices: serviceChoices });
  const place = (required: boolean) =>
    text({ en: 'place', fr: 'lieu' }, { en: 'Town, postcode, département, académie or région', fr: 'Ville, code postal, département, académie ou région' }, { autocomplete: true, required, max_length: 100 });
  const level = text({ en: 'level', fr: 'niveau' }, { en: 'School level', fr: 'Niveau scolaire' }, { choices: choicesOf(LEVEL_WORDS) });
  const guildOnly = { contexts: [InteractionContextType.Guild], integration_types: [ApplicationIntegrationType.GuildInstall] };
  const manageChannels = { default_member_permissions: String(PermissionFlagsBits.ManageChannels) };

  return [
    {
      ...names({ en: COMMANDS.status, fr: 'statut' }),
      ...describe({ en: 'Is a distance-learning service down? Since when, why, until when', fr: 'Un service d’enseignement à distance est-il en panne ? Depuis quand, pourquoi, jusqu’à quand' }),
      ...guildOnly,
      options: [
        service({ en: 'The service (ENT, CNED, Pronote…)', fr: 'Le service (ENT, CNED, Pronote…)' }),
        place(false),
        level,
        text({ en: 'question', fr: 'question' }, { en: 'Your question, in your own words', fr: 'Votre question, avec vos mots' }, { max_length: 500 }),
      ],
    },
    {
      ...names({ en: COMMANDS.subscribe, fr: 'abonner' }),
      ...describe({ en: 'Post official updates about a service and place in this channel', fr: 'Publier dans ce salon les mises à jour officielles d’un service et d’un lieu' }),
      ...guildOnly,
      ...manageChannels,
      options: [place(true), service({ en: 'The service (all when empty)', fr: 'Le service (tous si vide)' })],
    },
    {
      ...names({ en: COMMANDS.unsubscribe, fr: 'désabonner' }),
      ...describe({ en: 'Stop updates in this channel', fr: 'Arrêter les mises à jour dans ce salon' }),
      ...guildOnly,
      ...manageChannels,
      options: [
        place(false),
        service({ en: 'The service', fr: 'Le service' }),
        { type: Opt.Boolean, ...names({ en: 'all', fr: 'tout' }), ...describe({ en: 'Remove every subscription of this channel', fr: 'Retirer tous les abonnements du salon' }) },
      ],
    },
    {
      ...names({ en: COMMANDS.subscriptions, fr: 'abonnements' }),
      ...describe({ en: 'What this channel follows', fr: 'Ce que suit ce salon' }),
      ...guildOnly,
    },
    {
      ...names({ en: COMMANDS.incident, fr: 'incident' }),
      ...describe({ en: 'Admins: open, update or resolve an incident', fr: 'Admins : ouvrir, mettre à jour ou clore un incident' }),
      ...guildOnly,
      options: [
        text({ en: 'action', fr: 'action' }, { en: 'What to do', fr: 'Que faire' }, {
          required: true,
          choices: choicesOf({ open: { en: 'Open', fr: 'Ouvrir' }, update: { en: 'Update', fr: 'Mettre à jour' }, resolve: { en: 'Resolve', fr: 'Clore' } }),
        }),
        text({ en: 'incident', fr: 'incident' }, { en: 'The incident to update or resolve', fr: 'L’incident à mettre à jour ou clore' }, { autocomplete: true, max_length: 120 }),
        service({ en: 'Service (to open)', fr: 'Service (pour ouvrir)' }),
        text({ en: 'places', fr: 'lieux' }, { en: 'Places, comma-separated: Occitanie, 31, Lille, France', fr: 'Lieux séparés par des virgules : Occitanie, 31, Lille, France' }, { max_length: 500 }),
        text({ en: 'status', fr: 'état' }, { en: 'Service status', fr: 'État du service' }, { choices: choicesOf(STATUS_WORDS) }),
        text({ en: 'phase', fr: 'phase' }, { en: 'Incident phase', fr: 'Phase de l’incident' }, { choices: choicesOf(PHASE_WORDS) }),
        text({ en: 'cause', fr: 'cause' }, { en: 'Cause', fr: 'Cause' }, { choices: choicesOf(CAUSE_WORDS) }),
        text({ en: 'level', fr: 'niveau' }, { en: 'Only this school level', fr: 'Seulement ce niveau' }, { choices: choicesOf(LEVEL_WORDS) }),
        {
          type: Opt.Boolean,
          ...names({ en: 'notify', fr: 'prévenir' }),
          ...describe({ en: 'Also notify subscribed channels (official notice)', fr: 'Prévenir aussi les salons abonnés (avis officiel)' }),
        },
        {
          type: Opt.Boolean,
          ...names({ en: 'force', fr: 'forcer' }),
          ...describe({ en: 'Open even if an identical incident is open (refused otherwise)', fr: 'Ouvrir même si un incident identique est ouvert (refusé sinon)' }),
        },
      ],
    },
  ];
}
