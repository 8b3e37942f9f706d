/**
 * The reference snapshot: content/ (validated), the gazetteer and the place index, saved in
 * one file so a process starts without parsing YAML, 35,000 communes and rebuilding indexes.
 *
 * A snapshot is only ever used for exactly the inputs it was built from: its file name and
 * header carry a key hashing the snapshot format, the version of the code (the build id),
 * the @etalab/decoupage-administratif version and data files, and the bytes of every content
 * file `loadContent` reads. Its payload is checksummed. Anything else (no file, another key,
 * a bad checksum, a payload that does not read back) means building from the sources, with a
 * warning when a file was there but unusable, never a crash; the rebuilt data is then saved.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { CONTENT_FILES, DEFAULT_CONTENT_DIR, loadContent, type Content } from './content/load.js';
import { FIRST_NAMES_FILE, WORD_FILES } from './understand/ambiguous-communes.js';
import { Gazetteer, type GazetteerData } from './places/gazetteer.js';
import { placeIndexFor, rememberPlaceIndex, type PlaceIndexData } from './understand/place-index.js';
import type { Logger } from './base/logger.js';

/** Bump when the payload's shape changes (the build id changes with any code change anyway). */
const FORMAT = 1;
const MAGIC = Buffer.from('VIGIE-REFERENCE\n', 'latin1');
const DATA_PACKAGE = '@etalab/decoupage-administratif';
const DATA_FILES = ['regions.json', 'departements.json', 'communes.json'];
/** Snapshots kept in the folder (other content folders, earlier builds); the oldest go first. */
const KEEP = 6;

const require = createRequire(import.meta.url);

/** Content and places, read-only and shared by everything a process builds. */
export interface ReferenceData {
  content: Content;
  gazetteer: Gazetteer;
}

/** Where snapshots are kept, and the version of the code that builds and reads them. */
export interface SnapshotCache {
  dir: string;
  codeVersion: string;
}

/** What the payload holds (the content folder's path is not stored: it is the caller's). */
interface Payload {
  content: Omit<Content, 'dir'>;
  gazetteer: GazetteerData;
  placeIndex: PlaceIndexData;
}

/** Why a snapshot file was not used. */
export class SnapshotError extends Error {}

/**
 * A hash of the inputs the reference data is built from, apart from the code: the official
 * data, the content files and the word lists. Null when a content file cannot be read
 * (loading from the sources then reports it properly).
 */
export function referenceInputs(contentDir: string): string | null {
  const hash = createHash('sha256');
  try {
    const pkg = require.resolve(`${DATA_PACKAGE}/package.json`);
    const { version } = JSON.parse(readFileSync(pkg, 'utf8')) as { version?: unknown };
    hash.update(`${DATA_PACKAGE}@${String(version)}\0`);
    for (const file of DATA_FILES) {
      const s = statSync(require.resolve(`${DATA_PACKAGE}/data/${file}`));
      hash.update(`${file} ${s.size} ${s.mtimeMs}\0`);
    }
    for (const file of CONTENT_FILES) {
      const bytes = readFileSync(join(contentDir, file));
      hash.update(`${file} ${bytes.length}\0`).update(bytes);
    }
    // The word lists decide which names need a cue (place index flags); they ship with the code.
    for (const file of [...WORD_FILES, FIRST_NAMES_FILE]) {
      const bytes = readFileSync(join(DEFAULT_CONTENT_DIR, file));
      hash.update(`${file} ${bytes.length}\0`).update(bytes);
    }
  } catch {
    return null;
  }
  return hash.digest('hex');
}

/**
 * The key of the snapshot for this content folder and code version: a hash of everything the
 * snapshot is built from (`inputs`, when the caller already has them). Null when a content
 * file cannot be read.
 */
export function snapshotKey(contentDir: string, codeVersion: string, inputs = referenceInputs(contentDir)): string | null {
  if (inputs === null) return null;
  return createHash('sha256').update(`vigie-reference ${FORMAT}\0${codeVersion}\0${inputs}`).digest('hex').slice(0, 32);
}

/** The snapshot file for a key. */
export function snapshotFile(cache: SnapshotCache, key: string): string {
  return join(cache.dir, `reference-${key}.bin`);
}

/** Saves content, gazetteer and place index under `key` (atomically: another process never reads half a file). */
export function writeReferenceSnapshot(file: string, key: string, reference: ReferenceData): void {
  const { dir: _dir, ...content } = reference.content;
  const payload: Payload = { content, gazetteer: reference.gazetteer.toData(), placeIndex: placeIndexFor(reference.gazetteer).data };
  const body = serialize(payload);
  const header = Buffer.from(`${JSON.stringify({ format: FORMAT, key, length: body.length, sha256: sha256(body) })}\n`, 'utf8');
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, Buffer.concat([MAGIC, header, body]));
  renameSync(tmp, file);
}

