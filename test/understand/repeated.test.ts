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
});
