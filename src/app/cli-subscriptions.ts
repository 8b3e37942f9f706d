/**
 * `vigie subscriptions add|list|remove`: an admin subscribes any Slack or Discord channel
 * from wherever they are (src/subscriptions/channel-admin.ts does the checks and the audit).
 * Messages are French then English. Exit codes: 0 done, 1 refused (bad values, nothing
 * matched), 2 bad usage.
 */
import { parseArgs } from 'node:util';
import { isUsageError, usageComplaint, UsageError } from './cli-usage.js';
import { cliUser } from './cli-notice.js';
import { clockFromEnv, parseEnv } from '../config/env.js';
import { createLogger, secretsFrom } from '../base/logger.js';
import { loadReferenceData, placeLocator } from '../runtime.js';
import { openStore, type Store, type Subscription } from '../store/index.js';
import {
  addChannelSubscription,
  listChannelSubscriptions,
  removeChannelSubscriptions,
  type ChannelAdminDeps,
  type Problem,
} from '../subscriptions/channel-admin.js';
import { createUnderstander } from '../understand/index.js';
import { CHANNEL_PLATFORMS, type ChannelPlatform } from '../base/types.js';

/** Usage lines (appended to the operations usage). */
export const SUBSCRIPTIONS_USAGE = `  vigie subscriptions add --platform slack|discord --channel ID (--workspace TEAM | --guild GUILD) --service SERVICE --place PLACE
                          [--level ecole|college|lycee ...] [--audience all|staff|families]
                                   (subscribe a channel: PLACE as a name, a number, a postal code or KIND:CODE)
  vigie subscriptions list [--platform …] [--workspace/--guild …] [--channel …] [--json]
  vigie subscriptions remove --platform … --channel … (--workspace/--guild …) (--service … | --place … | --all)`;

