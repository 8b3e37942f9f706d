import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PlaceIndex } from '../../src/understand/place-index.js';
import { sharedReference } from '../helpers/bot.js';

// A running bot builds the typo index in slices just after it starts, so the first misspelled
// place name does not hold every question while it is built. What it reads must not change.
describe('typo index prepared in the background', () => {
  const { gazetteer } = sharedReference();
  const misspelt = ['toulousse', 'montpelier', 'bordaux', 'strasbour', 'perpignant'];
  const reference = new PlaceIndex(gazetteer);
  const expected = misspelt.map((w) => reference.near(w));

  test('GIVEN the index prepared in slices THEN misspellings are read as by an index built at first need, and the build yielded between slices', async () => {
    assert.ok(expected.every((found) => found.length > 0), 'each misspelling has close names');
    const index = new PlaceIndex(gazetteer, reference.data);
    let pauses = 0;
    await index.prepare(500, async () => {
      pauses++;
    });
    assert.equal(pauses, Math.ceil(reference.data.typoPhrases.length / 500) - 1);
    assert.deepEqual(misspelt.map((w) => index.near(w)), expected);
  });

  test('GIVEN a misspelling read halfway through the build THEN it is read in full, and the build then ends without adding anything twice', async () => {
    const index = new PlaceIndex(gazetteer, reference.data);
    let pauses = 0;
    let midway: ReturnType<PlaceIndex['near']>[] = [];
    await index.prepare(1_000, async () => {
      if (++pauses === 2) midway = misspelt.map((w) => index.near(w));
    });
    assert.equal(pauses, 2, 'the build stopped once a lookup had finished it');
    assert.deepEqual(midway, expected);
    assert.deepEqual(misspelt.map((w) => index.near(w)), expected);
  });
});
