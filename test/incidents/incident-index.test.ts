import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { IncidentIndex } from '../../src/incidents/incident-index.js';
import type { Incident } from '../../src/incidents/schema.js';
import type { Level, PlaceKind, PlaceRef, Status } from '../../src/base/types.js';
import { fixtureGazetteer } from '../fixtures/load-fixtures.js';

const T0 = '2020-03-17T07:00:00.000Z';
const at = (iso: string) => new Date(iso);

function incident(
  id: string,
  place: { kind: PlaceKind; code: string },
  extra: { service?: string; levels?: Level[]; status?: Status; startedAt?: string; resolvedAt?: string | null; lastUpdate?: string } = {},
): Incident {
  const startedAt = extra.startedAt ?? T0;
  const status = extra.status ?? 'major_outage';
  const update = (when: string) => ({ at: when, status, phase: 'investigating' as const, text: { fr: 'x', en: 'x' }, source: { name: 'Test' } });
  return {
    id,
    service: extra.service ?? 'ent',
    scope: { places: [place], levels: extra.levels ?? [] },
    title: { fr: id, en: id },
    status,
    phase: extra.resolvedAt ? 'resolved' : 'investigating',
    cause: 'unknown',
    startedAt,
    resolvedAt: extra.resolvedAt ?? null,
    expectedRecovery: null,
    advice: null,
    updates: extra.lastUpdate ? [update(startedAt), update(extra.lastUpdate)] : [update(startedAt)],
  };
}

const g = () => fixtureGazetteer();
const ref = (kind: PlaceKind, code: string): PlaceRef => {
  const p = fixtureGazetteer().get(kind, code);
  assert.ok(p, `${kind}:${code} exists`);
  return p;
};
const ids = (index: IncidentIndex, place: PlaceRef | null, service: string | null = null, level: Level | null = null, when = '2020-03-17T10:00:00Z') =>
  index.find({ service, place, level, at: at(when) }).active.map((i) => i.id).sort();

const spread = [
  incident('national', { kind: 'national', code: 'FR' }),
  incident('occitanie', { kind: 'region', code: '76' }),
  incident('idf', { kind: 'region', code: '11' }),
  incident('acad-toulouse', { kind: 'academie', code: 'toulouse' }),
  incident('acad-montpellier', { kind: 'academie', code: 'montpellier' }),
  incident('haute-garonne', { kind: 'departement', code: '31' }),
  incident('herault', { kind: 'departement', code: '34' }),
  incident('toulouse-city', { kind: 'commune', code: '31555' }),
  incident('montpellier-city', { kind: 'commune', code: '34172' }),
];

describe('IncidentIndex spatial rules', () => {
  const index = () => new IncidentIndex(spread, g());

  test('GIVEN a question on a région THEN it sees national, its own and everything inside it, not other régions', () => {
    assert.deepEqual(ids(index(), ref('region', '76')), [
      'acad-montpellier', 'acad-toulouse', 'haute-garonne', 'herault', 'montpellier-city', 'national', 'occitanie', 'toulouse-city',
    ]);
  });

  test('GIVEN a question on a city THEN it sees its département, académie, région, national and itself only', () => {
    assert.deepEqual(ids(index(), ref('commune', '31555')), ['acad-toulouse', 'haute-garonne', 'national', 'occitanie', 'toulouse-city']);
  });

  test('GIVEN a question on the Hérault THEN it does not see the Haute-Garonne nor Toulouse', () => {
    const seen = ids(index(), ref('departement', '34'));
    assert.deepEqual(seen, ['acad-montpellier', 'herault', 'montpellier-city', 'national', 'occitanie']);
  });

  test('GIVEN a question on an académie THEN it sees national, its région, itself and its départements and communes', () => {
    assert.deepEqual(ids(index(), ref('academie', 'toulouse')), ['acad-toulouse', 'haute-garonne', 'national', 'occitanie', 'toulouse-city']);
  });

  test('GIVEN a national question or no place THEN every incident is seen', () => {
    assert.equal(ids(index(), null).length, spread.length);
    assert.equal(ids(index(), ref('national', 'FR')).length, spread.length);
  });
});

