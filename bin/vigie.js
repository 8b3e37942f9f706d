#!/usr/bin/env node
// The `vigie` command. Runs the compiled build (dist/), rebuilt first when any source changed
// since it was built (scripts/build.mjs), so it never runs stale code; when it cannot be
// built (a read-only install, esbuild missing), it runs the TypeScript sources through tsx.
import { ensureBuilt } from '../scripts/build.mjs';
import { pathToFileURL } from 'node:url';

let entry = null;
try {
  entry = await ensureBuilt('cli');
} catch (error) {
  process.stderr.write(`vigie: could not build (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); running the TypeScript sources through tsx\n`);
}
if (entry) {
  await import(pathToFileURL(entry).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/app/cli.ts');
}
