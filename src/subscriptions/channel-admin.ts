/**
 * Subscriptions changed by an admin for any Slack or Discord channel, from wherever the admin
 * is (`vigie subscriptions add|list|remove`): validated like an import line (platform ids,
 * service, place), a place typed by name resolved, never guessed (a name several places bear
 * is refused with their codes), capped per channel, and audited (done and refused alike).
 */
import type { Service } from '../content/schemas.js';
import type { Gazetteer } from '../places/gazetteer.js';
import type { Store, Subscription } from '../store/index.js';
import type { Understander } from '../understand/index.js';
import { fold } from '../base/text.js';
import { AUDIENCES, CHANNEL_PLATFORMS, LEVELS, type Audience, type ChannelPlatform, type Level, type PlaceRef } from '../base/types.js';
import { resolvePlace } from '../admin/resolve-places.js';
import { MAX_SUBSCRIPTIONS_PER_CHANNEL } from './manage.js';
import { checkLine, type Problem } from './transfer.js';
import { failure, type ErrorCode } from '../base/errors.js';

export type { Problem } from './transfer.js';

/** What the commands need. */
export interface ChannelAdminDeps {
  store: Store;
  gazetteer: Gazetteer;
  understander: Understander;
  services: readonly Service[];
  /** Who acts, for the audit log and as the creator: e.g. { platform: 'cli', user: 'alice' }. */
  actor: { platform: string; user: string };
  now: Date;
}

/** A channel: platform, workspace (Slack team, Discord guild) and channel id. */
export interface ChannelRef {
  platform: ChannelPlatform;
  workspace: string;
  channel: string;
}

/** What `add` is given: the words of the command line. */
export interface AddInput extends ChannelRef {
  service: string;
  place: string;
  levels?: string[];
  audience?: string;
}

/** What `remove` is given: a service, a place, or every subscription of the channel. */
export interface RemoveInput extends ChannelRef {
  service?: string;
  place?: string;
  all?: boolean;
}

/** A place typed by an admin: "region:76", "Occitanie", "31", "31400", "Toulouse"; null with the reason. */
export function resolveAdminPlace(text: string, deps: Pick<ChannelAdminDeps, 'gazetteer' | 'understander'>): { place: PlaceRef } | { problem: Problem } {
  const typed = text.trim();
  if (!typed) return { problem: problem('INPUT_MISSING', 'lieu manquant', 'place is missing', 'place') };
  const folded = fold(typed);
  if (/^\d{5}$/.test(folded)) {
    const communes = deps.gazetteer.communesByPostalCodeOf(folded);
    if (communes.length > 1) return { problem: ambiguous(typed, communes.map((c) => ({ kind: 'commune', code: c.code, name: c.name })), deps.gazetteer) };
  }
  const structured = /^[a-z]+:\S+$/.test(folded) || /^(\d{2,3}|2[ab]|\d{5})$/.test(folded);
  if (structured) {
    const place = resolvePlace(typed, deps.understander, deps.gazetteer);
    return place ? { place } : { problem: unknownPlace(typed) };
  }
  const query = deps.understander.understand(`à ${typed}`);
  const read = query.place ? query : deps.understander.understand(typed);
  if (!read.place) {
    const place = resolvePlace(typed, deps.understander, deps.gazetteer);
    return place ? { place } : { problem: unknownPlace(typed) };
  }
  // Saint-Denis is in the 93 and in La Réunion: the admin says which, never Vigie.
  if (read.alternatives.length > 0) return { problem: ambiguous(typed, [read.place, ...read.alternatives], deps.gazetteer) };
  return { place: read.place };
}

/** A service typed by an admin: its id, short name or alias; "*", "all", "tous" for every service. */
export function resolveAdminService(text: string, services: readonly Service[]): string | null {
  const folded = fold(text.trim());
  if (['*', 'all', 'tous', 'tout', 'every', 'everything'].includes(folded)) return '*';
  for (const s of services) {
    const names = [s.id, s.short.fr, s.short.en, s.name.fr, s.name.en, ...s.aliases].map((n) => fold(n));
    if (names.includes(folded)) return s.id;
  }
  return null;
}

