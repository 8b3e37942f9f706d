/**
 * One side of `bench/adapters-discord.ts`, in its own process: a bot connected to its own fake
 * Discord (REST + gateway on 127.0.0.1), answering bursts of /statut sent by the parent over
 * IPC. Each burst's rate and CPU are measured here, so they count this process only (the bot
 * and its fake), never the other bot's work or garbage.
 *
 * - `bare`: a discord.js Client (the same version) answering every /statut with a trivial
 *   `interaction.reply({ content })`, run by plain `node`;
 * - `vigie`: createDiscordAdapter on a `memory://` store, replaying the 2020-03-17 crisis at
 *   10:00, answering real questions with its embeds and buttons, run with the Node flags of
 *   `npm start` (the parent passes them).
 *
 * Messages: parent → `{ burst: string[] }` | `{ stop: true }`; child → `{ ready: true }` |
 * `{ result: Burst }` | `{ error: string }`.
 */
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { createRuntime, FixedClock, loadReferenceData } from '../src/index.js';
import { createDiscordAdapter } from '../adapters/discord/index.js';
import { FakeDiscord, FAKE_DISCORD_TOKEN, type RecordedRequest } from '../test/fakes/discord/fake-discord.js';
import { command } from '../test/fakes/discord/payloads.js';

/** What one timed burst gave. */
export interface Burst {
  rate: number;
  /** Process CPU (bot and fake) per answer, ms. */
  cpuMs: number;
  direct: number;
  deferred: number;
}

/** 17 March 2020, 10:00 in Paris: the replayed crisis morning. */
const CRISIS_MORNING = new Date('2020-03-17T09:00:00.000Z');

/** Resolves when the fake has received `count` answers: direct replies or edits after a deferral. */
function answersReceived(fake: FakeDiscord, count: number): { done: Promise<void>; direct: () => number; deferred: () => number } {
  let direct = 0;
  let deferred = 0;
  let resolve: () => void = () => undefined;
  const done = new Promise<void>((r) => (resolve = r));
  fake.on('request', (r: RecordedRequest) => {
    const type = (r.body as { type?: number } | null)?.type;
    if (r.method === 'POST' && r.path.endsWith('/callback') && type === 4) direct++;
    else if (r.method === 'PATCH' && r.path.endsWith('/messages/@original')) deferred++;
    else return;
    if (direct + deferred === count) resolve();
  });
  return { done, direct: () => direct, deferred: () => deferred };
}

/** Dispatches the questions at once to the bot and times the answers. */
async function burst(fake: FakeDiscord, questions: readonly string[]): Promise<Burst> {
  const payloads = questions.map((question) => command(fake.world, 'status', { question: question.slice(0, 500) }));
  const answers = answersReceived(fake, payloads.length);
  const cpu0 = process.cpuUsage();
  const started = performance.now();
  for (const p of payloads) fake.interact(p);
  await answers.done;
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  fake.removeAllListeners('request');
  // The fake records every request for tests; a bench keeps none of them.
  fake.requests.length = 0;
  return { rate: payloads.length / seconds, cpuMs: (cpu.user + cpu.system) / 1000 / payloads.length, direct: answers.direct(), deferred: answers.deferred() };
}

async function startBare(fake: FakeDiscord): Promise<() => Promise<void>> {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
  client.on(Events.InteractionCreate, (interaction) => {
    if (interaction.isChatInputCommand()) void interaction.reply({ content: 'Aucun incident connu.' }).catch(() => undefined);
  });
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  await client.login(FAKE_DISCORD_TOKEN);
  await ready;
  return async () => {
    await client.destroy();
  };
}

async function startVigie(fake: FakeDiscord): Promise<() => Promise<void>> {
  const runtime = await createRuntime({ storeUrl: 'memory://', clock: new FixedClock(CRISIS_MORNING), reference: loadReferenceData(), scenario: '2020-03-17' });
  const adapter = createDiscordAdapter({
    config: { token: FAKE_DISCORD_TOKEN, applicationId: fake.world.appId, apiUrl: fake.apiUrl, mentions: false, adminRoles: [], adminUsers: [] },
  });
  await adapter.start(runtime.bot);
  return async () => {
    await adapter.stop();
    await runtime.close();
  };
}

const side = process.argv[2];
if (side !== 'bare' && side !== 'vigie') throw new Error(`usage: adapters-discord-bot.ts bare|vigie (got ${String(side)})`);
if (!process.send) throw new Error('adapters-discord-bot.ts runs as a child of bench/adapters-discord.ts (IPC)');
const send = (message: unknown) => process.send!(message);
const fake = await FakeDiscord.start({ validateBodies: false });
const stop = side === 'bare' ? await startBare(fake) : await startVigie(fake);
process.on('message', (message: { burst?: string[]; stop?: boolean }) => {
  if (message.stop) {
    void stop()
      .then(() => fake.close())
      .finally(() => process.exit(0));
    return;
  }
  if (message.burst) burst(fake, message.burst).then((result) => send({ result }), (error: unknown) => send({ error: String(error) }));
});
send({ ready: true });
