/**
 * The one apology Reply: what a person sees when answering failed (a bug, a store outage),
 * with the reference id logged beside the error so support can find it. The core, and each
 * adapter that fails before or around the core, show this same reply in their own layout.
 */
import type { Templates } from '../content/templates.js';
import type { Language, Reply } from '../base/types.js';

/** The apology carrying `ref`, in `language`, stamped `now`. */
export function errorReply(templates: Pick<Templates, 't'>, language: Language, ref: string, now: Date): Reply {
  return {
    kind: 'error',
    language,
    headline: templates.t(language, 'error.headline'),
    status: null,
    sections: [{ key: 'error', title: templates.t(language, 'error.title'), text: templates.t(language, 'error.text', { ref }) }],
    source: null,
    time: now.toISOString(),
    actions: [],
    incidents: [],
  };
}
