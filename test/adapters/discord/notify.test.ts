/**
 * `/incident` with "notify subscribers": the preview counts the channels per platform, confirming
 * publishes the official notice, and the admin's ephemeral reply shows delivery progress until
 * nothing is pending. The notice is delivered by a real Dispatcher: Discord through the Discord
 * transport to the same fake Discord, Slack through the generic fake.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Dispatcher } from '../../../src/delivery/index.js';
import { createDiscordTransport, nonceOf, type DiscordTransport } from '../../../adapters/discord/transport.js';
import { FAKE_DISCORD_TOKEN, type RecordedRequest } from '../../fakes/discord/fake-discord.js';
import { button, command, modalSubmit, snowflake, user } from '../../fakes/discord/payloads.js';
import { GenericFakePlatform } from '../../fakes/generic/server.js';
import { GenericTransport } from '../../fakes/generic/transport.js';
import { startHarness, type Harness } from './harness.js';
import { VirtualTimer } from '../../helpers/virtual-time.js';
import type { FixedClock } from '../../../src/base/clock.js';
import { sharedTemplates } from '../../helpers/templates.js';

type Body = { content?: string; embeds?: { title: string }[]; components?: { components: { custom_id: string }[] }[] };
const bodyOf = (r: RecordedRequest) => r.body as Body;
const OCCITANIE = { kind: 'region', code: '76', name: 'Occitanie' } as const;

describe('Discord /incident with notify subscribers', () => {
  let h: Harness;
  let slack: GenericFakePlatform;
  let transport: DiscordTransport;
  let dispatcher: Dispatcher;
  const discordChannels = [snowflake(), snowflake(), snowflake()];
  const admin = { roles: [] as string[], user: user('rectorat') };

  before(async () => {
    h = await startHarness({ progressIntervalMs: 30 });
    admin.roles = [h.fake.world.adminRoleId];
    h.fake.channelMessages.missingAccess.add(discordChannels[2]!);
    const add = (platform: 'discord' | 'slack', workspace: string, channel: string) =>
      h.runtime.store.subscriptions.add({ platform, workspace, channel, service: 'ent', place: OCCITANIE, createdBy: 'test' });
    for (const c of discordChannels) await add('discord', h.fake.world.guildId, c);
    await add('slack', 'T1', 'C1');
    await add('slack', 'T1', 'C2');
    slack = new GenericFakePlatform();
    transport = createDiscordTransport({ templates: sharedTemplates(), token: FAKE_DISCORD_TOKEN, apiUrl: h.fake.apiUrl, timeoutMs: 1000 });
    dispatcher = new Dispatcher({ store: h.runtime.store, clock: h.clock, timer: new VirtualTimer(h.clock as FixedClock),
      templates: h.runtime.bot.templates,
      transports: [transport, new GenericTransport({ platform: 'slack', baseUrl: await slack.start() })],
    });
  });
  after(async () => {
    transport.destroy();
    await slack.stop();
    await h.close();
  });

  /** The first edit of an interaction's reply whose content matches. */
  const editMatching = (token: string, re: RegExp) =>
    h.fake.waitForRequest((r) => r.method === 'PATCH' && r.path.endsWith(`/${token}/messages/@original`) && re.test(bodyOf(r).content ?? ''));

  test('GIVEN an admin opens an incident with notify THEN the preview counts channels per platform, confirming publishes, and progress is shown until nothing is pending', async () => {
    const open = h.fake.interact(command(h.fake.world, 'incident', { action: 'open', service: 'ent', places: 'Occitanie', status: 'major_outage', notify: true }, admin));
    const modalId = String((bodyOf(await h.fake.callback(open)) as { data?: { custom_id?: string } }).data!.custom_id);
    const submit = h.fake.interact(modalSubmit(h.fake.world, modalId, { titleFr: 'ENT Occitanie saturé', textFr: 'Connexions impossibles depuis 8 h.', textEn: '', recovery: '', adviceFr: '' }, admin));
    const preview = (await h.fake.answer(submit)).message as Body;
    assert.match(preview.content ?? '', /5 salon\(s\) abonné\(s\)/);
    assert.match(preview.content ?? '', /Discord 3 · Slack 2/);
    assert.deepEqual(await h.runtime.store.outbox.listNotices(), [], 'a preview stores nothing');
    assert.deepEqual(await h.runtime.bot.openIncidents(), []);

    const confirm = preview.components![0]!.components.find((b) => b.custom_id.startsWith('vigie:confirm:'))!;
    const click = h.fake.interact(button(h.fake.world, confirm.custom_id, admin));
    const published = (await h.fake.answer(click)).message as Body;
    assert.match(published.content ?? '', /0 remis · 0 en échec · 5 en attente/);
    const [notice] = await h.runtime.store.outbox.listNotices();
    assert.ok(notice, 'the notice is in the outbox once the admin sees it published');
    assert.equal((await h.runtime.bot.openIncidents()).length, 1);

    await dispatcher.drain();
    const done = await editMatching(String(click.token), /Envoi terminé/);
    const text = bodyOf(done).content!;
    assert.match(text, /4 remis · 1 en échec \(sur 5\)/);
    assert.ok(text.includes(`<#${discordChannels[2]}> — discord_50001_missing_access`), text);

    const deliveries = await h.runtime.store.outbox.listDeliveries(notice.id);
    for (const c of discordChannels.slice(0, 2)) {
      const messages = h.fake.channelMessages.inChannel(c);
      assert.equal(messages.length, 1);
      assert.equal(messages[0]!.nonce, nonceOf(deliveries.find((d) => d.channel === c)!.id));
      assert.match(JSON.stringify(messages[0]!.body.embeds), /Connexions impossibles depuis 8 h/);
    }
    assert.equal(slack.messages.size, 2);
  });

  test('GIVEN the finished notice had a failure THEN its progress offers a retry: a member without the admin role is refused, an admin click sends only the failed delivery again', async () => {
    const [notice] = await h.runtime.store.outbox.listNotices();
    assert.ok(notice);
    const finished = h.fake.requests.filter((r) => r.method === 'PATCH' && /Envoi terminé/.test(bodyOf(r).content ?? '')).at(-1);
    assert.ok(finished, 'the progress reached its end');
    const retry = bodyOf(finished).components?.[0]?.components.find((b) => b.custom_id.startsWith('vigie:retry:'));
    assert.ok(retry, `a retry button under the finished progress: ${JSON.stringify(bodyOf(finished).components)}`);
    assert.equal(retry.custom_id, `vigie:retry:${notice.id}`);

    h.fake.channelMessages.missingAccess.delete(discordChannels[2]!);
    const parent = { roles: [] as string[], user: user('parent') };
    const refused = (await h.fake.answer(h.fake.interact(button(h.fake.world, retry.custom_id, parent)))).message as Body & { flags?: number };
    assert.match(JSON.stringify(refused), /réservé|administrat/i);
    assert.equal((await h.runtime.bot.noticeProgress(notice.id))?.failed, 1, 'a refused click changes nothing');
    assert.ok((await h.runtime.store.audit.list()).some((e) => e.action === 'notice.retry' && e.outcome === 'refused'), 'the refusal is audited');

    const click = h.fake.interact(button(h.fake.world, retry.custom_id, admin));
    const queued = (await h.fake.answer(click)).message as Body;
    assert.match(queued.content ?? '', /1 envoi\(s\) en échec relancé\(s\)/);
    await dispatcher.drain();
    const done = await editMatching(String(click.token), /Envoi terminé/);
    assert.match(bodyOf(done).content ?? '', /5 remis · 0 en échec \(sur 5\)/);
    assert.deepEqual(bodyOf(done).components ?? [], [], 'nothing left to retry');
    for (const c of discordChannels) assert.equal(h.fake.channelMessages.inChannel(c).length, 1, `channel ${c} has the notice exactly once`);
    assert.equal(slack.messages.size, 2, 'the Slack channels are not sent it again');
  });

  test('GIVEN notify is not chosen THEN confirming applies the incident without publishing a notice', async () => {
    const before = (await h.runtime.store.outbox.listNotices()).length;
    const open = h.fake.interact(command(h.fake.world, 'incident', { action: 'open', service: 'cned', places: 'France', status: 'partial_outage' }, admin));
    const modalId = String((bodyOf(await h.fake.callback(open)) as { data?: { custom_id?: string } }).data!.custom_id);
    const submit = h.fake.interact(modalSubmit(h.fake.world, modalId, { textFr: 'Classes virtuelles indisponibles.' }, admin));
    const preview = (await h.fake.answer(submit)).message as Body;
    assert.doesNotMatch(preview.content ?? '', /salon\(s\) abonné/);
    const confirm = preview.components![0]!.components.find((b) => b.custom_id.startsWith('vigie:confirm:'))!;
    const click = h.fake.interact(button(h.fake.world, confirm.custom_id, admin));
    await h.fake.answer(click);
    assert.equal((await h.runtime.bot.openIncidents()).filter((i) => i.service === 'cned').length, 1);
    assert.equal((await h.runtime.store.outbox.listNotices()).length, before);
  });
});
