/**
 * The answer composer: a Query and the incidents in effect become a Reply, in the
 * question's language, with every fact taken from an incident or from content/.
 */
import type { Content } from '../content/load.js';
import type { Service } from '../content/schemas.js';
import type { IncidentIndex, IncidentMatches, IndexView } from '../incidents/incident-index.js';
import type { Gazetteer } from '../places/gazetteer.js';
import { placeKey } from '../places/gazetteer.js';
import type { Incident } from '../incidents/schema.js';
import type { DemoLabel, Language, PlaceRef, Query, Reply, ReplyAction, ReplyBrief, ReplySection, TimePrecision } from '../base/types.js';
import { causeOf, Chooser, encodeChoice } from './choices.js';
import { briefOf } from './brief.js';
import { composeIncidents, listSection, MAX_LISTED, sourceOf } from './incident-reply.js';
import { IncidentSentences, latestUpdate, STATUS_EMOJI, type SentenceDeps } from './incident-sentences.js';
import { createTemplates, joinList, tidy, type Templates } from '../content/templates.js';
import { OtherReplies, type Draft } from './other-replies.js';
import { createPlacePhrases } from './place-phrases.js';
import { neutralizeMentions } from './safe-text.js';
import { createTimePhrases } from '../content/time-phrases.js';
import type { SignalView } from '../signals/service.js';

/** Options of one answer. */
export interface AnswerOptions {
  /** Set when the incidents come from a replayed scenario: the reply carries the label. */
  demo?: DemoLabel;
  /**
   * The question comes from a Slack or Discord channel, which can be subscribed: "préviens-moi
   * quand le CNED revient" then gets a "follow in this channel" button; elsewhere (console,
   * CLI) it is told that subscriptions are for Slack and Discord channels.
   */
  channel?: boolean;
  /**
   * What crowd reports and probes say for the question's service and place (#15): the reply
   * gets one line labelled "Non confirmé", and nothing else of it changes (status, colour,
   * headline stay the official word's, `unknown` with none).
   */
  signal?: SignalView | null;
}

/** Turns questions into replies. */
export interface Answerer {
  answer(query: Query, incidents: IncidentIndex, now: Date, options?: AnswerOptions): Reply;
  /**
   * One line per incident in effect, in the words of answers and relative to the reader's now
   * on the Paris clock: "🔴 ENT : panne majeure en Occitanie (depuis 9 h)". For listings.
   */
  listing(incidents: readonly Incident[], language: Language, now: Date): string[];
  /**
   * What an incident's latest update said, in the words of answers: "🔴 ENT : panne majeure
   * en Occitanie — Ministère de l'Éducation nationale : « … »" (a resolution reads "🟢 ENT :
   * rétabli …"). For a scenario's steps.
   */
  step(incident: Incident, language: Language, now: Date): string;
  /**
   * A report reply with what was counted first: "Merci, c'est noté. 23 personnes ont signalé
   * un problème avec l'ENT en Occitanie depuis 30 min ; aucune information officielle pour
   * l'instant." (`count`: distinct people, this one included), or, with `count` null (the
   * report could not be stored), that it was not recorded. Never that it was forwarded.
   */
  counted(reply: Reply, query: Query, count: number | null, now: Date): Reply;
}

/** Replies whose details are worth a "more" action (the others are whole in their first message). */
const DETAILED = new Set<Reply['kind']>(['incidents', 'all_clear', 'no_information', 'report', 'help']);

/** How much of an update a scenario step quotes before "…". */
const STEP_TEXT_MAX = 160;

/** The text cut at a word boundary to at most `max` characters, with "…" when cut. */
function cutWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}

/** A reply memoised on a lookup result, and what else of the index its words read. */
interface MemoisedReply {
  reply: Reply;
  /** Set when the reply made other lookups: good for this index only. */
  index: IncidentIndex | null;
  /** Set when the reply gave the latest update's time: good while it is the same. */
  latest?: string | null;
  precision?: TimePrecision | undefined;
}

function stillGood(kept: MemoisedReply, index: IncidentIndex): boolean {
  if (kept.index !== null && kept.index !== index) return false;
  return !('latest' in kept) || (kept.latest === index.latestUpdateAt() && kept.precision === index.latestUpdatePrecision());
}

