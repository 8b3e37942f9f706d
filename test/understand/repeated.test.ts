import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { realUnderstander } from './helpers.js';

// The understander keeps the reading of first questions (hundreds of parents send the same
// words on a crisis morning): a repeated question must read exactly as the first time, and
// nothing that changes the reading may be served from that memory.
const u = realUnderstander();

describe('understand: the same words again', () => {
  test('GIVEN a question asked twice THEN the same reading, which no caller can change for the next', () => {
    const first = u.understand('le cned fonctionne ce matin à Rennes ?');
    const again = u.understand('le cned fonctionne ce matin à Rennes ?');
    assert.deepEqual(again, first);
    assert.equal(again.service, 'cned');
    assert.equal(again.place?.name, 'Rennes');
    assert.throws(() => {
      (again as { service: string | null }).service = 'ent';
    }, TypeError);
    assert.throws(() => again.alternatives.push({ kind: 'commune', code: '1', name: 'x' }), TypeError);
    assert.equal(u.understand('le cned fonctionne ce matin à Rennes ?').service, 'cned');
  });

  test('GIVEN words first asked alone WHEN they come as a follow-up THEN they lean on the earlier question', () => {
    assert.equal(u.understand('et en Normandie ?').service, null);
    const previous = u.understand("pronote est en panne à Lille ?");
    const q = u.understand('et en Normandie ?', { previous });
    assert.equal(q.service, 'pronote');
    assert.equal(q.place?.code, '28');
  });

  test('GIVEN words without a language clue WHEN the platform says English, then French THEN each reading follows its hint', () => {
    assert.equal(u.understand('educonnect ?', { locale: 'en-US' }).language, 'en');
    assert.equal(u.understand('educonnect ?', { locale: 'fr' }).language, 'fr');
    assert.equal(u.understand('educonnect ?', { locale: 'en-US' }).language, 'en');
  });

  test('GIVEN the same follow-up words from two people WHEN their earlier questions differ THEN each reading leans on its own earlier question, in its language', () => {
    const french = u.understand("pronote est en panne à Lille ?");
    const english = u.understand('is the CNED down in Lyon?');
    // No language clue in these words: each person's earlier question says it.
    const a = u.understand('Toulouse?', { previous: french });
    const b = u.understand('Toulouse?', { previous: english });
    const c = u.understand('Toulouse?', { previous: french });
    assert.equal(a.language, 'fr');
    assert.equal(b.language, 'en');
    assert.deepEqual([a.service, b.service, c.service], ['pronote', 'cned', 'pronote']);
    assert.deepEqual([a.place?.name, b.place?.name, c.place?.name], ['Toulouse', 'Toulouse', 'Toulouse']);
    assert.equal(c.language, 'fr');
    // Read once, merged per person: the earlier readings are untouched.
    assert.equal(french.place?.name, 'Lille');
    assert.equal(english.place?.name, 'Lyon');
    // A question that does not lean on anything is the same reading whoever asked before.
    const full = u.understand('le cned fonctionne ce matin à Rennes ?', { previous: english });
    assert.equal(full, u.understand('le cned fonctionne ce matin à Rennes ?', { previous: english }));
    assert.equal(full.place?.name, 'Rennes');
    assert.equal(full.language, 'fr');
  });
});
