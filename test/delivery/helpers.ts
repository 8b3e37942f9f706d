/** Shared by the delivery tests: subscribed channels, a publisher, the fake platform and a dispatcher. */
import type { Actor, Bot } from '../../src/index.js';
import type { Store, Subscription } from '../../src/store/index.js';
import { Dispatcher, type DeliveryTransport, type DispatcherOptions } from '../../src/delivery/index.js';
import type { FixedClock } from '../../src/base/clock.js';
import type { Timer } from '../../src/base/timer.js';
import { settledTimer, VirtualTimer, watchedStore } from '../helpers/virtual-time.js';
import { GenericFakePlatform, type FakeOptions } from '../fakes/generic/server.js';
import { GenericTransport } from '../fakes/generic/transport.js';
import { seededRandom } from '../../src/base/prng.js';

/** The admin publishing in tests. */
export const admin: Actor = { platform: 'cli', user: 'admin', name: 'Rectorat de Toulouse' };

/** Subscribes `count` channels ("C1"...) of a workspace to a service and place. */
export async function subscribeChannels(
  store: Store,
  count: number,
  follow: { platform?: Subscription['platform']; workspace?: string; service?: string; place?: Subscription['place']; prefix?: string } = {},
): Promise<Subscription[]> {
  const out: Subscription[] = [];
  for (let i = 1; i <= count; i++) {
    const { subscription } = await store.subscriptions.add({
      platform: follow.platform ?? 'slack',
      workspace: follow.workspace ?? 'T1',
      channel: `${follow.prefix ?? 'C'}${i}`,
      service: follow.service ?? 'ent',
      place: follow.place ?? { kind: 'region', code: '76', name: 'Occitanie' },
      createdBy: 'test',
    });
    out.push(subscription);
  }
  return out;
}

/** The bot's own notice publishing, as the adapters and the CLI use it. */
export function publisherOf(bot: Bot) {
  return {
    preview: (input: unknown, actor: Actor, lang: 'fr' | 'en') => bot.previewNotice(input, actor, lang),
    publish: (input: unknown, actor: Actor, lang: 'fr' | 'en') => bot.publishNotice(input, actor, lang),
  };
}

/**
 * A started fake and a transport to it; with `timer` (the dispatcher's VirtualTimer), a
 * request the fake holds times out in virtual time (counted from when the fake held it)
 * instead of real seconds. Without, the real timeout is generous for a fake in the same
 * process: under load, a request the client gave up on must not reach the fake after the
 * dispatcher (in virtual time) already looked for it — a real platform is given real seconds.
 */
export async function startFake(options: FakeOptions = {}, platform: 'slack' | 'discord' = 'slack', timer?: Timer): Promise<{ fake: GenericFakePlatform; transport: GenericTransport }> {
  const fake = new GenericFakePlatform({ hangMs: 2_500, ...options });
  const baseUrl = await fake.start();
  const virtual = timer ? { virtual: { timer, held: (id: string, signal: AbortSignal) => fake.held(id, signal) } } : {};
  // What the fake holds times out in virtual time: the timer need not wait for it.
  if (timer instanceof VirtualTimer) timer.inFlight?.exempt((id) => fake.isHeld(id));
  return { fake, transport: new GenericTransport({ platform, baseUrl, timeoutMs: 2_000, ...virtual }) };
}

/**
 * A dispatcher on the bot's fixed clock, in virtual time (backoffs and Retry-Afters move the
 * clock instead of waiting; by default as soon as its store calls and HTTP requests are
 * done), with seeded jitter.
 */
export function dispatcherOf(bot: Bot, transport: DeliveryTransport | DeliveryTransport[], options: Partial<DispatcherOptions> = {}, timer: Timer = settledTimer(bot.clock as FixedClock)): Dispatcher {
  return new Dispatcher({
    store: watchedStore(bot.store, timer),
    clock: bot.clock,
    timer,
    templates: bot.templates,
    transports: Array.isArray(transport) ? transport : [transport],
    random: seededRandom(7),
    // One process in these tests: publications kick it, so the poll only bounds idle waits.
    options: { pollMs: 60_000, ...options },
  });
}
