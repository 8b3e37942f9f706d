/**
 * `/` and `/en/`: the national overview. Each service × région with its state at the core's
 * now (unknown without an official word), the incidents in effect, the crowd signals labelled
 * unconfirmed, the time of the latest official information.
 */
import type { Core } from '../core.js';
import type { Language } from '../base/types.js';
import { html } from './html.js';
import { layout } from './page-layout.js';
import { FRANCE, incidentItem, legend } from './page-parts.js';
import { placeState } from './state.js';
import { PATHS, placePath, stateBadge, timeTag, w } from './words.js';

export async function homePage(core: Core, lang: Language): Promise<string> {
  const now = core.now();
  const index = await core.incidents(now);
  const services = core.services();
  const regions = core.placesWithin(FRANCE);
  const active = index.find({ service: null, place: null, level: null, at: now }).active;
  const latest = index.latestUpdateAt();
  const signals = await core.listSignals(lang);
  const row = (place: typeof FRANCE, ancestors: (typeof FRANCE)[]) =>
    services.map((s) => html`<td>${stateBadge(core, lang, placeState(index, s.id, place, ancestors, now).state)}</td>`);
  const main = html`<h1>${w(core, lang, 'home.title')}</h1>
<p>${w(core, lang, 'home.intro')}</p>
<p>${latest ? html`${w(core, lang, 'latest')} ${timeTag(core, lang, latest, index.latestUpdatePrecision())}.` : w(core, lang, 'latest_none')}</p>
<section aria-labelledby="en-cours">
<h2 id="en-cours">${w(core, lang, 'incidents.title')}</h2>
${active.length > 0 ? html`<ul>${active.map((i) => incidentItem(core, lang, i))}</ul>` : html`<p>${w(core, lang, 'incidents.none')}</p>`}
</section>
${signals && signals.lines.length > 0
    ? html`<section aria-labelledby="signaux" class="signal">
<h2 id="signaux">${w(core, lang, 'signals.title')}</h2>
<p>${w(core, lang, 'signals.note')}</p>
${signalBlocks(signals.lines).map((block) =>
        typeof block === 'string'
          ? html`<p>${block}</p>`
          : html`<ul>${block.map((item) => html`<li><span class="tag">${w(core, lang, 'signals.tag')}</span>${item}</li>`)}</ul>`,
      )}
</section>`
    : null}
<section aria-labelledby="grille">
<h2 id="grille">${w(core, lang, 'grid.title')}</h2>
<div class="grid">
<table>
<caption>${w(core, lang, 'grid.caption')}</caption>
<thead><tr><th scope="col">${w(core, lang, 'grid.region')}</th>${services.map((s) => html`<th scope="col"><abbr title="${s.name[lang]}">${s.short[lang]}</abbr></th>`)}</tr></thead>
<tbody>
<tr><th scope="row">${w(core, lang, 'grid.national')}</th>${row(FRANCE, [])}</tr>
${regions.map((r) => html`<tr><th scope="row"><a href="${placePath(lang, r)}">${r.name}</a></th>${row(r, [FRANCE])}</tr>\n`)}
</tbody>
</table>
</div>
</section>
${legend(core, lang)}`;
  return layout(core, { lang, title: w(core, lang, 'home.title'), otherPath: PATHS[lang === 'fr' ? 'en' : 'fr'].home, main });
}

/**
 * The operators' listing as page blocks: its items ("• …": one signal, one related group, one
 * probe) as lists, each tagged unconfirmed; its other lines (the header with the time, the
 * demo's reconstructed label, a section's title, "no probe running") as paragraphs.
 */
export function signalBlocks(lines: readonly string[]): (string | string[])[] {
  const blocks: (string | string[])[] = [];
  for (const line of lines) {
    if (line.startsWith('• ')) {
      const last = blocks[blocks.length - 1];
      if (Array.isArray(last)) last.push(line.slice(2));
      else blocks.push([line.slice(2)]);
    } else blocks.push(line);
  }
  return blocks;
}
