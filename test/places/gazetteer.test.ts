import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEFAULT_CONTENT_DIR, loadYamlFile } from '../../src/content/load.js';
import { academiesFileSchema } from '../../src/content/schemas.js';
import { Gazetteer, loadOfficialData, placeKey } from '../../src/places/gazetteer.js';

const { academies, regionAliases } = loadYamlFile(join(DEFAULT_CONTENT_DIR, 'places', 'academies.yaml'), academiesFileSchema);
const gazetteer = new Gazetteer(academies, regionAliases);
const TOULOUSE = { kind: 'commune', code: '31555' } as const;

describe('Gazetteer with the official data and the shipped académies', () => {
  test('GIVEN the official data THEN about 35,000 communes are loaded, each in a known département', () => {
    assert.ok(gazetteer.communes.length > 34_000 && gazetteer.communes.length < 36_000, `${gazetteer.communes.length}`);
    for (const c of gazetteer.communes) assert.ok(gazetteer.departement(c.departement), `${c.code} in ${c.departement}`);
  });

  test('GIVEN Toulouse (31555) THEN its ancestors are France, Occitanie, académie de Toulouse, Haute-Garonne, widest first', () => {
    assert.deepEqual(
      gazetteer.ancestors(TOULOUSE).map(placeKey),
      ['national:FR', 'region:76', 'academie:toulouse', 'departement:31'],
    );
    assert.equal(gazetteer.get('commune', '31555')?.name, 'Toulouse');
  });

  test('GIVEN Toulouse THEN Occitanie, its académie and France contain it, Montpellier and Hérault do not', () => {
    assert.equal(gazetteer.contains({ kind: 'region', code: '76' }, TOULOUSE), true);
    assert.equal(gazetteer.contains({ kind: 'academie', code: 'toulouse' }, TOULOUSE), true);
    assert.equal(gazetteer.contains({ kind: 'national', code: 'FR' }, TOULOUSE), true);
    assert.equal(gazetteer.contains(TOULOUSE, TOULOUSE), true);
    assert.equal(gazetteer.contains({ kind: 'academie', code: 'montpellier' }, TOULOUSE), false);
    assert.equal(gazetteer.contains({ kind: 'departement', code: '34' }, TOULOUSE), false);
    // Containment goes one way: a commune does not contain its région.
    assert.equal(gazetteer.contains(TOULOUSE, { kind: 'region', code: '76' }), false);
  });

  test('GIVEN the postal code 31400 THEN it leads to Toulouse', () => {
    assert.equal(gazetteer.communesByPostalCodeOf('31400')[0]?.code, '31555');
    assert.deepEqual(gazetteer.communesByPostalCodeOf('00000'), []);
  });

  test('GIVEN Corse-du-Sud and Haute-Corse (2A, 2B) THEN both are in the académie de Corse, and so is Ajaccio', () => {
    assert.equal(gazetteer.departement('2A')?.academie, 'corse');
    assert.equal(gazetteer.departement('2B')?.academie, 'corse');
    assert.ok(gazetteer.contains({ kind: 'academie', code: 'corse' }, { kind: 'commune', code: '2A004' }));
  });

  test('GIVEN the 101 départements THEN each belongs to exactly one académie of its own région', () => {
    const official = loadOfficialData().departements.filter((d) => d.zone !== 'com');
    assert.equal(official.length, 101);
    for (const d of official) {
      const owners = academies.filter((a) => a.departements.includes(d.code));
      assert.equal(owners.length, 1, `département ${d.code} is in ${owners.length} académies`);
      assert.equal(owners[0]?.region, d.region, `département ${d.code} and its académie are in different régions`);
    }
    assert.equal(gazetteer.departements.length, 101);
    assert.equal(academies.flatMap((a) => a.departements).length, 101, 'no académie lists an unknown département');
  });

  test('GIVEN unknown codes THEN get returns null and ancestors is empty', () => {
    assert.equal(gazetteer.get('departement', '99'), null);
    assert.equal(gazetteer.get('academie', 'atlantide'), null);
    assert.deepEqual(gazetteer.ancestors({ kind: 'national', code: 'FR' }), []);
  });
});
