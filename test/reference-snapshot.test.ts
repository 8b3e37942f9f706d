/**
 * The reference snapshot (content, gazetteer and place index saved in one file): read back,
 * it answers exactly as data built from the sources; a corrupt, foreign or stale one is
 * never used, only warned about, and the process goes on with data built from the sources.
 */
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync, statSync, utimesSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { serialize } from 'node:v8';
import { join } from 'node:path';
import { DEFAULT_CONTENT_DIR } from '../src/content/load.js';
import { FixedClock } from '../src/base/clock.js';
import { createRuntime } from '../src/runtime.js';
import {
  fromSources,
  loadReferenceWithSnapshot,
  readReferenceSnapshot,
  referenceInputs,
  snapshotFile,
  snapshotKey,
  writeReferenceSnapshot,
  type ReferenceData,
  type SnapshotCache,
} from '../src/reference-snapshot.js';
import { placeIndexFor } from '../src/understand/place-index.js';
import { createUnderstander } from '../src/understand/index.js';
import { PlaceSuggester } from '../src/places/suggest.js';
import { renderText } from '../src/answer/index.js';
import type { Logger } from '../src/base/logger.js';
import { loadCorpus } from './corpus/load.js';

const temps: string[] = [];
after(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-snapshot-'));
  temps.push(dir);
  return dir;
}

/** A logger that keeps the warnings. */
function recordingLogger(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, warn: (m, f) => warnings.push(`${m} ${JSON.stringify(f ?? {})}`), error() {} };
}

/** The snapshot `bytes` with its payload replaced and its header (length, checksum) made to match. */
function withPayload(bytes: Buffer, payload: Buffer): Buffer {
  const magicEnd = bytes.indexOf(0x0a) + 1;
  const headerEnd = bytes.indexOf(0x0a, magicEnd);
  const header = JSON.parse(bytes.subarray(magicEnd, headerEnd).toString('utf8')) as Record<string, unknown>;
  const fixed = { ...header, length: payload.length, sha256: createHash('sha256').update(payload).digest('hex') };
  return Buffer.concat([bytes.subarray(0, magicEnd), Buffer.from(`${JSON.stringify(fixed)}\n`), payload]);
}

const CODE = 'code-version-of-this-test';
const sources = fromSources();

/** A snapshot of the shipped content in a fresh folder, and where it is. */
function freshSnapshot(codeVersion = CODE): { cache: SnapshotCache; key: string; file: string } {
  const cache = { dir: tempDir(), codeVersion };
  const key = snapshotKey(DEFAULT_CONTENT_DIR, codeVersion)!;
  const file = snapshotFile(cache, key);
  writeReferenceSnapshot(file, key, sources);
  return { cache, key, file };
}

/** Answers `questions` on the 17 March 2020 scenario at 10:00 with this reference data. */
async function answers(reference: ReferenceData, questions: string[]): Promise<string[]> {
  const clock = new FixedClock(new Date('2020-03-17T09:00:00Z'));
  const runtime = await createRuntime({ storeUrl: 'memory://', clock, reference, scenario: '2020-03-17' });
  try {
    const out: string[] = [];
    for (const text of questions) {
      const { query, reply } = await runtime.bot.ask({ conversation: { platform: 'cli', channel: 'cli' }, text });
      out.push(JSON.stringify({ query, reply, text: renderText(reply) }));
    }
    return out;
  } finally {
    await runtime.close();
  }
}

const corpus = loadCorpus({ gazetteer: sources.gazetteer, serviceIds: new Set(sources.content.services.map((s) => s.id)) });
const QUESTIONS = [...corpus.questions.map((q) => q.q), 'pronote 31400 ?', 'ENT Occitannie', 'cned Montpelier', 'visio à Saint-Denis (974)', 'ent 59000'];

