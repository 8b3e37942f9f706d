/**
 * Operations commands of `vigie`: the database (migrate, status, backup, purge), moving
 * subscriptions in and out (JSON Lines), and a health check with an exit code for
 * monitoring. Messages are French then English, as in the rest of the CLI. The store is
 * named by its description, never by its URL: a password in VIGIE_STORE_URL never shows.
 * Exit codes: 0 done (healthy), 1 failed (unhealthy, bad lines), 2 bad usage.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { isUsageError, usageComplaint, UsageError } from './cli-usage.js';
import { StoreError } from '../base/errors.js';
import { clockFromEnv, parseEnv, type Env } from '../config/env.js';
import { createLogger, secretsFrom, type Logger } from '../base/logger.js';
import { loadReferenceData, placeLocator } from '../runtime.js';
import { describeCacheUrl, migrate, migrationStatus, openContextCache, openStore, parseStoreUrl, purgeExpired, type PlaceLocator, type Store } from '../store/index.js';
import { cliUser } from './cli-notice.js';
import { backlog, storeCounts } from '../store/status.js';
import { exportSubscriptions, importSubscriptions } from '../subscriptions/transfer.js';
import { runSubscriptionsCommand, SUBSCRIPTIONS_USAGE } from './cli-subscriptions.js';

/** Usage of the operations commands (appended to the CLI's usage). */
export const OPS_USAGE = `  vigie db migrate                 (apply the schema migrations; npm start does it too)
  vigie db status [--json]         (where the store is, migrations, row counts, deliveries waiting)
  vigie db backup FILE             (online copy of a SQLite store; PostgreSQL: use pg_dump)
  vigie db purge [--json]          (delete what VIGIE_RETENTION_DAYS / VIGIE_AUDIT_RETENTION_DAYS / VIGIE_REPORT_RETENTION no longer keep)
${SUBSCRIPTIONS_USAGE}
  vigie subscriptions export       (JSON Lines on stdout, one subscription per line)
  vigie subscriptions import FILE  (JSON Lines, FILE or - for stdin; all lines checked, nothing written if one is wrong)
  vigie health [--json]            (store reachable, migrations current, pauses, deliveries overdue; exit 1 if not)`;

/** Deliveries due longer than this and still waiting make `vigie health` fail: nothing is delivering them. */
export const HEALTH_OVERDUE_MS = 10 * 60 * 1000;

/** Streams the commands use. */
export interface OpsIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

const OPTIONS = { json: { type: 'boolean' } } as const;

