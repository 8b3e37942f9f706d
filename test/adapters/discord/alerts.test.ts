/**
 * Crowd-signal alerts on Discord (#15 item 6): the Discord platform with
 * VIGIE_DISCORD_ALERT_CHANNEL set, its AlertSink posting and editing one message in the alert
 * channel, and the "Ouvrir un incident" button answered by the real discord.js client, all
 * against the fake Discord, with a SQLite store.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, createRuntime, FixedClock, silentLogger, type Runtime } from '../../../src/index.js';
import type { AlertPrefill } from '../../../src/signals/alert-types.js';
import { createDiscordPlatform, parseDiscordConfig, type DiscordPlatform } from '../../../adapters/discord/index.js';
import { AlertPrefills, alertNonce, compactAlertId, prefillOfButton } from '../../../adapters/discord/alerts.js';
import { hasMarker } from '../../../adapters/discord/marker.js';
import { FAKE_DISCORD_TOKEN, FakeDiscord } from '../../fakes/discord/fake-discord.js';
import { button, modalSubmit, PERMS, snowflake, user } from '../../fakes/discord/payloads.js';
import { inspectMarkdown, unsafe } from './discord-markdown.js';
import { INJECTIONS } from './injections.js';
import { NOW, sharedReference } from './harness.js';
import { sharedTemplates } from '../../helpers/templates.js';
import { alertOf, buttonsOf, embedOf, EPHEMERAL, MODAL, OCCITANIE, type Body, type Row } from './alert-fixtures.js';


describe('Discord alert channel setting', () => {
  const base = { DISCORD_TOKEN: FAKE_DISCORD_TOKEN, DISCORD_APPLICATION_ID: '110000000000000001' };

  test('GIVEN VIGIE_DISCORD_ALERT_CHANNEL THEN it is the alert channel; unset THEN there is none', () => {
    assert.equal(parseDiscordConfig({ ...base, VIGIE_DISCORD_ALERT_CHANNEL: ' 110000000000000009 ' })?.alertChannel, '110000000000000009');
    assert.equal(parseDiscordConfig(base)?.alertChannel, undefined);
    assert.equal(parseDiscordConfig({ ...base, VIGIE_DISCORD_ALERT_CHANNEL: '' })?.alertChannel, undefined);
  });

  test('GIVEN a channel name or a link instead of an id THEN the error names VIGIE_DISCORD_ALERT_CHANNEL', () => {
    for (const value of ['#alertes', 'https://discord.com/channels/1/2', '1234']) {
      assert.throws(
        () => parseDiscordConfig({ ...base, VIGIE_DISCORD_ALERT_CHANNEL: value }),
        (error: unknown) => error instanceof ConfigError && error.variable === 'VIGIE_DISCORD_ALERT_CHANNEL',
      );
    }
  });

  test('GIVEN the platform without an alert channel THEN it has no alert sink; with one THEN it has the Discord sink', () => {
    const config = parseDiscordConfig(base)!;
    const without = createDiscordPlatform({ config, logger: silentLogger, templates: sharedTemplates() });
    const withChannel = createDiscordPlatform({ config: { ...config, alertChannel: '110000000000000009' }, logger: silentLogger, templates: sharedTemplates() });
    try {
      assert.equal(without.alerts, undefined);
      assert.equal(withChannel.alerts?.platform, 'discord');
    } finally {
      without.transport.destroy();
      withChannel.transport.destroy();
    }
  });
});

describe('Discord alert button ids', () => {
  test('GIVEN a prefill THEN the compact custom id reads back as the same prefill, within 100 characters', () => {
    const id = compactAlertId(OCCITANIE);
    assert.ok(id && id.length <= 100, String(id));
    assert.deepEqual(prefillOfButton(id, new AlertPrefills()), OCCITANIE);
    const national: AlertPrefill = { service: 'ecole-directe', places: ['national:FR', 'academie:clermont-ferrand', 'commune:2A004'], status: 'degraded_performance', cause: 'unknown' };
    assert.deepEqual(prefillOfButton(compactAlertId(national)!, new AlertPrefills()), national);
  });

  test('GIVEN forged or broken custom ids THEN none reads as a prefill', () => {
    const prefills = new AlertPrefills();
    for (const forged of ['vigie:alert:', 'vigie:alert:95ent:r76', 'vigie:alert:45ENT:r76', 'vigie:alert:45ent:', 'vigie:alert:45ent:x76', 'vigie:alert:45ent:r76 @everyone', 'vigie:alert:45ent:r7/6', 'vigie:alert:~AAAAAAAAAAAAAAAAAAAAAA', `vigie:alert:45ent:${'r76.'.repeat(30)}r76`]) {
      assert.equal(prefillOfButton(forged, prefills), null, forged);
    }
  });
});

describe('Discord alerts against the fake Discord', () => {
  let fake: FakeDiscord;
  let runtime: Runtime;
  let platform: DiscordPlatform;
  let dir: string;
  const alertChannel = snowflake();
  const admin = { roles: [] as string[], permissions: PERMS.viewAndSend, user: user('cellule-de-crise') };
  const parent = { permissions: PERMS.manageChannels, user: user('parent') };
  /** Requests the platform's one REST client answered, by path (alerts must go through it). */
  const throughSharedRest: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigie-discord-alerts-'));
    // No rate limits here: the tests post and edit in one channel quicker than 5 per 5 s.
    fake = await FakeDiscord.start({ limits: null });
    admin.roles = [fake.world.adminRoleId];
    runtime = await createRuntime({ storeUrl: `sqlite://${join(dir, 'vigie.sqlite')}`, clock: new FixedClock(NOW), reference: sharedReference() });
    platform = createDiscordPlatform({
      config: { token: FAKE_DISCORD_TOKEN, applicationId: fake.world.appId, apiUrl: fake.apiUrl, mentions: false, adminRoles: [fake.world.adminRoleId], adminUsers: [], alertChannel },
      logger: silentLogger,
      templates: runtime.bot.templates,
    });
    platform.transport.rest.on('response', (request) => throughSharedRest.push(`${request.method} ${request.path}`));
    await platform.start(runtime.bot);
  });
  after(async () => {
    assert.deepEqual(fake.invalidBodies().map((r) => `${r.method} ${r.path}`), [], 'Discord would have refused these bodies');
    await platform.stop();
    await fake.close();
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sink = () => platform.alerts!;
  const inAlertChannel = () => fake.channelMessages.inChannel(alertChannel);
  const alertRequests = () => fake.requests.filter((r) => r.path.startsWith(`/channels/${alertChannel}/`));

  test('GIVEN an alert posted THEN one embed message in the alert channel, with the facts, the samples quoted, the caveat, the button, the nonce and no pings; then edited in place with new content', async () => {
    const before = inAlertChannel().length;
    const { messageId } = await sink().post(alertOf('grp-edit'));
    assert.equal(inAlertChannel().length, before + 1);
    const stored = fake.channelMessages.messages.get(messageId)!;
    assert.equal(stored.channelId, alertChannel);
    const embed = embedOf(stored);
    assert.equal(embed.title, 'Signalements en hausse : ENT · Occitanie');
    assert.equal(embed.color, 0xe67e22);
    const description = embed.description ?? '';
    assert.match(description, /^7 personnes depuis 8 h 10 \(7 sur 30 min\)\nLieux : Hérault \(4\), Gard \(3\)\n\n/);
    assert.match(description, /\n> L’ENT ne charge plus depuis ce matin\n\n> impossible de se connecter à l’ENT\n/);
    assert.match(description, /\*Non confirmé : signalements de personnes, pas un statut officiel\.\*$/);
    const [openButton, ...others] = buttonsOf(stored);
    assert.equal(others.length, 0);
    assert.equal(openButton!.label, 'Ouvrir un incident');
    assert.deepEqual(prefillOfButton(openButton!.custom_id, new AlertPrefills()), OCCITANIE);
    const body = stored.body as Body & { nonce?: string; enforce_nonce?: boolean };
    assert.equal(body.nonce, alertNonce('grp-edit'));
    assert.ok(body.nonce!.length <= 25);
    assert.equal(body.enforce_nonce, true);
    assert.deepEqual(body.allowed_mentions, { parse: [], replied_user: false });

    const grown = alertOf('grp-edit', { revision: 2, lines: ['23 personnes depuis 8 h 10 (18 sur 30 min)', 'Lieux : Hérault (12), Gard (7), Aude (4)'] });
    await sink().edit(messageId, grown);
    assert.equal(inAlertChannel().length, before + 1, 'still one message');
    assert.equal(stored.edits, 1);
    assert.match(embedOf(stored).description ?? '', /^23 personnes depuis 8 h 10 \(18 sur 30 min\)\nLieux : Hérault \(12\), Gard \(7\), Aude \(4\)/);
    const patch = alertRequests().findLast((r) => r.method === 'PATCH')!;
    assert.equal(patch.path, `/channels/${alertChannel}/messages/${messageId}`);
    assert.deepEqual((patch.body as Body).allowed_mentions, { parse: [], replied_user: false });
    assert.ok(hasMarker(body as { embeds: [] }, 'alert:grp-edit') && hasMarker(patch.body as { embeds: [] }, 'alert:grp-edit'), 'every version carries the alert’s hidden marker');
    assert.equal(embedOf(stored).title, 'Signalements en hausse : ENT · Occitanie', 'the marker is in the footer, not in what people read');
    assert.ok(throughSharedRest.includes(`POST /channels/${alertChannel}/messages`) && throughSharedRest.includes(`PATCH /channels/${alertChannel}/messages/${messageId}`), 'sent through the platform’s one REST client');
  });

  test('GIVEN an edit for a revision the message already shows THEN nothing is sent', async () => {
    const { messageId } = await sink().post(alertOf('grp-same', { revision: 3 }));
    const count = alertRequests().length;
    await sink().edit(messageId, alertOf('grp-same', { revision: 3 }));
    assert.equal(alertRequests().length, count);
    await sink().edit(messageId, alertOf('grp-same', { revision: 4, lines: ['9 personnes'] }));
    assert.equal(alertRequests().length, count + 1);
  });

  test('GIVEN the alert ended THEN the same message is edited grey, saying so, and the button is gone', async () => {
    const { messageId } = await sink().post(alertOf('grp-end'));
    await sink().edit(messageId, alertOf('grp-end', { state: 'ended', revision: 2, lines: ['31 personnes depuis 8 h 10', 'Terminé à 10 h 05'] }));
    const stored = fake.channelMessages.messages.get(messageId)!;
    assert.deepEqual(buttonsOf(stored), []);
    assert.deepEqual((stored.body as Body).components, [], 'the edit sends an empty row list, which removes the button');
    assert.equal(embedOf(stored).color, 0x99aab5);
    assert.match(embedOf(stored).description ?? '', /Terminé à 10 h 05/);
  });

  test('GIVEN report texts with pings, links, markdown and code fences THEN they arrive escaped, quoted, and the message allows no mention at all', async () => {
    const samples = [INJECTIONS.join(' '), '@everyone @here <@123> <@&456> urgent', '```\ncode\n```\n# titre\n> cite [ENT officiel](https://evil.example) http://evil.example'];
    const { messageId } = await sink().post(alertOf('grp-escape', { samples, title: 'ENT @everyone <@&456> **panne**', lines: ['Lieux : [Hérault](https://evil.example) <@123>'] }));
    const stored = fake.channelMessages.messages.get(messageId)!;
    const embed = embedOf(stored);
    assert.deepEqual(unsafe(inspectMarkdown(embed.title)), [], embed.title);
    const lines = (embed.description ?? '').split('\n');
    const quotedLines = lines.filter((l) => l.startsWith('> '));
    assert.ok(quotedLines.length >= 3, 'each sample is quoted');
    for (const line of lines) {
      if (line.startsWith('> ')) assert.deepEqual(unsafe(inspectMarkdown(line.slice(2))), [], line);
      // The caveat's own italics are Vigie's; everything else must have no live markdown either.
      else assert.deepEqual(unsafe(inspectMarkdown(line), { format: !/^\*.*\*$/.test(line) }), [], line);
      // Not even a valid https address is a link in an alert.
      assert.deepEqual(inspectMarkdown(line.replace(/^> /, '')).filter((f) => f.kind === 'link'), [], line);
    }
    // What people wrote is still readable as written.
    const shown = (embed.description ?? '').replace(/\\(.)/g, '$1').replace(/\u200b/g, '');
    for (const words of ['@everyone @here', '<@123>', 'urgent', '# titre', 'ENT officiel', 'https://evil.example']) assert.ok(shown.includes(words), words);
    assert.deepEqual((stored.body as Body).allowed_mentions, { parse: [], replied_user: false });
  });

  test('GIVEN a post that landed but whose answer was lost (500) THEN the retried post finds it in the channel (its marker): one message', async () => {
    const before = inAlertChannel().length;
    fake.script({ kind: '500', times: 1, storeEvery: 1, methods: ['POST'], channels: [alertChannel] });
    await assert.rejects(sink().post(alertOf('grp-retry')));
    assert.equal(inAlertChannel().length, before + 1, 'the first post landed');
    const posts = alertRequests().filter((r) => r.method === 'POST').length;
    const { messageId } = await sink().post(alertOf('grp-retry'));
    assert.equal(inAlertChannel().length, before + 1, 'no duplicate');
    assert.equal(inAlertChannel().at(-1)!.id, messageId);
    assert.equal(alertRequests().filter((r) => r.method === 'POST').length, posts, 'found in the history, not posted again');
    assert.ok(alertRequests().some((r) => r.method === 'GET' && r.path === `/channels/${alertChannel}/messages`));
  });

  test('GIVEN the retried post carries a newer revision THEN the message that landed is brought up to date', async () => {
    fake.script({ kind: '500', times: 1, storeEvery: 1, methods: ['POST'], channels: [alertChannel] });
    await assert.rejects(sink().post(alertOf('grp-retry-newer', { revision: 1, lines: ['5 personnes'] })));
    const { messageId } = await sink().post(alertOf('grp-retry-newer', { revision: 2, lines: ['8 personnes'] }));
    const stored = fake.channelMessages.messages.get(messageId)!;
    assert.equal(fake.channelMessages.inChannel(alertChannel).filter((m) => m.nonce === alertNonce('grp-retry-newer')).length, 1);
    assert.match(embedOf(stored).description ?? '', /^8 personnes/);
  });

  const press = async (customId: string, person: typeof admin | typeof parent) => {
    const i = fake.interact(button(fake.world, customId, person));
    return (await fake.callback(i)).body as Body;
  };
  const refusals = async (person: { user: Record<string, unknown> }) => (await runtime.store.audit.list()).filter((e) => e.outcome === 'refused' && e.action === 'incident.open' && JSON.stringify(e).includes(String(person.user.id)));

  /** Submits the modal a press opened, then confirms the preview; returns the preview's message. */
  async function submitAndConfirm(modalId: string): Promise<Body> {
    const submit = fake.interact(modalSubmit(fake.world, modalId, { titleFr: 'ENT indisponible', textFr: 'Connexions impossibles, nous enquêtons.', textEn: '', recovery: '', adviceFr: '' }, admin));
    const { message: preview } = await fake.answer(submit);
    const confirm = buttonsOf(preview as Body).find((b) => b.custom_id.startsWith('vigie:confirm:'));
    assert.ok(confirm, `a confirm button: ${JSON.stringify(preview).slice(0, 400)}`);
    await fake.answer(fake.interact(button(fake.world, confirm.custom_id, admin)));
    return preview as Body;
  }

  test('GIVEN someone not allowed to open incidents presses “Ouvrir un incident” THEN a private refusal, audited, and no form', async () => {
    const { messageId } = await sink().post(alertOf('grp-refuse'));
    const [openButton] = buttonsOf(fake.channelMessages.messages.get(messageId)!);
    const answer = await press(openButton!.custom_id, parent);
    assert.equal(answer.type, 4);
    assert.equal(answer.data?.flags, EPHEMERAL);
    assert.equal((await refusals(parent)).length, 1);
    assert.deepEqual(await runtime.bot.openIncidents(), []);
  });

  test('GIVEN an admin presses “Ouvrir un incident” THEN the /incident form opens pre-filled: confirmed, the incident has the alert’s service, places, status and cause', async () => {
    const { messageId } = await sink().post(alertOf('grp-open'));
    const [openButton] = buttonsOf(fake.channelMessages.messages.get(messageId)!);
    const modal = await press(openButton!.custom_id, admin);
    assert.equal(modal.type, MODAL);
    const modalId = String(modal.data!.custom_id);
    assert.match(modalId, /^vigie:incident:/);
    const inputs = (modal.data!.components as Row[]).map((row) => row.components[0]!.custom_id);
    assert.ok(inputs.includes('textFr'));
    const preview = await submitAndConfirm(modalId);
    assert.match(JSON.stringify(preview.embeds), /Occitanie/);
    const [incident] = await runtime.bot.openIncidents();
    assert.ok(incident, 'an incident is open');
    assert.equal(incident.service, 'ent');
    assert.deepEqual(incident.scope.places.map((p) => `${p.kind}:${p.code}`).sort(), ['departement:30', 'departement:34', 'region:76']);
    assert.equal(incident.status, 'major_outage');
    assert.equal(incident.cause, 'unknown');
    assert.equal((await refusals(admin)).length, 0);
  });

  test('GIVEN a prefill too long for a custom id (14 communes) THEN the button carries a token and the press still opens the pre-filled form', async () => {
    const communes = ['34172', '31555', '30189', '66136', '11069', '81004', '12202', '46042', '65440', '09122', '32013', '82121', '48095', '34032'];
    const prefill: AlertPrefill = { service: 'pronote', places: communes.map((c) => `commune:${c}`), status: 'partial_outage', cause: 'unknown' };
    assert.equal(compactAlertId(prefill), null);
    const { messageId } = await sink().post(alertOf('grp-token', { prefill }));
    const [openButton] = buttonsOf(fake.channelMessages.messages.get(messageId)!);
    assert.match(openButton!.custom_id, /^vigie:alert:~[\w-]{22}$/);
    assert.ok(openButton!.custom_id.length <= 100);
    const modal = await press(openButton!.custom_id, admin);
    assert.equal(modal.type, MODAL);
    await submitAndConfirm(String(modal.data!.custom_id));
    const incident = (await runtime.bot.openIncidents()).find((i) => i.service === 'pronote');
    assert.ok(incident);
    assert.deepEqual(incident.scope.places.map((p) => p.code).sort(), [...communes].sort());
    assert.equal(incident.status, 'partial_outage');
  });

  test('GIVEN a forged button or a token no longer known THEN the admin is told the form expired, privately, and no form opens', async () => {
    for (const customId of ['vigie:alert:~AAAAAAAAAAAAAAAAAAAAAA', 'vigie:alert:45ent:r76 <@123>']) {
      const answer = await press(customId, admin);
      assert.equal(answer.type, 4, customId);
      assert.equal(answer.data?.flags, EPHEMERAL);
      assert.match(String(answer.data?.content), /expiré/);
    }
  });
});
