import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listScenarios, loadContent, loadScenario, loadYamlFile } from '../../src/content/load.js';
import { academiesFileSchema, messagesFileSchema, scenarioFileSchema, servicesFileSchema } from '../../src/content/schemas.js';
import { ContentError } from '../../src/base/errors.js';

const fixtures = fileURLToPath(new URL('../fixtures/', import.meta.url));
const minimal = join(fixtures, 'content-minimal');
const broken = (name: string) => join(fixtures, 'broken', name);

const temps: string[] = [];
after(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A copy of the minimal content dir with some files replaced by broken ones. */
function contentWith(replacements: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-content-'));
  temps.push(dir);
  cpSync(minimal, dir, { recursive: true });
  for (const [target, source] of Object.entries(replacements)) copyFileSync(broken(source), join(dir, target));
  return dir;
}

/** Asserts `fn` throws a ContentError whose message names the file and matches every pattern. */
function assertContentError(fn: () => unknown, file: string, ...patterns: RegExp[]): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ContentError, `expected a ContentError, got ${String(error)}`);
    assert.equal(error.code, 'CONTENT_INVALID');
    assert.equal(error.file, file);
    assert.ok(error.message.startsWith(`${file}: `), `the message names the file: ${error.message}`);
    for (const pattern of patterns) assert.match(error.message, pattern);
    return true;
  });
}

describe('content loader: a valid content dir', () => {
  test('GIVEN the minimal fixture THEN services, académies, messages and defaults are loaded', () => {
    const content = loadContent(minimal);
    assert.deepEqual(
      content.services.map((s) => s.id),
      ['ent', 'cned'],
    );
    // Defaults from the schema fill what the file leaves out.
    assert.deepEqual(content.services[1]?.brands, []);
    assert.deepEqual(content.services[1]?.levels, []);
    assert.deepEqual(
      content.academies.map((a) => a.slug),
      ['toulouse', 'corse'],
    );
    assert.equal(content.messages.fr['status.headline'], '{service} : {status} — {place}');
    assert.equal(content.messages.en['status.headline'], '{service}: {status} — {place}');
  });

  test('GIVEN a scenario by name THEN it is loaded with the timezone defaulted to Paris', () => {
    assert.deepEqual(listScenarios(minimal), ['mini']);
    const scenario = loadScenario('mini', minimal);
    assert.equal(scenario.timezone, 'Europe/Paris');
    assert.deepEqual(
      scenario.events.map((e) => e.at),
      ['08:00', '+1 08:00'],
    );
  });
});

describe('content loader: broken files', () => {
  test('GIVEN invalid YAML THEN the error names the file, says it is not YAML and gives the line', () => {
    const file = broken('services-invalid-yaml.yaml');
    assertContentError(() => loadYamlFile(file, servicesFileSchema), file, /not valid YAML/, /line \d+/);
  });

  test('GIVEN a number where a région code string is expected, deep in a brand THEN the error gives the full field path', () => {
    const file = broken('services-deep-wrong-type.yaml');
    assertContentError(
      () => loadYamlFile(file, servicesFileSchema),
      file,
      /services\.0\.brands\.0\.regions\.0: /,
      /expected string, received number/,
    );
  });

  test('GIVEN an académie without its région THEN loadContent names academies.yaml and the missing field', () => {
    const dir = contentWith({ 'places/academies.yaml': 'academies-missing-region.yaml' });
    const file = join(dir, 'places', 'academies.yaml');
    assertContentError(() => loadContent(dir), file, /academies\.1\.region: /, /expected string, received undefined/);
  });

  test('GIVEN an unknown extra field in a scenario event THEN the error names the event and the key', () => {
    const file = broken('scenario-extra-field.yaml');
    assertContentError(() => loadScenario(file), file, /events\.0: /, /Unrecognized key: "severity"/);
  });

  test('GIVEN an impossible event time THEN the error names events.N.at and shows the expected form', () => {
    const file = broken('scenario-bad-time.yaml');
    assertContentError(() => loadYamlFile(file, scenarioFileSchema), file, /events\.1\.at: /, /"\+1 07:00"/);
  });

  test('GIVEN two services with the same id THEN loadContent names the second one', () => {
    const dir = contentWith({ 'services.yaml': 'services-duplicate-id.yaml' });
    assertContentError(() => loadContent(dir), join(dir, 'services.yaml'), /services\.1\.id: duplicate id "ent"/);
  });

  test('GIVEN an English messages file missing a French key THEN loadContent names en.yaml and the key', () => {
    const dir = contentWith({ 'messages/en.yaml': 'messages-en-missing-key.yaml' });
    assertContentError(() => loadContent(dir), join(dir, 'messages', 'en.yaml'), /missing keys/, /status\.all_clear/);
  });

  test('GIVEN a French messages file missing an English key THEN loadContent names fr.yaml and the key', () => {
    const dir = contentWith({ 'messages/fr.yaml': 'messages-fr-missing-key.yaml' });
    assertContentError(() => loadContent(dir), join(dir, 'messages', 'fr.yaml'), /missing keys/, /status\.headline/);
  });

  test(
    'GIVEN a message key with spaces and capitals THEN the error says what a key must look like',
    () => {
      const file = broken('messages-bad-key.yaml');
      assertContentError(() => loadYamlFile(file, messagesFileSchema), file, /Status Headline/, /lower-case letters/);
    },
  );

  test('GIVEN a content dir without services.yaml THEN loadContent says that file cannot be read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vigie-content-'));
    temps.push(dir);
    assertContentError(() => loadContent(dir), join(dir, 'services.yaml'), /cannot be read \(ENOENT\)/);
  });

  test('GIVEN a missing académies file THEN loadYamlFile names it', () => {
    const file = join(minimal, 'places', 'nope.yaml');
    assertContentError(() => loadYamlFile(file, academiesFileSchema), file, /cannot be read \(ENOENT\)/);
  });

  test('GIVEN an unknown scenario name THEN the error lists the known ones', () => {
    assertContentError(
      () => loadScenario('2019-01-01', minimal),
      join(minimal, 'scenarios', '2019-01-01.yaml'),
      /no scenario named "2019-01-01"/,
      /known: mini/,
    );
  });
});
