/**
 * `/statut` answered from the gateway's payload (adapters/discord/fast-status.ts), on a real
 * discord.js Client against the fake Discord: the same answers as through discord.js's
 * interactions, byte for byte, with the same permission rule; anything unusual still goes
 * through discord.js.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Interaction } from 'discord.js';
import { holdAsks, startHarness, type Harness } from './harness.js';
import { command, PERMS, user, type Person } from '../../fakes/discord/payloads.js';
import type { RecordedRequest } from '../../fakes/discord/fake-discord.js';
import type { Deadline } from '../../../adapters/discord/handlers/respond.js';

type Callback = { type?: number; data?: { flags?: number; allowed_mentions?: { parse: unknown[] }; embeds?: { title: string; fields?: unknown[] }[]; components?: { components: { custom_id: string; label: string }[] }[] } };
const EPHEMERAL = 64;
/** An option /statut does not have (an older client's): discord.js's path handles such commands, and ignores it. */
const ODD = { extra: 'x' };

describe('Discord: /statut answered from the gateway payload', () => {
  let h: Harness;
  /** Interaction ids discord.js built and emitted. */
  const built = new Set<string>();

  before(async () => {
    h = await startHarness();
    h.adapter.client!.on('interactionCreate', (i: Interaction) => built.add(i.id));
  });
  after(async () => {
    assert.deepEqual(h.fake.invalidBodies().map((r) => `${r.method} ${r.path}`), [], 'Discord would have refused these bodies');
    await h.close();
  });

  async function ask(values: Record<string, string | boolean>, person: Person = {}, edit?: (payload: Record<string, unknown>) => void) {
    const payload = command(h.fake.world, 'status', values, person);
    edit?.(payload);
    const i = h.fake.interact(payload);
    const callback = await h.fake.callback(i);
    return { id: i.id as string, callback, body: callback.body as Callback };
  }
  const callbacksOf = (id: string) => h.fake.requests.filter((r: RecordedRequest) => r.method === 'POST' && r.path.startsWith(`/interactions/${id}/`));
  const followOffered = (b: Callback) => (b.data?.components ?? []).flatMap((row) => row.components).some((c) => c.custom_id.startsWith('vigie:sub:'));

  test('GIVEN /statut with a question THEN discord.js builds no interaction, and the one direct reply is the same JSON as through discord.js', async () => {
    // One person both times: a report's reply counts the people who reported (#15), and one person counts once.
    const person = { user: user() };
    const fast = await ask({ question: 'le cned marche pas à Lyon' }, person);
    const slow = await ask({ question: 'le cned marche pas à Lyon', ...ODD }, person);
    assert.ok(!built.has(fast.id), 'taken before discord.js');
    assert.ok(built.has(slow.id), 'an option /statut does not have goes through discord.js');
    assert.equal(fast.body.type, 4, 'a direct reply');
    assert.equal(fast.body.data?.flags, undefined, 'in the channel, not ephemeral');
    assert.deepEqual(fast.body.data?.allowed_mentions?.parse, [], 'pings nobody');
    assert.match(JSON.stringify(fast.body.data!.embeds), /CNED/);
    assert.equal(JSON.stringify(fast.body), JSON.stringify(slow.body));
    assert.equal(callbacksOf(fast.id).length, 1, 'answered once: unanswered.ts knows it was taken');
  });

  test('GIVEN the options picked from the lists (service, place, level) THEN the same answer as through discord.js', async () => {
    const values = { service: 'ent', place: 'region:76', level: 'college' };
    const fast = await ask(values);
    const slow = await ask({ ...values, ...ODD });
    assert.ok(!built.has(fast.id));
    assert.match(fast.body.data!.embeds![0]!.title, /ENT.*Occitanie/);
    assert.equal(JSON.stringify(fast.body), JSON.stringify(slow.body));
  });

  test('GIVEN who asks THEN following the channel is offered only to Manage Channels or Administrator, as through discord.js', async () => {
    const cases: [string, Person, boolean][] = [
      ['a parent', { permissions: PERMS.viewAndSend, user: user('parent') }, false],
      ['a manager', { permissions: PERMS.manageChannels, user: user('manager') }, true],
      ['an administrator', { permissions: PERMS.administrator, user: user('admin') }, true],
      ['an English parent', { permissions: PERMS.viewAndSend, locale: 'en-GB', user: user('parent') }, false],
      ['an English manager', { permissions: PERMS.manageChannels, locale: 'en-GB', user: user('manager') }, true],
    ];
    for (const [who, person, offered] of cases) {
      const question = person.locale === 'en-GB' ? 'let me know when the CNED is back' : 'préviens-moi quand le CNED revient';
      const fast = await ask({ question }, person);
      const slow = await ask({ question, ...ODD }, person);
      assert.ok(!built.has(fast.id), who);
      assert.equal(followOffered(fast.body), offered, who);
      assert.equal(JSON.stringify(fast.body), JSON.stringify(slow.body), who);
    }
  });

  test('GIVEN /statut outside a guild (no member) THEN no follow button, as through discord.js', async () => {
    const dm = (p: Record<string, unknown>) => {
      p.user = (p.member as { user: unknown }).user;
      delete p.member;
      delete p.guild_id;
      delete p.guild;
    };
    const question = 'préviens-moi quand le CNED revient';
    const fast = await ask({ question }, { permissions: PERMS.manageChannels }, dm);
    const slow = await ask({ question, ...ODD }, { permissions: PERMS.manageChannels }, dm);
    assert.ok(!built.has(fast.id));
    assert.equal(followOffered(fast.body), false);
    assert.equal(JSON.stringify(fast.body), JSON.stringify(slow.body));
  });

  test('GIVEN an option that is not a string THEN discord.js handles the command as before (an apology, privately)', async () => {
    const odd = await ask({ question: true });
    assert.ok(built.has(odd.id));
    assert.equal(odd.body.type, 4);
    assert.equal(odd.body.data?.flags, EPHEMERAL);
    assert.match(JSON.stringify(odd.body), /référence [0-9a-f]{8}\b/);
  });

  test('GIVEN a permission field discord.js cannot read THEN it is left to discord.js, which cannot build it, and it is answered as expired', async () => {
    const broken = await ask({ service: 'cned' }, { permissions: 'not-a-bitfield' });
    assert.ok(!built.has(broken.id));
    assert.equal(broken.body.type, 4);
    assert.equal(broken.body.data?.flags, EPHEMERAL);
    assert.equal(callbacksOf(broken.id).length, 1);
  });

  test('GIVEN composing the answer fails THEN the person gets the apology with a reference id, privately', async () => {
    const bot = h.runtime.bot;
    const original = bot.ask;
    bot.ask = async () => {
      throw new Error('store unavailable');
    };
    try {
      const failed = await ask({ service: 'cned' });
      assert.ok(!built.has(failed.id));
      assert.equal(failed.body.type, 4);
      assert.equal(failed.body.data?.flags, EPHEMERAL);
      assert.match(JSON.stringify(failed.body), /référence [0-9a-f]{8}\b/);
      assert.equal(callbacksOf(failed.id).length, 1);
    } finally {
      bot.ask = original;
    }
  });
});