/** Subscribes a channel; the subscription (and whether it is new), or every problem found (nothing written). */
export async function addChannelSubscription(
  input: AddInput,
  deps: ChannelAdminDeps,
): Promise<{ ok: true; subscription: Subscription; created: boolean } | { ok: false; problems: Problem[] }> {
  const problems: Problem[] = [];
  // Platform ids first, with the import's own checks (a swapped or truncated id is caught).
  const ids = checkLine(JSON.stringify({ platform: input.platform, workspace: input.workspace, channel: input.channel, service: '*', place: 'national' }), checkDeps(deps));
  if (Array.isArray(ids)) problems.push(...ids);
  const service = resolveAdminService(input.service, deps.services);
  if (!service) {
    problems.push(
      problem(
        'INPUT_UNKNOWN_SERVICE',
        `service inconnu « ${clip(input.service)} » (l'un de : ${deps.services.map((s) => s.id).join(', ')}, ou *)`,
        `unknown service "${clip(input.service)}" (one of: ${deps.services.map((s) => s.id).join(', ')}, or *)`,
        'service',
      ),
    );
  }
  const resolved = resolveAdminPlace(input.place, deps);
  if ('problem' in resolved) problems.push(resolved.problem);
  const levels = input.levels ?? [];
  for (const l of levels) if (!(LEVELS as readonly string[]).includes(l)) problems.push(problem('INPUT_UNKNOWN_VALUE', `niveau inconnu « ${clip(l)} » (${LEVELS.join(', ')})`, `unknown level "${clip(l)}" (${LEVELS.join(', ')})`, 'levels'));
  if (input.audience !== undefined && !(AUDIENCES as readonly string[]).includes(input.audience)) {
    problems.push(problem('INPUT_UNKNOWN_VALUE', `public inconnu « ${clip(input.audience)} » (${AUDIENCES.join(', ')})`, `unknown audience "${clip(input.audience)}" (${AUDIENCES.join(', ')})`, 'audience'));
  }
  if (problems.length === 0 && service && 'place' in resolved) {
    // The same checks as an imported line: platform ids, service, place.
    const place = resolved.place.kind === 'national' ? 'national' : `${resolved.place.kind}:${resolved.place.code}`;
    const line = JSON.stringify({ platform: input.platform, workspace: input.workspace, channel: input.channel, service, place, levels, ...(input.audience ? { audience: input.audience } : {}) });
    const checked = checkLine(line, checkDeps(deps));
    if (Array.isArray(checked)) problems.push(...checked);
    else {
      const current = await deps.store.subscriptions.list({ platform: input.platform, workspace: input.workspace, channel: input.channel });
      const same = current.some((s) => s.id === checked.subscription.id);
      if (!same && current.length >= MAX_SUBSCRIPTIONS_PER_CHANNEL) {
        problems.push(problem('SUBSCRIPTION_LIMIT', `ce salon suit déjà ${MAX_SUBSCRIPTIONS_PER_CHANNEL} abonnements, le maximum`, `this channel already has ${MAX_SUBSCRIPTIONS_PER_CHANNEL} subscriptions, the maximum`));
      } else {
        const { subscription, created } = await deps.store.subscriptions.add({
          platform: input.platform,
          workspace: input.workspace,
          channel: input.channel,
          service,
          place: resolved.place,
          levels: levels as Level[],
          audience: (input.audience ?? 'all') as Audience,
          createdBy: actorName(deps),
        });
        await audit(deps, 'subscription.add', 'ok', input, `${service} ${place}${created ? '' : ' (already there)'}`);
        return { ok: true, subscription, created };
      }
    }
  }
  await audit(deps, 'subscription.add', 'refused', input, problems.map((p) => p.text.en).join('; '));
  return { ok: false, problems };
}

/** The subscriptions of a channel, of a workspace or of everything (`filter` fields given match exactly). */
export async function listChannelSubscriptions(filter: Partial<ChannelRef>, store: Store): Promise<Subscription[]> {
  const list = filter.platform || filter.workspace !== undefined || filter.channel ? await store.subscriptions.list(filter) : await store.subscriptions.listAll();
  return list.filter((s) => (CHANNEL_PLATFORMS as readonly string[]).includes(s.platform));
}

/**
 * Removes a channel's subscriptions to a service, a place, both, or all of them (`all`); a
 * removal that would match nothing, or that names neither service nor place without `all`,
 * is refused: a command line never widens a removal by itself.
 */
