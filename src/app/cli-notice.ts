/**
 * The admin commands of `vigie`: publish a notice from a YAML file (or preview it with
 * --dry-run), follow its delivery, list notices, read the audit log. Publishing writes the
 * outbox; the running bot's dispatcher delivers it. Exit codes: 0 done, 1 refused/failed, 2 usage.
 */
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { isUsageError, usageComplaint, UsageError } from './cli-usage.js';
import { z } from 'zod';
import { clockFromEnv, parseEnv } from '../config/env.js';
import { loadYamlFile } from '../content/load.js';
import { createLogger, secretsFrom } from '../base/logger.js';
import { createRuntime, type Runtime } from '../runtime.js';
import { renderText } from '../answer/index.js';
import type { NoticeProgress, PlatformPause } from '../store/index.js';
import { createHash } from 'node:crypto';
import type { Actor } from '../base/types.js';
import type { Language } from '../base/types.js';
import { SCHOOL_TIMEZONE } from '../base/zoned-time.js';
import { localeLanguage } from './cli-locale.js';

/** Usage of the notice and audit commands (the lead appends it to the CLI's usage). */
export const NOTICE_USAGE = `  vigie notice publish --file notice.yaml [--dry-run] [--again] [--force] [--json] [--lang fr|en]
                                   (--again: publish a file already published; --force: open an incident
                                    even when an identical one is open, which is otherwise refused)
  vigie notice status ID [--json]
  vigie notice retry ID            (failed deliveries of a notice, tried again; the delivered ones are not resent)
  vigie notice list [--limit N] [--json]
  vigie audit [--limit N] [--json]`;

/** Streams the commands write to. */
export interface NoticeIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const OPTIONS = {
  file: { type: 'string', short: 'f' },
  'dry-run': { type: 'boolean' },
  again: { type: 'boolean' },
  force: { type: 'boolean' },
  json: { type: 'boolean' },
  lang: { type: 'string' },
  limit: { type: 'string' },
} as const;

