#!/usr/bin/env node
// `npm run bench…`: runs a bench (TypeScript) as `npm start` runs Vigie: compiled by esbuild,
// not through tsx (scripts/bench-hooks.mjs), and with the Node flags of package.json's
// `start` script (the flags between `node` and `scripts/start.mjs`), so a bench measures the
// code and the runtime settings that ship.
//
//   node scripts/bench.mjs bench/FILE.ts [bench options…]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [file, ...args] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: node scripts/bench.mjs bench/FILE.ts [options]\n');
  process.exit(2);
}
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const words = String(pkg.scripts?.start ?? '').trim().split(/\s+/);
const end = words.indexOf('scripts/start.mjs');
if (words[0] !== 'node' || end < 0) throw new Error(`package.json's start script is not "node [flags] scripts/start.mjs": ${pkg.scripts?.start}`);
const hooks = new URL('./bench-hooks.mjs', import.meta.url).href;
const register = `data:text/javascript,import{register}from'node:module';register(${JSON.stringify(hooks)});`;
const startFlags = words.slice(1, end);
const child = spawn(process.execPath, [...startFlags, '--import', register, file, ...args], {
  cwd: fileURLToPath(new URL('..', import.meta.url)),
  stdio: 'inherit',
  // A bench that starts processes of its own (bench/adapters-discord.ts) runs them the same
  // way: the start script's flags, and the `--import` that compiles like the build.
  env: { ...process.env, VIGIE_BENCH_START_FLAGS: JSON.stringify(startFlags), VIGIE_BENCH_IMPORT: register },
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
