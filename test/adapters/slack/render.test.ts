import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LIMITS, mrkdwn, renderReply } from '../../../adapters/slack/render.js';
import type { Reply } from '../../../src/index.js';
import { sharedTemplates } from '../../helpers/templates.js';

const INJECT = '<!channel> <!here|here> <@U0BOSS> <!subteam^S1|@profs> @everyone @here & <https://evil.example|clique>';

function reply(overrides: Partial<Reply> = {}): Reply {
  return {
    kind: 'incidents',
    language: 'fr',
    headline: 'ENT : panne majeure en Occitanie',
    status: 'major_outage',
    sections: [{ key: 'update', title: 'Dernière information officielle', text: 'Serveurs saturés.' }],
    source: { name: 'Rectorat', url: 'https://www.ac-toulouse.fr', at: '2020-03-17T08:00:00.000Z' },
    time: '2020-03-17T09:00:00.000Z',
    actions: [{ id: 'subscribe', label: 'Suivre les mises à jour', value: 'ent region:76' }],
    incidents: ['ent-occitanie'],
    ...overrides,
  };
}

describe('Slack rendering', () => {
  test('GIVEN an incident reply THEN a header with the status emoji, sections, a source and time context, and buttons', () => {
    const { blocks, text } = renderReply(sharedTemplates(), reply(), { share: 'ent occitanie' });
    const json = JSON.stringify(blocks);
    assert.equal((blocks[0] as { text: { text: string } }).text.text, '🔴 ENT : panne majeure en Occitanie');
    assert.match(json, /\*Dernière information officielle\*\\nServeurs saturés\./);
    assert.match(json, /<https:\/\/www\.ac-toulouse\.fr\/\|Rectorat> · 17 mars, 09:00/);
    assert.match(json, /Vigie · état à 17 mars, 10:00/);
    assert.match(json, /"action_id":"vigie_share".*"value":"ent occitanie"/);
    assert.match(json, /"action_id":"vigie_subscribe".*"value":"ent region:76"/);
    assert.match(text, /^🔴 ENT : panne majeure en Occitanie\n/);
  });

  test('GIVEN a section whose text names itself (the unconfirmed signal line) THEN it is not titled twice; other sections keep their bold title', () => {
    const signal = { key: 'signal', title: 'Non confirmé', text: 'Non confirmé : 25 signalements en Occitanie depuis 8 h (100 en France).' };
    const { blocks } = renderReply(sharedTemplates(), reply({ sections: [signal, { key: 'update', title: 'Dernière information officielle', text: 'Serveurs saturés.' }] }));
    const json = JSON.stringify(blocks);
    assert.match(json, /"text":"Non confirmé : 25 signalements en Occitanie depuis 8 h \(100 en France\)\."/);
    assert.doesNotMatch(json, /\*Non confirmé\*/);
    assert.match(json, /\*Dernière information officielle\*\\nServeurs saturés\./);
  });

  test('GIVEN a reply whose status is unknown THEN the header carries the neutral ⚪, never a colour', () => {
    const { blocks, text } = renderReply(sharedTemplates(), reply({ kind: 'no_information', status: 'unknown', headline: 'ENT : aucun incident signalé à Toulouse', source: null }));
    assert.equal((blocks[0] as { text: { text: string } }).text.text, '⚪ ENT : aucun incident signalé à Toulouse');
    assert.match(text, /^⚪ ENT/);
    assert.doesNotMatch(JSON.stringify(blocks), /🟢/);
  });

  test('GIVEN mentions and markup in every content field THEN none survives in blocks or text', () => {
    const nasty = reply({
      headline: INJECT,
      sections: [{ key: 'x', title: INJECT, text: INJECT }],
      source: { name: INJECT, url: 'javascript:alert(1)', at: '2020-03-17T08:00:00.000Z' },
      actions: [{ id: 'suggestion', label: INJECT, value: INJECT }],
      demo: { scenario: 's', label: INJECT },
    });
    const rendered = renderReply(sharedTemplates(), nasty, { share: INJECT });
    const out = JSON.stringify(rendered);
    assert.doesNotMatch(out, /<[!@#]/);
    assert.doesNotMatch(out, /@(everyone|here|channel)\b/);
    // Links are markup only in mrkdwn (plain_text and button values are shown or sent back verbatim).
    const marked = [rendered.text, ...[...out.matchAll(/"type":"mrkdwn","text":"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? '')];
    assert.ok(marked.length > 3);
    for (const text of marked) assert.doesNotMatch(text, /<(https?:\/\/evil|javascript:)/);
    assert.match(rendered.text, /&amp;/);
  });

  test('GIVEN very long texts THEN every block stays within Slack limits and entities are not cut in half', () => {
    const long = 'é & <x> '.repeat(2000);
    const { blocks, text } = renderReply(sharedTemplates(), reply({ headline: long, sections: Array.from({ length: 80 }, (_, i) => ({ key: `k${i}`, title: 'T', text: long })) }));
    assert.ok(blocks.length <= LIMITS.blocks);
    assert.ok(text.length <= LIMITS.text);
    for (const block of blocks) {
      const inner = (block as { text?: { text: string } }).text?.text ?? '';
      assert.ok(inner.length <= (block.type === 'header' ? LIMITS.header : LIMITS.section), `${block.type} ${inner.length}`);
    }
    assert.doesNotMatch(mrkdwn('a&b'.repeat(100), 50), /&[a-z]{0,3}…$/);
  });
});
