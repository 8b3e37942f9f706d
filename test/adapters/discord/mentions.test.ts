/**
 * Mentions on (VIGIE_DISCORD_MENTIONS=on): a message that mentions the bot is answered in the
 * channel as a reply that pings nobody; other messages are ignored.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness.js';
import { message, user } from '../../fakes/discord/payloads.js';
import type { RecordedRequest } from '../../fakes/discord/fake-discord.js';

describe('Discord mentions', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ mentions: true });
  });
  after(async () => {
    await h.close();
  });

  const channelPosts = () => h.fake.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${h.fake.world.channelId}/messages`);
  const post = (content: string, author = user(), mentionsBot = true) => {
    const w = h.fake.world;
    const m = { ...message(w, content, author, { mentions: mentionsBot ? [w.botUser] : [] }), guild_id: w.guildId };
    h.fake.dispatch('MESSAGE_CREATE', m);
    return m;
  };
  const replyTo = (m: Record<string, unknown>) =>
    h.fake.waitForRequest((r: RecordedRequest) => r.path.startsWith('/channels/') && (r.body as { message_reference?: { message_id?: string } }).message_reference?.message_id === m.id);

  test('GIVEN mentions are on THEN the bot asks for Guilds and Guild Messages, and not the privileged Message Content intent', () => {
    const intents = h.fake.identifies[0]!.intents;
    assert.equal(intents, 1 | 512);
    assert.equal(intents & (1 << 15), 0);
  });

  test('GIVEN a message mentioning the bot with @everyone in it THEN it is answered with an embed that pings nobody', async () => {
    const m = post(`<@${h.fake.world.appId}> @everyone le CNED marche ce matin ?`);
    const answer = await replyTo(m);
    const body = answer.body as { embeds: { title: string }[]; allowed_mentions: { parse: unknown[]; replied_user: boolean } };
    assert.match(body.embeds[0]!.title, /CNED/);
    assert.deepEqual(body.allowed_mentions.parse, []);
    assert.equal(body.allowed_mentions.replied_user, false);
    assert.doesNotMatch(JSON.stringify(body), /@everyone/);
  });

  test('GIVEN messages from a bot or without a mention THEN they are ignored', async () => {
    const before = channelPosts().length;
    post(`<@${h.fake.world.appId}> ENT Occitanie ?`, { ...user('autre-bot'), bot: true });
    post('ENT Occitanie ?', user(), false);
    // Gateway events are handled in order: once this one is answered, the two above were seen.
    const last = post(`<@${h.fake.world.appId}> ENT Occitanie ?`);
    await replyTo(last);
    assert.equal(channelPosts().length, before + 1);
  });
});