describe('IncidentIndex filters and order', () => {
  test('GIVEN a service THEN only its incidents are returned', () => {
    const index = new IncidentIndex([incident('ent-31', { kind: 'departement', code: '31' }), incident('cned', { kind: 'national', code: 'FR' }, { service: 'cned' })], g());
    assert.deepEqual(ids(index, ref('commune', '31555'), 'cned'), ['cned']);
    assert.deepEqual(ids(index, ref('commune', '31555'), 'ent'), ['ent-31']);
    assert.deepEqual(ids(index, ref('commune', '31555'), 'pronote'), []);
  });

  test('GIVEN a level THEN incidents for other levels are dropped and level-less ones kept', () => {
    const index = new IncidentIndex(
      [
        incident('lycees', { kind: 'region', code: '76' }, { levels: ['lycee'] }),
        incident('colleges', { kind: 'departement', code: '31' }, { levels: ['college'] }),
        incident('all', { kind: 'national', code: 'FR' }),
      ],
      g(),
    );
    assert.deepEqual(ids(index, ref('departement', '31'), null, 'college'), ['all', 'colleges']);
    assert.deepEqual(ids(index, ref('departement', '31'), null, 'lycee'), ['all', 'lycees']);
    assert.deepEqual(ids(index, ref('departement', '31')), ['all', 'colleges', 'lycees']);
  });

  test('GIVEN start and resolution times THEN active and recently resolved depend on the asked time', () => {
    const index = new IncidentIndex(
      [
        incident('later', { kind: 'national', code: 'FR' }, { startedAt: '2020-03-17T12:00:00.000Z' }),
        incident('fixed', { kind: 'national', code: 'FR' }, { resolvedAt: '2020-03-17T09:00:00.000Z' }),
        incident('old', { kind: 'national', code: 'FR' }, { startedAt: '2020-03-15T07:00:00.000Z', resolvedAt: '2020-03-15T09:00:00.000Z' }),
      ],
      g(),
    );
    const before = index.find({ service: null, place: null, level: null, at: at('2020-03-17T08:00:00Z') });
    assert.deepEqual(before.active.map((i) => i.id), ['fixed']);
    const after = index.find({ service: null, place: null, level: null, at: at('2020-03-17T13:00:00Z') });
    assert.deepEqual(after.active.map((i) => i.id), ['later']);
    assert.deepEqual(after.recentlyResolved.map((i) => i.id), ['fixed'], 'the one resolved two days ago is too old');
    const evening = index.find({ service: null, place: null, level: null, at: at('2020-03-17T21:30:00Z') });
    assert.deepEqual(evening.recentlyResolved.map((i) => i.id), ['fixed'], 'within the default all-clear window of 24 hours');
    const nextDay = index.find({ service: null, place: null, level: null, at: at('2020-03-18T09:30:00Z') });
    assert.deepEqual(nextDay.recentlyResolved.map((i) => i.id), [], 'more than 24 hours after');
  });

  test('GIVEN a resolved window of 2 hours THEN a resolution is listed for 2 hours only', () => {
    const index = new IncidentIndex([incident('fixed', { kind: 'national', code: 'FR' }, { resolvedAt: '2020-03-17T09:00:00.000Z' })], g(), { resolvedWindowMs: 2 * 3600_000 });
    assert.deepEqual(index.find({ service: null, place: null, level: null, at: at('2020-03-17T10:59:00Z') }).recentlyResolved.map((i) => i.id), ['fixed']);
    assert.deepEqual(index.find({ service: null, place: null, level: null, at: at('2020-03-17T11:01:00Z') }).recentlyResolved.map((i) => i.id), []);
  });

  test('GIVEN several incidents THEN the worst comes first, then the most recently updated', () => {
    const index = new IncidentIndex(
      [
        incident('slow', { kind: 'national', code: 'FR' }, { status: 'degraded_performance', lastUpdate: '2020-03-17T09:50:00.000Z' }),
        incident('down-old', { kind: 'region', code: '76' }, { status: 'major_outage' }),
        incident('down-new', { kind: 'departement', code: '31' }, { status: 'major_outage', lastUpdate: '2020-03-17T09:00:00.000Z' }),
        incident('partial', { kind: 'commune', code: '31555' }, { status: 'partial_outage' }),
      ],
      g(),
    );
    const active = index.find({ service: null, place: ref('commune', '31555'), level: null, at: at('2020-03-17T10:00:00Z') }).active;
    assert.deepEqual(active.map((i) => i.id), ['down-new', 'down-old', 'partial', 'slow']);
  });

  test('GIVEN an incident on two places of the asked area THEN it is returned once', () => {
    const two = incident('two', { kind: 'departement', code: '31' });
    two.scope.places.push({ kind: 'commune', code: '31555' });
    const index = new IncidentIndex([two], g());
    assert.deepEqual(ids(index, ref('region', '76')), ['two']);
  });

  test('GIVEN incidents THEN latestUpdateAt is the newest update; with none it is null', () => {
    const index = new IncidentIndex([incident('a', { kind: 'national', code: 'FR' }, { lastUpdate: '2020-03-17T11:00:00.000Z' }), incident('b', { kind: 'region', code: '76' })], g());
    assert.equal(index.latestUpdateAt(), '2020-03-17T11:00:00.000Z');
    assert.equal(new IncidentIndex([], g()).latestUpdateAt(), null);
    assert.equal(index.all().length, 2);
  });

  test('GIVEN 10,000 incidents across communes THEN the index builds and a city sees only its own and its ancestors', () => {
    const communes = fixtureGazetteer().communes;
    const many: Incident[] = [];
    for (let i = 0; i < 10_000; i++) {
      const c = communes[(i * 7) % communes.length];
      assert.ok(c);
      many.push(incident(`c-${i}`, { kind: 'commune', code: c.code }, { service: i % 2 === 0 ? 'ent' : 'pronote' }));
    }
    many.push(incident('nat', { kind: 'national', code: 'FR' }, { service: 'cned' }));
    const index = new IncidentIndex(many, g());
    const target = many[42];
    assert.ok(target);
    const place = ref('commune', target.scope.places[0]?.code ?? '');
    const seen = index.find({ service: null, place, level: null, at: at('2020-03-17T10:00:00Z') }).active.map((i) => i.id);
    const expected = many.filter((i) => i.id === 'nat' || i.scope.places[0]?.code === place.code).map((i) => i.id);
    assert.deepEqual(seen.sort(), expected.sort());
    assert.equal(index.find({ service: 'ent', place: null, level: null, at: at('2020-03-17T10:00:00Z') }).active.length, 5_000);
  });
});

