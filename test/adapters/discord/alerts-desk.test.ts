/**
 * Crowd-signal alerts end to end on Discord (#15 item 6): people report through the Discord
 * adapter's "Signaler un problème" form (the real discord.js client against the fake
 * Discord), the signals service steps on a hand-moved timer, the alert desk words the alert and
 * the Discord platform's sink posts it in VIGIE_DISCORD_ALERT_CHANNEL: one message, edited as
 * it grows, people's texts escaped, and its button opening the pre-filled incident form.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime, FixedClock, silentLogger, type Runtime } from '../../../src/index.js';
import { AlertDesk } from '../../../src/signals/alerts.js';
import { SignalsService } from '../../../src/signals/service.js';
import { createAlertStore } from '../../../src/store/alerts.js';
import { createPlacePhrases } from '../../../src/answer/place-phrases.js';
import { createDiscordPlatform, type DiscordPlatform } from '../../../adapters/discord/index.js';
import { prefillOfButton, AlertPrefills } from '../../../adapters/discord/alerts.js';
import { FAKE_DISCORD_TOKEN, FakeDiscord } from '../../fakes/discord/fake-discord.js';
import { button, modalSubmit, PERMS, snowflake, user } from '../../fakes/discord/payloads.js';
import type { StoredMessage } from '../../fakes/discord/channel-messages.js';
import { inspectMarkdown, unsafe } from './discord-markdown.js';
import { sharedReference } from '../../helpers/reference.js';
import { HandTimer, MIN, config } from '../../signals/helpers.js';

/** A Tuesday, 08:10 in Paris. */
const MORNING = new Date('2026-12-01T08:10:00+01:00');
const CITIES = ['Montpellier', 'Toulouse', 'Nîmes', 'Perpignan'];

type Embed = { title: string; description?: string; color: number };
type Row = { components: { custom_id: string; label: string }[] };
type Body = { type?: number; data?: Record<string, unknown>; embeds?: Embed[]; components?: Row[]; allowed_mentions?: unknown };

