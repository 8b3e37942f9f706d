#!/usr/bin/env node
// Drops from training files (corpus/train/*.yaml, or the files given) every message whose
// text (trimmed, lower case) is also in the held-out test split, so no test message is ever
// trained on. The test split is never changed. Prints what it dropped.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const QUESTION = /^\s*-\s*\{\s*q:\s*("(?:[^"\\]|\\.)*")/;
const textOf = (line) => {
  const m = QUESTION.exec(line);
  return m ? JSON.parse(m[1]).trim().toLowerCase() : null;
};
const testDir = join(root, 'corpus/test');
const held = new Set();
for (const name of readdirSync(testDir).filter((f) => f.endsWith('.yaml'))) {
  for (const line of readFileSync(join(testDir, name), 'utf8').split('\n')) {
    const q = textOf(line);
    if (q !== null) held.add(q);
  }
}
const trainDir = join(root, 'corpus/train');
const files = process.argv.length > 2 ? process.argv.slice(2) : readdirSync(trainDir).filter((f) => f.endsWith('.yaml')).map((f) => join(trainDir, f));
for (const file of files) {
  const lines = readFileSync(file, 'utf8').split('\n');
  const kept = lines.filter((line) => {
    const q = textOf(line);
    if (q !== null && held.has(q)) {
      console.log(`${file}: dropped ${line.trim()}`);
      return false;
    }
    return true;
  });
  if (kept.length !== lines.length) writeFileSync(file, kept.join('\n'));
}
