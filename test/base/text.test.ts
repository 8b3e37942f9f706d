import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cutText, hasLoneSurrogate } from '../../src/base/text.js';

describe('cutting text to a platform limit', () => {
  test('GIVEN text that fits THEN it is unchanged', () => {
    assert.equal(cutText('ENT en panne', 12), 'ENT en panne');
  });
  test('GIVEN emojis, flags, families and accents across the limit THEN the cut never splits one and ends with …', () => {
    const samples = ['🔴'.repeat(300), '🇫🇷'.repeat(200), '👨‍👩‍👧‍👦'.repeat(100), 'é'.repeat(500), `a${'e\u0301'.repeat(400)}`, `x${'😀'.repeat(1000)}`];
    for (const text of samples) {
      for (const max of [1, 2, 3, 10, 11, 99, 256, 1024]) {
        const out = cutText(text, max);
        assert.ok(out.length <= max, `${out.length} > ${max}`);
        assert.equal(hasLoneSurrogate(out), false, `${max}: ${JSON.stringify(out.slice(-3))}`);
        if (max >= 2 && text.length > max) assert.ok(out.endsWith('…'), 'a cut text says so');
        assert.ok(text.startsWith(out.slice(0, -1)), 'a prefix of the text');
      }
    }
    // A combining accent stays with its letter.
    assert.equal(cutText(`ab${'e\u0301'.repeat(10)}`, 5), 'abe\u0301…');
  });
  test('GIVEN a huge text THEN the cut is quick and bounded', () => {
    const out = cutText('🙂 '.repeat(500_000), 2000);
    assert.ok(out.length <= 2000 && out.length > 1900);
  });
});