/** Intents that ask about the state of services. */
const ABOUT_STATUS = new Set(['status', 'eta', 'cause', 'advice', 'report']);

/** Builds an answerer over the content (services, message templates) and the gazetteer. */
export function createAnswerer(deps: { content: Content; gazetteer: Gazetteer; templates?: Templates }): Answerer {
  // The bot's own templates when it has them: one catalogue per content, not one per user.
  const templates = deps.templates ?? createTemplates(deps.content.messages);
  const services = new Map<string, Service>(deps.content.services.map((s) => [s.id, s]));
  const sentenceDeps: SentenceDeps = {
    templates,
    places: createPlacePhrases(templates, deps.gazetteer),
    times: createTimePhrases(templates),
    gazetteer: deps.gazetteer,
    services,
    cache: new WeakMap(),
  };
  const chooser = new Chooser(deps.gazetteer, sentenceDeps.places);

  // Replies memoised per lookup result (a frozen object the index hands out again until an
  // incident starts or ends) and per question shape and day: the same question asked again in
  // the same state gets the same words, without composing them again.
  // A reply that read more of the index than its lookup result (another lookup, the latest
  // update's time) says so, and is good only while that is unchanged: the same index for a
  // lookup, the same time for the latest update. The index hands an unchanged lookup result
  // on to the next index when an incident elsewhere changes (incident-index.ts).
  const replies = new WeakMap<object, Map<string, MemoisedReply>>();
  const STATIC = {};
  // In front of it, per query object: the understander hands out one frozen Query per wording
  // (and language hint), so a question asked again needs no lookup and no shape key, only a
  // check that the incidents (the index object, and its epoch: the span between two instants
  // where an incident starts, ends or leaves the recently-resolved window) and the day are
  // those the reply was composed for. A new index (an incident written, the store re-read)
  // never matches an older entry. Entries live as long as their query object does.
  const byQuery = new WeakMap<Query, { index: IncidentIndex; epoch: number; day: string; channel: boolean; reply: Reply }>();
  const truncatedNotes = new Map<string, ReplySection>();
  // The "Non confirmé" line is not part of the memoised reply (a reply is memoised on the
  // incidents, which change far less often than the counts): it is added to it per answer,
  // memoised on what the signal says (its signature), the language and the day, so a changed
  // signal is never hidden by a memoised reply.
  const signalLines = new Map<string, ReplySection>();

  return {
    listing(incidents, language, now) {
      const sentences = new IncidentSentences(sentenceDeps, language, now);
      return incidents.map((i) => sentences.item(i));
    },
    step(incident, language, now) {
      const sentences = new IncidentSentences(sentenceDeps, language, now);
      const update = latestUpdate(incident);
      const headline = incident.resolvedAt !== null ? sentences.restoredHeadline(incident) : sentences.headline(incident);
      if (!update) return headline;
      return tidy(language, sentences.t('timeline.step', { headline, source: update.source.name, text: cutWords(update.text[language].trim(), STEP_TEXT_MAX) }));
    },
    counted(reply, query, count, now) {
      const sentences = new IncidentSentences(sentenceDeps, reply.language, now);
      const known = reply.incidents.length > 0;
      let text: string;
      if (count === null) text = sentences.t('report.not_counted');
      else {
        const place = where(query, sentences);
        const about = query.service ? sentences.t('report.about', { service: sentences.serviceName(query.service), where: place }) : sentences.t('report.about_any', { where: place });
        text = tidy(sentences.lang, sentences.t(count === 1 ? 'report.counted_one' : 'report.counted', { count, about, official: known ? '' : sentences.t('report.no_official') }));
      }
      text = neutralizeMentions(text);
      // With no incident known, the count says so ("aucune information officielle"): the line
      // "no incident is known" would say it twice.
      const kept = reply.sections.filter((s) => known || count === null || s.key !== 'match');
      const match = known ? reply.sections.find((s) => s.key === 'match') : undefined;
      const signal = reply.sections.find((s) => s.key === 'signal');
      const facts = match ? [text, match.text] : [text];
      if (signal) facts.splice(1, 0, signal.text);
      return { ...reply, sections: [sentences.section('counted', text), ...kept], brief: { facts } };
    },
    answer(query, incidents, now, options) {
      const reply = memoised(query, incidents, now, options?.channel === true);
      // The memoised parts are frozen and shared (sections, actions, incidents, source): a
      // renderer may keep its work per reply parts; nobody changes them.
      const out: Reply = {
        kind: reply.kind,
        language: reply.language,
        headline: reply.headline,
        status: reply.status,
        sections: query.truncated ? [...reply.sections, truncatedNote(query, now)] : reply.sections,
        source: reply.source,
        time: now.toISOString(),
        actions: reply.actions,
        incidents: reply.incidents,
      };
      if (reply.brief) out.brief = reply.brief;
      const signal = options?.signal;
      if (signal && (reply.status !== null || reply.kind === 'report')) {
        const line = signalLine(query.language, signal, now);
        if (line) {
          // Right after the first section and the first fact: shown in the first message.
          out.sections = [...out.sections.slice(0, 1), line, ...out.sections.slice(1)];
          if (out.brief) out.brief = { ...out.brief, facts: [...out.brief.facts.slice(0, 1), line.text, ...out.brief.facts.slice(1)] };
        }
      }
      if (options?.demo) out.demo = options.demo;
      return out;
    },
  };

  /** The reply's words for this query, incidents and day (time not stamped), composed at most once per state. */
  function memoised(query: Query, incidents: IncidentIndex, now: Date, channel: boolean): Reply {
    const frozen = Object.isFrozen(query);
    const epoch = incidents.epochAt(now);
    const day = sentenceDeps.times.day(now);
    if (frozen) {
      const known = byQuery.get(query);
      if (known && known.index === incidents && known.epoch === epoch && known.day === day && known.channel === channel) return known.reply;
    }
    // The sentences are built only when a reply is composed (a memo hit needs none of them).
    let built: IncidentSentences | null = null;
    const sentences = () => (built ??= new IncidentSentences(sentenceDeps, query.language, now));
    const matches = ABOUT_STATUS.has(query.intent) && !(query.unknownPlace !== null && query.place === null)
      ? incidents.find({ service: query.service, place: query.place, level: query.level, at: now }, MAX_LISTED + 1)
      : null;
    // A subscription request is answered with a follow button in a channel, in words elsewhere.
    const memoKey = `${shapeOf(query, now)}|${channel && query.intent === 'subscribe' ? 'channel' : ''}`;
    let forState = replies.get(matches ?? STATIC);
    const kept = forState?.get(memoKey);
    let reply = kept && stillGood(kept, incidents) ? kept.reply : undefined;
    if (!reply) {
      const others = new OtherReplies(sentences(), templates, sentenceDeps.places, deps.content.services);
      const read: MemoisedReply = { reply: null!, index: null };
      const readLatest = () => {
        read.latest = incidents.latestUpdateAt();
        read.precision = incidents.latestUpdatePrecision();
      };
      const view: IndexView = {
        find: (q, limit) => {
          read.index = incidents;
          return incidents.find(q, limit);
        },
        latestUpdateAt: () => (readLatest(), read.latest!),
        latestUpdatePrecision: () => (readLatest(), read.precision),
      };
      const draft = compose(query, view, matches, sentences(), others, channel);
      // The source's time in words relative to the reader's day ("9 h", "hier, 18 h 45").
      if (draft.source) draft.source = { ...draft.source, when: sentenceDeps.times.short(query.language, draft.source.at, now, draft.source.precision) };
      // Short first: the asked fact for the first message, the rest one action away.
      const main = matches?.active.find((i) => i.id === draft.incidents[0]) ?? matches?.recentlyResolved.find((i) => i.id === draft.incidents[0]);
      draft.brief ??= briefFor(draft, query, sentences(), main, matches);
      if (DETAILED.has(draft.kind)) draft.actions.unshift(moreAction(query, sentences(), main));
      const other = otherReading(query, sentences(), draft.actions);
      if (other) draft.actions.push(other);
      reply = freezeParts(defuse({ ...draft, language: query.language, time: '' }));
      if (!forState) {
        forState = new Map();
        replies.set(matches ?? STATIC, forState);
      }
      if (forState.size > 5_000) forState.clear();
      read.reply = reply;
      forState.set(memoKey, read);
    }
    if (frozen) byQuery.set(query, { index: incidents, epoch, day, channel, reply });
    return reply;
  }

  /**
   * "Non confirmé : 37 signalements en Occitanie depuis 8 h 10 · vérification automatique :
   * ENT sans réponse depuis 8 h 52." (frozen, per signal state, language and day), or null.
   */
  function signalLine(language: Language, signal: SignalView, now: Date): ReplySection | null {
    const key = `${language}|${sentenceDeps.times.day(now)}|${signal.signature}`;
    let line = signalLines.get(key);
    if (line) return line;
    const sentences = new IncidentSentences(sentenceDeps, language, now);
    const parts: string[] = [];
    const e = signal.episode;
    // A count over France is "en France", never "dans toute la France": reports come from somewhere.
    const where = (place: PlaceRef) => (place.kind === 'national' ? sentences.t('signal.where_national') : sentenceDeps.places.phrase(language, place));
    if (e && signal.more !== undefined) {
      // Every service at a place (a question naming none): each count says its service, and
      // counts of one place and time share them ("100 signalements (ENT) et 21 (CNED) en …").
      const groups = new Map<string, { where: string; time: string; counts: string[] }>();
      for (const episode of [e, ...signal.more]) {
        // A France-wide episode's part in the asked place's région, when people reported there.
        const place = episode.local?.place ?? episode.place;
        const total = episode.local?.total ?? episode.total;
        const at = where(place);
        const time = sentenceDeps.times.when(language, episode.firstSeen.toISOString(), now);
        let group = groups.get(`${at}|${time}`);
        if (!group) groups.set(`${at}|${time}`, (group = { where: at, time, counts: [] }));
        const key = group.counts.length > 0 ? 'signal.count_service_more' : total === 1 ? 'signal.count_service_one' : 'signal.count_service';
        group.counts.push(sentences.t(key, { count: total, service: sentences.serviceName(episode.service) }));
      }
      for (const g of groups.values()) {
        const counts = g.counts.length > 1 ? `${g.counts.slice(0, -1).join(', ')}${sentences.t('signal.and')}${g.counts[g.counts.length - 1]}` : g.counts[0]!;
        parts.push(sentences.t('signal.crowd_services', { counts, where: g.where, time: g.time }));
      }
    } else if (e) {
      const time = sentenceDeps.times.when(language, e.firstSeen.toISOString(), now);
      parts.push(
        e.local
          ? // "25 signalements en Occitanie depuis 8 h (100 en France)": where the reports are, then the episode's whole.
            sentences.t(e.local.total === 1 ? 'signal.crowd_within_one' : 'signal.crowd_within', { count: e.local.total, where: where(e.local.place), time, total: e.total, wider: where(e.place) })
          : sentences.t(e.total === 1 ? 'signal.crowd_one' : 'signal.crowd', { count: e.total, where: where(e.place), time }),
      );
    }
    // One probe line: the one down (or slow) the longest.
    const probe = [...signal.probes].filter((p) => p.state === 'down' || p.state === 'slow').sort((a, b) => a.since.getTime() - b.since.getTime())[0];
    if (probe) {
      parts.push(
        sentences.t(`signal.probe.${probe.state}`, {
          service: sentences.serviceName(probe.service),
          time: sentenceDeps.times.when(language, probe.since.toISOString(), now),
        }),
      );
    }
    if (parts.length === 0) return null;
    // A replayed scenario's reconstructed reports say so on the line itself.
    const template = e ? (signal.reconstructed ? 'signal.line_reconstructed' : 'signal.line') : 'signal.line_probe';
    const text = neutralizeMentions(tidy(language, sentences.t(template, { parts: parts.join(sentences.t('signal.separator')) })));
    line = Object.freeze(sentences.section('signal', text));
    if (signalLines.size > 1_000) signalLines.clear();
    signalLines.set(key, line);
    return line;
  }

  /** The note that the question was cut, per language and day (frozen, like every memoised section). */
  function truncatedNote(query: Query, now: Date): ReplySection {
    const key = `${query.language}|${sentenceDeps.times.day(now)}`;
    let note = truncatedNotes.get(key);
    if (!note) {
      const sentences = new IncidentSentences(sentenceDeps, query.language, now);
      note = Object.freeze(sentences.section('note', sentences.t('note.truncated')));
      if (truncatedNotes.size > 100) truncatedNotes.clear();
      truncatedNotes.set(key, note);
    }
    return note;
  }

  /** Everything of a query (and the day) that the words of a reply depend on. */
  function shapeOf(query: Query, now: Date): string {
    const place = query.place ? `${query.place.kind}:${query.place.code}=${query.place.name}` : '';
    let alternatives = '';
    for (const p of query.alternatives) alternatives += `${p.kind}:${p.code}=${p.name},`;
    // With no service and no place, a cause word picks the incidents shown (choices.ts).
    const cause = query.service === null && query.place === null ? (causeOf(query.text) ?? '') : '';
    return `${query.language}|${query.intent}|${query.service ?? ''}|${query.level ?? ''}|${place}|${alternatives}|${query.unknownPlace ?? ''}|${query.otherIntent ?? ''}|${cause}|${sentenceDeps.times.day(now)}`;
  }

  function compose(query: Query, index: IndexView, found: IncidentMatches | null, sentences: IncidentSentences, others: OtherReplies, channel: boolean): Draft {
    let matches = found;
    if (query.intent === 'help') return others.help();
    if (query.intent === 'unknown') return others.unknown();
    if (query.intent === 'subscribe' || query.intent === 'unsubscribe') return others.subscribe(query, channel);
    if (!ABOUT_STATUS.has(query.intent) || matches === null) {
      return query.unknownPlace !== null ? others.unknownPlace(query, query.unknownPlace) : others.unknown();
    }

    // Ambiguity is said: homonyms whose answers differ, or several incidents and nothing to tell them apart.
    const chosen = query.intent === 'report' ? null : chooser.choose(query, index, matches, sentences, MAX_LISTED + 1);
    if (chosen?.kind === 'ask') return chosen.draft;
    if (chosen?.kind === 'matches') matches = chosen.matches;
    const named = chosen?.kind === 'agree' ? chosen.named : null;
    const alternatives =
      chosen?.kind === 'agree'
        ? { section: sentences.section('same_answer', sentences.t('choice.same', { place: chosen.named, others: joinList(templates, sentences.lang, chosen.others) })), actions: [] }
        : others.alternatives(query, query.alternatives);
    let draft: Draft;
    if (query.intent === 'report') draft = report(query, matches, sentences);
    else if (matches.active.length > 0) draft = { ...composeIncidents(sentences, query, matches), actions: [] };
    else if (query.service === null && query.intent === 'advice') return others.whichService(query);
    else draft = noIncident(query, index, matches, sentences, named);

    if (alternatives) {
      draft.sections.push(alternatives.section);
      draft.actions.push(...alternatives.actions);
    }
    draft.actions.push(...followUps(query, sentences));
    return draft;
  }

  /** The first message's facts; for incidents, the line a follow-up gives alone ("🔴 ENT en Occitanie — Cause : …"). */
  function briefFor(draft: Draft, query: Query, sentences: IncidentSentences, main: Incident | undefined, matches: IncidentMatches | null): ReplyBrief {
    if (draft.kind !== 'incidents' || !main) return briefOf(draft, { lang: sentences.lang, intent: query.intent });
    const others = (matches?.activeCount ?? 1) - 1;
    return briefOf(draft, {
      lang: sentences.lang,
      intent: query.intent,
      subject: sentences.t('brief.subject', { service: sentences.serviceName(main.service), where: sentenceDeps.places.scope(sentences.lang, main.scope.places) }),
      emoji: STATUS_EMOJI[main.status],
      ...(others > 0 ? { others: sentences.t('brief.others', { count: others }) } : {}),
    });
  }

  /**
   * The intent nearly as likely as the one answered, offered in one click ("Ou : quand
   * est-ce que ça revient ?") rather than guessed silently. None when the reply already has
   * that action (report, follow).
   */
  function otherReading(query: Query, sentences: IncidentSentences, actions: readonly ReplyAction[]): ReplyAction | null {
    const other = query.otherIntent;
    // A report is never offered: the reply would thank for a message the person did not write
    // (the "Signaler un problème" action is there for that).
    if (!other || other === 'unknown' || other === 'report' || other === query.intent) return null;
    // A reply to words not understood already says what Vigie does.
    if (other === 'help' && query.intent === 'unknown') return null;
    if (other === 'subscribe' && actions.some((a) => a.id === 'subscribe')) return null;
    const place = query.place ? { kind: query.place.kind, code: query.place.code } : null;
    return {
      id: 'other',
      label: sentences.t(`action.other.${other}`),
      value: encodeChoice({ language: query.language, intent: other, service: query.service, level: query.level, place }),
    };
  }

  /** "Plus de détails": a token the bot reads back as the same question, about the incident shown. */
  function moreAction(query: Query, sentences: IncidentSentences, main: Incident | undefined): ReplyAction {
    const place = query.place ?? main?.scope.places[0] ?? null;
    return {
      id: 'more',
      label: sentences.t('action.more'),
      value: encodeChoice({ language: query.language, intent: query.intent, service: query.service ?? main?.service ?? null, level: query.level, place: place ? { kind: place.kind, code: place.code } : null }),
    };
  }

  function where(query: Query, sentences: IncidentSentences): string {
    // "à Saint-Denis (La Réunion)": a town several communes are named after says which one.
    if (query.place && chooser.isShared(query.place)) return sentences.t('place.commune', { name: chooser.named(sentences.lang, query.place) });
    return sentenceDeps.places.phrase(sentences.lang, query.place ?? { kind: 'national', code: 'FR' });
  }

  /**
   * Nothing in effect. "Operational" only on an official word: a resolution, within the
   * all-clear window, of an incident of the asked service whose places cover the asked one.
   * Otherwise the status is unknown: no source said it is down, none said it works.
   */
  function noIncident(query: Query, index: IndexView, matches: IncidentMatches, sentences: IncidentSentences, named: string | null = null): Draft {
    const restored = query.service === null ? undefined : matches.recentlyResolved.find((i) => covers(i, query.place));
    if (restored) return restoredReply(restored, matches, sentences);
    // A town several communes are named after is named with its département: "à Saint-Denis (La Réunion)".
    const place = named ? sentences.t('place.commune', { name: named }) : where(query, sentences);
    const headline = query.service
      ? sentences.t('headline.unknown', { service: sentences.serviceName(query.service), where: place })
      : sentences.t('headline.unknown_any', { where: place });
    const latest = index.latestUpdateAt();
    const sections: ReplySection[] = [
      sentences.section('no_information', sentences.t(query.service ? 'no_information.text' : 'no_information.text_any')),
      sentences.section('data', latest ? sentences.t('data.latest', { at: sentenceDeps.times.at(sentences.lang, latest, sentences.now, index.latestUpdatePrecision()) }) : sentences.t('data.none')),
    ];
    const resolved = listSection(sentences, 'recently_resolved', matches.recentlyResolved, (i) => sentences.resolvedItem(i), matches.recentlyResolvedCount);
    if (resolved) sections.push(resolved);
    const selfHelp = query.service ? services.get(query.service)?.selfHelp?.[sentences.lang] : undefined;
    if (selfHelp && (query.intent === 'advice' || query.intent === 'eta' || query.intent === 'cause')) {
      sections.push(sentences.selfHelp(selfHelp));
    }
    sections.push(sentences.section('report', sentences.t('report.how')));
    return {
      kind: 'no_information',
      headline: tidy(sentences.lang, headline),
      status: 'unknown',
      sections,
      source: null,
      actions: [],
      incidents: matches.recentlyResolved.slice(0, MAX_LISTED).map((i) => i.id),
    };
  }

  /** An incident resolved within the window, covering the question: operational, on its source's word. */
  function restoredReply(incident: Incident, matches: IncidentMatches, sentences: IncidentSentences): Draft {
    const sections: ReplySection[] = [];
    const update = sentences.update(incident);
    if (update) sections.push(update);
    const others = matches.recentlyResolved.filter((i) => i !== incident);
    const resolved = listSection(sentences, 'recently_resolved', others, (i) => sentences.resolvedItem(i), matches.recentlyResolvedCount - 1);
    if (resolved) sections.push(resolved);
    sections.push(sentences.section('report', sentences.t('report.how')));
    const said = latestUpdate(incident)?.text[sentences.lang].trim();
    return {
      kind: 'all_clear',
      headline: sentences.restoredHeadline(incident),
      status: 'operational',
      sections,
      source: sourceOf(incident),
      actions: [],
      incidents: [incident, ...others.slice(0, MAX_LISTED)].map((i) => i.id),
      // First message: the resolution's own words; its source and time follow on the source line.
      brief: { facts: said ? [sentences.lang === 'en' ? `“${said}”` : `« ${said} »`] : [] },
    };
  }

  /** True when one of the incident's places is the asked place or contains it (a national question needs a national incident). */
  function covers(incident: Incident, place: PlaceRef | null): boolean {
    const asked = place ?? { kind: 'national', code: 'FR', name: '' };
    const around = new Set([placeKey(asked), ...(asked.kind === 'national' ? [] : deps.gazetteer.ancestors(asked).map(placeKey))]);
    return incident.scope.places.some((p) => p.kind === 'national' || around.has(placeKey(p)));
  }

  function report(query: Query, matches: IncidentMatches, sentences: IncidentSentences): Draft {
    const main = matches.active[0];
    const sections: ReplySection[] = [];
    if (main) {
      sections.push(sentences.section('match', sentences.t('report.match', { headline: sentences.headline(main) })));
      const update = sentences.update(main);
      if (update) sections.push(update);
    } else {
      const place = where(query, sentences);
      const text = query.service
        ? sentences.t('report.no_match', { service: sentences.serviceName(query.service), where: place })
        : sentences.t('report.no_match_any', { where: place });
      sections.push(sentences.section('match', tidy(sentences.lang, text)));
    }
    const advice = main ? sentences.advice(main) : null;
    const selfHelp = query.service ? services.get(query.service)?.selfHelp?.[sentences.lang] : undefined;
    if (advice) sections.push(advice);
    else if (selfHelp) sections.push(sentences.selfHelp(selfHelp));
    sections.push(sentences.section('report', sentences.t('report.school')));
    return {
      kind: 'report',
      headline: sentences.t('report.headline'),
      status: main ? main.status : null,
      sections,
      source: main ? sourceOf(main) : null,
      actions: [],
      incidents: main ? [main.id] : [],
    };
  }

  function followUps(query: Query, sentences: IncidentSentences): ReplyAction[] {
    const place = query.place ? where(query, sentences) : '';
    const service = query.service ? sentences.serviceName(query.service) : '';
    const actions: ReplyAction[] = [];
    if (query.intent !== 'report') {
      const value = service ? sentences.t('action.report_value', { service, where: place }) : sentences.t('action.report_value_any', { where: place });
      actions.push({ id: 'report', label: sentences.t('action.report'), value: tidy(sentences.lang, value) });
    }
    // The subscribe action carries "serviceId placeKind:code" for the bot facade.
    const target = [query.service, query.place ? placeKey(query.place) : null].filter((x): x is string => x !== null).join(' ');
    actions.push({ id: 'subscribe', label: sentences.t('action.subscribe'), value: target });
    return actions;
  }
}

