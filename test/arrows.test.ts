/**
 * scripts/check-arrows.mjs (run by `npm test` before the tests) on small trees written for the
 * purpose: it must fail on a folder cycle, types included, and on a run-time file cycle, and
 * pass a tree whose folders form a DAG. The trees are checked in this process (`checkArrows`,
 * the TypeScript parser loaded once); one test runs the command itself, for its exit codes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkArrows } from '../scripts/check-arrows.mjs';

const CHECKER = join(dirname(fileURLToPath(import.meta.url)), '..', 'scripts', 'check-arrows.mjs');

/** A temporary tree of `files`, handed to `fn`, then removed. */
function inTree<T>(files: Record<string, string>, fn: (root: string) => T): T {
  const root = mkdtempSync(join(tmpdir(), 'vigie-arrows-'));
  try {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return fn(root);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The checker's exit code and output (what it prints, then its errors) on a tree of `files`. */
function check(files: Record<string, string>): { code: number | null; out: string } {
  return inTree(files, (root) => {
    const { code, stdout, stderr } = checkArrows(root);
    return { code, out: [...stdout, ...stderr].map((line) => `${line}\n`).join('') };
  });
}

/** The same through the command (`node scripts/check-arrows.mjs --root DIR`), as `npm test` runs it. */
function checkCommand(files: Record<string, string>): { code: number | null; out: string } {
  return inTree(files, (root) => {
    const run = spawnSync(process.execPath, [CHECKER, '--root', root], { encoding: 'utf8' });
    return { code: run.status, out: `${run.stdout}${run.stderr}` };
  });
}

describe('arrows one way (scripts/check-arrows.mjs)', () => {
  // `npm test` runs the command on the project's tree before the tests (`npm run arrows`): it exits 0 there.
  test('GIVEN the command on a tree with a folder cycle THEN it exits 1 naming the cycle', () => {
    const cycle = checkCommand({
      'src/base/types.ts': "import type { Row } from '../store/index.js';\nexport type Id = Row['id'];\n",
      'src/store/index.ts': "import type { Id } from '../base/types.js';\nexport interface Row { id: string }\nexport const none: Id[] = [];\n",
    });
    assert.equal(cycle.code, 1, cycle.out);
    assert.match(cycle.out, /folder cycle among src\/base, src\/store/);
    assert.match(cycle.out, /0 file cycle\(s\) at run time, 1 folder cycle\(s\), 0 adapter import\(s\) past the seam/);
  });

  test('GIVEN folders that import one way THEN it passes', () => {
    const { code, out } = check({
      'src/base/types.ts': 'export type Id = string;\nexport const ZERO = 0;\n',
      'src/store/index.ts': "import { ZERO, type Id } from '../base/types.js';\nexport const first: Id = String(ZERO);\n",
      'src/index.ts': "export { first } from './store/index.js';\n",
      'adapters/chat/index.ts': "import { first } from '../../src/index.js';\nexport const hello = () => first;\n",
    });
    assert.equal(code, 0, out);
    assert.match(out, /0 file cycle\(s\) at run time, 0 folder cycle\(s\)/);
  });

  test('GIVEN two folders that import each other, one of them for a type only THEN it fails naming both and the imports', () => {
    const { code, out } = check({
      'src/base/types.ts': "import type { Row } from '../store/index.js';\nexport type Id = Row['id'];\n",
      'src/store/index.ts': "import type { Id } from '../base/types.js';\nexport interface Row { id: string }\nexport const none: Id[] = [];\n",
    });
    assert.equal(code, 1);
    assert.match(out, /folder cycle among src\/base, src\/store/);
    assert.match(out, /src\/base\/types\.ts → src\/store\/index\.ts/);
  });

  test('GIVEN an adapter sub-folder that imports its parent index THEN it fails', () => {
    const { code, out } = check({
      'adapters/chat/index.ts': "import { handle } from './handlers/one.js';\nexport const NAME = 'chat';\nexport { handle };\n",
      'adapters/chat/handlers/one.ts': "import { NAME } from '../index.js';\nexport const handle = () => NAME;\n",
    });
    assert.equal(code, 1);
    assert.match(out, /folder cycle among adapters\/chat, adapters\/chat\/handlers/);
  });

  test('GIVEN an adapter that imports the Bot class, the store or the gazetteer THEN it fails naming each; through Core THEN it passes', () => {
    const core = {
      'src/core.ts': 'export interface Core { now(): Date }\n',
      'src/bot.ts': "import type { Core } from './core.js';\nexport class Bot implements Core { now() { return new Date(0); } }\n",
      'src/store/index.ts': 'export interface Store { close(): Promise<void> }\n',
      'src/places/gazetteer.ts': 'export class Gazetteer {}\n',
      'src/index.ts': "export type { Core } from './core.js';\nexport { Bot } from './bot.js';\nexport type { Store } from './store/index.js';\n",
    };
    const leaky = check({
      ...core,
      'adapters/chat/index.ts': "import type { Bot } from '../../src/index.js';\nexport const when = (bot: Bot) => bot.now();\n",
      'adapters/chat/home.ts': "import type { Store } from '../../src/store/index.js';\nexport type S = Store;\n",
      'adapters/chat/places.ts': "export type G = import('../../src/places/gazetteer.js').Gazetteer;\n",
      'adapters/chat/all.ts': "import * as core from '../../src/index.js';\nexport const bot = core.Bot;\n",
    });
    assert.equal(leaky.code, 1, leaky.out);
    assert.match(leaky.out, /adapters\/chat\/index\.ts → src\/index\.ts \(Bot\)/);
    assert.match(leaky.out, /adapters\/chat\/home\.ts → src\/store\/index\.ts/);
    assert.match(leaky.out, /adapters\/chat\/places\.ts → src\/places\/gazetteer\.ts/);
    assert.match(leaky.out, /adapters\/chat\/all\.ts → src\/index\.ts \(everything\)/);
    assert.match(leaky.out, /4 adapter import\(s\) past the seam/);
    const sealed = check({ ...core, 'adapters/chat/index.ts': "import type { Core } from '../../src/index.js';\nexport const when = (bot: Core) => bot.now();\n" });
    assert.equal(sealed.code, 0, sealed.out);
    assert.match(sealed.out, /0 adapter import\(s\) past the seam/);
  });

  test('GIVEN two files of one folder that import each other at run time (a dynamic import counts) THEN it fails; through types only THEN a note', () => {
    const value = check({
      'src/a.ts': "import { b } from './b.js';\nexport const a = () => b;\n",
      'src/b.ts': "export const b = 1;\nexport const later = () => import('./a.js');\n",
    });
    assert.equal(value.code, 1);
    assert.match(value.out, /file cycle among 2 files/);
    const types = check({
      'src/a.ts': "import { b } from './b.js';\nexport type A = { n: number };\nexport const a = () => b;\n",
      'src/b.ts': "import type { A } from './a.js';\nexport const b: A = { n: 1 };\n",
    });
    assert.equal(types.code, 0, types.out);
    assert.match(types.out, /note: files importing each other through types only \(inside src\): src\/a\.ts, src\/b\.ts/);
  });
});
