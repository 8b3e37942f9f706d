import { PassThrough, Readable } from 'node:stream';
import { runCli } from '../../src/app/cli.js';

/** Runs `vigie ARGS` in this process (warnings only in its log); what it wrote and its exit code. */
export async function runVigie(args: string[], env: NodeJS.ProcessEnv, stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += String(c)));
  stderr.on('data', (c) => (err += String(c)));
  const code = await runCli(args, { stdin: Readable.from([stdin]), stdout, stderr, env: { VIGIE_LOG_LEVEL: 'warn', ...env } });
  return { code, stdout: out, stderr: err };
}
