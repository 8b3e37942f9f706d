// Module hooks for scripts/bench.mjs: TypeScript compiled by esbuild file by file, as
// scripts/build.mjs compiles the code `npm start` runs (no `keepNames`: tsx's loader, used by
// the tests, defines a `name` on every closure the code creates, which the shipped code never
// pays). Each file stays its own module, so `import.meta.url` and entry checks mean what they
// mean under tsx. Imports written with `.js` (TypeScript's ESM style) find the `.ts` file.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

let esbuild = null;

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const relative = specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('file:');
    if (!relative || !/\.js$/.test(specifier) || error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return nextResolve(specifier.replace(/\.js$/, '.ts'), context);
  }
}

export async function load(url, context, nextLoad) {
  if (!/\.m?ts$/.test(new URL(url).pathname)) return nextLoad(url, context);
  esbuild ??= await import('esbuild');
  const path = fileURLToPath(url);
  const { code } = await esbuild.transform(await readFile(path, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcefile: path,
    sourcemap: 'inline',
    // Node 20 reads `import … with { type: 'json' }` (the shipped models); esbuild's table would strip it.
    supported: { 'import-attributes': true },
  });
  return { format: 'module', source: code, shortCircuit: true };
}