const OPTIONS = {
  platform: { type: 'string' },
  channel: { type: 'string' },
  workspace: { type: 'string' },
  guild: { type: 'string' },
  service: { type: 'string' },
  place: { type: 'string' },
  level: { type: 'string', multiple: true },
  audience: { type: 'string' },
  all: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

/** Streams the command uses. */
export interface SubscriptionsIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** Runs `subscriptions add|list|remove …` (`args` start after "subscriptions"); returns the exit code. */
export async function runSubscriptionsCommand(args: string[], io: SubscriptionsIo, rawEnv: NodeJS.ProcessEnv): Promise<number> {
  try {
    const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
    const [sub, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`argument inattendu « ${extra[0]} »`, `unexpected argument "${extra[0]}"`);
    if (values.workspace !== undefined && values.guild !== undefined) throw new UsageError('donnez --workspace (Slack) ou --guild (Discord), pas les deux', 'give --workspace (Slack) or --guild (Discord), not both');
    const platform = values.platform;
    if (platform !== undefined && !(CHANNEL_PLATFORMS as readonly string[]).includes(platform)) {
      throw new UsageError(`--platform : slack ou discord (les abonnements sont ceux des canaux Slack et Discord), pas « ${platform} »`, `--platform must be slack or discord (subscriptions are for Slack and Discord channels), not "${platform}"`);
    }
    const workspace = values.workspace ?? values.guild;
    const env = parseEnv(rawEnv);
    const logger = createLogger({ level: env.VIGIE_LOG_LEVEL === 'info' ? 'warn' : env.VIGIE_LOG_LEVEL, stream: io.stderr, secrets: secretsFrom(rawEnv) });

    if (sub === 'list') {
      const store = await openStore(env.VIGIE_STORE_URL, { clock: clockFromEnv(env), logger, migrate: false });
      try {
        const list = await listChannelSubscriptions({ ...(platform ? { platform: platform as ChannelPlatform } : {}), ...(workspace !== undefined ? { workspace } : {}), ...(values.channel ? { channel: values.channel } : {}) }, store);
        if (values.json) for (const s of list) io.stdout.write(`${JSON.stringify(s)}\n`);
        else {
          for (const s of list) io.stdout.write(`${describe(s)}\n`);
          io.stderr.write(`${list.length} abonnement(s) / subscription(s) — ${store.description}\n`);
        }
        return 0;
      } finally {
        await store.close();
      }
    }
    if (sub !== 'add' && sub !== 'remove') throw new UsageError('attendu : « subscriptions add », « subscriptions list » ou « subscriptions remove »', 'expected "subscriptions add", "subscriptions list" or "subscriptions remove"');
    if (!platform) throw new UsageError(`${sub} demande --platform slack ou discord`, `${sub} needs --platform slack or discord`);
    if (!values.channel) throw new UsageError(`${sub} demande --channel`, `${sub} needs --channel`);
    if (workspace === undefined) throw new UsageError(`${sub} demande --workspace (identifiant d'espace Slack) ou --guild (identifiant de serveur Discord)`, `${sub} needs --workspace (Slack team id) or --guild (Discord server id)`);
    if (sub === 'add' && (values.service === undefined || values.place === undefined)) throw new UsageError('add demande --service et --place', 'add needs --service and --place');

    const reference = loadReferenceData(env.VIGIE_CONTENT_DIR, { logger });
    const store = await openStore(env.VIGIE_STORE_URL, { clock: clockFromEnv(env), logger, migrate: true, locate: placeLocator(reference.gazetteer) });
    try {
      const deps: ChannelAdminDeps = {
        store,
        gazetteer: reference.gazetteer,
        understander: createUnderstander({ gazetteer: reference.gazetteer, services: reference.content.services }),
        services: reference.content.services,
        actor: { platform: 'cli', user: cliUser(rawEnv) },
        now: clockFromEnv(env).now(),
      };
      const channel = { platform: platform as ChannelPlatform, workspace, channel: values.channel };
      if (sub === 'add') {
        const outcome = await addChannelSubscription(
          { ...channel, service: values.service!, place: values.place!, ...(values.level ? { levels: values.level } : {}), ...(values.audience ? { audience: values.audience } : {}) },
          deps,
        );
        if (!outcome.ok) return refused(io, outcome.problems, store);
        io.stdout.write(
          outcome.created
            ? `Abonnement ajouté / subscription added: ${describe(outcome.subscription)}\n`
            : `Déjà abonné, rien de changé / already subscribed, nothing changed: ${describe(outcome.subscription)}\n`,
        );
        return 0;
      }
      const outcome = await removeChannelSubscriptions({ ...channel, ...(values.service !== undefined ? { service: values.service } : {}), ...(values.place !== undefined ? { place: values.place } : {}), all: values.all === true }, deps);
      if (!outcome.ok) return refused(io, outcome.problems, store);
      for (const s of outcome.removed) io.stdout.write(`Retiré / removed: ${describe(s)}\n`);
      return 0;
    } finally {
      await store.close();
    }
  } catch (error) {
    if (isUsageError(error)) {
      io.stderr.write(`${usageComplaint(error)}\n\nUsage / utilisation :\n${SUBSCRIPTIONS_USAGE}\n`);
      return 2;
    }
    io.stderr.write(`vigie: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function refused(io: SubscriptionsIo, problems: Problem[], store: Store): number {
  for (const p of problems) io.stderr.write(`${p.text.fr} / ${p.text.en}\n`);
  io.stderr.write(`vigie: rien n'a été changé / nothing was changed — ${store.description}\n`);
  return 1;
}

/** "slack T024BE7LD C024BE91L  ent  region:76 (Occitanie)  lycee  staff  paused": one line, columns. */
function describe(s: Subscription): string {
  const place = s.place.kind === 'national' ? 'national (France)' : `${s.place.kind}:${s.place.code} (${s.place.name})`;
  const extra = [s.levels.length > 0 ? s.levels.join(',') : '', s.audience !== 'all' ? s.audience : '', s.active ? '' : 'en pause/paused'].filter(Boolean);
  return [s.platform, s.workspace || '-', s.channel, s.service, place, ...extra].join('  ');
}
