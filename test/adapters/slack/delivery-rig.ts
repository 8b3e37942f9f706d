/**
 * A Slack delivery rig in virtual time: the fake Web API at Slack's documented limits on the
 * bot's clock, the real Slack transport with its default pacing on the same clock and
 * VirtualTimer, and a dispatcher whose logs are kept. Shared by the fault-injection tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createSlackTransport, type SlackTransport, type SlackTransportOptions } from '../../../adapters/slack/index.js';
import { Dispatcher, type Delivery, type DispatcherOptions } from '../../../src/delivery/index.js';
import { createLogger, type Bot } from '../../../src/index.js';
import type { FixedClock } from '../../../src/base/clock.js';
import { seededRandom } from '../../../src/base/prng.js';
import { startFakeSlack, tokenOf, type FakeSlackApi, type StartFakeSlackOptions } from '../../fakes/slack/web-api.js';
import { settledTimer, watchedStore, type VirtualTimer } from '../../helpers/virtual-time.js';
import { sharedTemplates } from '../../helpers/templates.js';
import { withStoreBot } from '../../helpers/bot.js';
import { admin, publisherOf, subscribeChannels } from '../../delivery/helpers.js';

/** An opening notice to Haute-Garonne's ENT channels. */
export const open = { services: ['ent'], places: 'Haute-Garonne', status: 'major_outage', text: { fr: "L'ENT est inaccessible.", en: 'The ENT is down.' }, incident: { action: 'open' } };
/** 429s a transport pacing itself should cause at most (network jitter in one busy process). */
export const FEW_429 = 3;

/**
 * The test of one notice to `channels` channels of one workspace at Slack's documented limits
 * (150 in the quick suite, delivery-faults.test.ts; 500 in the slow one, delivery-scale.test.ts).
 */
export function atDocumentedLimits(channels: number): void {
  test(`GIVEN one notice to ${channels} channels of one workspace at the documented limits THEN ${channels}/${channels} are delivered exactly once, none failed, without a storm of 429s`, () =>
    withStoreBot(async (bot, _clock, runtime) => {
      await subscribeChannels(runtime.store, channels, { workspace: 'T1' });
      const rig = await slackRig(bot);
      try {
        const published = await publisherOf(bot).publish(open, admin, 'fr');
        assert.ok(published.ok);
        assert.deepEqual(await rig.dispatcher.drain(), { delivered: channels, failed: 0 });
        assert.deepEqual(await notExactlyOnce(bot, rig.api, published.notice.id), []);
        assert.ok(rig.api.stats.rateLimited <= FEW_429, `429s from Slack's limits: ${rig.api.stats.rateLimited}`);
      } finally {
        await rig.api.close();
      }
    }));
}

/** The running rig. */
export interface SlackRig {
  api: FakeSlackApi;
  transport: SlackTransport;
  dispatcher: Dispatcher;
  timer: VirtualTimer;
  logs: string[];
  /** Another dispatcher on the same store, transport and timer (a restart). */
  newDispatcher(): Dispatcher;
}

/** Starts the fake (documented limits unless told otherwise) and a dispatcher over the real transport. */
export async function slackRig(
  bot: Bot,
  fake: Omit<StartFakeSlackOptions, 'now'> = { workspaces: ['T1'] },
  options: { transport?: Partial<SlackTransportOptions>; dispatcher?: Partial<DispatcherOptions> } = {},
): Promise<SlackRig> {
  const clock = bot.clock as FixedClock;
  // Time jumps once the dispatcher's store calls and the HTTP requests to the fake are done.
  const timer = settledTimer(clock);
  const store = watchedStore(bot.store, timer);
  const api = await startFakeSlack({ hangMs: 2_500, ...fake, now: () => clock.now().getTime() });
  const transport = createSlackTransport({ templates: sharedTemplates(), config: { botToken: 'xoxb-unused', apiUrl: api.url }, tokenFor: tokenOf, timeoutMs: 2_000, clock, timer, ...options.transport });
  const logs: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ level: 'info', stream, clock: () => clock.now() });
  const newDispatcher = () =>
    new Dispatcher({ store, clock, timer, templates: bot.templates, transports: [transport], random: seededRandom(7), logger, options: options.dispatcher ?? {} });
  return { api, transport, dispatcher: newDispatcher(), timer, logs, newDispatcher };
}

/** How many messages on the fake carry each delivery's id, for deliveries of `noticeId`. */
export async function copiesByDelivery(bot: Bot, api: FakeSlackApi, noticeId: string): Promise<Map<Delivery, number>> {
  const byDelivery = api.conversations.byDelivery();
  const out = new Map<Delivery, number>();
  for (const d of await bot.store.outbox.listDeliveries(noticeId)) out.set(d, byDelivery.get(d.id)?.length ?? 0);
  return out;
}

/** Channels of `noticeId` that got anything but exactly one message ("T1/C3×2"), for assertions. */
export async function notExactlyOnce(bot: Bot, api: FakeSlackApi, noticeId: string): Promise<string[]> {
  const out: string[] = [];
  for (const [d, n] of await copiesByDelivery(bot, api, noticeId)) if (n !== 1) out.push(`${d.workspace}/${d.channel}×${n}`);
  return out;
}

/** Waits (real time, polling) until `check` holds; throws after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, ms = 120_000): Promise<void> {
  const end = performance.now() + ms;
  while (!(await check())) {
    if (performance.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