/** Runs `notice …` or `audit …` (args start with the command word); returns the exit code. */
export async function runNoticeCommand(args: string[], io: NoticeIo, env: NodeJS.ProcessEnv): Promise<number> {
  let runtime: Runtime | null = null;
  try {
    const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
    const [command, sub, id] = positionals;
    const json = values.json === true;
    const lang: Language =
      values.lang === undefined ? localeLanguage(env) : values.lang === 'en' || values.lang === 'fr' ? values.lang : badUsage(`--lang : fr ou en attendu, pas « ${values.lang} »`, `--lang: expected fr or en, got "${values.lang}"`);
    if (command !== 'notice' && command !== 'audit') badUsage(`commande inconnue « ${command ?? ''} »`, `unknown command "${command ?? ''}"`);
    if (command === 'notice' && !['publish', 'status', 'retry', 'list'].includes(sub ?? '')) badUsage('attendu : « notice publish », « notice status ID », « notice retry ID » ou « notice list »', 'expected "notice publish", "notice status ID", "notice retry ID" or "notice list"');
    if (command === 'notice' && sub === 'publish' && !values.file) badUsage('notice publish demande --file avis.yaml', 'notice publish needs --file notice.yaml');
    if (command === 'notice' && (sub === 'status' || sub === 'retry') && !id) badUsage(`notice ${sub} demande l'identifiant d'un avis`, `notice ${sub} needs a notice id`);
    const parsedEnv = parseEnv(env);
    const logger = createLogger({ level: parsedEnv.VIGIE_LOG_LEVEL === 'info' ? 'warn' : parsedEnv.VIGIE_LOG_LEVEL, stream: io.stderr, secrets: secretsFrom(env) });
    runtime = await createRuntime({ storeUrl: parsedEnv.VIGIE_STORE_URL, clock: clockFromEnv(parsedEnv), logger, ...(parsedEnv.VIGIE_CONTENT_DIR ? { contentDir: parsedEnv.VIGIE_CONTENT_DIR } : {}) });
    const outbox = runtime.store.outbox;

    if (command === 'audit') {
      const limit = values.limit === undefined ? 50 : Number(values.limit);
      if (!Number.isInteger(limit) || limit <= 0) badUsage(`--limit : nombre entier positif attendu, pas « ${values.limit} »`, `--limit: expected a positive whole number, got "${values.limit}"`);
      for (const e of await runtime.store.audit.list({ limit })) {
        io.stdout.write(json ? `${JSON.stringify(e)}\n` : `${e.seq}\t${parisStamp(e.at)}\t${e.actor.platform}:${e.actor.user}\t${e.action}\t${e.outcome}\t${e.target ?? '-'}\t${e.detail ?? ''}\n`);
      }
      return 0;
    }
    if (sub === 'publish') {
      const raw = loadYamlFile(values.file!, z.unknown());
      const actor: Actor = { platform: 'cli', user: cliUser(env) };
      // The same file published twice (a retry after a crash, a double run) is recognised by
      // its content; --again publishes it once more on purpose.
      const key = values.again ? undefined : `file:${createHash('sha256').update(canonicalJson(raw)).digest('hex').slice(0, 32)}`;
      const force = values.force === true;
      const outcome = values['dry-run']
        ? await runtime.bot.previewNotice(raw, actor, lang, { force })
        : await runtime.bot.publishNotice(raw, actor, lang, { ...(key ? { idempotencyKey: key } : {}), force });
      if (json) {
        io.stdout.write(
          `${JSON.stringify(outcome.ok ? { ok: true, dryRun: outcome.dryRun, duplicate: outcome.duplicate === true, notice: outcome.notice.id, incident: outcome.notice.incident?.id ?? null, targets: outcome.targets } : { ok: false, errors: outcome.errors, ...(outcome.openIncident ? { openIncident: outcome.openIncident } : {}) })}\n`,
        );
      } else {
        // A refusal is an error: on stderr, every problem at once, in the admin's language.
        (outcome.ok ? io.stdout : io.stderr).write(`${renderText(outcome.reply)}\n`);
      }
      return outcome.ok ? 0 : 1;
    }
    if (sub === 'status') {
      const progress = await outbox.progress(id!);
      if (!progress) {
        io.stderr.write(`vigie: aucun avis « ${id} » / no notice "${id}"\n`);
        return 1;
      }
      const pauses = (await runtime.store.pauses.list()).filter((p) => progress.pending > 0 && p.platform in progress.byPlatform);
      io.stdout.write(json ? `${JSON.stringify({ ...progress, pauses })}\n` : formatProgress(progress, pauses));
      return 0;
    }
    if (sub === 'retry') {
      const count = await runtime.bot.retryFailedDeliveries(id!, { platform: 'cli', user: cliUser(env) });
      if (count === null) {
        io.stderr.write(`vigie: aucun avis « ${id} » / no notice "${id}"\n`);
        return 1;
      }
      io.stdout.write(`${count} livraison(s) en échec remise(s) en file / failed delivery(ies) queued again for ${id}\n`);
      return 0;
    }
    const limit = values.limit === undefined ? 50 : Number(values.limit);
    if (!Number.isInteger(limit) || limit <= 0) badUsage(`--limit : nombre entier positif attendu, pas « ${values.limit} »`, `--limit: expected a positive whole number, got "${values.limit}"`);
    for (const p of await outbox.summaries(limit)) {
      const notice = p.notice;
      const what = notice.incident ? `${notice.incident.action} ${notice.incident.id}` : notice.services.join(',');
      io.stdout.write(
        json
          ? `${JSON.stringify({ id: notice.id, state: notice.state, publishedAt: notice.publishedAt, incident: notice.incident?.id ?? null, services: notice.services, total: p.total, delivered: p.delivered, failed: p.failed, pending: p.pending })}\n`
          : `${notice.id}\t${notice.state}\t${parisStamp(notice.publishedAt ?? notice.createdAt)}\t${what}\t${p.delivered}/${p.total} ✓\t${p.failed} ✗\t${p.pending} …\n`,
      );
    }
    return 0;
  } catch (error) {
    if (isUsageError(error)) {
      io.stderr.write(`${usageComplaint(error)}\n\nUsage / utilisation :\n${NOTICE_USAGE}\n`);
      return 2;
    }
    io.stderr.write(`vigie: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await runtime?.close();
  }
}

/** Progress as admins read it (times on the Paris clock). */
export function formatProgress(p: NoticeProgress, pauses: readonly PlatformPause[] = []): string {
  const lines = [`${p.noticeId} (${p.state}) : ${p.delivered} livré(s)/delivered · ${p.failed} en échec/failed · ${p.pending} en attente/pending — ${p.total} salon(s)/channel(s)`];
  for (const [platform, c] of Object.entries(p.byPlatform)) lines.push(`  ${platform}: ${c.delivered} ✓ ${c.failed} ✗ ${c.pending} …`);
  for (const pause of pauses) {
    lines.push(`  ⏸ ${pause.platform}${pause.workspace ? `/${pause.workspace}` : ''}: livraison suspendue depuis ${paris(pause.since)}, le jeton du bot est refusé (${pause.reason}) ; reprise automatique dès qu'il fonctionne / delivery paused, the bot's token is refused`);
  }
  for (const r of p.retrying) lines.push(`  ↻ ${r.channel}: nouvel essai depuis ${paris(r.since)}, prochain à ${paris(r.nextAttemptAt)}, dernière erreur ${r.lastError} / retrying`);
  for (const f of p.failures) lines.push(`  ✗ ${f.platform}/${f.workspace}/${f.channel}: ${f.reason}`);
  return `${lines.join('\n')}\n`;
}

const stamp = new Intl.DateTimeFormat('sv-SE', { timeZone: SCHOOL_TIMEZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** "2026-12-01 10:00 (Paris)": a listing's time on the schools' clock, sortable, with its date ( --json keeps ISO-8601). */
export function parisStamp(iso: string): string {
  return `${stamp.format(new Date(iso))} (Paris)`;
}

function paris(iso: string): string {
  return new Date(iso).toLocaleString('fr-FR', { timeZone: SCHOOL_TIMEZONE, day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
}

/** JSON with keys sorted, so the same content always gives the same text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** Who runs the command, for the audit log. */
export function cliUser(env: NodeJS.ProcessEnv): string {
  try {
    return env.USER || env.USERNAME || userInfo().username || 'cli';
  } catch {
    return 'cli';
  }
}

export { localeLanguage } from './cli-locale.js';

function badUsage(fr: string, en: string): never {
  throw new UsageError(fr, en);
}
