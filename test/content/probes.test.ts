/**
 * content/probes.yaml and its schema: the shipped file is valid and names only services and
 * places that exist; a malformed file is refused with the file, the field and what was
 * expected (a ContentError, never another exception); defaults fill what is left out.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContentError } from '../../src/base/errors.js';
import { loadProbes, PROBE_DEFAULTS } from '../../src/content/probes.js';
import { loadCheckedProbes } from '../../src/signals/probes.js';
import { sharedReference } from '../helpers/reference.js';

const temps: string[] = [];
after(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A folder holding only this probes.yaml. */
function dirWith(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-probes-'));
  temps.push(dir);
  writeFileSync(join(dir, 'probes.yaml'), yaml);
  return dir;
}

/** One probe written out, with `fields` added or replacing the defaults given here. */
function oneProbe(fields: Record<string, string>): string {
  const all: Record<string, string> = { id: 'ent-occitanie', service: 'ent', url: 'https://ent.example.fr/', places: '[ "region:76" ]', ...fields };
  const lines = Object.entries(all).map(([k, v], i) => `${i === 0 ? '  - ' : '    '}${k}: ${v}`);
  return `probes:\n${lines.join('\n')}\n`;
}

describe('content/probes.yaml', () => {
  const { content, gazetteer } = sharedReference();

  test('GIVEN the shipped file THEN every probe names a known service, an https address and places of the gazetteer', () => {
    const probes = loadCheckedProbes(content, gazetteer);
    assert.ok(probes.length >= 3);
    assert.equal(new Set(probes.map((p) => p.id)).size, probes.length);
    for (const p of probes) {
      assert.ok(content.services.some((s) => s.id === p.service), p.id);
      assert.match(p.url, /^https:\/\//, p.id);
      assert.ok(p.places.length > 0, p.id);
      assert.ok(p.slowMs < p.timeoutMs && p.timeoutMs < p.intervalMs, p.id);
    }
  });

  test('GIVEN the shipped file THEN its addresses are those services.yaml links to (no address of unknown origin)', () => {
    const linked = new Set(content.services.flatMap((s) => s.links.map((l) => new URL(l.url).host)));
    for (const p of loadCheckedProbes(content, gazetteer)) assert.ok(linked.has(new URL(p.url).host), `${p.id}: ${p.url}`);
  });

  test('GIVEN a probe with only the required fields THEN the defaults: 200 expected, 10 s timeout, slow after 4 s, every 60 s', () => {
    const [p] = loadProbes(content.services, dirWith(oneProbe({ brand: 'ENT Occitanie', places: '[ "region:76", "academie:toulouse", "departement:2A", "commune:31555", "national:FR" ]' })));
    assert.deepEqual(p, {
      id: 'ent-occitanie',
      service: 'ent',
      brand: 'ENT Occitanie',
      url: 'https://ent.example.fr/',
      expectedStatus: PROBE_DEFAULTS.expectedStatus,
      timeoutMs: 10_000,
      slowMs: 4_000,
      intervalMs: 60_000,
      places: [
        { kind: 'region', code: '76' },
        { kind: 'academie', code: 'toulouse' },
        { kind: 'departement', code: '2A' },
        { kind: 'commune', code: '31555' },
        { kind: 'national', code: 'FR' },
      ],
    });
  });

  test('GIVEN a malformed file THEN a ContentError naming the file, the field and what was expected', () => {
    const cases: [string, RegExp][] = [
      [oneProbe({ url: 'ftp://ent.example.fr/' }), /probes\.0\.url: expected a full http\(s\) web address/],
      [oneProbe({ url: '"javascript:alert(1)"' }), /probes\.0\.url: expected a full http\(s\) web address/],
      [oneProbe({ url: 'https://user:secret@ent.example.fr/' }), /probes\.0\.url: expected a full http\(s\) web address/],
      [oneProbe({ service: 'moodle' }), /probes\.0\.service: "moodle" is not a service of services\.yaml \(known: ent, cned/],
      [oneProbe({ brand: 'Toutatix' }), /probes\.0\.brand: "Toutatix" is not a brand of ent \(known: Mon Bureau Numérique/],
      [oneProbe({ service: 'cned', brand: 'ENT Occitanie' }), /probes\.0\.brand: "ENT Occitanie" is not a brand of cned \(it has none\)/],
      [oneProbe({ places: '[ "region:7" ]' }), /probes\.0\.places\.0: "7" is not a region code \(such as "region:76"\)/],
      [oneProbe({ places: '[ "planet:earth" ]' }), /probes\.0\.places\.0: expected "kind:code" with kind one of national, region, academie, departement, commune/],
      [oneProbe({ places: '[ ]' }), /probes\.0\.places: /],
      [oneProbe({ places: 'region:76' }), /probes\.0\.places: /],
      [oneProbe({ intervalSeconds: '1' }), /probes\.0\.intervalSeconds: .*10/],
      [oneProbe({ timeoutSeconds: '0' }), /probes\.0\.timeoutSeconds: /],
      [oneProbe({ timeoutSeconds: '90', intervalSeconds: '60' }), /probes\.0\.timeoutSeconds: /],
      [oneProbe({ timeoutSeconds: '50', intervalSeconds: '30' }), /probes\.0\.timeoutSeconds: must be shorter than intervalSeconds \(30\)/],
      [oneProbe({ slowSeconds: '12' }), /probes\.0\.slowSeconds: must be shorter than timeoutSeconds \(10\)/],
      [oneProbe({ expectedStatus: '"200"' }), /probes\.0\.expectedStatus: /],
      [oneProbe({ expectedStatus: '99' }), /probes\.0\.expectedStatus: /],
      [oneProbe({ id: 'ENT Occitanie' }), /probes\.0\.id: a lower-case slug/],
      [oneProbe({ method: 'POST' }), /probes\.0: .*method/],
      [`${oneProbe({})}${oneProbe({}).replace('probes:\n', '')}`, /probes\.1\.id: duplicate id "ent-occitanie"/],
      ['probes: [ { id: x', /is not valid YAML/],
      ['probes: 3\n', /probes: /],
      ['', /\(root\): /],
    ];
    for (const [yaml, pattern] of cases) {
      const dir = dirWith(yaml);
      const file = join(dir, 'probes.yaml');
      assert.throws(
        () => loadProbes(content.services, dir),
        (error: unknown) => {
          assert.ok(error instanceof ContentError, `expected a ContentError for ${JSON.stringify(yaml)}, got ${String(error)}`);
          assert.equal(error.file, file);
          assert.match(error.message, pattern, yaml);
          return true;
        },
      );
    }
  });

  test('GIVEN a place well written but not in the gazetteer THEN the checked load refuses it by field', () => {
    const dir = dirWith(oneProbe({ places: '[ "national:FR", "departement:99" ]' }));
    assert.equal(loadProbes(content.services, dir).length, 1, 'the file itself is well formed');
    assert.throws(
      () => loadCheckedProbes({ dir, services: content.services }, gazetteer),
      (e: unknown) => e instanceof ContentError && /probes\.0\.places\.1: no departement "99" in the gazetteer/.test(e.message),
    );
  });

  test('GIVEN no probes.yaml THEN a ContentError saying it cannot be read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-probes-'));
    temps.push(dir);
    assert.throws(() => loadProbes(content.services, dir), (e: unknown) => e instanceof ContentError && /probes\.yaml: cannot be read \(ENOENT\)/.test(e.message));
  });
});
