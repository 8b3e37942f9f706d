import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../src/app/cli.js';
import { sharedReference } from './reference.js';

/**
 * Runs `vigie ARGS` in this process (warnings only in its log); what it wrote and its exit code.
 * A TZ in `env` is the process's zone while the command runs, as it would be a child's.
 */
export async function runVigie(args: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  sharedReference(); // the CLI's loadReferenceData() then finds it loaded
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += String(c)));
  stderr.on('data', (c) => (err += String(c)));
  const zone = process.env.TZ;
  if (env.TZ !== undefined) process.env.TZ = env.TZ;
  let code: number;
  try {
    code = await runCli(args, { stdin: Readable.from([stdin]), stdout, stderr, env: { VIGIE_LOG_LEVEL: 'warn', ...env } });
  } finally {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  }
  return { code, stdout: out, stderr: err };
}
