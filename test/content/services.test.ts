import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DEFAULT_CONTENT_DIR, loadYamlFile } from '../../src/content/load.js';
import { servicesFileSchema } from '../../src/content/schemas.js';

const file = join(DEFAULT_CONTENT_DIR, 'services.yaml');

/** The comparison key people's spellings collapse to: case, accents, hyphens and apostrophes folded. */
function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

describe('content/services.yaml', () => {
  const { services } = loadYamlFile(file, servicesFileSchema);

  test('GIVEN the shipped file THEN it holds the six core services', () => {
    const ids = services.map((s) => s.id);
    for (const id of ['ent', 'cned', 'visio', 'pronote', 'educonnect', 'internet']) {
      assert.ok(ids.includes(id), `missing service "${id}"`);
    }
    assert.equal(new Set(ids).size, ids.length, 'duplicate service id');
  });

  test('GIVEN every alias and brand name THEN no spelling is claimed by two services', () => {
    const owner = new Map<string, string>();
    for (const service of services) {
      const spellings = [
        service.id,
        ...service.aliases,
        ...service.brands.flatMap((b) => [b.name, ...b.aliases]),
      ].map(fold);
      for (const spelling of new Set(spellings)) {
        const previous = owner.get(spelling);
        assert.ok(
          previous === undefined || previous === service.id,
          `"${spelling}" is claimed by both ${previous} and ${service.id}`,
        );
        owner.set(spelling, service.id);
      }
    }
  });

  test('GIVEN each service THEN it tells people what to do themselves, in both languages', () => {
    for (const service of services) {
      assert.ok(service.selfHelp, `${service.id} has no selfHelp`);
      assert.notEqual(service.selfHelp.fr, service.selfHelp.en, `${service.id} selfHelp is not translated`);
    }
  });

  test('GIVEN the ENT brands THEN each names where it applies', () => {
    const ent = services.find((s) => s.id === 'ent');
    assert.ok(ent);
    assert.ok(ent.brands.length >= 5);
    for (const brand of ent.brands) {
      assert.ok(brand.regions.length + brand.departements.length > 0, `${brand.name} has no région or département`);
    }
    const occitanie = ent.brands.find((b) => fold(b.name) === 'ent occitanie');
    assert.deepEqual(occitanie?.regions, ['76']);
  });

  test('GIVEN the links THEN they are https addresses', () => {
    for (const service of services) {
      for (const link of service.links) assert.match(link.url, /^https:\/\//);
    }
  });
});
