/**
 * Content and places for the tests, loaded once per test process, from a reference snapshot
 * (src/reference-snapshot.ts) kept in the temp folder: the first test process builds it from
 * content/ and the official data (about a second), the others read it (a tenth of that).
 *
 * The snapshot is only used for exactly the inputs it was built from: its key covers content/
 * and the official data (as a build's does) and, standing in for the build id, the bytes of
 * every file under src/. Once loaded, loadReferenceData() in this process (the CLI run
 * in-process, createRuntime without a reference) returns the same data.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadReferenceData } from '../../src/runtime.js';
import type { ReferenceData, SnapshotCache } from '../../src/reference-snapshot.js';

const SRC = resolve(import.meta.dirname, '../../src');

/** A hash of the code that builds the reference data (every file under src/). */
function sourcesVersion(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(`${path.slice(SRC.length)}\0`).update(readFileSync(path));
    }
  };
  walk(SRC);
  return `sources-${hash.digest('hex').slice(0, 16)}`;
}

let reference: ReferenceData | null = null;

/** The shipped content and places (read-only: never change them in a test). */
export function sharedReference(): ReferenceData {
  if (reference) return reference;
  const cache: SnapshotCache = { dir: join(tmpdir(), 'vigie-test-reference'), codeVersion: sourcesVersion() };
  reference = loadReferenceData(undefined, { cache });
  return reference;
}
