#!/usr/bin/env node
// `npm start`: runs the compiled src/app/main.ts (dist/), rebuilt first when any source changed
// since it was built (scripts/build.mjs), so it never runs stale code; when it cannot be
// built, it runs the TypeScript sources through tsx.
import { pathToFileURL } from 'node:url';
import { ensureBuilt } from './build.mjs';

let entry = null;
try {
  entry = await ensureBuilt('main');
} catch (error) {
  process.stderr.write(`vigie: could not build (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); running the TypeScript sources through tsx\n`);
}
if (entry) {
  await import(pathToFileURL(entry).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/app/main.ts');
}