/** Runs `db …`, `subscriptions …` or `health` (args start with the command word); returns the exit code. */
export async function runOpsCommand(args: string[], io: OpsIo, rawEnv: NodeJS.ProcessEnv): Promise<number> {
  // Channel subscriptions one by one have their own options (cli-subscriptions.ts).
  if (args[0] === 'subscriptions' && ['add', 'list', 'remove'].includes(args[1] ?? '')) return runSubscriptionsCommand(args.slice(1), io, rawEnv);
  try {
    const { values, positionals } = parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
    const [command, sub, file, ...extra] = positionals;
    const json = values.json === true;
    if (extra.length > 0) throw new UsageError(`argument inattendu « ${extra[0]} »`, `unexpected argument "${extra[0]}"`);
    const env = parseEnv(rawEnv);
    const logger = createLogger({ level: env.VIGIE_LOG_LEVEL === 'info' ? 'warn' : env.VIGIE_LOG_LEVEL, stream: io.stderr, secrets: secretsFrom(rawEnv) });
    if (command === 'health') {
      if (sub !== undefined) throw new UsageError('health ne prend pas d\'argument', 'health takes no argument');
      return await health(env, io, json, logger);
    }
    if (command === 'db') {
      if (sub === 'migrate') return await dbMigrate(env, io, logger);
      if (sub === 'status') return await dbStatus(env, io, json, logger);
      if (sub === 'purge') return await dbPurge(env, io, json, logger);
      if (sub === 'backup') {
        if (!file) throw new UsageError('db backup demande le FICHIER où écrire la copie', 'db backup needs a FILE to write the copy to');
        return await dbBackup(env, file, io, logger);
      }
      throw new UsageError('attendu : « db migrate », « db status », « db backup FICHIER » ou « db purge »', 'expected "db migrate", "db status", "db backup FILE" or "db purge"');
    }
    if (command === 'subscriptions') {
      if (sub === 'export' && !file) return await subscriptionsExport(env, io, logger);
      if (sub === 'import' && file) return await subscriptionsImport(env, file, io, rawEnv, logger);
      throw new UsageError('attendu : « subscriptions add|list|remove », « subscriptions export » ou « subscriptions import FICHIER »', 'expected "subscriptions add|list|remove", "subscriptions export" or "subscriptions import FILE"');
    }
    throw new UsageError(`commande inconnue « ${command ?? ''} »`, `unknown command "${command ?? ''}"`);
  } catch (error) {
    if (isUsageError(error)) {
      io.stderr.write(`${usageComplaint(error)}\n\nUsage / utilisation :\n${OPS_USAGE}\n`);
      return 2;
    }
    io.stderr.write(`vigie: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

async function withStore<T>(env: Env, logger: Logger, options: { migrate: boolean; locate?: PlaceLocator }, fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(env.VIGIE_STORE_URL, { clock: clockFromEnv(env), logger, migrate: options.migrate, ...(options.locate ? { locate: options.locate } : {}) });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

async function dbMigrate(env: Env, io: OpsIo, logger: Logger): Promise<number> {
  const location = parseStoreUrl(env.VIGIE_STORE_URL);
  // A SQLite file that does not exist yet is created: migrating is how a store starts.
  const fresh = location.kind === 'sqlite' && !existsSync(location.path);
  const applied = fresh ? null : await withStore(env, logger, { migrate: false }, (store) => migrate(store.db));
  // Opened normally too: an earlier version's data is imported, subscriptions located.
  const locate = placeLocator(loadReferenceData(env.VIGIE_CONTENT_DIR, { logger }).gazetteer);
  await withStore(env, logger, { migrate: true, locate }, async (store) => {
    const all = await migrationStatus(store.db);
    io.stdout.write(
      applied === null || applied.length > 0
        ? `${applied?.length ?? all.length} migration(s) appliquée(s) / applied: ${(applied ?? all.map((m) => m.name)).join(', ')} — ${store.description}\n`
        : `Base déjà à jour / store already up to date (${all.length} migration(s)) — ${store.description}\n`,
    );
  });
  return 0;
}

async function dbStatus(env: Env, io: OpsIo, json: boolean, logger: Logger): Promise<number> {
  return withStore(env, logger, { migrate: false }, async (store) => {
    const migrations = await migrationStatus(store.db);
    const pending = migrations.filter((m) => m.appliedAt === null).map((m) => m.name);
    const counts = await storeCounts(store.db);
    const waiting = await backlog(store.db);
    const location = parseStoreUrl(env.VIGIE_STORE_URL);
    const sizeBytes = location.kind === 'sqlite' ? fileSize(location.path) + fileSize(`${location.path}-wal`) : null;
    if (json) {
      io.stdout.write(`${JSON.stringify({ store: store.description, dialect: store.db.dialect, sizeBytes, migrations: { applied: migrations.length - pending.length, pending }, counts, backlog: waiting })}\n`);
      return 0;
    }
    const lines = [
      `Base / store : ${store.description}${sizeBytes !== null ? ` (${(sizeBytes / 1e6).toFixed(1)} Mo/MB)` : ''}`,
      `Migrations : ${migrations.length - pending.length} appliquée(s)/applied${pending.length > 0 ? `, ${pending.length} en attente/pending : ${pending.join(', ')} (vigie db migrate)` : ', à jour/up to date'}`,
      `Incidents : ${counts.incidents} (${counts.openIncidents} en cours/open)`,
      `Abonnements / subscriptions : ${counts.subscriptions} (${counts.activeSubscriptions} actif(s)/active)`,
      `Avis / notices : ${counts.notices}`,
      `Livraisons / deliveries : ${Object.entries(counts.deliveries).map(([state, n]) => `${state} ${n}`).join(' · ') || '0'}`,
      `Journal d'audit / audit log : ${counts.auditEntries} entrée(s)/entries`,
      waiting.oldest ? `En attente / waiting : ${waiting.count}, la plus ancienne créée le / oldest created ${waiting.oldest.createdAt} (${waiting.oldest.noticeId})` : 'En attente / waiting : 0',
    ];
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  });
}

