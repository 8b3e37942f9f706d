/**
 * Who may change a channel's subscriptions, checked in the handler from the permissions Discord
 * sends with each interaction (member.permissions, app_permissions), not only by the commands'
 * default_member_permissions, which server admins can widen; and listings shown whole.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_SUBSCRIPTIONS_PER_CHANNEL } from '../../../src/index.js';
import { button, command, PERMS, user, type Person } from '../../fakes/discord/payloads.js';
import type { RecordedRequest } from '../../fakes/discord/fake-discord.js';
import { startHarness, type Harness } from './harness.js';

type Embed = { title?: string; description?: string; fields?: { name: string; value: string }[] };
type Body = { type?: number; data?: { flags?: number; content?: string; embeds?: Embed[] }; flags?: number; content?: string; embeds?: Embed[] };
const EPHEMERAL = 64;
const OCCITANIE = { kind: 'region', code: '76', name: 'Occitanie' } as const;

describe('Discord subscription permissions', () => {
  let h: Harness;
  const member: Person = { permissions: PERMS.viewAndSend, user: user('parent') };
  const manager: Person = { permissions: PERMS.manageChannels, user: user('delegue') };
  const administrator: Person = { permissions: PERMS.administrator, user: user('proprio') };

  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    assert.deepEqual(h.fake.invalidBodies().map((r) => `${r.method} ${r.path}`), [], 'Discord would have refused these bodies');
    await h.close();
  });
  const stored = () => h.runtime.store.subscriptions.list({ platform: 'discord' });
  beforeEach(async () => {
    for (const s of await stored()) await h.runtime.store.subscriptions.remove(s.id);
  });

  const run = async (payload: Record<string, unknown>) => {
    const i = h.fake.interact(payload);
    const { callback, message } = await h.fake.answer(i);
    return { callback: callback.body as Body, message: message as Body };
  };
  const refusals = async (user: Person) => (await h.runtime.store.audit.list()).filter((e) => e.outcome === 'refused' && JSON.stringify(e).includes(String(user.user!.id)));

  test('GIVEN a member without Manage Channels sends /subscribe (the default was widened, or the interaction forged) THEN it is refused privately, audited, and nothing is stored', async () => {
    const { callback, message } = await run(command(h.fake.world, 'subscribe', { place: 'region:76', service: 'ent' }, member));
    assert.equal(callback.type, 4);
    assert.equal(callback.data?.flags, EPHEMERAL);
    assert.match(message.content ?? '', /Gérer les salons/);
    assert.deepEqual(await stored(), []);
    assert.equal((await refusals(member)).length, 1);
  });

  test('GIVEN a member without Manage Channels sends /unsubscribe all THEN the channel keeps its subscriptions and the attempt is audited', async () => {
    await h.runtime.store.subscriptions.add({ platform: 'discord', workspace: h.fake.world.guildId, channel: h.fake.world.channelId, service: 'ent', place: OCCITANIE, createdBy: 'test' });
    const { callback } = await run(command(h.fake.world, 'unsubscribe', { all: true }, { ...member, locale: 'en-GB' }));
    assert.equal(callback.data?.flags, EPHEMERAL);
    assert.match(JSON.stringify(callback.data), /Manage Channels/);
    assert.equal((await stored()).length, 1);
    assert.ok((await refusals(member)).some((e) => e.action === 'subscription.unsubscribe'));
  });

  test('GIVEN a member without Manage Channels clicks “follow in this channel” THEN it is refused and audited', async () => {
    const { callback } = await run(button(h.fake.world, 'vigie:sub:ent region:76', member));
    assert.equal(callback.data?.flags, EPHEMERAL);
    assert.deepEqual(await stored(), []);
    assert.ok((await refusals(member)).some((e) => e.action === 'subscription.subscribe'));
  });

  test('GIVEN the French command names sent as names THEN nothing changes and the person is answered', async () => {
    for (const name of ['abonner', 'désabonner']) {
      const { callback } = await run(command(h.fake.world, name, { place: 'region:76' }, member));
      assert.equal(callback.data?.flags, EPHEMERAL);
    }
    assert.deepEqual(await stored(), []);
  });

  test('GIVEN Manage Channels, or Administrator alone THEN /subscribe and /unsubscribe work', async () => {
    await run(command(h.fake.world, 'subscribe', { place: 'region:76', service: 'ent' }, manager));
    assert.equal((await stored()).length, 1);
    await run(command(h.fake.world, 'unsubscribe', { all: true }, administrator));
    assert.deepEqual(await stored(), []);
    await run(button(h.fake.world, 'vigie:sub:ent region:76', administrator));
    assert.equal((await stored()).length, 1);
  });

  test('GIVEN the bot cannot post embeds in the channel THEN /subscribe says so and stores nothing', async () => {
    const payload = command(h.fake.world, 'subscribe', { place: 'region:76', service: 'ent' }, manager);
    payload.app_permissions = PERMS.viewAndSend;
    const { callback } = await run(payload);
    assert.equal(callback.data?.flags, EPHEMERAL);
    assert.match(callback.data?.content ?? '', /Intégrer des liens/);
    assert.deepEqual(await stored(), []);
  });

  test('GIVEN any member runs /subscriptions THEN the list is shown to them privately', async () => {
    await h.runtime.store.subscriptions.add({ platform: 'discord', workspace: h.fake.world.guildId, channel: h.fake.world.channelId, service: 'ent', place: OCCITANIE, createdBy: 'test' });
    const { callback, message } = await run(command(h.fake.world, 'subscriptions', {}, member));
    assert.equal(callback.data?.flags, EPHEMERAL);
    assert.match(JSON.stringify(message.embeds), /Occitanie/);
  });

  test(`GIVEN ${MAX_SUBSCRIPTIONS_PER_CHANNEL} subscriptions with the longest names THEN /subscriptions shows every one, uncut, within Discord's limits`, async () => {
    const communes = [...h.runtime.bot.gazetteer.communes].sort((a, b) => b.name.length - a.name.length).slice(0, MAX_SUBSCRIPTIONS_PER_CHANNEL);
    for (const c of communes) {
      await h.runtime.store.subscriptions.add({
        platform: 'discord',
        workspace: h.fake.world.guildId,
        channel: h.fake.world.channelId,
        service: '*',
        place: { kind: 'commune', code: c.code, name: c.name },
        levels: ['ecole', 'college', 'lycee'],
        createdBy: 'test',
      });
    }
    const i = h.fake.interact(command(h.fake.world, 'subscriptions', {}, member));
    const { message } = await h.fake.answer(i);
    const messages = [message as Body];
    const bullets = () => messages.flatMap((m) => m.embeds ?? []).flatMap((e) => (e.fields ?? []).flatMap((f) => f.value.split('\n'))).filter((l) => l.startsWith('•'));
    // Pages after the first, if any, come as follow-ups on the interaction's webhook.
    const isFollowUp = (n: number) => (r: RecordedRequest) => r.method === 'POST' && r.path === `/webhooks/${h.fake.world.appId}/${String(i.token)}` && h.fake.requests.filter((q) => q.path === r.path && q.method === 'POST').indexOf(r) === n;
    while (bullets().length < MAX_SUBSCRIPTIONS_PER_CHANNEL) messages.push((await h.fake.waitForRequest(isFollowUp(messages.length - 1))).body as Body);
    const shown = JSON.stringify(messages.flatMap((m) => m.embeds ?? []));
    assert.doesNotMatch(shown, /…/, 'nothing cut');
    for (const c of communes) assert.ok(shown.includes(c.name), `${c.name} is listed`);
    assert.equal(bullets().length, MAX_SUBSCRIPTIONS_PER_CHANNEL);
    // The fake refuses any message over Discord's limits (6,000 characters, 25 fields, 10 embeds): every page was accepted.
    assert.ok(messages.length >= 1);
  });
});