describe('Discord: /statut from the gateway payload, answer late', () => {
  let h: Harness;
  let fire: () => void = () => undefined;
  before(async () => {
    const deadline = (): Deadline => ({ promise: new Promise<void>((resolve) => (fire = resolve)), cancel() {} });
    h = await startHarness({ deadline });
  });
  after(async () => {
    await h.close();
  });

  test('GIVEN the deadline passes first THEN the reply is deferred, then edited with the same answer discord.js’s path gives', async () => {
    const { asked, release, restore } = holdAsks(h.runtime);
    const built = new Set<string>();
    h.adapter.client!.on('interactionCreate', (i: Interaction) => built.add(i.id));
    const i = h.fake.interact(command(h.fake.world, 'status', { service: 'cned' }));
    let edited: unknown;
    try {
      await asked;
      fire();
      const callback = (await h.fake.callback(i)).body as { type?: number; data?: { flags?: number } };
      assert.equal(callback.type, 5, 'deferred');
      assert.equal((callback.data?.flags ?? 0) & EPHEMERAL, 0, 'not ephemeral');
      release();
      const edit = (await h.fake.original(i)).body as { embeds?: { title: string }[]; allowed_mentions?: { parse: unknown[] } };
      assert.match(edit.embeds![0]!.title, /CNED/);
      assert.deepEqual(edit.allowed_mentions?.parse, []);
      edited = edit.embeds;
      assert.ok(!built.has(i.id as string), 'discord.js emitted nothing: the interaction was built only to defer and edit');
    } finally {
      restore();
    }
    // Through discord.js (an odd option), ready in time: the same message as the edit.
    const direct = h.fake.interact(command(h.fake.world, 'status', { service: 'cned', ...ODD }));
    const { message } = await h.fake.answer(direct);
    assert.deepEqual(edited, (message as { embeds?: unknown }).embeds);
  });
});
