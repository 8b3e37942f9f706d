/**
 * Crowd-signal alerts in Slack, end to end (#15 item 6): people report through the real
 * bolt adapter on the fake Slack, the signals service steps on the rig's clock, the alert
 * desk posts through the Slack AlertSink into the alert channel: one message per alert,
 * edited as it grows and when it ends; a probe of a local HTTP server that starts failing
 * opens an alert that recovery ends; sample texts never reach the channel live; the button
 * opens the admin form pre-filled for admins, and is refused to others.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHmac } from 'node:crypto';
import { parseSlackConfig } from '../../../adapters/slack/index.js';
import { silentLogger } from '../../../src/base/logger.js';
import { AlertDesk } from '../../../src/signals/alerts.js';
import type { AlertSink } from '../../../src/signals/alert-types.js';
import { Prober } from '../../../src/signals/probes.js';
import { createAlertStore } from '../../../src/store/alerts.js';
import { openStore } from '../../../src/store/index.js';
import { SECRETS } from '../../fakes/slack/harness.js';
import { buttonClick } from '../../fakes/slack/payloads.js';
import { sharedTemplates } from '../../helpers/templates.js';
import { HandTimer } from '../../signals/helpers.js';
import { ALL_INJECTIONS, assertInert } from './inert.js';
import { ADMIN, CHANNEL, MIN, MORNING, people, say, setup, textOf, type Setup } from './alerts-rig.js';

describe('Slack alerts: configuration', () => {
  test('GIVEN VIGIE_SLACK_ALERT_CHANNEL THEN the platform has an AlertSink; a channel name instead of an id is refused, naming the variable; none THEN no alerts', async () => {
    const env = { SLACK_BOT_TOKEN: SECRETS.bot, SLACK_APP_TOKEN: SECRETS.app };
    assert.equal(parseSlackConfig(env)!.alertChannel, undefined);
    assert.throws(() => parseSlackConfig({ ...env, VIGIE_SLACK_ALERT_CHANNEL: '#alertes' }), /VIGIE_SLACK_ALERT_CHANNEL/);
    const { createSlackPlatform } = await import('../../../adapters/slack/index.js');
    const deps = { logger: silentLogger, templates: sharedTemplates() };
    assert.equal(createSlackPlatform({ config: parseSlackConfig(env)!, ...deps }).alerts, undefined);
    assert.equal(createSlackPlatform({ config: parseSlackConfig({ ...env, VIGIE_SLACK_ALERT_CHANNEL: 'C0ALERTS' })!, ...deps }).alerts?.platform, 'slack');
  });
});

describe('Slack alerts: people reporting', () => {
  let s: Setup;
  before(async () => {
    s = await setup();
  });
  after(async () => {
    await s.close();
  });

  test('GIVEN 20 people reporting the ENT in Montpellier THEN exactly one alert message in the alert channel; more people and one person writing 50 times THEN the same message is edited, that person counted once', async () => {
    await people(s.rig, 'UP', 0, 20);
    const stored = await s.rig.runtime.store.db.kysely.selectFrom('reports').select('reporter').execute();
    assert.equal(new Set(stored.map((r) => r.reporter)).size, 20, 'each message was read as a report');
    s.rig.clock.advance(MIN);
    await s.step();
    assert.equal(s.messages().length, 1);
    const first = s.messages()[0]!;
    assert.equal(first.metadata?.event_type, 'vigie_alert');
    assert.match(textOf(first), /Signalements en hausse|Forte hausse des signalements/);
    assert.match(textOf(first), /20 personne\(s\) en 30 min, 20 en tout/);
    assert.match(textOf(first), /Premiers signalements : 8 h\b/);
    assert.match(textOf(first), /\(ENT\) à Montpellier : 20 personne/);
    assert.match(textOf(first), /Non confirmé/);
    assert.match(textOf(first), /Ouvrir un incident/);

    // Five more people, and one person writing 50 times.
    await people(s.rig, 'UP', 20, 25);
    for (let i = 0; i < 50; i++) await say(s.rig, 'UFLOOD', `L'ENT ne marche toujours pas à Montpellier (${i})`);
    s.rig.clock.advance(MIN);
    await s.step();
    assert.equal(s.messages().length, 1, 'still one message');
    const grown = s.messages()[0]!;
    assert.ok(grown.edits >= 1);
    assert.match(textOf(grown), /26 personne\(s\) en 30 min, 26 en tout/, textOf(grown));
    // Nothing changed: no edit.
    const edits = grown.edits;
    s.rig.clock.advance(MIN);
    await s.step();
    assert.equal(s.messages()[0]!.edits, edits);
    assert.equal(s.rig.api.callsTo('chat.postMessage').filter((c) => c.args.channel === CHANNEL).length, 1);
  });

  test('GIVEN the desk lost its record of the post (a crash right after it) THEN a new desk finds the message by its metadata and edits it', async () => {
    const empty = await openStore('memory://');
    const lost = new AlertDesk({ sinks: [s.sink], store: createAlertStore(empty.db, silentLogger), templates: s.rig.runtime.bot.templates, clock: s.rig.clock });
    await lost.update(s.signals.lastStep()!);
    await lost.idle();
    await empty.close();
    assert.equal(s.messages().length, 1);
    assert.equal(s.rig.api.callsTo('chat.postMessage').filter((c) => c.args.channel === CHANNEL).length, 1);
  });

  test('GIVEN the signal calms down THEN the message is edited a last time: ended, no button', async () => {
    s.rig.clock.advance(45 * MIN);
    await s.step();
    const last = s.messages()[0]!;
    assert.equal(s.messages().length, 1);
    assert.match(textOf(last), /Terminé à \d+ h \d+/);
    assert.doesNotMatch(textOf(last), /vigie_alert_open/);
  });
});

describe('Slack alerts: what people wrote never reaches the channel live', () => {
  let s: Setup;
  before(async () => {
    s = await setup();
  });
  after(async () => {
    await s.close();
  });

  test('GIVEN reports holding pings, links and markup THEN the alert shows them escaped and inert', async () => {
    const key = (u: string) => createHmac('sha256', 'k').update(u).digest('hex');
    const texts = [`${ALL_INJECTIONS}\nENT HS`, '<!channel> <@U123> @everyone @here ENT mort https://evil.example/login', '*gras* _it_ ~barré~ `code` > cite www.evil.example'];
    for (let i = 0; i < 12; i++) {
      await s.rig.runtime.store.reports.addUnlessLimited(
        { at: new Date(MORNING.getTime() + i * 1_000), service: 'ent', place: { kind: 'departement', code: '34' }, level: null, platform: 'slack', reporter: key(`p${i}`), text: texts[i % texts.length]! },
        100,
        MORNING,
      );
    }
    s.rig.clock.advance(MIN);
    await s.step();
    assert.equal(s.messages().length, 1);
    const m = s.messages()[0]!;
    const payload = { text: m.text, blocks: m.blocks };
    assertInert(payload, [], 'alert');
    const all = JSON.stringify(payload);
    assert.match(all, /evil/, 'the words are shown');
    assert.doesNotMatch(all, /https:\/\/evil|www\.evil|evil\.example/, 'no live link');
    // The call Slack got asked for no link names nor unfurls.
    const call = s.rig.api.callsTo('chat.postMessage').find((c) => c.args.channel === CHANNEL)!;
    assert.ok(call.args.link_names === false || call.args.link_names === 'false');
    assert.ok(call.args.unfurl_links === false || call.args.unfurl_links === 'false');
  });
});

describe('Slack alerts: the "Ouvrir un incident" button', () => {
  let s: Setup;
  before(async () => {
    s = await setup();
    await people(s.rig, 'UB', 0, 20);
    s.rig.clock.advance(MIN);
    await s.step();
  });
  after(async () => {
    await s.close();
  });

  const button = () => {
    const blocks = s.messages()[0]!.blocks as { type: string; elements?: { action_id?: string; value?: string }[] }[];
    return blocks.flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : [])).find((e) => e.action_id === 'vigie_alert_open')!;
  };

  test('GIVEN an admin WHEN they press it THEN the admin form opens with service, places, status and cause pre-filled', async () => {
    const after = s.rig.api.calls.length;
    await s.rig.deliver('interactive', buttonClick({ actionId: 'vigie_alert_open', value: button().value!, user: ADMIN, responseUrl: s.rig.sink.url(), channel: CHANNEL, ephemeral: false }));
    const opened = await s.rig.api.waitFor('views.open', () => true, after);
    const view = opened.args.view as { callback_id: string; blocks: { block_id: string; element: { initial_option?: { value: string }; initial_value?: string } }[] };
    assert.equal(view.callback_id, 'vigie_admin_form');
    const field = (id: string) => view.blocks.find((b) => b.block_id === id)?.element;
    assert.equal(field('action')?.initial_option?.value, 'open');
    assert.equal(field('service')?.initial_option?.value, 'ent');
    assert.match(field('places')?.initial_value ?? '', /^(commune:34172|departement:34)$/);
    assert.match(field('status')?.initial_option?.value ?? '', /^(degraded_performance|partial_outage)$/);
    assert.equal(field('cause')?.initial_option?.value, 'unknown');
  });

  test('GIVEN a parent WHEN they press it THEN no form, the usual refusal, and the attempt is audited', async () => {
    const after = s.rig.api.calls.length;
    await s.rig.deliver('interactive', buttonClick({ actionId: 'vigie_alert_open', value: button().value!, user: 'UPARENT', responseUrl: s.rig.sink.url(), channel: CHANNEL, ephemeral: false }));
    const refused = await s.rig.api.waitFor('chat.postEphemeral', (c) => c.args.user === 'UPARENT', after);
    assert.equal(refused.args.channel, CHANNEL);
    assert.equal(s.rig.api.calls.slice(after).filter((c) => c.method === 'views.open').length, 0);
    const audit = await s.rig.runtime.store.audit.list({ limit: 10 });
    assert.ok(audit.some((e) => e.outcome === 'refused'), JSON.stringify(audit));
  });
});

describe('Slack alerts: a probe of a local server', () => {
  let server: Server;
  let failing = false;
  let s: Setup;
  let timer: HandTimer;
  let prober: Prober;
  before(async () => {
    server = createServer((_req, res) => {
      res.writeHead(failing ? 503 : 200).end(failing ? 'Service Unavailable' : 'ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    s = await setup({
      prober: (rig) => {
        timer = new HandTimer(rig.clock);
        prober = new Prober({
          probes: [{ id: 'ent-occitanie', service: 'ent', url, expectedStatus: 200, timeoutMs: 2_000, slowMs: 1_500, intervalMs: MIN, places: [{ kind: 'region', code: '76' }] }],
          clock: rig.clock,
          timer,
          monotonic: () => 0,
          onChange: () => void s.desk.probeChanged(),
        });
        return prober;
      },
    });
  });
  after(async () => {
    await s.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('GIVEN the server starts failing THEN the probe goes down and one alert is posted; it recovers THEN the alert is edited as ended', async () => {
    // The check in flight (a real request to the local server) is over once the prober sleeps again.
    const checked = async () => {
      while (timer.waiting === 0) await new Promise((resolve) => setTimeout(resolve, 2));
      await s.desk.idle();
    };
    prober.start();
    await checked();
    const minute = async () => {
      await timer.advance(MIN);
      await checked();
    };
    for (let i = 0; i < 3; i++) await minute();
    assert.equal(prober.readings()[0]!.state, 'up');
    assert.equal(s.messages().length, 0);
    failing = true;
    for (let i = 0; i < 3; i++) await minute();
    assert.equal(prober.readings()[0]!.state, 'down');
    assert.equal(s.messages().length, 1);
    assert.match(textOf(s.messages()[0]!), /Vérification automatique en échec : [^"]*ENT/);
    assert.match(textOf(s.messages()[0]!), /ne répond plus depuis/);
    failing = false;
    for (let i = 0; i < 2; i++) await minute();
    assert.equal(prober.readings()[0]!.state, 'up');
    assert.equal(s.messages().length, 1);
    const ended = s.messages()[0]!;
    assert.match(textOf(ended), /répond à nouveau depuis/);
    assert.match(textOf(ended), /Terminé à/);
    assert.doesNotMatch(textOf(ended), /vigie_alert_open/);
  });
});