describe('IncidentIndex made from another with changes', () => {
  /** Everything a lookup can say, for every place of the fixtures, service, level and time. */
  const everything = (index: IncidentIndex) => {
    const out: string[] = [];
    const places: (PlaceRef | null)[] = [null, ...spread.map((i) => ref(i.scope.places[0]!.kind, i.scope.places[0]!.code))];
    for (const place of places)
      for (const service of [null, 'ent', 'pronote'])
        for (const level of [null, 'college', 'lycee'] as const)
          for (const when of ['2020-03-17T06:00:00Z', '2020-03-17T10:00:00Z', '2020-03-17T13:00:00Z', '2020-03-18T06:00:00Z', '2020-03-19T06:00:00Z']) {
            const found = index.find({ service, place, level, at: at(when) });
            const show = (list: readonly Incident[]) => list.map((i) => `${i.id}:${i.status}:${i.title.fr}`).join(',');
            out.push(`${place?.code}|${service}|${level}|${when} → ${show(found.active)} / ${show(found.recentlyResolved)} (${found.activeCount}, ${found.recentlyResolvedCount})`);
          }
    return out;
  };

  test('GIVEN updates, resolutions, new incidents and removals THEN the new index answers every lookup as one built from the new list, and the old one as before', () => {
    const before = spread.map((i, n) => ({ ...i, service: n % 2 === 0 ? 'ent' : 'pronote', scope: { ...i.scope, levels: n % 3 === 0 ? (['college'] as Level[]) : [] } }));
    const index = new IncidentIndex(before, g());
    const answersBefore = everything(index);
    const changed: Incident[] = [
      { ...before[1]!, status: 'degraded_performance', title: { fr: 'moins grave', en: 'less' } },
      { ...before[3]!, resolvedAt: '2020-03-17T09:00:00.000Z', phase: 'resolved', status: 'operational' },
      { ...before[5]!, startedAt: '2020-03-17T12:00:00.000Z', updates: [{ ...before[5]!.updates[0]!, at: '2020-03-17T12:30:00.000Z' }] },
      incident('new-herault', { kind: 'departement', code: '34' }, { service: 'pronote', levels: ['lycee'], lastUpdate: '2020-03-17T11:00:00.000Z' }),
    ];
    const removed = [before[7]!.id, 'never-there'];
    const next = index.withChanges(changed, removed);
    const after = [...before.filter((i) => !removed.includes(i.id) && !changed.some((c) => c.id === i.id)), ...changed];
    const rebuilt = new IncidentIndex(after, g());
    // Interleaved with lookups on the old index, which shares entries with the new one.
    assert.deepEqual(everything(next), everything(rebuilt));
    assert.deepEqual(everything(index), answersBefore, 'the old index is unchanged');
    assert.deepEqual(everything(next), everything(rebuilt));
    assert.equal(next.latestUpdateAt(), rebuilt.latestUpdateAt());
    assert.deepEqual(next.all().map((i) => i.id).sort(), after.map((i) => i.id).sort());
    assert.equal(next.size, after.length);
    assert.equal(index.size, before.length);
    assert.equal(next.has(before[7]!.id), false);
    assert.equal(index.has(before[7]!.id), true);
  });

  test('GIVEN a chain of changes that keep every start and end THEN each index answers as one rebuilt from its list, and lookups the change cannot reach keep their earlier result', () => {
    // Same instants each step (a new title, a status, a place moved): the next index may hand on
    // the previous one's results, but only where the changed incident (before or after) is not seen.
    let list = spread.map((i, n) => ({ ...i, service: n % 2 === 0 ? 'ent' : 'pronote', scope: { ...i.scope, levels: n % 3 === 0 ? (['college'] as Level[]) : [] } }));
    let index = new IncidentIndex(list, g());
    const steps: ((l: Incident[]) => Incident)[] = [
      (l) => ({ ...l[7]!, title: { fr: 'Toulouse, encore', en: 'Toulouse again' } }),
      (l) => ({ ...l[5]!, status: 'partial_outage' }),
      (l) => ({ ...l[8]!, scope: { ...l[8]!.scope, places: [{ kind: 'departement', code: '31' }] } }),
      (l) => ({ ...l[2]!, status: 'degraded_performance', title: { fr: 'IDF moins', en: 'IDF less' } }),
      (l) => ({ ...l[0]!, title: { fr: 'national bis', en: 'national bis' } }),
    ];
    const idf = ref('region', '11');
    const unreached = { service: null, place: idf, level: null, at: at('2020-03-17T10:00:00Z') };
    for (const step of steps) {
      everything(index);
      const before = index.find(unreached);
      const changed = step(list);
      // A changed incident goes after its equals, as one given last (the index's documented order).
      list = [...list.filter((i) => i.id !== changed.id), changed];
      const next = index.withChanges([changed]);
      assert.deepEqual(everything(next), everything(new IncidentIndex(list, g())), `after changing ${changed.id}`);
      const seesIdf = changed.id === 'idf' || changed.id === 'national';
      if (!seesIdf) assert.equal(next.find(unreached), before, `a change to ${changed.id} does not reach Île-de-France: same result`);
      else assert.notEqual(next.find(unreached), before, `a change to ${changed.id} reaches Île-de-France`);
      index = next;
    }
  });

  test('GIVEN an incident changed to be the worst THEN it comes first where it is seen', () => {
    const index = new IncidentIndex(
      [incident('a', { kind: 'region', code: '76' }, { status: 'major_outage' }), incident('b', { kind: 'departement', code: '31' }, { status: 'degraded_performance' })],
      g(),
    );
    const q = { service: null, place: ref('departement', '31'), level: null, at: at('2020-03-17T10:00:00Z') };
    assert.deepEqual(index.find(q).active.map((i) => i.id), ['a', 'b']);
    const next = index.withChanges([incident('b', { kind: 'departement', code: '31' }, { status: 'major_outage', lastUpdate: '2020-03-17T09:00:00.000Z' })]);
    assert.deepEqual(next.find(q).active.map((i) => i.id), ['b', 'a']);
    assert.deepEqual(index.find(q).active.map((i) => i.id), ['a', 'b']);
  });
});