async function dbBackup(env: Env, file: string, io: OpsIo, logger: Logger): Promise<number> {
  const location = parseStoreUrl(env.VIGIE_STORE_URL);
  if (location.kind === 'postgres') {
    const url = new URL(location.url);
    url.password = '';
    io.stderr.write(
      `vigie: une base PostgreSQL se sauvegarde avec pg_dump / a PostgreSQL store is backed up with pg_dump:\n` +
        `  pg_dump --schema=${location.schema} --format=custom --file=${file} '${url.toString()}'\n` +
        `(mot de passe via PGPASSWORD ou ~/.pgpass / password through PGPASSWORD or ~/.pgpass; restauration / restore: pg_restore)\n`,
    );
    return 1;
  }
  if (location.kind === 'memory') {
    io.stderr.write('vigie: memory:// ne garde rien sur disque, rien à sauvegarder / memory:// keeps nothing on disk, nothing to back up\n');
    return 1;
  }
  const target = resolve(file);
  if (existsSync(target)) {
    io.stderr.write(`vigie: ${target} existe déjà ; choisissez un autre fichier / already exists; choose another file\n`);
    return 1;
  }
  return withStore(env, logger, { migrate: false }, async (store) => {
    try {
      // SQLite's online backup: page by page, while the bot keeps reading and writing.
      await store.db.sqlite!.backup(target);
    } catch (error) {
      throw new StoreError(`sauvegarde impossible vers / cannot back up to ${target}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    io.stdout.write(`Copie de ${store.description} écrite dans / backup written to ${target} (${(fileSize(target) / 1e6).toFixed(1)} Mo/MB)\n`);
    return 0;
  });
}

async function dbPurge(env: Env, io: OpsIo, json: boolean, logger: Logger): Promise<number> {
  return withStore(env, logger, { migrate: true }, async (store) => {
    const policy = { days: env.VIGIE_RETENTION_DAYS, auditDays: env.VIGIE_AUDIT_RETENTION_DAYS, reportMs: env.VIGIE_REPORT_RETENTION };
    const counts = await purgeExpired(store.db, clockFromEnv(env).now(), policy);
    io.stdout.write(
      json
        ? `${JSON.stringify({ ...counts, policy })}\n`
        : `Supprimé / purged: ${counts.deliveries} livraison(s)/deliveries, ${counts.notices} avis/notices, ${counts.rootMessages} message(s) racine/root messages (plus de/older than ${policy.days} j/days), ${counts.audit} entrée(s) d'audit/audit entries (plus de/older than ${policy.auditDays} j/days), ${counts.reports} signalement(s)/report(s) (plus de/older than ${formatHours(policy.reportMs)})\n`,
    );
    return 0;
  });
}

async function subscriptionsExport(env: Env, io: OpsIo, logger: Logger): Promise<number> {
  return withStore(env, logger, { migrate: false }, async (store) => {
    let count = 0;
    for await (const line of exportSubscriptions(store)) {
      // Waits when the reader is slower (a pipe), so memory stays flat for any number of lines.
      if (!io.stdout.write(`${line}\n`)) await new Promise((resolve) => io.stdout.once('drain', resolve));
      count++;
    }
    io.stderr.write(`${count} abonnement(s) exporté(s) / subscription(s) exported from ${store.description}\n`);
    return 0;
  });
}

async function subscriptionsImport(env: Env, file: string, io: OpsIo, rawEnv: NodeJS.ProcessEnv, logger: Logger): Promise<number> {
  if (file !== '-' && !existsSync(file)) {
    io.stderr.write(`vigie: fichier introuvable / file not found: ${file}\n`);
    return 1;
  }
  const input = file === '-' ? io.stdin : createReadStream(file, { encoding: 'utf8' });
  const reference = loadReferenceData(env.VIGIE_CONTENT_DIR, { logger });
  const locate = placeLocator(reference.gazetteer);
  return withStore(env, logger, { migrate: true, locate }, async (store) => {
    const actor = `cli:${cliUser(rawEnv)}`;
    const outcome = await importSubscriptions(createInterface({ input, crlfDelay: Infinity }), {
      store,
      gazetteer: reference.gazetteer,
      services: new Set(reference.content.services.map((s) => s.id)),
      locate,
      actor,
      now: clockFromEnv(env).now(),
    });
    if (outcome.errors.length > 0) {
      for (const e of outcome.errors) io.stderr.write(`ligne ${e.line} : ${e.text.fr} / line ${e.line}: ${e.text.en}\n`);
      const bad = new Set(outcome.errors.map((e) => e.line)).size;
      io.stderr.write(`vigie: ${bad} ligne(s) en erreur sur ${outcome.lines} : rien n'a été importé / ${bad} bad line(s) out of ${outcome.lines}: nothing was imported\n`);
      await store.audit.append({ actor: { platform: 'cli', user: cliUser(rawEnv) }, action: 'subscriptions.import', outcome: 'refused', detail: `${bad} bad line(s)` });
      return 1;
    }
    await store.audit.append({
      actor: { platform: 'cli', user: cliUser(rawEnv) },
      action: 'subscriptions.import',
      outcome: 'ok',
      detail: `${outcome.subscriptions} subscription(s): ${outcome.added} added, ${outcome.updated} updated`,
    });
    io.stdout.write(
      `${outcome.subscriptions} abonnement(s) importé(s) : ${outcome.added} ajouté(s), ${outcome.updated} déjà présent(s) mis à jour / ` +
        `subscription(s) imported: ${outcome.added} added, ${outcome.updated} already there updated — ${store.description}\n`,
    );
    return 0;
  });
}

interface Check {
  name: string;
  ok: boolean;
  fr: string;
  en: string;
}

async function health(env: Env, io: OpsIo, json: boolean, logger: Logger): Promise<number> {
  const checks: Check[] = [];
  const now = clockFromEnv(env).now();
  let description = '';
  try {
    await withStore(env, logger, { migrate: false }, async (store) => {
      description = store.description;
      checks.push({ name: 'store', ok: true, fr: `base joignable (${store.description})`, en: 'store reachable' });
      const migrations = await migrationStatus(store.db);
      const pending = migrations.filter((m) => m.appliedAt === null).map((m) => m.name);
      checks.push(
        pending.length === 0
          ? { name: 'migrations', ok: true, fr: `schéma à jour (${migrations.length} migrations)`, en: 'schema up to date' }
          : { name: 'migrations', ok: false, fr: `${pending.length} migration(s) en attente : ${pending.join(', ')} (vigie db migrate, ou npm start)`, en: `${pending.length} migration(s) pending (vigie db migrate, or npm start)` },
      );
      if (pending.length > 0 && migrations.length === pending.length) return; // No tables yet: nothing else to look at.
      for (const p of await store.pauses.list()) {
        const where = `${p.platform}${p.workspace ? `/${p.workspace}` : ''}`;
        checks.push({
          name: 'pause',
          ok: false,
          fr: `${where} : livraisons suspendues depuis ${p.since}, le jeton du bot est refusé (${p.reason}) ; nouvel essai à ${p.nextCheckAt}`,
          en: `${where}: deliveries paused since ${p.since}, the bot's token is refused (${p.reason})`,
        });
      }
      const waiting = await backlog(store.db);
      const overdueMs = waiting.nextAttemptAt ? now.getTime() - Date.parse(waiting.nextAttemptAt) : 0;
      const age = waiting.oldest ? minutes(now.getTime() - Date.parse(waiting.oldest.createdAt)) : 0;
      if (waiting.count === 0) checks.push({ name: 'deliveries', ok: true, fr: 'aucune livraison en attente', en: 'no delivery waiting' });
      else if (overdueMs > HEALTH_OVERDUE_MS) {
        checks.push({
          name: 'deliveries',
          ok: false,
          fr: `${waiting.count} livraison(s) en attente, dues depuis ${minutes(overdueMs)} min : rien ne les livre (npm start tourne-t-il ?)`,
          en: `${waiting.count} delivery(ies) waiting, due for ${minutes(overdueMs)} min: nothing is delivering them (is npm start running?)`,
        });
      } else {
        checks.push({ name: 'deliveries', ok: true, fr: `${waiting.count} livraison(s) en cours, la plus ancienne depuis ${age} min`, en: `${waiting.count} delivery(ies) under way, oldest ${age} min` });
      }
    });
  } catch (error) {
    checks.push({ name: 'store', ok: false, fr: `base injoignable : ${error instanceof Error ? error.message : String(error)}`, en: 'store unreachable' });
  }
  if (env.VIGIE_CACHE_URL) {
    const where = describeCacheUrl(env.VIGIE_CACHE_URL);
    try {
      const cache = await openContextCache(env.VIGIE_CACHE_URL, logger);
      await cache.disconnect();
      checks.push({ name: 'cache', ok: true, fr: `cache joignable (${where})`, en: 'cache reachable' });
    } catch (error) {
      checks.push({ name: 'cache', ok: false, fr: error instanceof Error ? error.message : String(error), en: 'cache unreachable' });
    }
  }
  const ok = checks.every((c) => c.ok);
  if (json) io.stdout.write(`${JSON.stringify({ ok, store: description || null, at: now.toISOString(), checks })}\n`);
  else {
    for (const c of checks) io.stdout.write(`${c.ok ? '✓' : '✗'} ${c.fr} / ${c.en}\n`);
    io.stdout.write(ok ? 'Vigie en bonne santé / healthy\n' : 'Vigie a un problème / unhealthy\n');
  }
  return ok ? 0 : 1;
}

function minutes(ms: number): number {
  return Math.max(0, Math.round(ms / 60_000));
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** A retention in words: "7 j/days" or "48 h". */
function formatHours(ms: number): string {
  const hours = ms / 3_600_000;
  return hours % 24 === 0 ? `${hours / 24} j/days` : `${hours} h`;
}
