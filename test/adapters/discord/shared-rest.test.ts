/**
 * One REST client per token (shared-rest.ts): the Discord platform's gateway client sends
 * through its transport's REST client, so a global 429 met by a delivery holds the answers to
 * people too, and stopping the adapter leaves the transport its token. The first tests fail when
 * discord.js is upgraded to a version this was not checked against, or when what it replaces
 * (the Client's public `rest`, set to null-token at destroy) changes, so that someone reads
 * shared-rest.ts again.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, GatewayIntentBits, REST, version } from 'discord.js';
import { createRuntime, FixedClock, silentLogger, type Delivery, type Logger, type Reply, type Runtime } from '../../../src/index.js';
import { createDiscordPlatform, type DiscordPlatform } from '../../../adapters/discord/index.js';
import { DISCORDJS_SHARED_REST_VERSIONS, shareRest } from '../../../adapters/discord/shared-rest.js';
import { FAKE_DISCORD_TOKEN, FakeDiscord } from '../../fakes/discord/fake-discord.js';
import { message, snowflake, user } from '../../fakes/discord/payloads.js';
import { sharedTemplates } from '../../helpers/templates.js';
import { NOW, sharedReference } from './harness.js';

function recorder(): Logger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, debug() {}, info() {}, warn: (m) => warnings.push(m), error() {} };
}

/** Records the tokens given to `rest.setToken`. */
function tokensOf(rest: REST): (string | null)[] {
  const seen: (string | null)[] = [];
  const setToken = rest.setToken.bind(rest);
  rest.setToken = (token: string) => {
    seen.push(token);
    return setToken(token);
  };
  return seen;
}

describe('Discord shared REST client: discord.js as checked', () => {
  test('GIVEN the installed discord.js THEN it is a version sharing was checked against, and the client has the REST it replaces', async () => {
    assert.ok(DISCORDJS_SHARED_REST_VERSIONS.includes(version.split('.').slice(0, 2).join('.')), `discord.js ${version}: check shared-rest.ts against it, then add it`);
    const client = new Client({ intents: [GatewayIntentBits.Guilds] });
    assert.ok(client.rest instanceof REST, 'Client#rest is gone: the gateway client can no longer adopt the transport’s REST client');
    // What shared-rest.ts keeps away from the shared client: destroy() drops the token of `client.rest`.
    const own = tokensOf(client.rest);
    await client.destroy();
    assert.deepEqual(own, [null]);
  });

  test('GIVEN a client adopting a REST client WHEN it is destroyed THEN the adopted client keeps its token and the client’s own drops it', async () => {
    const client = new Client({ intents: [GatewayIntentBits.Guilds] });
    const own = tokensOf(client.rest);
    const shared = new REST().setToken('t');
    const seen = tokensOf(shared);
    assert.equal(shareRest(client, shared, silentLogger), 'shared');
    assert.equal(client.rest, shared);
    await client.destroy();
    assert.deepEqual(seen, []);
    assert.deepEqual(own, [null]);
    shared.clearHashSweeper();
    shared.clearHandlerSweeper();
  });

  test('GIVEN another discord.js version THEN the client keeps its own REST client, with a warning', async () => {
    const client = new Client({ intents: [GatewayIntentBits.Guilds] });
    const before = client.rest;
    const logger = recorder();
    const shared = new REST();
    assert.equal(shareRest(client, shared, logger, '15.0.0'), 'skipped-version');
    assert.equal(client.rest, before);
    assert.equal(logger.warnings.length, 1);
    await client.destroy();
    shared.clearHashSweeper();
    shared.clearHandlerSweeper();
  });
});

const notice: Reply = {
  kind: 'incidents',
  language: 'fr',
  headline: '🔴 ENT Occitanie : panne majeure',
  status: 'major_outage',
  sections: [{ key: 'notice', title: 'Message officiel', text: 'L’ENT est inaccessible.' }],
  source: { name: 'Région Occitanie', at: '2020-03-17T09:00:00.000Z' },
  time: '2020-03-17T09:00:00.000Z',
  actions: [],
  incidents: ['ent-occitanie'],
};

