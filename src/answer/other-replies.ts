/**
 * Replies that are not about incidents: help, what Vigie does, subscriptions, and the
 * clarifying questions. None repeats the person's text except a place name, defused later.
 */
import type { Service } from '../content/schemas.js';
import { NATIONAL } from '../places/gazetteer.js';
import type { PlaceRef, Query, Reply, ReplyAction } from '../base/types.js';
import type { IncidentSentences } from './incident-sentences.js';
import type { PlacePhrases } from './place-phrases.js';
import { joinList, tidy, type Templates } from '../content/templates.js';

/** A reply before time, language and demo are stamped on it. */
export type Draft = Omit<Reply, 'time' | 'language'>;

const EXAMPLE_KEYS = ['help.example.1', 'help.example.2', 'help.example.3', 'help.example.4'];
/** Services offered as suggestions when none was named. */
const SUGGESTED_SERVICES = 4;

/** Builders for the non-incident replies in one language. */
export class OtherReplies {
  constructor(
    private readonly sentences: IncidentSentences,
    private readonly templates: Templates,
    private readonly places: PlacePhrases,
    private readonly services: Service[],
  ) {}

  private get lang() {
    return this.sentences.lang;
  }
  private serviceList(): string {
    return joinList(this.templates, this.lang, this.services.map((s) => s.short[this.lang]));
  }
  private examples(): ReplyAction[] {
    return EXAMPLE_KEYS.map((key) => {
      const q = this.sentences.t(key);
      return { id: 'suggestion', label: q, value: q };
    });
  }
  /** A full question the person can send as is. */
  suggestion(service: string, where: string): ReplyAction {
    const q = tidy(this.lang, this.sentences.t('suggest.question', { service, where }));
    return { id: 'suggestion', label: q, value: q };
  }

  help(): Draft {
    const { sentences } = this;
    return {
      kind: 'help',
      headline: sentences.t('help.headline'),
      status: null,
      sections: [
        sentences.section('about', sentences.t('help.how', { services: this.serviceList() })),
        sentences.section('examples', EXAMPLE_KEYS.map((k) => `• ${sentences.t(k)}`).join('\n')),
        sentences.section('subscribe', sentences.t('help.subscribe')),
      ],
      source: null,
      actions: this.examples(),
      incidents: [],
    };
  }

  unknown(): Draft {
    const { sentences } = this;
    return {
      kind: 'unknown',
      headline: sentences.t('unknown.headline'),
      status: null,
      sections: [
        sentences.section('about', sentences.t('unknown.text', { services: this.serviceList() })),
        sentences.section('examples', EXAMPLE_KEYS.map((k) => `• ${sentences.t(k)}`).join('\n')),
      ],
      source: null,
      actions: this.examples(),
      incidents: [],
    };
  }

  /**
   * "préviens-moi quand le CNED revient": in a Slack or Discord channel, a one-click "follow
   * in this channel" for the service and place asked (everywhere when no place is named; the
   * adapter shows it only to those who may change the channel's subscriptions); elsewhere,
   * that subscriptions are for Slack and Discord channels.
   */
  subscribe(query: Query, channel = false): Draft {
    const { sentences } = this;
    const which = query.intent === 'unsubscribe' ? 'unsubscribe' : 'subscribe';
    if (which === 'subscribe' && (query.service !== null || query.place !== null)) {
      const place = query.place ?? NATIONAL;
      const service = query.service ? sentences.serviceName(query.service) : sentences.t('sub.all_services');
      const what = `${service} ${this.places.phrase(this.lang, place)}`;
      if (!channel) {
        return {
          kind: 'subscribe',
          headline: sentences.t('follow.headline', { what }),
          status: null,
          sections: [sentences.section('subscribe', sentences.t('follow.elsewhere', { what }))],
          source: null,
          actions: [],
          incidents: [],
        };
      }
      return {
        kind: 'subscribe',
        headline: sentences.t('follow.headline', { what }),
        status: null,
        sections: [sentences.section('subscribe', sentences.t('follow.text', { what }))],
        source: null,
        // The value is what the facade subscribes: "serviceId kind:code".
        actions: [{ id: 'subscribe', label: sentences.t('follow.button'), value: `${query.service ?? '*'} ${place.kind}:${place.code}` }],
        incidents: [],
      };
    }
    if (which === 'subscribe' && !channel) {
      return {
        kind: 'subscribe',
        headline: sentences.t(`${which}.headline`),
        status: null,
        sections: [sentences.section('subscribe', sentences.t('follow.elsewhere_any'))],
        source: null,
        actions: [],
        incidents: [],
      };
    }
    return {
      kind: 'subscribe',
      headline: sentences.t(`${which}.headline`),
      status: null,
      sections: [sentences.section('subscribe', sentences.t(`${which}.text`))],
      source: null,
      actions: [],
      incidents: [],
    };
  }

  /** "I don't know the place X": examples of places Vigie understands. */
  unknownPlace(query: Query, name: string): Draft {
    const { sentences } = this;
    const service = query.service ? sentences.serviceName(query.service) : (this.services[0]?.short[this.lang] ?? '');
    return {
      kind: 'clarify',
      headline: sentences.t('clarify.place.headline', { place: name }),
      status: null,
      sections: [sentences.section('note', sentences.t('clarify.place.text'))],
      source: null,
      actions: [1, 2, 3].map((i) => this.suggestion(service, sentences.t(`suggest.place.${i}`))),
      incidents: [],
    };
  }

  /** "Which service?": the catalogue, and questions for the main services at the asked place. */
  whichService(query: Query): Draft {
    const { sentences } = this;
    const where = query.place ? this.places.distinct(this.lang, query.place) : '';
    return {
      kind: 'clarify',
      headline: sentences.t('clarify.service.headline'),
      status: null,
      sections: [sentences.section('note', sentences.t('clarify.service.text', { services: this.serviceList() }))],
      source: null,
      actions: this.services.slice(0, SUGGESTED_SERVICES).map((s) => this.suggestion(s.short[this.lang], where)),
      incidents: [],
    };
  }

  /** The other places an ambiguous name could mean, as a section and as suggestions. */
  alternatives(query: Query, alternatives: PlaceRef[]): { section: Reply['sections'][number]; actions: ReplyAction[] } | null {
    const shown = alternatives.slice(0, 3);
    if (shown.length === 0) return null;
    const service = query.service ? this.sentences.serviceName(query.service) : (this.services[0]?.short[this.lang] ?? '');
    const labels = shown.map((p) => this.places.label(this.lang, p));
    return {
      section: this.sentences.section('alternatives', this.sentences.t('alternatives.text', { places: joinList(this.templates, this.lang, labels) })),
      actions: shown.map((p) => this.suggestion(service, this.places.distinct(this.lang, p))),
    };
  }
}