describe('Discord alert channel, end to end through the alert desk', () => {
  let dir: string;
  let fake: FakeDiscord;
  let runtime: Runtime;
  let platform: DiscordPlatform;
  let service: SignalsService;
  let desk: AlertDesk;
  let timer: HandTimer;
  const alertChannel = snowflake();
  const admin = { roles: [] as string[], permissions: PERMS.viewAndSend, user: user('rectorat') };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vigie-discord-alert-desk-'));
    fake = await FakeDiscord.start({ limits: null });
    admin.roles = [fake.world.adminRoleId];
    const reference = sharedReference();
    const clock = new FixedClock(MORNING);
    runtime = await createRuntime({ storeUrl: `sqlite://${join(dir, 'vigie.sqlite')}`, clock, reference, logger: silentLogger, reportSecret: 'a-test-secret-of-some-length' });
    platform = createDiscordPlatform({
      config: { token: FAKE_DISCORD_TOKEN, applicationId: fake.world.appId, apiUrl: fake.apiUrl, mentions: false, adminRoles: [fake.world.adminRoleId], adminUsers: [], alertChannel },
      logger: silentLogger,
      templates: runtime.bot.templates,
    });
    await platform.start(runtime.bot);
    // As npm start wires it (src/app/main.ts): the platforms' sinks, the store, a step → an update.
    const alertStore = createAlertStore(runtime.store.db, silentLogger);
    const places = createPlacePhrases(runtime.bot.templates, reference.gazetteer);
    desk = new AlertDesk({
      sinks: [platform.alerts!],
      store: alertStore,
      samples: alertStore,
      templates: runtime.bot.templates,
      clock,
      serviceName: (id, lang) => reference.content.services.find((s) => s.id === id)?.name[lang] ?? id,
      placePhrase: (lang, place) => places.phrase(lang, place),
      logger: silentLogger,
    });
    await desk.start();
    timer = new HandTimer(clock);
    service = new SignalsService({
      places: reference.gazetteer,
      config,
      source: runtime.store.reports,
      clock,
      timer,
      logger: silentLogger,
      services: reference.content.services.map((s) => s.id),
      afterStep: (step) => void desk.update(step),
    });
    await service.start();
    runtime.bot.useSignals(service);
  });
  after(async () => {
    assert.deepEqual(fake.invalidBodies().map((r) => `${r.method} ${r.path}`), [], 'Discord would have refused these bodies');
    await service.stop();
    await desk.idle();
    await platform.stop();
    await fake.close();
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** `n` different people send the "Signaler un problème" form; each gets its private answer. */
  async function report(n: number, prefix: string): Promise<void> {
    for (let i = 0; i < n; i++) {
      const text = `L'ENT ne marche pas à ${CITIES[i % CITIES.length]} @everyone <@&${fake.world.adminRoleId}> [ENT officiel](https://evil.example) ${prefix}-${i}`;
      const submitted = fake.interact(modalSubmit(fake.world, 'vigie:report-modal', { text }, { user: user(`${prefix}${i}`) }));
      const { callback } = await fake.answer(submitted);
      assert.equal(callback.status, 204, 'the person is answered');
    }
  }
  const step = async () => {
    await timer.advance(MIN);
    await desk.idle();
  };
  const messages = (): StoredMessage[] => fake.channelMessages.inChannel(alertChannel);
  const embedOf = (m: StoredMessage) => (m.body as Body).embeds![0]!;

  test('GIVEN 20 people reporting the ENT in Occitanie THEN one alert message in the Discord alert channel, edited as it grows, texts escaped, nobody pinged; its button opens the pre-filled form for an admin', async () => {
    await report(8, 'a');
    await step();
    assert.equal(messages().length, 1, 'one alert');
    const [message] = messages();
    const first = embedOf(message!);
    assert.match(first.title, /ENT/);
    assert.match(first.description ?? '', /8 personne/);
    assert.match(first.description ?? '', /Non confirmé/);

    await report(12, 'b');
    await step();
    assert.equal(messages().length, 1, 'still one message');
    assert.ok(message!.edits >= 1, 'edited in place');
    const grown = embedOf(message!);
    assert.match(grown.description ?? '', /20 personne/);

    // Every request to the alert channel pinged nobody and its texts have nothing live.
    const requests = fake.requests.filter((r) => r.path.startsWith(`/channels/${alertChannel}/`) && r.method !== 'GET');
    assert.ok(requests.length >= 2);
    for (const r of requests) assert.deepEqual((r.body as Body).allowed_mentions, { parse: [], replied_user: false });
    const samples = (grown.description ?? '').split('\n').filter((l) => l.startsWith('> '));
    assert.ok(samples.length >= 1 && samples.length <= 3, grown.description);
    for (const line of samples) {
      assert.match(line, /ENT ne marche pas/);
      assert.deepEqual(unsafe(inspectMarkdown(line.slice(2))), [], line);
      assert.deepEqual(inspectMarkdown(line.slice(2)).filter((f) => f.kind === 'link'), [], `no link at all: ${line}`);
    }
    assert.deepEqual(unsafe(inspectMarkdown(grown.title)), [], grown.title);

    // The button carries the desk's prefill, and opens the /incident form with it.
    const [openButton] = ((message!.body as Body).components ?? []).flatMap((r) => r.components);
    assert.equal(openButton?.label, 'Ouvrir un incident');
    const prefill = prefillOfButton(openButton!.custom_id, new AlertPrefills()) ?? desk.alerts()[0]!.prefill;
    assert.deepEqual(prefill, desk.alerts()[0]!.prefill);
    assert.equal(prefill.service, 'ent');
    const pressed = fake.interact(button(fake.world, openButton!.custom_id, admin));
    const modal = (await fake.callback(pressed)).body as Body;
    assert.equal(modal.type, 9, 'the incident form');
    const submit = fake.interact(modalSubmit(fake.world, String(modal.data!.custom_id), { titleFr: 'ENT saturé', textFr: 'Connexions difficiles, nous enquêtons.', textEn: '', recovery: '', adviceFr: '' }, admin));
    const { message: preview } = await fake.answer(submit);
    const confirm = ((preview as Body).components ?? []).flatMap((r) => r.components).find((b) => b.custom_id.startsWith('vigie:confirm:'));
    assert.ok(confirm, JSON.stringify(preview).slice(0, 400));
    await fake.answer(fake.interact(button(fake.world, confirm.custom_id, admin)));
    const [incident] = await runtime.bot.openIncidents();
    assert.equal(incident?.service, 'ent');
    assert.deepEqual(incident!.scope.places.map((p) => `${p.kind}:${p.code}`).sort(), [...prefill.places].sort());
    assert.equal(incident!.status, prefill.status);
    assert.equal(incident!.cause, 'unknown');
  });

  test('GIVEN the reports stop THEN, once the signal has calmed, the same message is edited a last time: grey, ended, without the button', async () => {
    const [message] = messages();
    for (let i = 0; i < 50 && ((message!.body as Body).components ?? []).length > 0; i++) await step();
    assert.equal(messages().length, 1, 'still one message');
    assert.deepEqual((message!.body as Body).components, [], 'the button is gone');
    const ended = embedOf(message!);
    assert.equal(ended.color, 0x99aab5);
    assert.match(ended.description ?? '', /Terminé/);
  });
});