/** Reads a snapshot written for `key`; throws SnapshotError saying why it cannot be used. */
export function readReferenceSnapshot(file: string, key: string, contentDir: string): ReferenceData {
  const bytes = readFileSync(file);
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw new SnapshotError('not a reference snapshot');
  const end = bytes.indexOf(0x0a, MAGIC.length);
  if (end < 0) throw new SnapshotError('no header');
  let header: { format?: unknown; key?: unknown; length?: unknown; sha256?: unknown };
  try {
    header = JSON.parse(bytes.subarray(MAGIC.length, end).toString('utf8')) as typeof header;
  } catch {
    throw new SnapshotError('unreadable header');
  }
  if (header.format !== FORMAT || header.key !== key) throw new SnapshotError('built from other inputs');
  const body = bytes.subarray(end + 1);
  if (header.length !== body.length || header.sha256 !== sha256(body)) throw new SnapshotError('checksum mismatch');
  let payload: Payload;
  try {
    payload = deserialize(body) as Payload;
    checkShape(payload);
  } catch (error) {
    throw new SnapshotError(`unreadable payload (${(error as Error).message})`);
  }
  const content: Content = { dir: contentDir, ...payload.content };
  const gazetteer = new Gazetteer(content.academies, content.regionAliases, payload.gazetteer);
  rememberPlaceIndex(gazetteer, payload.placeIndex);
  return { content, gazetteer };
}

/**
 * Content and places for `contentDir`: from the snapshot matching the current inputs when
 * there is one, else from the sources (then saved as a snapshot for the next process).
 */
export function loadReferenceWithSnapshot(contentDir: string, cache: SnapshotCache, logger: Logger, inputs = referenceInputs(contentDir)): ReferenceData {
  const key = snapshotKey(contentDir, cache.codeVersion, inputs);
  if (!key) return fromSources(contentDir);
  const file = snapshotFile(cache, key);
  try {
    return readReferenceSnapshot(file, key, contentDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      const reason = error instanceof Error ? error.message : String(error);
      logger.warn('reference snapshot not used, building from the sources', { file, reason });
    }
  }
  const reference = fromSources(contentDir);
  try {
    mkdirSync(cache.dir, { recursive: true });
    writeReferenceSnapshot(file, key, reference);
    prune(cache.dir, file);
  } catch (error) {
    // A read-only install still works, only without the snapshot.
    logger.debug('reference snapshot not saved', { file, error });
  }
  return reference;
}

/** Content and places built from content/ and the official data. */
export function fromSources(contentDir?: string): ReferenceData {
  const content = loadContent(contentDir);
  const gazetteer = new Gazetteer(content.academies, content.regionAliases);
  return { content, gazetteer };
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The payload's structure, checked before use (the checksum already vouches for the bytes). */
function checkShape(p: Payload): void {
  const ok =
    typeof p === 'object' && p !== null &&
    Array.isArray(p.content?.services) && Array.isArray(p.content.academies) && Array.isArray(p.content.regionAliases) &&
    typeof p.content.messages?.fr === 'object' && typeof p.content.messages.en === 'object' &&
    Array.isArray(p.gazetteer?.regions) && Array.isArray(p.gazetteer.departements) && p.gazetteer.communes?.populations instanceof Float64Array &&
    p.placeIndex?.phrases instanceof Map && p.placeIndex.starts instanceof Int32Array && p.placeIndex.kinds instanceof Uint8Array &&
    p.placeIndex.flags instanceof Uint8Array && Array.isArray(p.placeIndex.codes) && p.placeIndex.maxWords instanceof Map &&
    p.placeIndex.vocabulary instanceof Set && Array.isArray(p.placeIndex.typoPhrases) &&
    p.placeIndex.starts.length === p.placeIndex.phrases.size + 1 && p.placeIndex.codes.length === p.placeIndex.kinds.length &&
    p.placeIndex.flags.length === p.placeIndex.kinds.length && p.placeIndex.starts[p.placeIndex.phrases.size] === p.placeIndex.codes.length;
  if (!ok) throw new Error('unexpected structure');
}

/** Removes the oldest snapshots beyond KEEP (never `keep`, the one just written) and stale temporary files. */
function prune(dir: string, keep: string): void {
  const names = readdirSync(dir);
  for (const f of names.filter((n) => n.endsWith('.tmp'))) {
    const path = join(dir, f);
    // Another process may be writing it right now: only what is clearly abandoned goes.
    if (Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { force: true });
  }
  const files = names
    .filter((f) => f.startsWith('reference-') && f.endsWith('.bin'))
    .map((f) => ({ path: join(dir, f), mtime: statSync(join(dir, f)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const f of files.slice(KEEP)) if (f.path !== keep) rmSync(f.path, { force: true });
}
