/**
 * Escaping end to end: injection strings typed where Vigie echoes text (a /statut question, the
 * admin /incident form, an official notice's fields, a subscription's place, incident titles in
 * autocomplete, the report form's pre-filled text) come back through the real discord.js Client
 * and the fake Discord with nothing live: no link, heading, quote, subtext, list or mention.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Dispatcher } from '../../../src/delivery/index.js';
import { createDiscordTransport, type DiscordTransport } from '../../../adapters/discord/transport.js';
import { FAKE_DISCORD_TOKEN } from '../../fakes/discord/fake-discord.js';
import { autocomplete, button, command, modalSubmit, PERMS, snowflake, user } from '../../fakes/discord/payloads.js';
import { assertInert } from './discord-markdown.js';
import { startHarness, type Harness } from './harness.js';
import { ALL_INJECTIONS, INJECTIONS } from './injections.js';
import { sharedTemplates } from '../../helpers/templates.js';

type Message = { content?: string; embeds?: unknown[]; allowed_mentions?: { parse: unknown[] }; components?: { components: { custom_id: string; value?: string }[] }[]; custom_id?: string; choices?: { name: string }[] };
const LIVE_PLAIN = /<[@#!]|[@＠](everyone|here)/;

describe('Discord echoes of people’s and admins’ text', () => {
  let h: Harness;
  let transport: DiscordTransport;
  let dispatcher: Dispatcher;
  const channel = snowflake();
  const admin = { roles: [] as string[], user: user('rectorat'), permissions: PERMS.manageChannels };

  before(async () => {
    h = await startHarness();
    admin.roles = [h.fake.world.adminRoleId];
    h.fake.channelMessages.known = new Set([channel]);
    await h.runtime.store.subscriptions.add({ platform: 'discord', workspace: h.fake.world.guildId, channel, service: '*', place: { kind: 'national', code: 'FR', name: 'France' }, createdBy: 'test' });
    transport = createDiscordTransport({ templates: sharedTemplates(), token: FAKE_DISCORD_TOKEN, apiUrl: h.fake.apiUrl, timeoutMs: 2000 });
    dispatcher = new Dispatcher({ store: h.runtime.store, clock: h.clock, templates: h.runtime.bot.templates, transports: [transport] });
  });
  after(async () => {
    assert.deepEqual(h.fake.invalidBodies().map((r) => `${r.method} ${r.path}`), [], 'Discord would have refused these bodies');
    transport.destroy();
    await h.close();
  });

  const answerOf = async (payload: Record<string, unknown>) => (await h.fake.answer(h.fake.interact(payload))).message as Message;

  test('GIVEN each injection string as a /statut question THEN the answer is inert', async () => {
    for (const s of [...INJECTIONS, ALL_INJECTIONS.slice(0, 500)]) {
      assertInert(await answerOf(command(h.fake.world, 'status', { question: s.slice(0, 500) })), `question ${JSON.stringify(s)}`);
    }
  });

  test('GIVEN each injection string as a subscription place THEN the subscribe and unsubscribe replies are inert', async () => {
    for (const s of INJECTIONS) {
      assertInert(await answerOf(command(h.fake.world, 'subscribe', { place: s.slice(0, 100), service: 'ent' }, admin)), `subscribe ${JSON.stringify(s)}`);
      assertInert(await answerOf(command(h.fake.world, 'unsubscribe', { place: s.slice(0, 100) }, admin)), `unsubscribe ${JSON.stringify(s)}`);
    }
  });

  test('GIVEN injections in every field of the admin /incident form with notify THEN the preview, the applied answer, /statut and the channel notice are inert', async () => {
    const text = ALL_INJECTIONS.slice(0, 1500);
    const open = h.fake.interact(command(h.fake.world, 'incident', { action: 'open', service: 'cned', places: 'France', status: 'major_outage', notify: true }, admin));
    const modalId = String(((await h.fake.callback(open)).body as { data: { custom_id: string } }).data.custom_id);
    const preview = await answerOf(modalSubmit(h.fake.world, modalId, { titleFr: INJECTIONS.slice(0, 12).join(' ').slice(0, 200), textFr: text, textEn: text, recovery: '[demain](https://evil.example) <t:0>', adviceFr: text.slice(0, 1000) }, admin));
    assertInert(preview, 'preview');
    const confirm = preview.components![0]!.components.find((b) => b.custom_id.startsWith('vigie:confirm:'))!;
    assertInert(await answerOf(button(h.fake.world, confirm.custom_id, admin)), 'published');
    assertInert(await answerOf(command(h.fake.world, 'status', { service: 'cned' })), '/statut after');
    await dispatcher.drain();
    const posted = h.fake.channelMessages.inChannel(channel);
    assert.ok(posted.length >= 1, 'the notice reached the channel');
    for (const m of posted) assertInert(m.body as Message, 'channel notice');
  });

  test('GIVEN injections in every field of a CLI notice (title, texts, recovery, advice, source) THEN the channel message is inert', async () => {
    const before = h.fake.channelMessages.inChannel(channel).length;
    const text = ALL_INJECTIONS.slice(0, 1800);
    const outcome = await h.runtime.bot.publishNotice(
      {
        services: ['pronote'],
        places: 'France',
        status: 'partial_outage',
        title: { fr: INJECTIONS.slice(12, 24).join(' ').slice(0, 200) },
        text: { fr: text, en: text },
        source: { name: '@everyone <@123> [ENT](https://evil.example)', url: 'https://www.education.gouv.fr/' },
        incident: { action: 'open', recovery: { fr: '# demain > cite' }, advice: { fr: '-# petit\n[ENT](https://evil.example)' } },
      },
      { platform: 'cli', user: 'admin', name: 'Admin' },
      'fr',
    );
    assert.ok(outcome.ok, JSON.stringify(outcome.reply.sections));
    await dispatcher.drain();
    const posted = h.fake.channelMessages.inChannel(channel);
    assert.ok(posted.length > before, 'delivered');
    for (const m of posted.slice(before)) assertInert(m.body as Message, 'CLI notice');
  });

  test('GIVEN admin-written incident titles with injections THEN the incident autocomplete choices defuse mentions', async () => {
    const i = h.fake.interact(autocomplete(h.fake.world, 'incident', { action: 'update', incident: '' }, 'incident', admin));
    const body = (await h.fake.callback(i)).body as { type: number; data: { choices: { name: string }[] } };
    assert.equal(body.type, 8);
    assert.ok(body.data.choices.length > 0);
    for (const c of body.data.choices) assert.doesNotMatch(c.name, LIVE_PLAIN, c.name);
  });

  test('GIVEN a report button whose hint carries injections THEN the form’s pre-filled value defuses mentions and fits the field', async () => {
    for (const s of INJECTIONS) {
      const i = h.fake.interact(button(h.fake.world, `vigie:report:${s}`.slice(0, 100)));
      const body = (await h.fake.callback(i)).body as { type: number; data: { components: { components: { value?: string; max_length: number }[] }[] } };
      assert.equal(body.type, 9);
      const input = body.data.components[0]!.components[0]!;
      assert.doesNotMatch(input.value ?? '', LIVE_PLAIN);
      assert.ok((input.value ?? '').length <= input.max_length);
    }
  });
});
