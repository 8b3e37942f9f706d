/**
 * What the Discord alert tests share: an alert as the desk hands it, and readers of the
 * messages the fake Discord stored (their embed, their buttons).
 */
import type { AlertPrefill, SignalAlert } from '../../../src/signals/alert-types.js';
import type { StoredMessage } from '../../fakes/discord/channel-messages.js';

export type Embed = { title: string; description?: string; color: number };
export type Row = { components: { custom_id: string; label: string; style: number }[] };
export type Body = { type?: number; data?: Record<string, unknown>; embeds?: Embed[]; components?: Row[]; allowed_mentions?: unknown; flags?: number; content?: string };
export const EPHEMERAL = 64;
export const MODAL = 9;

export const OCCITANIE: AlertPrefill = { service: 'ent', places: ['region:76', 'departement:34', 'departement:30'], status: 'major_outage', cause: 'unknown' };

/** An alert as the desk would hand it (French words for operators). */
export function alertOf(id: string, over: { state?: 'open' | 'ended'; revision?: number; lines?: string[]; samples?: string[]; prefill?: AlertPrefill; title?: string } = {}): SignalAlert {
  const state = over.state ?? 'open';
  return {
    id,
    state,
    revision: over.revision ?? 1,
    wording: {
      language: 'fr',
      title: over.title ?? 'Signalements en hausse : ENT · Occitanie',
      lines: over.lines ?? ['7 personnes depuis 8 h 10 (7 sur 30 min)', 'Lieux : Hérault (4), Gard (3)'],
      samples: over.samples ?? ['L’ENT ne charge plus depuis ce matin', 'impossible de se connecter à l’ENT'],
      caveat: 'Non confirmé : signalements de personnes, pas un statut officiel.',
      ...(state === 'open' ? { openIncidentLabel: 'Ouvrir un incident' } : {}),
    },
    prefill: over.prefill ?? OCCITANIE,
  };
}

export const embedOf = (m: StoredMessage) => (m.body as Body).embeds![0]!;
export const buttonsOf = (m: StoredMessage | Body) => (('body' in m ? (m.body as Body) : m).components ?? []).flatMap((r) => r.components);
