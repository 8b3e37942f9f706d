import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { renderWidget, WIDGET_CSP, WIDGET_STYLE } from '../../../src/web/feeds/widget.js';
import { placeState } from '../../../src/web/state.js';
import { widgetState } from '../../../src/web/routes-feeds.js';
import { IncidentIndex, type Incident } from '../../../src/incidents/index.js';
import type { Language, PlaceRef } from '../../../src/base/types.js';
import { sharedReference } from '../../helpers/reference.js';
import { sharedTemplates } from '../../helpers/templates.js';
import { demoIncidents, demoTime, INJECTIONS, place, xmllint } from './helpers.js';

const gazetteer = () => sharedReference().gazetteer;

function widget(incidents: Incident[], service: string, where: PlaceRef, now: Date, lang: Language = 'fr', demo?: string): string {
  const state = widgetState(placeState(new IncidentIndex(incidents, gazetteer()), service, where, gazetteer().ancestors(where), now));
  return renderWidget({ lang, service: service.toUpperCase(), place: where.name, state, now, pageUrl: 'https://statut.example.fr/?a=1&b=2', templates: sharedTemplates(), ...(demo ? { demo } : {}) });
}

/** What an HTML parser (libxml2's) finds: the count of an XPath. */
function htmlCount(html: string, xpath: string): number {
  const run = xmllint(html, ['--html', '--xpath', `count(${xpath})`], true);
  assert.ok(run.ok, run.output);
  return Number(run.stdout.trim());
}

describe('the embeddable widget', () => {
  test('GIVEN the demo at 10:00 THEN the Occitanie ENT widget says the state in words, lists the incident and its official source, and links to the status page', () => {
    const html = widget(demoIncidents('10:00'), 'ent', place('region', '76'), demoTime('10:00'), 'fr', 'DÉMO 17/03/2020');
    assert.match(html, /^<!doctype html>\n<html lang="fr">/);
    assert.match(html, /<p class="demo">DÉMO 17\/03\/2020<\/p>/);
    assert.match(html, /<h1>ENT · Occitanie <span class="state s-partial_outage" data-shape="diamond"><svg[^>]*aria-hidden="true"[^>]*>.*<\/svg>panne partielle<\/span><\/h1>/);
    assert.match(html, /<li>ENT fortement ralentis, voire inaccessibles, en Occitanie — panne partielle<\/li>/);
    assert.match(html, /Dernière information officielle : Ministère de l'Éducation nationale, aujourd'hui\./);
    assert.match(html, /<a href="https:\/\/statut.example.fr\/\?a=1&amp;b=2" target="_blank" rel="noopener">Page de statut complète<\/a>/);
    const en = widget(demoIncidents('10:00'), 'ent', place('region', '76'), demoTime('10:00'), 'en');
    assert.match(en, /<html lang="en">/);
    assert.match(en, /partial outage<\/span>/);
    assert.match(en, /Latest official information: Ministère de l'Éducation nationale, today\./);
  });

  test('GIVEN no official word THEN the widget says nothing is known, not that the service works', () => {
    const html = widget(demoIncidents('07:00'), 'ent', place('region', '76'), demoTime('07:00'));
    assert.match(html, /inconnu<\/span>/);
    assert.match(html, /Aucune source officielle n'a signalé d'incident ici, ni confirmé que le service fonctionne\./);
    assert.equal(htmlCount(html, '//li'), 0);
  });

  test('GIVEN the widget THEN it has no script, no inline style attribute or handler, and its one style is the one the CSP allows by hash; it may be framed anywhere', () => {
    const html = widget(demoIncidents('10:00'), 'ent', place('region', '76'), demoTime('10:00'));
    assert.equal(htmlCount(html, '//script'), 0);
    assert.equal(htmlCount(html, '//@style'), 0);
    assert.equal(htmlCount(html, "//@*[starts-with(name(), 'on')]"), 0);
    assert.equal(htmlCount(html, '//style'), 1);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1];
    assert.equal(style, WIDGET_STYLE);
    const hash = createHash('sha256').update(style!).digest('base64');
    assert.match(WIDGET_CSP, new RegExp(`style-src 'sha256-${hash.replace(/[+/]/g, '\\$&')}'`));
    assert.match(WIDGET_CSP, /default-src 'none'/);
    assert.match(WIDGET_CSP, /frame-ancestors \*/);
    assert.doesNotMatch(WIDGET_CSP, /unsafe-inline|script-src/);
  });

  test('GIVEN injection strings in incident titles and sources THEN they reach the page as text', () => {
    const now = new Date('2026-03-10T09:00:00Z');
    const incidents: Incident[] = INJECTIONS.slice(0, 3).map((s, i) => ({
      id: `i${i}`, service: 'ent', scope: { places: [{ kind: 'region', code: '76' }], levels: [] }, title: { fr: s, en: s }, status: 'major_outage', phase: 'identified', cause: 'overload',
      startedAt: '2026-03-10T08:00:00Z', resolvedAt: null, expectedRecovery: null, advice: null,
      updates: [{ at: `2026-03-10T08:0${i}:00Z`, status: 'major_outage', phase: 'identified', text: { fr: s, en: s }, source: { name: s } }],
    }));
    const html = widget(incidents, 'ent', place('region', '76'), now);
    assert.equal(htmlCount(html, '//script'), 0);
    assert.equal(htmlCount(html, '//x'), 0);
    assert.equal(htmlCount(html, '//svg'), 1, 'only the state icon');
    assert.equal(htmlCount(html, "//@*[starts-with(name(), 'on')]"), 0);
    assert.equal(htmlCount(html, '//li'), 3);
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
  });
});
