/**
 * The Slack alert tests' rig: the real bolt adapter on the fake Slack, the signals service on
 * the rig's clock, and the alert desk posting through the Slack AlertSink into the alert
 * channel; people who report through direct messages.
 */
import assert from 'node:assert/strict';
import { createSlackAlertSink, parseSlackConfig } from '../../../adapters/slack/index.js';
import { silentLogger } from '../../../src/base/logger.js';
import { loadSignalsConfig } from '../../../src/content/signals-schema.js';
import { AlertDesk } from '../../../src/signals/alerts.js';
import { createPlacePhrases } from '../../../src/answer/place-phrases.js';
import type { AlertSink } from '../../../src/signals/alert-types.js';
import type { Prober } from '../../../src/signals/probes.js';
import { SignalsService } from '../../../src/signals/service.js';
import { createAlertStore } from '../../../src/store/alerts.js';
import { startRig, SECRETS, type Rig } from '../../fakes/slack/harness.js';
import { directMessage } from '../../fakes/slack/payloads.js';
import type { SlackFakeMessage } from '../../fakes/slack/conversations.js';
import { sharedReference } from '../../helpers/reference.js';

export const reference = sharedReference();
export const CHANNEL = 'CALERTS';
export const ADMIN = 'UADMIN';
/** A Tuesday, 08:00 in Paris. */
export const MORNING = new Date('2026-12-01T07:00:00Z');
export const MIN = 60_000;

export interface Setup {
  rig: Rig;
  sink: AlertSink;
  desk: AlertDesk;
  signals: SignalsService;
  /** One minute of the service's loop: pulls, steps, and the desk brings the channel up to date. */
  step(): Promise<void>;
  messages(): SlackFakeMessage[];
  close(): Promise<void>;
}

export async function setup(options: { prober?: (rig: Rig) => Prober; at?: Date; hangMs?: number; timeoutMs?: number } = {}): Promise<Setup> {
  const rig = await startRig({ mode: 'in-process', reference, admins: [ADMIN], at: options.at ?? MORNING, locales: { [ADMIN]: 'fr-FR', UPARENT: 'fr-FR' }, ...(options.hangMs ? { api: { hangMs: options.hangMs, faults: { rate: 0, seed: 2 } } } : {}) });
  const config = parseSlackConfig({ SLACK_BOT_TOKEN: SECRETS.bot, SLACK_APP_TOKEN: SECRETS.app, SLACK_API_URL: rig.api.url, VIGIE_SLACK_ALERT_CHANNEL: CHANNEL })!;
  assert.equal(config.alertChannel, CHANNEL);
  const sink = createSlackAlertSink({ config, channel: config.alertChannel!, templates: rig.runtime.bot.templates, ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}) });
  const prober = options.prober?.(rig) ?? null;
  const store = createAlertStore(rig.runtime.store.db, silentLogger);
  const places = createPlacePhrases(rig.runtime.bot.templates, reference.gazetteer);
  const names = new Map(reference.content.services.map((s) => [s.id, s.name]));
  const desk = new AlertDesk({
    sinks: [sink],
    store,
    samples: store,
    templates: rig.runtime.bot.templates,
    clock: rig.clock,
    serviceName: (id, lang) => names.get(id)?.[lang] ?? id,
    placePhrase: (lang, place) => places.phrase(lang, place),
    prober,
  });
  const signals = new SignalsService({
    places: reference.gazetteer,
    config: loadSignalsConfig(reference.content.dir),
    source: rig.runtime.store.reports,
    clock: rig.clock,
    services: reference.content.services.map((s) => s.id),
    prober,
    afterStep: (s) => void desk.update(s),
  });
  await signals.warmUp();
  await desk.idle();
  return {
    rig,
    sink,
    desk,
    signals,
    async step() {
      await signals.tick();
      await desk.idle();
    },
    messages: () => rig.api.conversations.channel('T0SCHOOL', CHANNEL),
    async close() {
      await prober?.stop();
      await desk.idle();
      await rig.close();
    },
  };
}

/** A person writes to the bot in a DM; resolves once the bot answered. */
export async function say(rig: Rig, user: string, text: string): Promise<void> {
  const after = rig.api.calls.length;
  await rig.deliver('event', directMessage({ text, user, channel: `D${user}` }));
  await rig.api.waitFor('chat.postMessage', (c) => c.args.channel === `D${user}`, after);
}

/** People `from` to `to` - 1 (ids PREFIX000…) each report the ENT in Montpellier, once. */
export async function people(rig: Rig, prefix: string, from: number, to: number): Promise<void> {
  for (let i = from; i < to; i++) await say(rig, `${prefix}${String(i).padStart(3, '0')}`, "L'ENT ne marche pas à Montpellier");
}

export const textOf = (m: SlackFakeMessage) => JSON.stringify(m.blocks);
