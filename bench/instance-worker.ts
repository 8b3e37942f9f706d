/**
 * One instance for `npm run bench:instances`: the dispatcher of `npm start` (real Slack and
 * Discord transports, paced like bench:fanout against the fakes' limits, limits shared with
 * the other instances through the database, change notifications) without the chat adapters.
 * argv: STORE_URL SLACK_API_URL DISCORD_API_URL SLACK_SCALE [MARGIN_FACTOR MARGIN_RESERVE]. Prints "ready"; stops on SIGTERM.
 */
import { systemClock } from '../src/base/clock.js';
import { openStore } from '../src/store/index.js';
import { loadContent } from '../src/content/load.js';
import { createTemplates } from '../src/content/templates.js';
import { Dispatcher } from '../src/delivery/index.js';
import { discordPlan, slackPlan } from '../src/delivery/paced.js';
import { shareInstances } from '../src/instances.js';
import { silentLogger } from '../src/base/logger.js';
import { createSlackTransport } from '../adapters/slack/index.js';
import { createDiscordTransport } from '../adapters/discord/index.js';
import { tokenOf } from '../test/fakes/slack/web-api.js';
import { slackLimits } from '../test/fakes/slack/limits.js';
import { FAKE_DISCORD_TOKEN } from '../test/fakes/discord/fake-discord.js';
import { withMargin } from '../test/fakes/generic/buckets.js';

const [storeUrl, slackUrl, discordUrl, scaleText, factorText, reserveText] = process.argv.slice(2);
if (!storeUrl || !slackUrl || !discordUrl) {
  process.stderr.write('usage: instance-worker STORE_URL SLACK_API_URL DISCORD_API_URL [SLACK_SCALE [MARGIN_FACTOR MARGIN_RESERVE]]\n');
  process.exit(2);
}
// Gone with the bench: an instance outliving it would keep delivering into nothing.
const parent = process.ppid;
setInterval(() => process.ppid !== parent && process.kill(process.pid, 'SIGKILL'), 500).unref();

const limits = slackLimits(Number(scaleText ?? 1));
// Just under the fakes' limits (bench/instances.ts MARGIN: one token of each burst kept,
// against a first request slower than the later ones).
const factor = Number(factorText ?? 1);
const reserve = Number(reserveText ?? 1);
const post = withMargin(limits.post, factor, reserve);
const tier3 = { capacity: Math.max(1, limits.tier3.capacity - reserve), perSecond: limits.tier3.perSecond * factor };
const store = await openStore(storeUrl, { clock: systemClock });
const templates = createTemplates(loadContent().messages);
const slack = createSlackTransport({
  templates,
  config: { botToken: tokenOf('T0'), apiUrl: slackUrl },
  tokenFor: tokenOf,
  timeoutMs: 2_000,
  pacing: { ...(post.perChannel ? { perChannel: post.perChannel } : {}), ...(post.perWorkspace ? { perWorkspace: post.perWorkspace } : {}), tier3 },
});
const discord = createDiscordTransport({ templates, token: FAKE_DISCORD_TOKEN, apiUrl: discordUrl, timeoutMs: 2_000, globalRequestsPerSecond: 49 });
const shared = shareInstances(store, [slack, discord], {
  logger: silentLogger,
  plans: {
    slack: slackPlan({ ...(post.perChannel ? { perChannel: post.perChannel } : {}), ...(post.perWorkspace ? { perWorkspace: post.perWorkspace } : {}), tier3 }),
    discord: discordPlan('bench'),
  },
});
const dispatcher = new Dispatcher({ store, clock: systemClock, templates, transports: shared.transports, changesHeard: () => shared.heard() });
shared.listen({ outbox: () => dispatcher.kick(), incidents: () => undefined });
dispatcher.start();
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  void (async () => {
    await dispatcher.stop();
    await shared.close();
    discord.destroy();
    await store.close();
    process.exit(0);
  })();
});
