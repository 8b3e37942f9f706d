/** Error pages (404, 400, 500): in the language of the path, with the way back. */
import type { Core } from '../core.js';
import type { Language } from '../base/types.js';
import { html } from './html.js';
import { layout } from './page-layout.js';
import { PATHS, w } from './words.js';

/** English under /en, French elsewhere. */
export function languageOfPath(url: string): Language {
  return url === '/en' || url.startsWith('/en/') || url.startsWith('/en?') ? 'en' : 'fr';
}

/** The page for an HTTP error status. */
export function errorPage(core: Core, lang: Language, status: number): string {
  const kind = status === 404 ? '404' : status >= 500 ? '500' : '400';
  const title = w(core, lang, `error.${kind}.title`);
  const main = html`<h1>${title}</h1>
<p>${w(core, lang, `error.${kind}.text`)}</p>
<p><a href="${PATHS[lang].home}">${w(core, lang, 'back_home')}</a></p>`;
  return layout(core, { lang, title, otherPath: PATHS[lang === 'fr' ? 'en' : 'fr'].home, main });
}