/** The memoised reply is shared by later answers: its parts (and the lists of them) must not change. */
function freezeParts(reply: Reply): Reply {
  reply.sections.forEach((s) => Object.freeze(s));
  reply.actions.forEach((a) => Object.freeze(a));
  Object.freeze(reply.sections);
  Object.freeze(reply.actions);
  Object.freeze(reply.incidents);
  if (reply.source) Object.freeze(reply.source);
  if (reply.brief) {
    Object.freeze(reply.brief.facts);
    Object.freeze(reply.brief);
  }
  return Object.freeze(reply);
}

/** Defuses mentions in every text of a reply (content and echoed user text alike). */
function defuse(reply: Reply): Reply {
  reply.headline = neutralizeMentions(reply.headline);
  reply.sections = reply.sections.map((s) => {
    const title = neutralizeMentions(s.title);
    const text = neutralizeMentions(s.text);
    // Sections shared by many answers (an incident's) stay the same objects when already safe.
    return title === s.title && text === s.text && Object.keys(s).length === 3 ? s : { key: s.key, title, text };
  });
  reply.actions = reply.actions.map((a) => ({ id: a.id, label: neutralizeMentions(a.label), value: neutralizeMentions(a.value) }));
  if (reply.source) reply.source = { ...reply.source, name: neutralizeMentions(reply.source.name) };
  if (reply.brief) {
    const { facts, followUp, footer } = reply.brief;
    reply.brief = {
      facts: facts.map(neutralizeMentions),
      ...(followUp !== undefined ? { followUp: neutralizeMentions(followUp) } : {}),
      ...(footer !== undefined ? { footer: neutralizeMentions(footer) } : {}),
    };
  }
  return reply;
}
