/**
 * Channel subscriptions from what people type or click: "abonner ENT Occitanie",
 * "désabonner tout", the "follow updates" button. Every outcome comes with a Reply in the
 * person's language; a missing place is a clarifying question, never a guess.
 */
import type { Service } from '../content/schemas.js';
import type { Templates } from '../content/templates.js';
import { neutralizeMentions } from '../answer/safe-text.js';
import type { Gazetteer } from '../places/gazetteer.js';
import type { Store, Subscription } from '../store/index.js';
import { SUBSCRIPTION_PLATFORMS } from '../store/index.js';
import type { Understander } from '../understand/index.js';
import { fold } from '../base/text.js';
import type { ConversationRef, Inbound, Language, Level, PlaceRef, Reply, ReplySection } from '../base/types.js';
import { LEVELS } from '../base/types.js';
import { resolvePlace } from '../admin/resolve-places.js';
import type { Actor } from '../base/types.js';

/** The result of a subscription action. */
export interface SubscriptionOutcome {
  reply: Reply;
  /** The channel's subscriptions after the action. */
  subscriptions: Subscription[];
  changed: boolean;
}

/** What subscriptions need from the rest of the core. */
export interface SubscriptionDeps {
  store: Store;
  understander: Understander;
  gazetteer: Gazetteer;
  templates: Templates;
  services: ReadonlyMap<string, Service>;
  now: () => Date;
}

