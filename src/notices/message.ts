/**
 * What a channel sees: the root message (the incident's current state, or a standalone
 * notice) and, for later updates, the thread reply. Both are Replies, so each adapter renders
 * them with its usual renderer.
 */
import type { Templates } from '../content/templates.js';
import { createTimePhrases } from '../content/time-phrases.js';
import { neutralizeMentions } from '../answer/safe-text.js';
import type { Language, Localized, Reply, ReplySection } from '../base/types.js';
import type { Notice } from '../store/notice.js';

/** The two messages a notice can produce in a channel. */
export interface NoticeMessages {
  /** Posted first, then edited by later notices of the same incident. */
  root: Reply;
  /** Posted in the root's thread by later notices of the incident. */
  reply: Reply;
}

/**
 * Builds the messages of a notice in a language (the other language follows as a last
 * section). A resolution reads as resolved ("✅ … — rétabli à 18 h 30"), without the advice
 * or the expected recovery of the incident it closes.
 */
export function noticeMessages(notice: Notice, lang: Language, templates: Templates): NoticeMessages {
  const t = (key: string, vars?: Record<string, string | number>) => templates.t(lang, key, vars);
  const other: Language = lang === 'fr' ? 'en' : 'fr';
  const pick = (l: Localized) => l[lang];
  const safe = (s: string) => neutralizeMentions(s);
  const snapshot = notice.incident;
  const status = snapshot?.status ?? notice.status;
  const statusWord = status ? t(`status.${status}`) : '';
  const title = snapshot ? pick(snapshot.title) : notice.title ? pick(notice.title) : t('notice.title.default');
  const source = { name: notice.source.name, ...(notice.source.url ? { url: notice.source.url } : {}), at: notice.publishedAt ?? notice.createdAt };

  const textSection: ReplySection = { key: 'notice', title: t('notice.section.text'), text: safe(pick(notice.text)) };
  const otherSection: ReplySection | null =
    notice.text.en !== notice.text.fr ? { key: 'other_language', title: t('notice.section.other_language'), text: safe(notice.text[other]) } : null;
  const sections: ReplySection[] = [textSection];
  const phase = snapshot?.phase ?? notice.phase;
  const resolved = snapshot?.action === 'resolve' || phase === 'resolved';
  if (phase) sections.push({ key: 'phase', title: t('notice.section.phase'), text: t(`phase.${phase}`) });
  if (snapshot?.recovery && !resolved) sections.push({ key: 'recovery', title: t('section.recovery'), text: safe(pick(snapshot.recovery)) });
  if (snapshot?.advice && !resolved) sections.push({ key: 'advice', title: t('section.advice'), text: safe(pick(snapshot.advice)) });
  if (otherSection) sections.push(otherSection);

  const base = {
    language: lang,
    status,
    source,
    time: notice.publishedAt ?? notice.createdAt,
    actions: [],
    incidents: snapshot ? [snapshot.id] : [],
  } satisfies Partial<Reply>;
  const kind: Reply['kind'] = status === 'operational' ? 'all_clear' : 'incidents';
  let restored = '';
  if (resolved && snapshot) {
    const times = createTimePhrases(templates);
    // Said at publication, next to the message's own time: "à 18 h 30".
    restored = t('notice.headline.resolved', { title, at: times.at(lang, source.at, new Date(source.at)) });
  }
  const headline = safe(restored || (status ? t('notice.headline', { title, status: statusWord }) : t('notice.headline.standalone', { title })));
  const root: Reply = { ...base, kind, headline, sections };
  const replyHeadline = restored || t('notice.reply.update', { status: statusWord || title });
  const reply: Reply = { ...base, kind, headline: safe(replyHeadline), sections: otherSection ? [textSection, otherSection] : [textSection] };
  return { root, reply };
}
