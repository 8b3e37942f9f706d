#!/usr/bin/env node
// Compiles Vigie (src/ and adapters/) into dist/ with esbuild, so commands run JavaScript
// instead of compiling TypeScript at every start, and never run stale code:
//
//   node scripts/build.mjs      (npm run build; `prepare`, so npm install / npm ci build too)
//     builds when the sources changed, then saves the reference snapshot (dist/reference/)
//   import { ensureBuilt } from './build.mjs'   (bin/vigie.js, scripts/start.mjs)
//     the entry to run, rebuilt first (about 0.2 s) when any source changed since the build
//
// Layout: dist/manifest.json names the current build and the size and mtime of every input;
// dist/b-<id>/ holds the build whose id hashes those inputs (cli.js, main.js, runtime.js and
// shared chunks; the Slack and Discord adapters and the admin commands are chunks loaded
// only when needed). A build is written aside and renamed into place, and the manifest
// replaced atomically, so processes building at the same time never see half a build.
// Builds no longer current are removed after an hour (a running process may still load
// chunks of its own build).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const MANIFEST = join(DIST, 'manifest.json');
const ENTRIES = { cli: 'src/app/cli.ts', main: 'src/app/main.ts', runtime: 'src/runtime.ts' };
/** Folders whose code goes into the build, and single files that shape it. */
const SOURCE_DIRS = ['src', 'adapters'];
const SOURCE_EXT = /\.(ts|mts|cts|js|mjs|cjs|json)$/;
const CONFIG_FILES = ['package.json', 'tsconfig.json', 'scripts/build.mjs', 'node_modules/esbuild/package.json'];
const OLD_BUILD_MS = 3_600_000;

/** Every input of the build, sorted, with its size and mtime (no file is read). */
function listInputs() {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else if (SOURCE_EXT.test(entry.name)) out.push(rel);
    }
  };
  for (const dir of SOURCE_DIRS) walk(dir);
  out.push(...CONFIG_FILES);
  return out.sort().map((rel) => {
    const s = statSync(join(ROOT, rel));
    return [rel, s.size, s.mtimeMs];
  });
}

function readManifest() {
  try {
    const m = JSON.parse(readFileSync(MANIFEST, 'utf8'));
    return typeof m.id === 'string' && Array.isArray(m.inputs) && typeof m.entries === 'object' ? m : null;
  } catch {
    return null;
  }
}

const sameInputs = (a, b) => a.length === b.length && a.every((x, i) => x[0] === b[i][0] && x[1] === b[i][1] && x[2] === b[i][2]);

/** Reads the inputs and hashes them: the build id. */
function readSources(inputs) {
  const hash = createHash('sha256').update(`node ${process.versions.node.split('.')[0]}\0`);
  const contents = new Map();
  for (const [rel] of inputs) {
    const bytes = readFileSync(join(ROOT, rel));
    contents.set(join(ROOT, rel), bytes);
    hash.update(`${rel}\0${bytes.length}\0`).update(bytes);
  }
  return { id: hash.digest('hex').slice(0, 16), contents };
}

function writeManifest(manifest) {
  const tmp = `${MANIFEST}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(manifest)}\n`);
  renameSync(tmp, MANIFEST);
}

const entryFiles = (id) => Object.fromEntries(Object.keys(ENTRIES).map((name) => [name, `b-${id}/${name}.js`]));

/** Compiles exactly the bytes that were hashed (a file saved meanwhile waits for the next build). */
async function compile(id, contents) {
  const esbuild = await import('esbuild');
  const dir = join(DIST, `b-${id}`);
  if (existsSync(join(dir, 'cli.js'))) return;
  const tmp = join(DIST, `b-${id}.${process.pid}.${Date.now()}.tmp`);
  mkdirSync(DIST, { recursive: true });
  const fromMemory = {
    name: 'hashed-sources',
    setup(build) {
      build.onLoad({ filter: /\.[mc]?ts$/ }, (args) => {
        const bytes = contents.get(args.path);
        return bytes ? { contents: bytes, loader: 'ts' } : undefined;
      });
    },
  };
  try {
    await esbuild.build({
      absWorkingDir: ROOT,
      entryPoints: Object.fromEntries(Object.entries(ENTRIES).map(([name, file]) => [name, join(ROOT, file)])),
      outdir: tmp,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      packages: 'external',
      sourcemap: 'linked',
      sourcesContent: false,
      define: { __VIGIE_BUILD_ID__: JSON.stringify(id) },
      plugins: [fromMemory],
      logLevel: 'silent',
    });
  } catch (error) {
    rmSync(tmp, { recursive: true, force: true });
    throw error;
  }
  try {
    renameSync(tmp, dir);
  } catch (error) {
    // Another process finished the same build first: theirs is identical.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(join(dir, 'cli.js'))) throw error;
  }
}

/**
 * Removes builds other than `id` an hour after they were first seen replaced (a process
 * started just before may still be loading their chunks), and abandoned temporary ones.
 */
function pruneBuilds(id) {
  for (const name of readdirSync(DIST)) {
    if (!name.startsWith('b-') || name === `b-${id}`) continue;
    const path = join(DIST, name);
    try {
      if (name.endsWith('.tmp')) {
        if (Date.now() - statSync(path).mtimeMs > OLD_BUILD_MS) rmSync(path, { recursive: true, force: true });
        continue;
      }
      const retired = join(path, '.retired');
      if (!existsSync(retired)) writeFileSync(retired, '');
      else if (Date.now() - statSync(retired).mtimeMs > OLD_BUILD_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by another process meanwhile.
    }
  }
}

let compiled = false;

/**
 * Makes sure dist/ matches the sources and returns the path of entry `name` ('cli', 'main',
 * 'runtime'). Checking costs a directory walk and ~200 stat calls; a rebuild about 0.2 s.
 */
export async function ensureBuilt(name) {
  const inputs = listInputs();
  const manifest = readManifest();
  const entry = (m) => join(DIST, m.entries[name]);
  if (manifest && sameInputs(manifest.inputs, inputs) && existsSync(entry(manifest))) return entry(manifest);
  const { id, contents } = readSources(inputs);
  const current = { id, inputs, entries: entryFiles(id) };
  // Files touched but not changed (a checkout, an editor saving unchanged): same build.
  if (!(manifest?.id === id && existsSync(entry(current)))) {
    await compile(id, contents);
    compiled = true;
  }
  writeManifest(current);
  pruneBuilds(id);
  return entry(current);
}

/** `node scripts/build.mjs`: build if needed, then save the reference snapshot for the default content. */
async function main() {
  const started = performance.now();
  const runtime = await ensureBuilt('runtime');
  const { loadReferenceData } = await import(pathToFileURL(runtime).href);
  loadReferenceData();
  const id = readManifest()?.id;
  const what = compiled ? 'compiled' : 'up to date';
  process.stdout.write(`vigie: ${relative(ROOT, DIST)}${sep}b-${id} ${what}, reference snapshot ready (${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`vigie: build failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
