/**
 * Creates the folder a file will live in, one level at a time, and fails at once with a
 * clear reason when that cannot work: Node's recursive mkdir can loop for minutes on
 * pseudo-filesystems such as /proc.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Why a folder could not be made ready: a value, for the caller to phrase. */
export type EnsureDirFailure = { reason: 'not_a_directory' | 'not_writable' | 'cannot_create'; at: string; detail: string };

/** Makes `dir` exist (creating missing levels); returns null when ready, or why not. */
export function ensureDir(dir: string): EnsureDirFailure | null {
  const missing: string[] = [];
  let at = resolve(dir);
  for (;;) {
    let isDirectory: boolean | null = null;
    try {
      isDirectory = statSync(at).isDirectory();
    } catch {
      isDirectory = null;
    }
    if (isDirectory === false) return { reason: 'not_a_directory', at, detail: 'a file is in the way' };
    if (isDirectory === true) break;
    missing.unshift(at);
    const parent = dirname(at);
    if (parent === at) return { reason: 'cannot_create', at, detail: 'no existing folder above it' };
    at = parent;
  }
  if (missing.length === 0) return null;
  try {
    accessSync(at, constants.W_OK);
  } catch {
    return { reason: 'not_writable', at, detail: 'no permission to create folders there' };
  }
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      return { reason: 'cannot_create', at: level, detail: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
    }
  }
  return null;
}