describe('reference snapshot', () => {
  test('GIVEN a snapshot of the shipped content THEN read back it reads every corpus question and answers exactly as data built from the sources', async () => {
    const { key, file } = freshSnapshot();
    const snapshot = readReferenceSnapshot(file, key, DEFAULT_CONTENT_DIR);
    assert.notEqual(snapshot.gazetteer, sources.gazetteer);
    assert.deepEqual(snapshot.content, sources.content);
    assert.deepEqual(snapshot.gazetteer.toData(), sources.gazetteer.toData());
    assert.deepEqual(placeIndexFor(snapshot.gazetteer).data, placeIndexFor(sources.gazetteer).data);

    const fromSnapshot = createUnderstander({ gazetteer: snapshot.gazetteer, services: snapshot.content.services });
    const fromSourceFiles = createUnderstander({ gazetteer: sources.gazetteer, services: sources.content.services });
    for (const q of corpus.questions) {
      assert.deepEqual(fromSnapshot.understand(q.q, q.locale ? { locale: q.locale } : {}), fromSourceFiles.understand(q.q, q.locale ? { locale: q.locale } : {}), q.where);
    }
    for (const { first, then } of corpus.followUps) {
      const previous = fromSourceFiles.understand(first.q);
      assert.deepEqual(fromSnapshot.understand(then.q, { previous }), fromSourceFiles.understand(then.q, { previous }), then.where);
    }

    const sample = QUESTIONS.filter((_, i) => i % 4 === 0 || i >= corpus.questions.length);
    const [a, b] = [await answers(snapshot, sample), await answers(sources, sample)];
    assert.deepEqual(a, b);
    assert.ok(a.every((line) => !line.includes('"kind":"error"')), 'no answer is an apology');

    const [s1, s2] = [new PlaceSuggester(snapshot.gazetteer), new PlaceSuggester(sources.gazetteer)];
    for (const prefix of ['saint', 'toul', '31', '974', 'occ', 'ile de', 'acad']) assert.deepEqual(s1.suggest(prefix), s2.suggest(prefix), prefix);
  });

  test('GIVEN a matching snapshot THEN it is used, with no warning', () => {
    const { cache } = freshSnapshot();
    const logger = recordingLogger();
    const loaded = loadReferenceWithSnapshot(DEFAULT_CONTENT_DIR, cache, logger);
    assert.notEqual(loaded.gazetteer, sources.gazetteer);
    assert.deepEqual(loaded.content, sources.content);
    assert.deepEqual(logger.warnings, []);
  });

  const corruptions: [string, (bytes: Buffer) => Buffer][] = [
    ['one byte of the payload changed', (b) => {
      const c = Buffer.from(b);
      c.writeUInt8(c.readUInt8(c.length - 1000) ^ 0xff, c.length - 1000);
      return c;
    }],
    ['cut in half', (b) => b.subarray(0, b.length >> 1)],
    ['an empty file', () => Buffer.alloc(0)],
    ['random bytes', (b) => Buffer.from(b.map((_, i) => (i * 7919) % 251))],
    ['a right checksum over bytes that are not a serialized payload', (b) => withPayload(b, Buffer.from('not a v8 payload'))],
    ['a right checksum over a payload of another shape', (b) => withPayload(b, serialize({ content: 'nothing', places: [1, 2, 3] }))],
  ];
  for (const [name, corrupt] of corruptions) {
    test(`GIVEN a corrupt snapshot (${name}) THEN it is not used: a warning, data built from the sources, a good snapshot saved again`, async () => {
      const { cache, key, file } = freshSnapshot();
      writeFileSync(file, corrupt(readFileSync(file)));
      const logger = recordingLogger();
      const loaded = loadReferenceWithSnapshot(DEFAULT_CONTENT_DIR, cache, logger);
      assert.equal(logger.warnings.length, 1, logger.warnings.join('\n'));
      assert.match(logger.warnings[0]!, /reference snapshot not used/);
      assert.deepEqual(await answers(loaded, ['ENT Occitanie ?', 'pronote 31400']), await answers(sources, ['ENT Occitanie ?', 'pronote 31400']));
      assert.doesNotThrow(() => readReferenceSnapshot(file, key, DEFAULT_CONTENT_DIR), 'the rewritten snapshot reads back');
    });
  }

  test('GIVEN a content file changed since the snapshot THEN the snapshot is not used and the answer shows the new words', async () => {
    const content = tempDir();
    cpSync(DEFAULT_CONTENT_DIR, content, { recursive: true });
    const cache = { dir: tempDir(), codeVersion: CODE };
    const before = snapshotKey(content, CODE)!;
    writeReferenceSnapshot(snapshotFile(cache, before), before, fromSources(content));
    const fr = join(content, 'messages', 'fr.yaml');
    writeFileSync(fr, readFileSync(fr, 'utf8').replace('aucun incident signalé {where}', 'rien à signaler {where}'));

    const after = snapshotKey(content, CODE)!;
    assert.notEqual(after, before);
    const logger = recordingLogger();
    const loaded = loadReferenceWithSnapshot(content, cache, logger);
    const [answer] = await answers(loaded, ['pronote Lille ?']);
    assert.match(answer!, /rien à signaler/);
    assert.ok(existsSync(snapshotFile(cache, after)), 'a snapshot for the new content is saved');
  });

  test('GIVEN a snapshot built by another version of the code, or for other content, under the current name THEN it is not used', () => {
    const other = freshSnapshot('another-code-version');
    const { cache, key, file } = freshSnapshot();
    assert.notEqual(other.key, key);
    writeFileSync(file, readFileSync(other.file));
    assert.throws(() => readReferenceSnapshot(file, key, DEFAULT_CONTENT_DIR), /built from other inputs/);
    const logger = recordingLogger();
    loadReferenceWithSnapshot(DEFAULT_CONTENT_DIR, cache, logger);
    assert.equal(logger.warnings.length, 1);
  });

  test('GIVEN a snapshot folder that cannot be written THEN content and places still load, from the sources', () => {
    const blocker = join(tempDir(), 'not-a-folder');
    writeFileSync(blocker, 'a file where the folder should be');
    const logger = recordingLogger();
    const loaded = loadReferenceWithSnapshot(DEFAULT_CONTENT_DIR, { dir: blocker, codeVersion: CODE }, logger);
    assert.deepEqual(loaded.content, sources.content);
    assert.equal(loaded.gazetteer.get('commune', '31555')?.name, 'Toulouse');
  });

  test('GIVEN many content folders THEN the snapshot folder keeps only the most recent snapshots', () => {
    // Eight snapshots left by earlier versions (copies of one, a minute apart), then a ninth built and saved.
    const { cache, file } = freshSnapshot();
    const inputs = referenceInputs(DEFAULT_CONTENT_DIR);
    const earlier = Array.from({ length: 8 }, (_, i) => snapshotFile(cache, snapshotKey(DEFAULT_CONTENT_DIR, `v${i}`, inputs)!));
    const base = statSync(file).mtime.getTime() - 3_600_000;
    earlier.forEach((path, i) => {
      cpSync(file, path);
      utimesSync(path, new Date(base + i * 60_000), new Date(base + i * 60_000));
    });
    rmSync(file);
    loadReferenceWithSnapshot(DEFAULT_CONTENT_DIR, { ...cache, codeVersion: 'v8' }, recordingLogger());
    const newest = snapshotFile(cache, snapshotKey(DEFAULT_CONTENT_DIR, 'v8', inputs)!);
    const kept = readdirSync(cache.dir).map((name) => join(cache.dir, name)).sort();
    assert.deepEqual(kept, [newest, ...earlier.slice(3)].sort(), 'the one just saved and the five most recent before it');
  });
});