export async function removeChannelSubscriptions(input: RemoveInput, deps: ChannelAdminDeps): Promise<{ ok: true; removed: Subscription[] } | { ok: false; problems: Problem[] }> {
  const problems: Problem[] = [];
  const ids = checkLine(JSON.stringify({ platform: input.platform, workspace: input.workspace, channel: input.channel, service: '*', place: 'national' }), checkDeps(deps));
  if (Array.isArray(ids)) problems.push(...ids);
  let service: string | null | undefined;
  let place: PlaceRef | undefined;
  if (input.service !== undefined) {
    service = resolveAdminService(input.service, deps.services);
    if (!service) problems.push(problem('INPUT_UNKNOWN_SERVICE', `service inconnu « ${clip(input.service)} »`, `unknown service "${clip(input.service)}"`, 'service'));
  }
  if (input.place !== undefined) {
    const resolved = resolveAdminPlace(input.place, deps);
    if ('problem' in resolved) problems.push(resolved.problem);
    else place = resolved.place;
  }
  if (!input.all && input.service === undefined && input.place === undefined) {
    problems.push(problem('INPUT_MISSING', 'précisez --service, --place, ou --all pour tout retirer', 'give --service, --place, or --all to remove everything'));
  }
  if (problems.length === 0) {
    const current = await deps.store.subscriptions.list({ platform: input.platform, workspace: input.workspace, channel: input.channel });
    const matching = current.filter(
      (s) => (service === undefined || s.service === service) && (place === undefined || (s.place.kind === place.kind && s.place.code === place.code)),
    );
    if (matching.length === 0) {
      problems.push(problem('SUBSCRIPTION_NONE', `aucun abonnement de ce salon ne correspond (il en a ${current.length})`, `no subscription of this channel matches (it has ${current.length})`));
    } else {
      for (const s of matching) await deps.store.subscriptions.remove(s.id);
      await audit(deps, 'subscription.remove', 'ok', input, matching.map((s) => `${s.service} ${s.place.kind}:${s.place.code}`).join(', '));
      return { ok: true, removed: matching };
    }
  }
  await audit(deps, 'subscription.remove', 'refused', input, problems.map((p) => p.text.en).join('; '));
  return { ok: false, problems };
}

function checkDeps(deps: ChannelAdminDeps): Parameters<typeof checkLine>[1] {
  // The store locates the place itself when it writes; the check only reads the line.
  return { gazetteer: deps.gazetteer, services: new Set(deps.services.map((s) => s.id)), locate: () => ({ region: '', academie: '', departement: '' }), actor: actorName(deps), now: deps.now };
}

function actorName(deps: Pick<ChannelAdminDeps, 'actor'>): string {
  return `${deps.actor.platform}:${deps.actor.user}`;
}

async function audit(deps: ChannelAdminDeps, action: string, outcome: 'ok' | 'refused', channel: ChannelRef, detail: string): Promise<void> {
  await deps.store.audit.append({
    actor: deps.actor,
    action,
    outcome,
    target: `${channel.platform}/${channel.workspace}/${channel.channel}`,
    ...(detail ? { detail: detail.slice(0, 500) } : {}),
  });
}

function ambiguous(typed: string, places: PlaceRef[], gazetteer: Gazetteer): Problem {
  const named = places.slice(0, 10).map((p) => {
    const dep = p.kind === 'commune' ? gazetteer.commune(p.code)?.departement : undefined;
    const depName = dep ? gazetteer.get('departement', dep)?.name : undefined;
    return `${p.kind}:${p.code} (${p.name}${depName ? `, ${depName}` : ''})`;
  });
  return problem(
    'INPUT_AMBIGUOUS_PLACE',
    `« ${clip(typed)} » désigne plusieurs lieux : précisez-le avec son code, l'un de ${named.join(' ; ')}`,
    `"${clip(typed)}" names several places: give its code, one of ${named.join('; ')}`,
    'place',
  );
}

function unknownPlace(typed: string): Problem {
  return problem(
    'INPUT_UNKNOWN_PLACE',
    `lieu inconnu « ${clip(typed)} » (un nom, un numéro de département, un code postal ou TYPE:CODE : region:76, departement:31, academie:toulouse, commune:31555, national)`,
    `unknown place "${clip(typed)}" (a name, a département number, a postal code or KIND:CODE: region:76, departement:31, academie:toulouse, commune:31555, national)`,
    'place',
  );
}

function problem(code: ErrorCode, fr: string, en: string, field?: string): Problem {
  return failure(code, { fr, en }, field);
}

function clip(text: string): string {
  const one = text.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return one.length > 40 ? `${one.slice(0, 40)}…` : one;
}

