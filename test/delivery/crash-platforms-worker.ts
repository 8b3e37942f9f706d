/**
 * The dispatcher as a child process with the real Slack and Discord transports, for the
 * platform crash test: argv = STORE_PATH SLACK_API_URL DISCORD_API_URL [SEED].
 */
import { createSlackTransport } from '../../adapters/slack/index.js';
import { createDiscordTransport } from '../../adapters/discord/index.js';
import { tokenOf } from '../fakes/slack/web-api.js';
import { FAKE_DISCORD_TOKEN } from '../fakes/discord/fake-discord.js';
import { drainAsWorker, workerTemplates } from './crash-harness.js';

const [storePath, slackUrl, discordUrl, seed] = process.argv.slice(2);
if (!storePath || !slackUrl || !discordUrl) {
  process.stderr.write('usage: crash-platforms-worker STORE_PATH SLACK_API_URL DISCORD_API_URL [SEED]\n');
  process.exit(2);
}
const discord = createDiscordTransport({ templates: workerTemplates(), token: FAKE_DISCORD_TOKEN, apiUrl: discordUrl, timeoutMs: 200 });
await drainAsWorker(storePath, Number(seed ?? 1), [
  createSlackTransport({ templates: workerTemplates(), config: { botToken: tokenOf('T0'), apiUrl: slackUrl }, tokenFor: tokenOf, timeoutMs: 200, pacing: {} }),
  discord,
]);
discord.destroy();
