#!/usr/bin/env node
// Splits newly written corpus files (corpus/incoming/*.yaml) into the training split
// (corpus/train/) and the held-out test split (corpus/test/), once: each message goes to the
// test split when the SHA-256 of its text falls in the first TEST_SHARE of the hash space,
// so the split does not depend on order, author or label. The files of both splits are then
// committed and never re-split (this refuses to overwrite either); the incoming file is
// removed. Nothing that trains or tunes may read corpus/test/.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TEST_SHARE = 0.22;
const root = new URL('..', import.meta.url).pathname;
const incoming = join(root, 'corpus/incoming');
for (const name of readdirSync(incoming).filter((f) => f.endsWith('.yaml')).sort()) {
  const trainFile = join(root, 'corpus/train', name);
  const testFile = join(root, 'corpus/test', name);
  if (existsSync(trainFile) || existsSync(testFile)) throw new Error(`${name} was split already`);
  const lines = readFileSync(join(incoming, name), 'utf8').split('\n');
  const head = [];
  const train = [];
  const test = [];
  for (const line of lines) {
    const m = /^\s*-\s*\{\s*q:\s*("(?:[^"\\]|\\.)*")/.exec(line);
    if (!m) {
      if (train.length === 0 && test.length === 0) head.push(line);
      else if (line.trim() !== '') throw new Error(`${name}: unexpected line ${JSON.stringify(line)}`);
      continue;
    }
    const digest = createHash('sha256').update(JSON.parse(m[1])).digest();
    (digest.readUInt32BE(0) / 2 ** 32 < TEST_SHARE ? test : train).push(line);
  }
  const out = (part, items) => `${head.join('\n').trimEnd()}\n# ${part} split (scripts/corpus-split.mjs, once)\n${items.join('\n')}\n`;
  writeFileSync(trainFile, out('training', train));
  writeFileSync(testFile, out('test', test));
  rmSync(join(incoming, name));
  console.log(`${name}: ${train.length} training, ${test.length} test`);
}
