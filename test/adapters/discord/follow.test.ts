/**
 * "préviens-moi quand le CNED revient" on Discord (issue 13, item 8): a one-click "Suivre dans
 * ce salon" for members with Manage Channels, and the click subscribes the channel. A real
 * discord.js client against the local fake Discord.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type Harness } from './harness.js';
import { button, command, message, PERMS, user } from '../../fakes/discord/payloads.js';
import type { RecordedRequest } from '../../fakes/discord/fake-discord.js';

type Embed = { title: string; description?: string; fields: { name: string; value: string }[] };
type Body = { embeds?: Embed[]; components?: { components: { custom_id: string; label: string }[] }[] };
const buttonsOf = (b: Body) => (b.components ?? []).flatMap((row) => row.components);

describe('Discord: "préviens-moi quand le CNED revient" offers a one-click follow', () => {
  let h: Harness;
  const manager = { permissions: PERMS.manageChannels, user: user('direction') };
  const parent = { permissions: PERMS.viewAndSend, user: user('parent') };
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    assert.deepEqual(h.fake.invalidBodies().map((r) => `${r.method} ${r.path}`), [], 'Discord would have refused these bodies');
    await h.close();
  });

  async function ask(question: string, person: object) {
    const i = h.fake.interact(command(h.fake.world, 'status', { question }, person));
    return (await h.fake.answer(i)).message as Body;
  }

  test('GIVEN a member with Manage Channels THEN "Suivre dans ce salon" subscribes the channel to the CNED everywhere, at one click', async () => {
    const answer = await ask('préviens-moi quand le CNED revient', manager);
    assert.match(answer.embeds![0]!.title, /Suivre CNED dans toute la France/);
    const follow = buttonsOf(answer).find((b) => b.custom_id.startsWith('vigie:sub:'));
    assert.ok(follow);
    assert.equal(follow.label, 'Suivre dans ce salon');
    assert.equal(follow.custom_id, 'vigie:sub:cned national:FR');
    await h.fake.answer(h.fake.interact(button(h.fake.world, follow.custom_id, manager)));
    const stored = await h.runtime.store.subscriptions.list({ platform: 'discord', channel: h.fake.world.channelId });
    assert.deepEqual(stored.map((s) => `${s.service} ${s.place.kind}:${s.place.code}`), ['cned national:FR']);
  });

  test('GIVEN a member without Manage Channels THEN no button, and the answer says who can; a forged click changes nothing', async () => {
    const before = (await h.runtime.store.subscriptions.listAll()).length;
    const answer = await ask("préviens-moi quand l'ENT remarche en Occitanie", parent);
    assert.equal(buttonsOf(answer).find((b) => b.custom_id.startsWith('vigie:sub:')), undefined);
    assert.match(JSON.stringify(answer.embeds), /Gérer les salons/);
    await h.fake.answer(h.fake.interact(button(h.fake.world, 'vigie:sub:ent region:76', parent)));
    assert.equal((await h.runtime.store.subscriptions.listAll()).length, before);
  });
});

describe('Discord mentions: "préviens-moi quand le CNED revient"', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ mentions: true });
  });
  after(async () => {
    await h.close();
  });

  test('GIVEN a member without Manage Channels mentions the bot THEN the answer has no follow button and says who can', async () => {
    const w = h.fake.world;
    const m: Record<string, unknown> = { ...message(w, `<@${w.appId}> préviens-moi quand le CNED revient`, user('parent'), { mentions: [w.botUser], member: { roles: [], joined_at: '2020-03-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 } }), guild_id: w.guildId };
    h.fake.dispatch('MESSAGE_CREATE', m);
    const answer = await h.fake.waitForRequest((r: RecordedRequest) => r.path.startsWith('/channels/') && (r.body as { message_reference?: { message_id?: string } } | null)?.message_reference?.message_id === m.id);
    const body = answer.body as Body;
    assert.match(body.embeds![0]!.title, /Suivre CNED/);
    assert.equal(buttonsOf(body).find((b) => b.custom_id.startsWith('vigie:sub:')), undefined);
    assert.match(JSON.stringify(body.embeds), /Gérer les salons/);
  });
});
