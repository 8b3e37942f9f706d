import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { BADGE_COLOURS, BADGE_SHAPES, badgeInput, renderBadge } from '../../../src/web/feeds/badge.js';
import { placeState } from '../../../src/web/state.js';
import { widgetState } from '../../../src/web/routes-feeds.js';
import { IncidentIndex, type Incident } from '../../../src/incidents/index.js';
import { STATUSES, type Language, type PlaceRef, type ReplyStatus } from '../../../src/base/types.js';
import { sharedReference } from '../../helpers/reference.js';
import { sharedTemplates } from '../../helpers/templates.js';
import { demoIncidents, demoTime, INJECTIONS, place, xmllint, xpath } from './helpers.js';

const gazetteer = () => sharedReference().gazetteer;

/** The badge of a service at a place from incidents, at a time. */
function badge(incidents: Incident[], service: string, where: PlaceRef, at: Date, lang: Language = 'fr', demo = false) {
  const state = widgetState(placeState(new IncidentIndex(incidents, gazetteer()), service, where, gazetteer().ancestors(where), at));
  const svg = renderBadge(badgeInput(state, { service: service.toUpperCase(), place: where.name }, lang, sharedTemplates(), demo));
  return { state, svg, title: xpath(svg, "string(/*[local-name()='svg']/*[local-name()='title'])"), words: xpath(svg, "string((//*[local-name()='text'])[2])") };
}

/** WCAG 2.1 contrast ratio of two #rrggbb colours. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

function incident(id: string, where: { kind: PlaceRef['kind']; code: string }, status: Incident['status'], startedAt: string, resolvedAt: string | null = null): Incident {
  const source = { name: 'Rectorat' };
  return {
    id, service: 'ent', scope: { places: [where], levels: [] }, title: { fr: id, en: id }, status: resolvedAt ? 'operational' : status, phase: resolvedAt ? 'resolved' : 'identified', cause: 'overload',
    startedAt, resolvedAt, expectedRecovery: null, advice: null,
    updates: [
      { at: startedAt, status, phase: 'identified', text: { fr: 'x', en: 'x' }, source },
      ...(resolvedAt ? [{ at: resolvedAt, status: 'operational' as const, phase: 'resolved' as const, text: { fr: 'ok', en: 'ok' }, source }] : []),
    ],
  };
}

describe('SVG badges', () => {
  test('GIVEN the demo at 10:00 THEN the ENT badge of Occitanie says "panne partielle" in words and with a diamond, in an accessible, valid SVG', () => {
    const { state, svg, title, words } = badge(demoIncidents('10:00'), 'ent', place('region', '76'), demoTime('10:00'), 'fr', true);
    assert.equal(state.status, 'partial_outage');
    assert.equal(state.inPart, false);
    assert.ok(xmllint(svg).ok, xmllint(svg).output);
    assert.equal(words, 'panne partielle');
    assert.equal(title, 'DÉMO — ENT · Occitanie — état selon les sources officielles : panne partielle');
    assert.equal(xpath(svg, "string(/*[local-name()='svg']/@role)"), 'img');
    assert.equal(xpath(svg, "string(/*[local-name()='svg']/@aria-labelledby)"), xpath(svg, "string(/*[local-name()='svg']/*[local-name()='title']/@id)"));
    assert.equal(xpath(svg, "local-name(/*[local-name()='svg']/*[1])"), 'title', 'the title comes first');
    assert.equal(xpath(svg, "string(/*[local-name()='svg']/@data-shape)"), 'diamond');
    assert.equal(xpath(svg, "string((//*[local-name()='text'])[1])"), 'DÉMO · ENT Occitanie');
  });

  test('GIVEN the demo THEN a town of the Gard is covered by the Occitanie incident, and before anything official the state is unknown, never operational', () => {
    assert.equal(badge(demoIncidents('10:00'), 'ent', place('commune', '30189'), demoTime('10:00')).words, 'panne partielle');
    const dawn = badge(demoIncidents('07:00'), 'ent', place('region', '76'), demoTime('07:00'));
    assert.equal(dawn.words, 'inconnu');
    assert.equal(xpath(dawn.svg, "string(/*[local-name()='svg']/@data-shape)"), 'circle');
    assert.equal(badge(demoIncidents('10:00'), 'pronote', place('commune', '59350'), demoTime('10:00'), 'en').words, 'unknown');
  });

  test('GIVEN a major outage in one département only THEN the région\'s badge says a partial outage "par endroits" (as the page does), the département\'s says it plainly', () => {
    const now = new Date('2026-03-10T09:00:00Z');
    const incidents = [incident('hg', { kind: 'departement', code: '31' }, 'major_outage', '2026-03-10T08:00:00Z')];
    assert.equal(badge(incidents, 'ent', place('region', '76'), now).words, 'panne partielle par endroits');
    assert.equal(badge(incidents, 'ent', place('region', '76'), now, 'en').words, 'partial outage in places');
    assert.equal(badge(incidents, 'ent', place('departement', '31'), now).words, 'panne majeure');
    assert.equal(badge(incidents, 'ent', place('departement', '34'), now).words, 'inconnu');
  });

  test('GIVEN an official resolution THEN the badge says operational (a check) for 24 hours, then unknown again', () => {
    const incidents = [incident('r', { kind: 'region', code: '76' }, 'major_outage', '2026-03-10T08:00:00Z', '2026-03-10T10:00:00Z')];
    const soon = badge(incidents, 'ent', place('region', '76'), new Date('2026-03-10T12:00:00Z'));
    assert.equal(soon.words, 'fonctionne');
    assert.equal(xpath(soon.svg, "string(/*[local-name()='svg']/@data-shape)"), 'check');
    assert.equal(badge(incidents, 'ent', place('region', '76'), new Date('2026-03-11T10:30:00Z')).words, 'inconnu');
  });

  test('GIVEN every state THEN each has its own shape and its words, and white text on its colour has a contrast of 4.5:1 or more', () => {
    const states: ReplyStatus[] = ['unknown', ...STATUSES];
    assert.equal(new Set(states.map((s) => BADGE_SHAPES[s].name)).size, states.length);
    for (const [name, colour] of Object.entries(BADGE_COLOURS)) assert.ok(contrast(colour, '#ffffff') >= 4.5, `${name} ${colour}: ${contrast(colour, '#ffffff').toFixed(2)}`);
    for (const lang of ['fr', 'en'] as const) {
      const words = states.map((s) => sharedTemplates().t(lang, `web.state.${s}`));
      assert.equal(new Set(words).size, states.length, words.join(', '));
    }
  });

  test('GIVEN injection strings as service and place names THEN the SVG stays valid and carries them as text', () => {
    for (const s of INJECTIONS) {
      const input = badgeInput({ status: 'major_outage', inPart: false }, { service: s, place: s }, 'fr', sharedTemplates(), false);
      const svg = renderBadge(input);
      const check = xmllint(svg);
      assert.ok(check.ok, check.output);
      assert.equal(xpath(svg, "count(//*[local-name()='script' or local-name()='x'])"), '0');
      assert.equal(xpath(svg, "count(//*[local-name()='svg'])"), '1');
      const kept = s.replace(/[\u0001\uD800]/g, '');
      assert.equal(xpath(svg, "string((//*[local-name()='text'])[1])"), `${kept} ${kept}`);
      assert.ok(xpath(svg, "string(//*[local-name()='title'])").startsWith(`${kept} · ${kept}`));
    }
  });
});