const COMMAND_WORDS = /^\s*(s['’]\s*abonner|abonner|abonne|abonnez|suivre|subscribe|follow|d[ée]sabonner|d[ée]sabonne|unsubscribe|unfollow)\b[\s:]*/i;
const EVERYTHING = new Set(['tout', 'tous', 'all', 'everything', 'tout le salon', 'toutes']);
const NATIONAL_WORDS = /\b(france|national|nationale|partout|nationwide|everywhere)\b/;
const FILLERS = new Set(['l', 'le', 'la', 'les', 'de', 'du', 'des', 'd', 'pour', 'a', 'au', 'aux', 'the', 'for', 'of', 'to', 'from', 'ce', 'salon', 'canal', 'channel', 'this']);
const ALL_SERVICES = /\b(tous les services|tout service|all services|tous services)\b/;

/** At most this many subscriptions per channel: beyond, a channel is being spammed, not informed. */
export const MAX_SUBSCRIPTIONS_PER_CHANNEL = 50;

/** Subscriptions listed per section, so every platform shows them all without cutting. */
export const SUBSCRIPTIONS_PER_SECTION = 10;

/** Subscribes, lists and removes the subscriptions of a channel. */
export class SubscriptionManager {
  constructor(private readonly deps: SubscriptionDeps) {}

  /** "abonner ENT Occitanie" (the command word is optional). */
  async subscribe(inbound: Inbound, audience: Subscription['audience'] = 'all'): Promise<SubscriptionOutcome> {
    const target = this.read(inbound.text, inbound.locale);
    const actor = inbound.conversation.user ?? 'unknown';
    if (!target.place) {
      return this.outcome(inbound.conversation, target.language, this.reply(target.language, 'sub.headline_need_place', 'sub.need_place', {}), false);
    }
    return this.add(inbound.conversation, { service: target.service, place: target.place, levels: target.levels }, actor, target.language, audience);
  }

  /** The "follow updates" button: its value is "serviceId kind:code" (either part may be missing). */
  async subscribeTo(conversation: ConversationRef, value: string, actor: Actor, language: Language): Promise<SubscriptionOutcome> {
    const parts = value.trim().split(/\s+/).filter(Boolean);
    let service = '*';
    let place: PlaceRef | null = null;
    for (const part of parts) {
      if (part.includes(':')) place = resolvePlace(part, this.deps.understander, this.deps.gazetteer);
      else if (this.deps.services.has(part)) service = part;
    }
    if (!place) return this.outcome(conversation, language, this.reply(language, 'sub.headline_need_place', 'sub.need_place', {}), false);
    return this.add(conversation, { service, place, levels: [] }, actor.user, language, 'all');
  }

  /**
   * "désabonner ENT Occitanie", "désabonner Nice", "unsubscribe ent region:76", or
   * "désabonner tout". Places are matched against the channel's own subscriptions (by name or
   * kind:code); words that name no place it follows never widen the removal to every place.
   */
  async unsubscribe(inbound: Inbound): Promise<SubscriptionOutcome> {
    const conversation = inbound.conversation;
    const rest = inbound.text.replace(COMMAND_WORDS, '').trim();
    const target = this.read(inbound.text, inbound.locale);
    const lang = target.language;
    const current = await this.ofChannel(conversation);
    const folded = ` ${fold(rest).replace(/[^a-z0-9:]+/g, ' ').trim()} `;
    let matching: Subscription[];
    if (EVERYTHING.has(folded.trim())) matching = current;
    else {
      const named = current.filter(
        (s) => folded.includes(` ${s.place.kind}:${fold(s.place.code)} `) || folded.includes(` ${fold(s.place.name).replace(/[^a-z0-9]+/g, ' ').trim()} `),
      );
      const byPlace =
        named.length > 0
          ? named
          : target.place
            ? current.filter((s) => s.place.kind === target.place!.kind && s.place.code === target.place!.code)
            : this.onlyServiceWords(folded)
              ? current
              : [];
      matching = byPlace.filter((s) => target.service === '*' || s.service === target.service);
    }
    if (current.length === 0 || matching.length === 0 || rest === '') {
      const text = current.length === 0 ? 'sub.list_empty' : 'sub.not_found';
      return this.outcome(conversation, lang, this.reply(lang, 'sub.headline_list', text, { count: current.length }, current), false);
    }
    for (const s of matching) await this.deps.store.subscriptions.remove(s.id);
    const reply = this.reply(lang, 'sub.headline_removed', 'sub.removed', { count: matching.length }, matching);
    return this.outcome(conversation, lang, reply, true);
  }

  /** True when the words name services (and fillers) only: "désabonner ent" means every place. */
  private onlyServiceWords(folded: string): boolean {
    let left = folded;
    for (const phrase of this.serviceWords) left = left.split(` ${phrase} `).join(' ');
    return left.split(' ').every((w) => w.length === 0 || FILLERS.has(w));
  }

  /** Every service's names and aliases, folded, longest first. */
  private get serviceWords(): string[] {
    this.cachedServiceWords ??= [...this.deps.services.values()]
      .flatMap((s) => [s.id, s.short.fr, s.short.en, ...s.aliases])
      .map((w) => fold(w).replace(/[^a-z0-9]+/g, ' ').trim())
      .filter(Boolean)
      .sort((a, b) => b.length - a.length);
    return this.cachedServiceWords;
  }
  private cachedServiceWords: string[] | null = null;

  /**
   * Refuses a change to a channel's subscriptions by someone who may not make it (the
   * adapter knows the platform's roles): audited, and answered with who can.
   */
  async refuse(conversation: ConversationRef, actor: Actor, action: 'subscribe' | 'unsubscribe', language: Language): Promise<SubscriptionOutcome> {
    await this.deps.store.audit.append({
      actor: { platform: actor.platform, user: actor.workspace ? `${actor.workspace}/${actor.user}` : actor.user },
      action: `subscription.${action}`,
      outcome: 'refused',
      target: `${conversation.platform}/${conversation.workspace ?? ''}/${conversation.channel}`,
    });
    return this.outcome(conversation, language, { ...this.reply(language, 'sub.headline_refused', 'sub.refused', {}), kind: 'error' }, false);
  }

  /** The channel's subscriptions. */
  async list(conversation: ConversationRef, language: Language): Promise<SubscriptionOutcome> {
    const current = await this.ofChannel(conversation);
    const text = current.length === 0 ? 'sub.list_empty' : 'sub.list';
    return this.outcome(conversation, language, this.reply(language, 'sub.headline_list', text, { count: current.length }, current), false);
  }

  private async add(
    conversation: ConversationRef,
    target: { service: string; place: PlaceRef; levels: Level[] },
    createdBy: string,
    lang: Language,
    audience: Subscription['audience'],
  ): Promise<SubscriptionOutcome> {
    const platform = platformOf(conversation);
    if (!platform) return this.outcome(conversation, lang, this.reply(lang, 'sub.headline_list', 'sub.unsupported', {}), false);
    const current = await this.ofChannel(conversation);
    const same = current.some((s) => s.service === target.service && s.place.kind === target.place.kind && s.place.code === target.place.code && sameLevels(s.levels, target.levels));
    if (!same && current.length >= MAX_SUBSCRIPTIONS_PER_CHANNEL) {
      const reply = this.reply(lang, 'sub.headline_full', 'sub.full', { max: MAX_SUBSCRIPTIONS_PER_CHANNEL });
      return { reply, subscriptions: current, changed: false };
    }
    const { subscription, created } = await this.deps.store.subscriptions.add({
      platform,
      workspace: conversation.workspace ?? '',
      channel: conversation.channel,
      service: target.service,
      place: target.place,
      levels: target.levels,
      audience,
      createdBy,
    });
    const what = this.describe(lang, subscription);
    const reply = this.reply(lang, created ? 'sub.headline_created' : 'sub.headline_exists', created ? 'sub.created' : 'sub.exists', { what });
    return this.outcome(conversation, lang, reply, created);
  }

  private read(text: string, locale?: string): { service: string; place: PlaceRef | null; levels: Level[]; language: Language } {
    const rest = text.replace(COMMAND_WORDS, '');
    const query = this.deps.understander.understand(rest, { locale });
    const folded = fold(rest);
    const place = query.place ?? (NATIONAL_WORDS.test(folded) ? this.deps.gazetteer.get('national', 'FR') : null);
    const service = ALL_SERVICES.test(folded) ? '*' : (query.service ?? '*');
    // Subscription commands are short and full of names: the platform's locale, when known,
    // says the language better than their words do.
    const language: Language = locale ? (locale.toLowerCase().startsWith('en') ? 'en' : 'fr') : query.language;
    return { service, place, levels: query.level ? [query.level] : [], language };
  }

  private async ofChannel(conversation: ConversationRef): Promise<Subscription[]> {
    const platform = platformOf(conversation);
    if (!platform) return [];
    return this.deps.store.subscriptions.list({ platform, workspace: conversation.workspace ?? '', channel: conversation.channel });
  }

  private describe(lang: Language, s: Pick<Subscription, 'service' | 'place' | 'levels'> & { active?: boolean }): string {
    const t = this.deps.templates;
    const service = s.service === '*' ? t.t(lang, 'sub.all_services') : (this.deps.services.get(s.service)?.short[lang] ?? s.service);
    const levels = s.levels.length === 0 ? '' : ` (${s.levels.map((l) => t.t(lang, `level.${l}`)).join(', ')})`;
    const paused = 'active' in s && s.active === false ? ` — ${t.t(lang, 'sub.paused')}` : '';
    return `${service} — ${s.place.name}${levels}${paused}`;
  }

  /** A listing in sections of SUBSCRIPTIONS_PER_SECTION lines: every one shown, none cut. */
  private listSections(lang: Language, list: Subscription[]): ReplySection[] {
    const t = this.deps.templates;
    const sections: ReplySection[] = [];
    for (let from = 0; from < list.length; from += SUBSCRIPTIONS_PER_SECTION) {
      const chunk = list.slice(from, from + SUBSCRIPTIONS_PER_SECTION);
      const title = list.length <= SUBSCRIPTIONS_PER_SECTION ? t.t(lang, 'sub.section') : t.t(lang, 'sub.section_range', { from: from + 1, to: from + chunk.length, total: list.length });
      sections.push({ key: 'subscription_list', title, text: neutralizeMentions(chunk.map((s) => `• ${this.describe(lang, s)}`).join('\n')) });
    }
    return sections;
  }

  private reply(lang: Language, headline: string, text: string, vars: Record<string, string | number>, list: Subscription[] = []): Reply {
    const t = this.deps.templates;
    return {
      kind: 'subscribe',
      language: lang,
      headline: neutralizeMentions(t.t(lang, headline)),
      status: null,
      sections: [{ key: 'subscriptions', title: t.t(lang, 'sub.section'), text: neutralizeMentions(t.t(lang, text, vars)) }, ...this.listSections(lang, list)],
      source: null,
      time: this.deps.now().toISOString(),
      actions: [],
      incidents: [],
    };
  }

  private async outcome(conversation: ConversationRef, lang: Language, reply: Reply, changed: boolean): Promise<SubscriptionOutcome> {
    return { reply, subscriptions: await this.ofChannel(conversation), changed };
  }
}

function sameLevels(a: readonly Level[], b: readonly Level[]): boolean {
  return a.length === b.length && a.every((l) => b.includes(l));
}

function platformOf(conversation: ConversationRef): Subscription['platform'] | null {
  return (SUBSCRIPTION_PLATFORMS as readonly string[]).includes(conversation.platform) ? (conversation.platform as Subscription['platform']) : null;
}

/** Levels as the subscription forms accept them. */
export const SUBSCRIBABLE_LEVELS: readonly Level[] = LEVELS;
