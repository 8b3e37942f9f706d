/**
 * The dispatcher as a child process with the real Slack and Discord transports, for the
 * platform crash test: argv = STORE_PATH SLACK_API_URL DISCORD_API_URL SEED. Prints "ready"
 * when it starts sending and "done <summary>" when the outbox is drained.
 */
import { openStore } from '../../src/store/index.js';
import { loadContent } from '../../src/content/load.js';
import { createTemplates } from '../../src/answer/messages.js';
import { systemClock } from '../../src/clock.js';
import { Dispatcher } from '../../src/delivery/index.js';
import { createSlackTransport } from '../../adapters/slack/index.js';
import { createDiscordTransport } from '../../adapters/discord/index.js';
import { tokenOf } from '../fakes/slack/web-api.js';
import { FAKE_DISCORD_TOKEN } from '../fakes/discord/fake-discord.js';

const [storePath, slackUrl, discordUrl, seed] = process.argv.slice(2);
if (!storePath || !slackUrl || !discordUrl) {
  process.stderr.write('usage: crash-platforms-worker STORE_PATH SLACK_API_URL DISCORD_API_URL [SEED]\n');
  process.exit(2);
}
const store = await openStore(`sqlite://${storePath}`);
const templates = createTemplates(loadContent().messages);
let state = Number(seed ?? 1) >>> 0;
const random = () => {
  state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
  return state / 4294967296;
};
const discord = createDiscordTransport({ token: FAKE_DISCORD_TOKEN, apiUrl: discordUrl, timeoutMs: 200 });
const dispatcher = new Dispatcher({
  store,
  clock: systemClock,
  templates,
  transports: [
    createSlackTransport({ config: { botToken: tokenOf('T0'), apiUrl: slackUrl }, tokenFor: tokenOf, timeoutMs: 200, pacing: {} }),
    discord,
  ],
  random,
  options: { backoff: { baseMs: 10, maxMs: 200 }, maxAttempts: 50 },
});
process.stdout.write('ready\n');
const summary = await dispatcher.drain();
process.stdout.write(`done ${JSON.stringify(summary)}\n`);
discord.destroy();
await store.close();
