/**
 * The frame of every page: language, title, skip link, header with navigation and the
 * labelled search form, the demo banner with the scenario's clock when a scenario is
 * replayed, the main landmark, the footer. Semantic HTML, no script, styles from one file.
 */
import type { Core } from '../core.js';
import type { Language } from '../base/types.js';
import { html, type Html } from './html.js';
import { STYLE_PATH } from './style.js';
import { PATHS, timeWords, w } from './words.js';

export interface PageOptions {
  lang: Language;
  title: string;
  /** The same page in the other language. */
  otherPath: string;
  main: Html;
  /** What the search box holds (the search page). */
  query?: string;
}

/** The whole document. */
export function layout(core: Core, page: PageOptions): string {
  const { lang } = page;
  const other: Language = lang === 'fr' ? 'en' : 'fr';
  const paths = PATHS[lang];
  const demo = core.demoLabel(lang);
  const banner = demo
    ? html`<p class="demo" role="note">${demo.label} ${w(core, lang, 'demo.clock', { time: timeWords(core, lang, core.now()) })}</p>`
    : null;
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} — Vigie</title>
<link rel="stylesheet" href="${STYLE_PATH}">
<link rel="alternate" hreflang="${other}" href="${page.otherPath}">
</head>
<body>
<a class="skip" href="#main">${w(core, lang, 'skip')}</a>
<header>
<p class="brand"><a href="${paths.home}">Vigie</a> <span class="meta">${w(core, lang, 'tagline')}</span></p>
<nav aria-label="${w(core, lang, 'nav.label')}"><ul>
<li><a href="${paths.home}">${w(core, lang, 'nav.home')}</a></li>
<li><a href="${paths.history}">${w(core, lang, 'nav.history')}</a></li>
<li><a href="${page.otherPath}" hreflang="${other}" lang="${other}">${w(core, other, 'nav.this_language')}</a></li>
</ul></nav>
<form class="search" role="search" action="${paths.search}" method="get">
<label for="q">${w(core, lang, 'search.label')}</label>
<input id="q" name="q" type="search" autocomplete="off" maxlength="200" value="${page.query ?? ''}" aria-describedby="q-hint">
<button type="submit">${w(core, lang, 'search.button')}</button>
<p class="hint" id="q-hint">${w(core, lang, 'search.hint')}</p>
</form>
</header>
${banner}
<main id="main" tabindex="-1">
${page.main}
</main>
<footer>
<p>${w(core, lang, 'footer.sources')}</p>
<p>${w(core, lang, 'footer.api')} <a href="${paths.api}/summary.json">${paths.api}/summary.json</a></p>
</footer>
</body>
</html>
`.text;
}
