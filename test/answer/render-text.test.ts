import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { renderText } from '../../src/answer/render-text.js';
import type { Reply } from '../../src/base/types.js';

const reply: Reply = {
  kind: 'incidents',
  language: 'fr',
  headline: '🔴 CNED : panne majeure dans toute la France',
  status: 'major_outage',
  sections: [
    { key: 'since', title: 'Depuis quand', text: 'Depuis 9 h.' },
    { key: 'also_affected', title: 'Autres incidents en cours', text: 'ligne 1\nligne 2' },
  ],
  source: { name: 'Ministère', url: 'https://www.education.gouv.fr', at: '2020-03-17T08:00:00.000Z' },
  time: '2020-03-17T09:00:00.000Z',
  actions: [
    { id: 'suggestion', label: 'CNED en panne à Lille ?', value: 'CNED en panne à Lille ?' },
    { id: 'subscribe', label: 'Suivre les mises à jour', value: 'cned' },
  ],
  incidents: ['cned-attack'],
};

describe('renderText', () => {
  test('GIVEN a reply THEN headline first, "Title : text" lines, source with time, actions as hints', () => {
    const lines = renderText(reply).split('\n');
    assert.equal(lines[0], reply.headline);
    assert.equal(lines[1], 'Depuis quand : Depuis 9 h.');
    assert.deepEqual(lines.slice(2, 5), ['Autres incidents en cours :', '  ligne 1', '  ligne 2']);
    assert.match(lines[5] ?? '', /^📣 Ministère <https:\/\/www\.education\.gouv\.fr> · 17 mars.*09:00$/);
    assert.equal(lines[6], '→ « CNED en panne à Lille ? »');
    assert.equal(lines[7], '→ Suivre les mises à jour');
  });

  test('GIVEN the source\'s time in words from the core THEN it is shown as is; without it, the year is added when it is not the reader\'s', () => {
    const said = renderText({ ...reply, source: { ...reply.source!, when: 'hier, 9 h' } });
    assert.match(said, /^📣 Ministère <https:\/\/www\.education\.gouv\.fr> · hier, 9 h$/m);
    const later = renderText({ ...reply, time: '2026-12-01T09:00:00.000Z' });
    assert.match(later, /^📣 Ministère <https:\/\/www\.education\.gouv\.fr> · 17 mars 2020, 09:00$/m);
  });

  test('GIVEN an English demo reply THEN the demo label leads and English punctuation is used', () => {
    const text = renderText({ ...reply, language: 'en', demo: { scenario: 's', label: 'DEMO' }, source: null, actions: [] });
    assert.deepEqual(text.split('\n').slice(0, 3), ['[DEMO]', reply.headline, 'Depuis quand: Depuis 9 h.']);
  });
});
