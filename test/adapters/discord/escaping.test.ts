/**
 * Escaping, unit level: every injection string in every text of a Reply (headline, section
 * titles and texts as fields, description and listings, demo label, source name and URL)
 * renders with nothing Discord would read as a link, heading, quote, subtext, list, code,
 * spoiler, timestamp or mention, except plain https addresses that pass parseHttpUrl.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Reply } from '../../../src/index.js';
import { escapeText, plainText } from '../../../adapters/discord/base/escape.js';
import { renderReply, renderReplyPages } from '../../../adapters/discord/base/render.js';
import { createDiscordTransport } from '../../../adapters/discord/transport.js';
import { FakeDiscord, FAKE_DISCORD_TOKEN } from '../../fakes/discord/fake-discord.js';
import { snowflake } from '../../fakes/discord/payloads.js';
import { assertInert, inspectMarkdown, unsafe } from './discord-markdown.js';
import { ALL_INJECTIONS, INJECTIONS } from './injections.js';
import { sharedTemplates } from '../../helpers/templates.js';

function replyWith(s: string): Reply {
  return {
    kind: 'incidents',
    language: 'fr',
    headline: s,
    status: 'major_outage',
    demo: { scenario: 'x', label: s },
    sections: [
      ...['scope', 'since', 'cause', 'update', 'recovery', 'advice', 'links'].map((key) => ({ key, title: s, text: `avant ${s} après\n${s}` })),
      { key: 'notice', title: s, text: `${s}\nsuite ${s}` },
      { key: 'subscriptions', title: s, text: s },
      { key: 'subscription_list', title: s, text: `• ${s}\n• ENT — ${s}` },
    ],
    source: { name: s, url: s, at: '2020-03-17T09:00:00.000Z' },
    time: '2020-03-17T09:00:00.000Z',
    actions: [
      { id: 'report', label: s, value: s },
      { id: 'subscribe', label: s, value: `ent ${s}` },
    ],
    incidents: [],
  };
}

describe('Discord escaping', () => {
  test('GIVEN each injection string in every text of a reply THEN the rendered markdown has no link, heading, quote, subtext, list or mention', () => {
    for (const s of INJECTIONS) {
      for (const page of renderReplyPages(sharedTemplates(), replyWith(s))) assertInert(page, JSON.stringify(s));
    }
    for (const page of renderReplyPages(sharedTemplates(), replyWith(ALL_INJECTIONS))) assertInert(page, 'all at once');
  });

  test('GIVEN a masked link THEN it shows as text and the address, if valid https, is a plain link to itself', () => {
    const escaped = escapeText('Voir [ENT officiel](https://evil.example) ou https://www.education.gouv.fr.');
    assert.deepEqual(
      inspectMarkdown(escaped).filter((f) => f.kind !== 'format'),
      [
        { kind: 'link', at: 'Voir [ENT officiel](<https://evil.example/>) ou <https://www.education.gouv.fr/>.', url: 'https://evil.example/' },
        { kind: 'link', at: 'Voir [ENT officiel](<https://evil.example/>) ou <https://www.education.gouv.fr/>.', url: 'https://www.education.gouv.fr/' },
      ],
    );
    assert.equal(inspectMarkdown(escapeText('[ENT](https://evil.example)', undefined, { links: false })).length, 0);
  });

  test('GIVEN a text cut to a limit THEN the cut fits, keeps graphemes whole and escapes whole', () => {
    const long = `${'👩‍👩‍👧 # *x* '.repeat(200)}`;
    for (const max of [10, 45, 100, 256, 1024]) {
      const cut = escapeText(long, max);
      assert.ok(cut.length <= max, `${cut.length} > ${max}`);
      assert.ok(cut.endsWith('…'));
      assert.doesNotMatch(cut, /[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
      assert.deepEqual(unsafe(inspectMarkdown(cut)), []);
    }
    assert.equal(plainText('<@123> @everyone', 100), '<\u200b@123> @\u200beveryone');
  });

  test('GIVEN a source address with a space THEN the embed has no URL and Discord accepts the notice', async () => {
    const fake = await FakeDiscord.start();
    const channel = snowflake();
    fake.channelMessages.known = new Set([channel]);
    const transport = createDiscordTransport({ templates: sharedTemplates(), token: FAKE_DISCORD_TOKEN, apiUrl: fake.apiUrl, timeoutMs: 2000 });
    try {
      const reply = { ...replyWith('Panne'), source: { name: 'Rectorat', url: 'https://www.ac-toulouse.fr/avis panne', at: '2020-03-17T09:00:00.000Z' } };
      assert.equal(renderReply(sharedTemplates(), reply).embeds[0]!.url, undefined);
      const result = await transport.post({ id: 'n1.d1', channel } as Parameters<typeof transport.post>[0], reply);
      assert.equal(result.ok, true, JSON.stringify(result));
      const ok = { ...reply, source: { ...reply.source, url: 'https://www.ac-toulouse.fr/avis' } };
      assert.equal(renderReply(sharedTemplates(), ok).embeds[0]!.url, 'https://www.ac-toulouse.fr/avis');
    } finally {
      transport.destroy();
      await fake.close();
    }
  });
});
