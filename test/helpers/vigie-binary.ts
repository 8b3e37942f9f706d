/** The real `vigie` command (bin/vigie.js, the compiled build) run as a child process, for the slow suite's CLI tests. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { testClockEnv } from './clock.js';

/** The repository's root, where the command runs by default. */
export const ROOT = resolve(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'vigie.js');

/** Runs `vigie args…` with the tests' clock (VIGIE_NOW) and warnings-only logs; its exit code and output. */
export function vigie(args: string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string } = {}): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    input: options.input ?? '',
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, VIGIE_LOG_LEVEL: 'warn', ...testClockEnv(), ...options.env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
