/**
 * What the signals service says about a place (#15): a France-wide episode asked about a place
 * inside it gives that place's région and its own count (never "all of France" for reports from
 * a few régions); a question naming no service gets every service's open signal there.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { FixedClock } from '../../src/base/clock.js';
import { silentLogger } from '../../src/base/logger.js';
import { SignalsService } from '../../src/signals/service.js';
import type { SignalReport } from '../../src/signals/types.js';
import { BRETAGNE, GARD, MIN, OCCITANIE, at, config, gazetteer, people } from './helpers.js';

const NORD = { kind: 'departement', code: '59' } as const;
const PARIS = { kind: 'departement', code: '75' } as const;
const BAS_RHIN = { kind: 'departement', code: '67' } as const;

/** A service at `now` over `reports`, stepped once a minute from 08:00 (no history: the floor). */
async function serviceAt(reports: SignalReport[], minutes: number): Promise<SignalsService> {
  const clock = new FixedClock(at(0));
  const source = { reportsBetween: async (from: Date, to: Date) => reports.filter((r) => r.at >= from && r.at < to).sort((a, b) => a.at.getTime() - b.at.getTime()) };
  const service = new SignalsService({ places: gazetteer, config, source, clock, logger: silentLogger, services: ['ent', 'pronote', 'cned'] });
  await service.warmUp();
  for (let m = 1; m <= minutes; m++) {
    clock.set(at(m));
    await service.tick();
  }
  return service;
}

describe('Signals service: a place inside a France-wide episode', () => {
  // 6 people in each of four régions' départements: no one région holds the signal, France does.
  const fourRegions = [...people(6, at(0), GARD), ...people(6, at(0), NORD), ...people(6, at(0), PARIS), ...people(6, at(0), BAS_RHIN)];

  test('GIVEN the ENT reported in four régions THEN the episode is France\'s, and a question about Occitanie (or Nîmes\'s département) gives Occitanie\'s own count beside it', async () => {
    const service = await serviceAt(fourRegions, 5);
    const view = service.view('ent', OCCITANIE, at(5));
    assert.equal(view?.episode?.place.kind, 'national', 'one signal for France, the régions among its top places');
    assert.equal(view.episode.total, 24);
    assert.equal(view.episode.local?.place.name, 'Occitanie');
    assert.equal(view.episode.local?.total, 6);
    // From a département inside, its région.
    assert.equal(service.view('ent', GARD, at(5))?.episode?.local?.place.name, 'Occitanie');
    // Bretagne, where nobody reported: France's count alone (no part to give).
    const bretagne = service.view('ent', BRETAGNE, at(5));
    assert.equal(bretagne?.episode?.place.kind, 'national');
    assert.equal(bretagne.episode.local, undefined);
    // France itself: the episode's own count.
    assert.equal(service.view('ent', null, at(5))?.episode?.local, undefined);
    // The part is in the signature: a grown part is never hidden by a memoised line.
    assert.match(view.signature, /76:6/);
  });

  test('GIVEN the ENT in four régions and the CNED in Occitanie THEN viewPlace gives both for Occitanie, largest first, and none for a place without signals', async () => {
    const service = await serviceAt([...fourRegions, ...people(7, at(1), GARD, 'cned')], 5);
    const view = service.viewPlace(OCCITANIE, at(5));
    assert.deepEqual([view?.episode?.service, ...(view?.more ?? []).map((e) => e.service)], ['ent', 'cned']);
    // 7 in Gard alone are Gard's signal (the detector's rule), covered by the question about Occitanie.
    assert.equal(view?.more?.[0]?.place.name, 'Gard');
    assert.equal(service.viewPlace(OCCITANIE, at(5), 1)?.more?.length, 0, 'at most max services');
    const quiet = await serviceAt([], 5);
    assert.equal(quiet.viewPlace(OCCITANIE, at(5)), null);
  });
});
