/**
 * A Discord alert post that landed but whose answer never came (the client's timeout, in
 * real time): the retry must not make a second message, by the nonce while Discord keeps it,
 * by the marker in the channel after. In the slow suite: each test waits for the timeout.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertPrefills, alertBody, alertNonce, createDiscordAlertSink } from '../../../adapters/discord/alerts.js';
import { createDiscordTransport } from '../../../adapters/discord/transport.js';
import { FAKE_DISCORD_TOKEN, FakeDiscord, type RecordedRequest } from '../../fakes/discord/fake-discord.js';
import { snowflake } from '../../fakes/discord/payloads.js';
import { NOW } from './harness.js';
import { sharedTemplates } from '../../helpers/templates.js';
import { alertOf, embedOf } from './alert-fixtures.js';

describe('Discord alert post after a timeout', () => {
  /**
   * A fake Discord on a clock the test moves, a transport that gives up after 5 s (real time:
   * discord.js's own timer), a sink on its REST client. The scripted post is held until the
   * fake closes; every other request must be answered within the 5 s (in the quick suite's
   * load, 300 ms and then 1.5 s were not always enough).
   */
  async function rig() {
    let now = NOW.getTime();
    const fake = await FakeDiscord.start({ limits: null, hangMs: 60_000, now: () => now });
    const transport = createDiscordTransport({ token: FAKE_DISCORD_TOKEN, templates: sharedTemplates(), apiUrl: fake.apiUrl, timeoutMs: 5_000 });
    const channel = snowflake();
    const sink = createDiscordAlertSink({ rest: transport.rest, channel, prefills: new AlertPrefills() });
    const posts = () => fake.requests.filter((r: RecordedRequest) => r.method === 'POST' && r.path === `/channels/${channel}/messages`);
    const close = async () => {
      transport.destroy();
      await fake.close();
    };
    return { fake, sink, channel, posts, close, advance: (ms: number) => void (now += ms) };
  }
  const PROBE_ALERT = 'probe:ent-occitanie@2020-03-17T07:52:00.000Z';

  test('GIVEN a post that landed but timed out, in a channel whose history the bot may not read THEN the retry returns the same message (nonce)', async () => {
    const { fake, sink, channel, posts, close } = await rig();
    try {
      fake.script({ kind: '403', code: 50001, methods: ['GET'], channels: [channel] });
      fake.script({ kind: 'timeout', times: 1, storeEvery: 1, methods: ['POST'] });
      await assert.rejects(sink.post(alertOf(PROBE_ALERT)));
      assert.equal(fake.channelMessages.inChannel(channel).length, 1, 'the post landed');
      const { messageId } = await sink.post(alertOf(PROBE_ALERT));
      assert.deepEqual(fake.channelMessages.inChannel(channel).map((m) => m.id), [messageId]);
      assert.equal(posts().length, 2);
      assert.equal((posts()[0]!.body as { nonce: string }).nonce, (posts()[1]!.body as { nonce: string }).nonce);
      assert.equal(fake.channelMessages.nonceHits, 1);
    } finally {
      await close();
    }
  });

  test('GIVEN a post that landed but timed out, retried after Discord’s nonce window THEN the alert is found in the channel by its marker: no second message', async () => {
    const { fake, sink, channel, posts, close, advance } = await rig();
    try {
      fake.script({ kind: 'timeout', times: 1, storeEvery: 1, methods: ['POST'] });
      await assert.rejects(sink.post(alertOf(PROBE_ALERT)));
      fake.postAsUser(channel, 'quelqu’un écrit dans le salon entre-temps');
      advance(10 * 60_000);
      const { messageId } = await sink.post(alertOf(PROBE_ALERT, { revision: 2, lines: ['ENT sans réponse depuis 8 h 52'] }));
      assert.deepEqual(fake.channelMessages.inChannel(channel).map((m) => m.id), [messageId]);
      assert.equal(posts().length, 1, 'not posted again');
      assert.match(embedOf(fake.channelMessages.messages.get(messageId)!).description ?? '', /^ENT sans réponse depuis 8 h 52/, 'brought up to date');
    } finally {
      await close();
    }
  });

  test('GIVEN two alerts THEN their nonces differ; the body of an alert fits Discord’s limits however long its texts', () => {
    assert.notEqual(alertNonce('grp-1'), alertNonce('grp-2'));
    const long = alertOf('grp-long', { title: 'T'.repeat(400), lines: Array.from({ length: 40 }, (_, i) => `ligne ${i} ${'x'.repeat(200)}`), samples: ['y'.repeat(5000), 'z\n'.repeat(50), '@everyone'.repeat(100)] });
    const body = alertBody(long, new AlertPrefills());
    const embed = body.embeds[0]!;
    assert.ok(embed.title!.length <= 256);
    assert.ok((embed.description ?? '').length <= 4096);
    assert.ok(embed.title!.length + (embed.description ?? '').length <= 5_900);
    assert.match(embed.description ?? '', /\n\n\*Non confirmé : signalements de personnes, pas un statut officiel\.\*$/, 'the caveat always shows');
  });
});
