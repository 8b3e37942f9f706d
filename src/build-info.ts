/**
 * Which build this code runs from. scripts/build.mjs compiles src/ into dist/ and sets
 * `__VIGIE_BUILD_ID__` to a hash of every source it compiled; run from the TypeScript
 * sources (tsx: tests, scripts), it is not set and nothing build-related is used.
 */
import { fileURLToPath } from 'node:url';
import type { SnapshotCache } from './reference-snapshot.js';

declare const __VIGIE_BUILD_ID__: string | undefined;

/** The build id (a hash of the compiled sources), or null when run from the TypeScript sources. */
export const BUILD_ID: string | null = typeof __VIGIE_BUILD_ID__ === 'string' ? __VIGIE_BUILD_ID__ : null;

/** Where a compiled build keeps its reference snapshots (dist/reference), or null from the sources. */
export function buildSnapshotCache(): SnapshotCache | null {
  if (BUILD_ID === null) return null;
  // The compiled modules sit in dist/<build>/, so the snapshots are one folder up.
  return { dir: fileURLToPath(new URL('../reference/', import.meta.url)), codeVersion: BUILD_ID };
}
