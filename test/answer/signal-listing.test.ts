/**
 * The operators' listing of signals (`vigie signals`, the console's /signaux): related signals
 * grouped into one alert are listed once as such, in words (services, places), never by their
 * internal ids; a group of one signal adds no line.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { signalLines } from '../../src/answer/signal-listing.js';
import type { AlertGroup, Episode } from '../../src/signals/detect.js';
import { sharedReference } from '../helpers/reference.js';
import { sharedTemplates } from '../helpers/templates.js';

const AT = new Date('2026-12-01T08:00:00Z'); // 09:00 in Paris
const FIRST = new Date('2026-12-01T07:10:00Z');

function episode(service: string, region: string, name: string, groupId: string, state: 'open' | 'closed' = 'open'): Episode {
  return {
    id: `${service}@region:${region}@x`,
    service,
    place: { kind: 'region', code: region, name },
    state,
    strength: 'surge',
    current: 'surge',
    openedAt: FIRST,
    firstSeen: FIRST,
    lastSeen: AT,
    reporters: 20,
    total: 30,
    peak: { count: 20, window: FIRST, baseline: 1 },
    baseline: 1,
    topPlaces: [],
    closedAt: null,
    groupId,
  };
}

function group(id: string, episodes: Episode[]): AlertGroup {
  return { id, state: 'open', openedAt: FIRST, episodes, services: [...new Set(episodes.map((e) => e.service))], strength: 'surge', firstSeen: FIRST, closedAt: null, mergedInto: null };
}

function lines(groups: AlertGroup[], language: 'fr' | 'en' = 'fr'): string[] {
  const reference = sharedReference();
  const names = new Map(reference.content.services.map((s) => [s.id, s.short[language]]));
  const episodes = groups.flatMap((g) => g.episodes.filter((e) => e.state === 'open'));
  return signalLines({ at: AT, steppedAt: AT, episodes, groups, probes: [] }, language, {
    templates: sharedTemplates(),
    gazetteer: reference.gazetteer,
    serviceName: (id) => names.get(id) ?? id,
  });
}

describe('signal listing: related signals', () => {
  test('GIVEN the ENT surging in two régions, grouped into one alert THEN one "related signals" line names the service and both régions, without the group id', () => {
    const g = group('g:ent@region:76@2026-12-01T07:00:00.000Z', [episode('ent', '76', 'Occitanie', 'g1'), episode('ent', '11', 'Île-de-France', 'g1')]);
    const out = lines([g]);
    assert.ok(out.includes('Signaux liés (une seule alerte) :'), out.join('\n'));
    const line = out.find((l) => l.includes('2 signaux'));
    assert.ok(line, out.join('\n'));
    assert.match(line, /^• ENT · en Occitanie, en Île-de-France : 2 signaux · forte hausse · depuis 8 h 10$/);
    assert.doesNotMatch(out.join('\n'), /g:ent|@region/);
  });

  test('GIVEN groups of one open signal each (one closed beside it) THEN no related-signals section: each signal has its own line already', () => {
    const out = lines([group('g:a', [episode('ent', '76', 'Occitanie', 'g:a')]), group('g:b', [episode('cned', '11', 'Île-de-France', 'g:b'), episode('cned', '76', 'Occitanie', 'g:b', 'closed')])]);
    assert.ok(!out.some((l) => l.startsWith('Signaux liés')), out.join('\n'));
    assert.equal(out.filter((l) => l.startsWith('• ')).length, 2, out.join('\n'));
  });

  test('GIVEN the same group in English THEN the section is worded in English', () => {
    const g = group('g:x', [episode('ent', '76', 'Occitanie', 'g:x'), episode('pronote', '76', 'Occitanie', 'g:x')]);
    const out = lines([g], 'en');
    assert.ok(out.includes('Related signals (one alert):'), out.join('\n'));
    assert.ok(out.some((l) => /^• ENT, Pronote · in Occitanie: 2 signals · surging · since 8:10 am$/.test(l)), out.join('\n'));
  });
});
