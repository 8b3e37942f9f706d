/**
 * The README's console transcript is real output: the block between its markers is what the
 * console of `npm start` writes for the scripted lines (scripts/readme-transcript.ts), so it
 * cannot drift. When an answer's words change on purpose, `npm run readme:transcript` rewrites it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { README, readmeTranscript, transcript } from '../scripts/readme-transcript.js';
import { FIRST_MESSAGE_MAX_CHARS, FIRST_MESSAGE_MAX_LINES } from '../src/index.js';

test('GIVEN the README THEN its transcript is exactly what the console writes today (run npm run readme:transcript after changing the words)', async () => {
  const shown = readmeTranscript(readFileSync(README, 'utf8'));
  assert.ok(shown !== null, 'README.md has its transcript markers');
  assert.equal(shown, await transcript());
});

test('GIVEN the transcript THEN it shows the banner, and every first message in it is within 5 lines and 500 characters', async () => {
  const text = await transcript();
  assert.match(text, /^Vigie — console\./);
  assert.match(text, /⚠️ {2}DÉMO — données rejouées du scénario/);
  // Answers are the blocks after a typed question (not after a command such as /plus).
  for (const block of text.split(/^› /m).slice(1)) {
    const [typed = '', ...answer] = block.trimEnd().split('\n');
    if (typed.startsWith('/')) continue;
    const shown = answer.join('\n');
    assert.ok(answer.length <= FIRST_MESSAGE_MAX_LINES && shown.length <= FIRST_MESSAGE_MAX_CHARS, `${typed}:\n${shown}`);
  }
});
