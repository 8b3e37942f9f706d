/**
 * Child processes of a test (workers, bot instances): each runs with a watchdog preloaded
 * (it exits once this process is gone), and every child still running is killed when this
 * process exits, however it exits (a test timeout and --test-force-exit included).
 */
import { spawn, type ChildProcess, type ChildProcessByStdio, type SpawnOptions } from 'node:child_process';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const WATCHDOG = fileURLToPath(new URL('./watchdog.mjs', import.meta.url));
const running = new Set<ChildProcess>();

/** Kills every child still running (SIGKILL). */
export function killChildren(): void {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  running.clear();
}

process.on('exit', killChildren);

/** Runs Node with `args` (after the watchdog) as a tracked child, its output piped. */
export function spawnNode(args: readonly string[], options: Omit<SpawnOptions, 'stdio'> = {}): ChildProcessByStdio<null, Readable, Readable> {
  const env = { ...(options.env ?? process.env), VIGIE_TEST_PARENT: String(process.pid) };
  const child = spawn(process.execPath, ['--import', WATCHDOG, ...args], { ...options, env, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}
