/**
 * End to end: Vigie's Discord adapter on a real discord.js Client, against the local fake
 * Discord, with a SQLite store. Mentions are off here (see mentions.test.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { startHarness, type Harness } from './harness.js';
import { autocomplete, button, command, message, modalSubmit, PERMS, user } from '../../fakes/discord/payloads.js';
import type { RecordedRequest } from '../../fakes/discord/fake-discord.js';

type Embed = { title: string; color: number; fields: { name: string; value: string }[]; footer: { text: string }; description?: string };
type Body = { type?: number; data?: Record<string, unknown>; embeds?: Embed[]; components?: { components: { custom_id: string; label: string }[] }[]; allowed_mentions?: { parse: unknown[] }; flags?: number; content?: string };
const bodyOf = (r: RecordedRequest) => r.body as Body;
const embedOf = (b: Body) => b.embeds![0]!;
const buttonsOf = (b: Body) => (b.components ?? []).flatMap((row) => row.components);
const EPHEMERAL = 64;

describe('Discord adapter, end to end', () => {
  let h: Harness;
  const admin = { roles: [] as string[], permissions: PERMS.manageChannels, user: user('admin') };
  const manager = { permissions: PERMS.manageChannels, user: user('delegue') };

  before(async () => {
    h = await startHarness({ gateway: 'socket' });
    admin.roles = [h.fake.world.adminRoleId];
  });
  after(async () => {
    assert.deepEqual(h.fake.invalidBodies().map((r) => `${r.method} ${r.path}`), [], 'Discord would have refused these bodies');
    await h.close();
  });

  /** Sends a slash command and returns its callback and the message it was answered with. */
  async function ask(name: string, values: Record<string, string | boolean>, person: Parameters<typeof command>[3] = {}) {
    const i = h.fake.interact(command(h.fake.world, name, values, person));
    const { callback, message } = await h.fake.answer(i);
    return { callback, answer: message as Body };
  }

  test('GIVEN the bot starts THEN it identifies with the Guilds intent only and no Message Content', () => {
    assert.equal(h.fake.identifies.length, 1);
    assert.equal(h.fake.identifies[0]!.intents, 1);
  });

  test('GIVEN /statut in French for ENT in Occitanie and no incident THEN the direct reply is a neutral grey embed (status unknown) in French that pings nobody', async () => {
    const { callback, answer } = await ask('status', { service: 'ent', place: 'region:76' });
    assert.equal(bodyOf(callback).type, 4, 'answered in the callback, not deferred then edited');
    assert.equal(h.fake.requests.filter((r) => r.method === 'PATCH' && r.path.includes('/webhooks/')).length, 0, 'no webhook edit');
    const embed = embedOf(answer);
    assert.match(embed.title, /ENT/);
    assert.match(embed.title, /Occitanie/);
    assert.match(embed.title, /^⚪ ENT : aucun incident signalé en Occitanie$/);
    assert.equal(embed.color, 0x99aab5, 'grey: nobody official said it works');
    assert.deepEqual(answer.allowed_mentions?.parse, []);
    const labels = buttonsOf(answer).map((b) => b.label);
    assert.ok(labels.includes('Suivre dans ce salon'), labels.join());
    assert.ok(buttonsOf(answer).some((b) => b.custom_id === 'vigie:sub:ent region:76'));
  });

  test('GIVEN /status with an English locale THEN the answer and its buttons are in English', async () => {
    const { answer } = await ask('status', { service: 'ent', place: 'region:76' }, { locale: 'en-US' });
    const embed = embedOf(answer);
    assert.doesNotMatch(embed.title, /aucun/i);
    assert.match(embed.title, /no .*incident|none/i);
    assert.ok(buttonsOf(answer).some((b) => b.label === 'Follow in this channel'));
  });

  test('GIVEN a place typed in the autocomplete THEN matching places come back, accent-insensitive, at most 25', async () => {
    const i = h.fake.interact(autocomplete(h.fake.world, 'status', { place: 'occitan' }, 'place'));
    const body = bodyOf(await h.fake.callback(i));
    assert.equal(body.type, 8);
    const choices = body.data!.choices as { name: string; value: string }[];
    assert.deepEqual(choices[0], { name: 'Occitanie', value: 'region:76' });

    const j = h.fake.interact(autocomplete(h.fake.world, 'status', { place: 'saint' }, 'place'));
    const many = bodyOf(await h.fake.callback(j)).data!.choices as { name: string; value: string }[];
    assert.equal(many.length, 25);

    const k = h.fake.interact(autocomplete(h.fake.world, 'status', { place: 'ORLEANS' }, 'place'));
    const orleans = bodyOf(await h.fake.callback(k)).data!.choices as { name: string; value: string }[];
    assert.ok(orleans.some((c) => c.name.startsWith('Orléans')), JSON.stringify(orleans));
  });

  test('GIVEN a question containing @everyone THEN the answer neither pings nor repeats a live @everyone', async () => {
    const { answer } = await ask('status', { question: '@everyone le CNED est en panne à Trifouillis-les-Oies ?' });
    assert.deepEqual(answer.allowed_mentions?.parse, []);
    assert.doesNotMatch(JSON.stringify(answer), /@everyone/);
  });

  test('GIVEN someone without an admin role runs /incident THEN an ephemeral refusal is shown and the attempt is audited', async () => {
    const intruder = user('curieux');
    const { callback, answer } = await ask('incident', { action: 'open', service: 'ent' }, { user: intruder });
    assert.equal(bodyOf(callback).data?.flags, EPHEMERAL);
    assert.match(embedOf(answer).title, /admin/i);
    const audit = await h.runtime.store.audit.list();
    assert.ok(audit.some((e) => JSON.stringify(e).includes(String(intruder.id)) && JSON.stringify(e).includes('refused')), JSON.stringify(audit));
    assert.deepEqual(await h.runtime.bot.openIncidents(), []);
  });

  test('GIVEN an admin opens an incident through the modal THEN a preview needs confirming, and once confirmed /statut reflects it', async () => {
    const open = h.fake.interact(command(h.fake.world, 'incident', { action: 'open', service: 'ent', places: 'Occitanie', status: 'major_outage', cause: 'overload' }, admin));
    const modal = bodyOf(await h.fake.callback(open));
    assert.equal(modal.type, 9);
    const modalId = String(modal.data!.custom_id);
    const inputs = (modal.data!.components as { components: { custom_id: string }[] }[]).map((row) => row.components[0]!.custom_id);
    assert.ok(inputs.includes('textFr') && inputs.length <= 5);

    const submit = h.fake.interact(
      modalSubmit(h.fake.world, modalId, { titleFr: 'ENT Occitanie saturé', textFr: 'Connexions très lentes depuis 8 h.', textEn: '', recovery: '', adviceFr: 'Travaillez hors ligne.' }, admin),
    );
    const { callback: previewCallback, message: previewMessage } = await h.fake.answer(submit);
    assert.equal(bodyOf(previewCallback).data?.flags, EPHEMERAL);
    const preview = previewMessage as Body;
    const confirm = buttonsOf(preview).find((b) => b.custom_id.startsWith('vigie:confirm:'));
    assert.ok(confirm, 'a confirm button');
    assert.deepEqual(await h.runtime.bot.openIncidents(), [], 'a preview stores nothing');

    const click = h.fake.interact(button(h.fake.world, confirm.custom_id, admin));
    const { callback: clicked, message: applied } = await h.fake.answer(click);
    assert.equal(bodyOf(clicked).type, 7, 'the preview is updated in place');
    const stored = await h.runtime.bot.openIncidents();
    assert.equal(stored.length, 1);
    assert.match(embedOf(applied as Body).title, new RegExp(stored[0]!.id));

    const { answer } = await ask('status', { service: 'ent', place: 'region:76' });
    const embed = embedOf(answer);
    assert.equal(embed.color, 0xe74c3c, 'red for a major outage');
    // The first message: the status, since when and who, the source and its time; no fields.
    assert.match(embed.title, /^🔴 ENT : panne majeure en Occitanie$/);
    assert.match(embed.description ?? '', /^Depuis \d{1,2} h( \d\d)?\. /);
    assert.equal((embed.fields ?? []).length, 0);
    assert.match(embed.footer.text, /Rectorat|Source/);
    const lines = [embed.title, ...(embed.description ?? '').split('\n'), embed.footer.text];
    assert.ok(lines.length <= 5 && lines.join('\n').length <= 500, lines.join('\n'));

    // "Plus de détails": the whole answer, privately: the advice and the fields are there.
    const more = buttonsOf(answer).find((b) => b.custom_id.startsWith('vigie:more:'));
    assert.ok(more, 'a "Plus de détails" button');
    assert.equal(more.label, 'Plus de détails');
    const { callback, message } = await h.fake.answer(h.fake.interact(button(h.fake.world, more.custom_id, { user: user('parent') })));
    assert.equal(bodyOf(callback).data?.flags, EPHEMERAL);
    const full = embedOf(message as Body);
    assert.ok(JSON.stringify(full).includes('Travaillez hors ligne.'));
    assert.ok(full.fields.length >= 3);
    assert.equal(buttonsOf(message as Body).some((b) => b.custom_id.startsWith('vigie:more:')), false);
  });

  test('GIVEN ENT Occitanie open WHEN an admin opens the same incident THEN the preview refuses it with its id and the /incident way to update it; with force:True THEN a confirm button comes', async () => {
    const [open] = await h.runtime.bot.openIncidents();
    assert.ok(open);
    const submitWith = async (options: Record<string, string | boolean>) => {
      const opened = h.fake.interact(command(h.fake.world, 'incident', { action: 'open', service: 'ent', places: 'Occitanie', status: 'major_outage', cause: 'overload', ...options }, admin));
      const modalId = String(bodyOf(await h.fake.callback(opened)).data!.custom_id);
      return (await h.fake.answer(h.fake.interact(modalSubmit(h.fake.world, modalId, { textFr: 'Toujours saturé.' }, admin)))).message as Body;
    };
    const refused = await submitWith({});
    const text = JSON.stringify(refused);
    assert.ok(text.includes(`/incident action:Mettre à jour incident:${open.id}`), text);
    assert.match(text, /forcer:True/);
    assert.equal(buttonsOf(refused).some((b) => b.custom_id.startsWith('vigie:confirm:')), false, 'nothing to confirm');
    const forced = await submitWith({ force: true });
    assert.ok(buttonsOf(forced).some((b) => b.custom_id.startsWith('vigie:confirm:')), 'forced: the preview can be confirmed');
    assert.equal((await h.runtime.bot.openIncidents()).length, 1, 'a preview stores nothing');
  });

  test('GIVEN an admin cancels a preview THEN nothing is stored', async () => {
    const before = (await h.runtime.bot.openIncidents()).length;
    const open = h.fake.interact(command(h.fake.world, 'incident', { action: 'open', service: 'cned', places: 'France' }, admin));
    const modalId = String(bodyOf(await h.fake.callback(open)).data!.custom_id);
    const submit = h.fake.interact(modalSubmit(h.fake.world, modalId, { textFr: 'Test' }, admin));
    const cancel = buttonsOf((await h.fake.answer(submit)).message as Body).find((b) => b.custom_id.startsWith('vigie:cancel:'))!;
    const click = h.fake.interact(button(h.fake.world, cancel.custom_id, admin));
    assert.equal(bodyOf(await h.fake.callback(click)).type, 7);
    assert.equal((await h.runtime.bot.openIncidents()).length, before);
  });

  test('GIVEN /subscribe, /subscriptions then /unsubscribe all THEN the channel subscription is stored per guild and channel, listed, then removed', async () => {
    const { answer: created } = await ask('subscribe', { place: 'region:76', service: 'ent' }, manager);
    assert.ok(embedOf(created).title.length > 0);
    const stored = await h.runtime.store.subscriptions.list({ platform: 'discord' });
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.workspace, h.fake.world.guildId);
    assert.equal(stored[0]!.channel, h.fake.world.channelId);
    assert.equal(stored[0]!.service, 'ent');
    assert.deepEqual([stored[0]!.place.kind, stored[0]!.place.code], ['region', '76']);

    const { answer: listed } = await ask('subscriptions', {}, manager);
    assert.match(JSON.stringify(embedOf(listed)), /Occitanie/);

    await ask('unsubscribe', { all: true }, manager);
    assert.deepEqual(await h.runtime.store.subscriptions.list({ platform: 'discord' }), []);
  });

  test('GIVEN the follow button THEN a member without Manage Channels is refused and a manager subscribes the channel', async () => {
    const refused = h.fake.interact(button(h.fake.world, 'vigie:sub:ent region:76', { permissions: PERMS.viewAndSend }));
    const refusal = bodyOf(await h.fake.callback(refused));
    assert.equal(refusal.type, 4);
    assert.equal(refusal.data?.flags, EPHEMERAL);
    assert.deepEqual(await h.runtime.store.subscriptions.list({ platform: 'discord' }), []);

    const ok = h.fake.interact(button(h.fake.world, 'vigie:sub:ent region:76', manager));
    await h.fake.answer(ok);
    assert.equal((await h.runtime.store.subscriptions.list({ platform: 'discord' })).length, 1);
  });

  test('GIVEN a handler fails THEN the person gets an apology with a reference id', async () => {
    const bot = h.runtime.bot;
    const original = bot.listSubscriptions;
    bot.listSubscriptions = async () => {
      throw new Error('store unavailable');
    };
    try {
      const { answer } = await ask('subscriptions', {}, manager);
      assert.match(JSON.stringify(embedOf(answer)), /référence [0-9a-f]{8}\b/);
    } finally {
      bot.listSubscriptions = original;
    }
  });

  test('GIVEN a malformed INTERACTION_CREATE THEN the bot logs it, answers it as expired and keeps answering', async () => {
    const client = h.adapter.client!;
    const errors: Error[] = [];
    const onError = (e: Error) => errors.push(e);
    client.on('error', onError);
    const broken = command(h.fake.world, 'status', { service: 'cned' });
    delete broken.entitlements;
    delete broken.authorizing_integration_owners;
    h.fake.interact(broken);
    const { answer } = await ask('status', { service: 'cned' });
    assert.ok(embedOf(answer).title.length > 0);
    client.off('error', onError);
    assert.equal(errors.length, 1);
    const fallback = bodyOf(await h.fake.callback(broken as { id: string }));
    assert.equal(fallback.type, 4);
    assert.equal(fallback.data?.flags, EPHEMERAL);
  });

  test('GIVEN mentions are off THEN a message mentioning the bot gets no answer', async () => {
    const w = h.fake.world;
    h.fake.dispatch('MESSAGE_CREATE', { ...message(w, `<@${w.appId}> le CNED marche ?`, user(), { mentions: [w.botUser] }), guild_id: w.guildId });
    await ask('status', { service: 'cned' });
    assert.equal(h.fake.requests.filter((r) => r.path.startsWith('/channels/')).length, 0);
  });

  test('GIVEN the gateway drops the connection THEN the client resumes the session and keeps answering', async () => {
    const resumed = once(h.fake, 'resumed');
    h.fake.disconnect(4000);
    await resumed;
    assert.equal(h.fake.resumes.length, 1);
    assert.equal(h.fake.identifies.length, 1, 'resumed, not identified again');
    const { answer } = await ask('status', { service: 'ent', place: 'region:76' });
    assert.equal(embedOf(answer).color, 0xe74c3c);
  });

  test('GIVEN every message the bot sent THEN each one disables all mention parsing', () => {
    const bodies = h.fake.requests
      .filter((r) => r.method !== 'GET' && r.body && !Array.isArray(r.body))
      .map((r) => r.body as Body)
      .map((b) => (b.type !== undefined ? b.data : b) as Body | undefined)
      .filter((b): b is Body => Boolean(b && (b.embeds || b.content !== undefined)));
    assert.ok(bodies.length >= 10);
    for (const body of bodies) assert.deepEqual(body.allowed_mentions?.parse, [], JSON.stringify(body).slice(0, 200));
  });
});
