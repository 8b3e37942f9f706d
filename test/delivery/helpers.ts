/** Shared by the delivery tests: subscribed channels, a publisher, the fake platform and a dispatcher. */
import type { Actor, Bot } from '../../src/index.js';
import type { Store, Subscription } from '../../src/store/index.js';
import { Dispatcher, type DispatcherOptions } from '../../src/delivery/index.js';
import { GenericFakePlatform, type FakeOptions } from '../fakes/generic/server.js';
import { GenericTransport } from '../fakes/generic/transport.js';
import { seededRandom } from '../fakes/generic/prng.js';

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

/** A started fake and a transport to it (short timeouts so hung requests cost little). */
export async function startFake(options: FakeOptions = {}, platform: 'slack' | 'discord' = 'slack'): Promise<{ fake: GenericFakePlatform; transport: GenericTransport }> {
  const fake = new GenericFakePlatform({ hangMs: 400, ...options });
  const baseUrl = await fake.start();
  return { fake, transport: new GenericTransport({ platform, baseUrl, timeoutMs: 150 }) };
}

/** A dispatcher with fast, seeded backoff. */
export function dispatcherOf(bot: Bot, transport: GenericTransport, options: Partial<DispatcherOptions> = {}): Dispatcher {
  return new Dispatcher({
    store: bot.store,
    clock: bot.clock,
    templates: bot.templates,
    transports: [transport],
    random: seededRandom(7),
    options: { backoff: { baseMs: 10, maxMs: 200 }, maxAttempts: 12, ...options },
  });
}