function delivery(channel: string, id: string): Delivery {
  return {
    id,
    noticeId: id.split('.')[0]!,
    noticeSeq: 1,
    subscriptionIds: ['s1'],
    platform: 'discord',
    workspace: 'g',
    channel,
    language: 'fr',
    incidentId: null,
    kind: 'post',
    state: 'pending',
    attempts: 0,
    lastError: null,
    failingSince: null,
    nextAttemptAt: '2020-03-17T09:00:00.000Z',
    deadlineAt: '2020-03-18T09:00:00.000Z',
    edited: false,
    messageRef: null,
    rootRef: null,
    createdAt: '2020-03-17T09:00:00.000Z',
    updatedAt: '2020-03-17T09:00:00.000Z',
    deliveredAt: null,
  };
}

describe('Discord platform: one REST client for interactions and delivery', () => {
  let fake: FakeDiscord;
  let runtime: Runtime;
  let platform: DiscordPlatform;
  let dir: string;
  /** A subscribed channel other than the one people write in: its own route bucket. */
  const noticeChannel = snowflake();

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigie-discord-rest-'));
    // No limiter of its own: the only 429 is the one a test scripts.
    fake = await FakeDiscord.start({ limits: null });
    runtime = await createRuntime({ storeUrl: `sqlite://${join(dir, 'vigie.sqlite')}`, clock: new FixedClock(NOW), reference: sharedReference() });
    platform = createDiscordPlatform({
      config: { token: FAKE_DISCORD_TOKEN, applicationId: fake.world.appId, apiUrl: fake.apiUrl, mentions: true, adminRoles: [], adminUsers: [] },
      logger: silentLogger,
      templates: sharedTemplates(),
    });
    await platform.start(runtime.bot);
  });
  after(async () => {
    await platform.stop();
    await fake.close();
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('GIVEN the platform started THEN its gateway client sends through the transport’s REST client', () => {
    assert.equal(platform.adapter.client?.rest, platform.transport.rest);
  });

  test('GIVEN a delivery answered with a global 429 WHEN someone mentions the bot meanwhile THEN the answer waits for the same reset, and both arrive', async () => {
    // Discord's global limit, for 1 s from now: any request the fake gets before its end is refused.
    fake.script({ kind: '429', global: true, retryAfterSec: 1, forMs: 1000 });
    // The REST client has read the 429 (and will wait) once it reports a rate-limit wait.
    const waiting = new Promise<void>((resolve) => platform.transport.rest.once('rateLimited', () => resolve()));
    const posted = platform.transport.post(delivery(noticeChannel, 'n1.d1'), notice);
    await waiting;
    const w = fake.world;
    const m: Record<string, unknown> = { ...message(w, `<@${w.appId}> le CNED marche ?`, user(), { mentions: [w.botUser] }), guild_id: w.guildId };
    fake.dispatch('MESSAGE_CREATE', m);
    const isAnswer = (r: { path: string; body: unknown; status?: number }) => r.path === `/channels/${w.channelId}/messages` && (r.body as { message_reference?: { message_id?: string } } | null)?.message_reference?.message_id === m.id as string;
    const answer = await fake.waitForRequest((r) => isAnswer(r) && r.status === 200);
    const sent = await posted;
    assert.equal(sent.ok, true);
    assert.equal(answer.status, 200);
    // Only the delivery met the limit: the answer was held by the same rate-limit state, not sent into it.
    assert.equal(fake.stats.scripted, 1);
    assert.deepEqual(fake.requests.filter((r) => r.status === 429).map((r) => r.path), [`/channels/${noticeChannel}/messages`]);
  });

  test('GIVEN the adapter stopped alone THEN the transport still delivers with its token', async () => {
    await platform.adapter.stop();
    assert.equal(platform.adapter.client, null);
    const sent = await platform.transport.post(delivery(noticeChannel, 'n2.d1'), notice);
    assert.equal(sent.ok, true);
  });
});
