import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { realUnderstander } from './helpers.js';
import { MAX_QUESTION_LENGTH } from '../../src/understand/index.js';

const u = realUnderstander();

describe('understand: bad input never throws', () => {
  const inputs: [string, string][] = [
    ['empty', ''],
    ['spaces', '   \n\t  '],
    ['100 KB', 'le cned est en panne '.repeat(5000)],
    ['binary', String.fromCharCode(...Array.from({ length: 512 }, (_, i) => i % 256))],
    ['control characters', '\u0000\u0001\u0007\u001b[31mENT\u001b[0m\u007f'],
    ['only emojis', '😀🔥💥🎉'.repeat(50)],
    ['lone surrogates', '\uD800 ENT \uDC00 \uDBFF'],
    ['zero-width', 'E\u200BN\u200DT\uFEFF en panne'],
    ['right-to-left', '\u202Eenap ne TNE'],
    ['punctuation only', '?!?!...,,;;::'],
  ];
  for (const [name, text] of inputs) {
    test(`GIVEN ${name} input THEN a query comes back with clean text`, () => {
      const q = u.understand(text);
      assert.ok(q.text.length <= MAX_QUESTION_LENGTH);
      assert.doesNotMatch(q.text, /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u200B-\u200D\uFEFF\u202E]/);
      assert.doesNotMatch(q.text, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
    });
  }

  test('GIVEN a 100 KB message THEN it is cut and marked truncated', () => {
    const q = u.understand('le cned est en panne '.repeat(5000));
    assert.equal(q.truncated, true);
    assert.ok(q.text.length <= MAX_QUESTION_LENGTH);
    assert.equal(q.service, 'cned');
  });

  test('GIVEN a short message THEN it is not marked truncated', () => {
    assert.equal(u.understand('le cned est en panne').truncated, false);
  });

  test('GIVEN a cut that falls inside an emoji THEN no half emoji is left', () => {
    const q = u.understand('a'.repeat(MAX_QUESTION_LENGTH - 1) + '😀😀');
    assert.equal(q.truncated, true);
    assert.doesNotMatch(q.text, /[\uD800-\uDBFF]$/);
  });

  test('GIVEN zero-width characters inside a word THEN the word is still read', () => {
    assert.equal(u.understand('E\u200BN\u200DT en panne en Occitanie').service, 'ent');
  });

  test('GIVEN a value that is not a string THEN an unknown query comes back', () => {
    const q = u.understand(undefined as unknown as string);
    assert.equal(q.intent, 'unknown');
    assert.equal(q.text, '');
  });
});
