/**
 * The `vigie` command line: ask questions, list incidents, load scenarios.
 * Exit codes: 0 answered, 1 failure (invalid content, store error), 2 bad usage.
 */
import { createInterface } from 'node:readline';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { FixedClock, type Clock } from '../base/clock.js';
import { allClearMs, clockFromEnv, loadDotenv, parseEnv } from '../config/env.js';
import { hasCode } from '../base/errors.js';
import { usageComplaint, UsageError } from './cli-usage.js';
import { createLogger, secretsFrom } from '../base/logger.js';
import { createRuntime, loadCheckedScenario, loadReferenceData, type Runtime } from '../runtime.js';
import { renderText } from '../answer/index.js';
import { formatParisClock, renderFirstMessage, renderLine } from '../answer/render-text.js';
import { localeLanguage } from './cli-locale.js';
import { replayScenario, scenarioTime, type Incident } from '../incidents/index.js';
import { listScenarios } from '../content/load.js';
import type { Scenario } from '../content/schemas.js';
import { parisDate, parseTimeInput } from '../base/time-input.js';
import type { BotAnswer } from '../bot.js';
import type { DemoLabel, Reply } from '../base/types.js';
import type { Templates } from '../content/templates.js';
import { loadSignalsConfig } from '../content/signals-schema.js';
import { SignalsService } from '../signals/service.js';
import { createSignalCountsKeeper } from '../store/reports.js';

// The admin commands (notices, audit) are loaded only when asked for, or to show the usage.
const usage = async (): Promise<string> => usageText((await import('./cli-notice.js')).NOTICE_USAGE, (await import('./cli-ops.js')).OPS_USAGE);

const usageText = (noticeUsage: string, opsUsage: string) => `Usage / utilisation :
  vigie ask [--json] [--full] [--at TIME] [--scenario NAME | --data FILE] "question"
  vigie ask --batch [--json] [--full] [--at TIME] [--scenario NAME | --data FILE] < questions.txt
  vigie report [--json] [--full] "what is wrong"   (records a report, as from a chat: counted, never forwarded)
  vigie incidents [--json] [--at TIME] [--scenario NAME | --data FILE]
  vigie signals [--json] [--at TIME]     (open crowd signals from the reports in the store, alert groups, probes: unconfirmed)
  vigie scenario list
  vigie scenario load NAME [--at TIME]   (the scenario's incidents as at TIME, default 10:00 on its day, into the store: labelled demo)
  vigie scenario unload [NAME]           (removes what was loaded from NAME, or from every scenario)
${noticeUsage}
${opsUsage}

  --at TIME        ISO-8601 (2020-03-17T10:00+01:00), local Paris time (2020-03-17T10:00) or HH:MM
                   (on the scenario's day with --scenario/--data, else today). Default: now;
                   with --scenario/--data, 10:00 on the scenario's day.
  --scenario NAME  replay content/scenarios/NAME.yaml up to --at (${listScenarios().join(', ') || 'none'})
  --data FILE      replay a scenario-format file up to --at
  --full           the whole answer (by default, its first message: at most 5 lines)
  --json           one JSON object per answer
  --batch          read one question per line on stdin, answer each in order
Without --scenario/--data, incidents come from the store (VIGIE_STORE_URL).`;

interface Io {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
}

const OPTIONS = {
  json: { type: 'boolean' },
  full: { type: 'boolean' },
  batch: { type: 'boolean' },
  at: { type: 'string' },
  scenario: { type: 'string' },
  data: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Runs the CLI with arguments (without `node` and the script) and returns the exit code. */
export async function runCli(argv: string[], io: Io): Promise<number> {
  // The admin and operations commands have options of their own.
  if (argv[0] === 'db' || argv[0] === 'subscriptions' || argv[0] === 'health') {
    const { runOpsCommand } = await import('./cli-ops.js');
    return runOpsCommand(argv, io, io.env);
  }
  if (argv[0] === 'notice' || argv[0] === 'audit') {
    const { runNoticeCommand } = await import('./cli-notice.js');
    return runNoticeCommand(argv, { stdout: io.stdout, stderr: io.stderr }, io.env);
  }
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    io.stderr.write(`${usageComplaint(error)}\n\n${await usage()}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (values.help || command === 'help' || command === undefined) {
    (command === undefined && !values.help ? io.stderr : io.stdout).write(`${await usage()}\n`);
    return command === undefined && !values.help ? 2 : 0;
  }
  try {
    const env = parseEnv(io.env);
    const logger = createLogger({ level: env.VIGIE_LOG_LEVEL === 'info' ? 'warn' : env.VIGIE_LOG_LEVEL, stream: io.stderr, secrets: secretsFrom(io.env) });
    if (values.scenario && values.data) throw new UsageError('--scenario et --data ne vont pas ensemble', '--scenario and --data cannot be used together');
    const scenarioName = values.scenario ?? values.data;
    switch (command) {
      case 'ask':
      case 'incidents': {
        if (command === 'ask' && !values.batch && rest.length === 0) throw new UsageError('ask demande une question (ou --batch)', 'ask needs a question (or --batch)');
        if (command === 'ask' && values.batch && rest.length > 0) throw new UsageError('--batch lit les questions sur l\'entrée standard, une par ligne : ne mettez pas de question après', '--batch reads the questions from stdin, one per line: give no question after it');
        const reference = loadReferenceData(env.VIGIE_CONTENT_DIR, { logger });
        const scenario = scenarioName ? loadCheckedScenario(scenarioName, reference.content, reference.gazetteer) : undefined;
        const clock = clockFor(values.at, scenario, clockFromEnv(env));
        const runtime = await createRuntime({
          storeUrl: scenario ? 'memory://' : env.VIGIE_STORE_URL,
          clock,
          logger,
          reference,
          scenario,
          allClearMs: allClearMs(env),
        });
        try {
          if (command === 'incidents') {
            const now = clock.now();
            writeIncidents(io, await runtime.bot.listIncidents(localeLanguage(io.env), now), now, values.json === true);
          } else if (values.batch) await askBatch(runtime, io, values.json === true, values.full === true);
          else writeAnswer(io, await ask(runtime, rest.join(' ')), values.json === true, values.full === true, runtime.bot.templates);
        } finally {
          await runtime.close();
        }
        return 0;
      }
      case 'report': {
        if (rest.length === 0) throw new UsageError('report demande le texte du signalement', 'report needs the text of the report');
        if (scenarioName || values.batch || values.at) throw new UsageError('report enregistre un signalement maintenant, dans le stockage : sans --scenario, --data, --batch ni --at', 'report records a report now, in the store: no --scenario, --data, --batch or --at');
        const reference = loadReferenceData(env.VIGIE_CONTENT_DIR, { logger });
        const clock = clockFromEnv(env);
        const runtime = await createRuntime({ storeUrl: env.VIGIE_STORE_URL, clock, logger, reference, allClearMs: allClearMs(env), reportSecret: env.VIGIE_REPORT_SECRET });
        try {
          const answer = await runtime.bot.report({ conversation: { platform: 'cli', channel: 'cli', user: terminalUser() }, text: rest.join(' ') });
          writeAnswer(io, answer, values.json === true, values.full === true, runtime.bot.templates);
        } finally {
          await runtime.close();
        }
        return 0;
      }
      case 'signals': {
        if (rest.length > 0 || scenarioName || values.batch || values.full) throw new UsageError('signals lit les signalements du stockage : seulement --json et --at', 'signals reads the reports in the store: only --json and --at');
        const reference = loadReferenceData(env.VIGIE_CONTENT_DIR, { logger });
        const config = loadSignalsConfig(reference.content.dir);
        const clock = clockFor(values.at, undefined, clockFromEnv(env));
        const runtime = await createRuntime({ storeUrl: env.VIGIE_STORE_URL, clock, logger, reference, allClearMs: allClearMs(env) });
        try {
          const keeper = createSignalCountsKeeper(runtime.store.db, logger);
          // Read only: the saved counts are restored, never written by this command.
          const service = new SignalsService({
            places: reference.gazetteer,
            config,
            source: runtime.store.reports,
            clock,
            logger,
            counts: { load: () => keeper.load(), save: async () => undefined },
            services: reference.content.services.map((x) => x.id),
            reportsKeptMs: env.VIGIE_REPORT_RETENTION,
          });
          await service.warmUp();
          runtime.bot.useSignals(service);
          const listed = (await runtime.bot.listSignals(localeLanguage(io.env)))!;
          io.stdout.write(values.json ? `${JSON.stringify(listed.snapshot)}\n` : `${listed.lines.join('\n')}\n`);
        } finally {
          await runtime.close();
        }
        return 0;
      }
      case 'scenario':
        return await scenarioCommand(rest, values.at, env.VIGIE_STORE_URL, env.VIGIE_CONTENT_DIR, io, clockFromEnv(env));
      default:
        throw new UsageError(`commande inconnue « ${command} »`, `unknown command "${command}"`);
    }
  } catch (error) {
    if (hasCode(error, 'CLI_USAGE')) {
      io.stderr.write(`${usageComplaint(error)}\n\n${await usage()}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`vigie: ${message}\n`);
    return 1;
  }
}

/** The clock for a command: fixed at --at, or at 10:00 of the scenario's day, or the process's clock. */
function clockFor(at: string | undefined, scenario: Scenario | undefined, base: Clock): Clock {
  if (at === undefined) return scenario ? new FixedClock(scenarioTime(scenario, '10:00')) : base;
  const instant = parseTimeInput(at, scenario?.date ?? parisDate(base.now()));
  if (!instant) throw new UsageError(`--at : « ${at} » n'est pas une heure (ISO-8601 comme 2020-03-17T10:00+01:00, ou HH:MM)`, `--at: "${at}" is not a time (expected ISO-8601 such as 2020-03-17T10:00+01:00, or HH:MM)`);
  return new FixedClock(instant);
}

/** Who reports from this terminal: the system account (hashed with the platform, never stored). */
function terminalUser(): string {
  try {
    return userInfo().username;
  } catch {
    return '';
  }
}

function ask(runtime: Runtime, question: string): Promise<BotAnswer> {
  return runtime.bot.ask({ conversation: { platform: 'cli', channel: 'cli' }, text: question });
}

async function askBatch(runtime: Runtime, io: Io, json: boolean, full: boolean): Promise<void> {
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    const answer = await ask(runtime, line);
    // One answer per line, in order: JSON, or the text on one line.
    io.stdout.write(json ? `${JSON.stringify(answerJson(answer, full, runtime.bot.templates))}\n` : `${renderLine(answer.reply, full)}\n`);
  }
}

/** The first message of an answer as the CLI prints it: "--full" is how to get the rest. */
function firstText(reply: Reply, templates: Templates): string {
  return renderFirstMessage(reply, { hint: templates.t(reply.language, 'cli.more_hint') });
}

/** The JSON shape of one answer (documented in the README). */
export function answerJson(answer: BotAnswer, full: boolean, templates: Templates): Record<string, unknown> {
  const { query, reply } = answer;
  return {
    question: query.text,
    language: query.language,
    intent: query.intent,
    // How likely the intent read is (0–1; 1 when an exact rule decided), and the runner-up offered when close.
    confidence: query.confidence ?? 1,
    otherIntent: query.otherIntent ?? null,
    service: query.service,
    level: query.level,
    place: query.place ? { kind: query.place.kind, code: query.place.code, name: query.place.name } : null,
    alternatives: query.alternatives.map((p) => ({ kind: p.kind, code: p.code, name: p.name })),
    status: reply.status,
    kind: reply.kind,
    // text: what is printed (the first message, or the whole with --full); full: the whole answer.
    answer: { text: full ? renderText(reply) : firstText(reply, templates), full: renderText(reply), incidents: reply.incidents },
    time: reply.time,
    ...(reply.demo ? { demo: reply.demo.scenario } : {}),
  };
}

function writeAnswer(io: Io, answer: BotAnswer, json: boolean, full: boolean, templates: Templates): void {
  io.stdout.write(json ? `${JSON.stringify(answerJson(answer, full, templates))}\n` : `${full ? renderText(answer.reply) : firstText(answer.reply, templates)}\n`);
}

/**
 * The incidents in effect: JSON (the stored incidents, ISO-8601 times), or one line each in
 * the words of answers, times on the Paris clock relative to the listing's moment.
 */
function writeIncidents(io: Io, listed: { incident: Incident; line: string; demo?: DemoLabel }[], now: Date, json: boolean): void {
  if (json) {
    io.stdout.write(`${JSON.stringify({ at: now.toISOString(), incidents: listed.map((l) => l.incident) })}\n`);
    return;
  }
  const lang = localeLanguage(io.env);
  const at = formatParisClock(now, lang);
  if (listed.length === 0) {
    io.stdout.write(lang === 'en' ? `No incident in effect on ${at} (Paris time).\n` : `Aucun incident en cours le ${at} (heure de Paris).\n`);
    return;
  }
  io.stdout.write(lang === 'en' ? `Incidents in effect on ${at} (Paris time):\n` : `Incidents en cours le ${at} (heure de Paris) :\n`);
  // Demo data says so: its full label once per scenario, and its tag on each of its lines.
  const labels = new Map(listed.flatMap((l) => (l.demo ? [[l.demo.scenario, l.demo.label] as const] : [])));
  for (const label of labels.values()) io.stdout.write(`⚠️ ${label}\n`);
  for (const { incident, line, demo } of listed) io.stdout.write(`${incident.id}\t${demo?.tag ? `[${demo.tag}] ` : ''}${line}\n`);
}

async function scenarioCommand(args: string[], at: string | undefined, storeUrl: string, contentDir: string | undefined, io: Io, clock: Clock): Promise<number> {
  const [sub, name] = args;
  if (sub === 'list') {
    for (const s of listScenarios(contentDir)) io.stdout.write(`${s}\n`);
    return 0;
  }
  if (sub === 'unload') return scenarioUnload(name, storeUrl, contentDir, io, clock);
  if (sub !== 'load' || !name) throw new UsageError('attendu : « scenario list », « scenario load NOM » ou « scenario unload [NOM] »', 'expected "scenario list", "scenario load NAME" or "scenario unload [NAME]"');
  const { content, gazetteer } = loadReferenceData(contentDir);
  const scenario = loadCheckedScenario(name, content, gazetteer);
  // As documented (and as `ask --scenario`): 10:00 on the scenario's day unless --at says otherwise.
  const when = at === undefined ? scenarioTime(scenario, '10:00') : parseTimeInput(at, scenario.date);
  if (!when) throw new UsageError(`--at : « ${at} » n'est pas une heure`, `--at: "${at}" is not a time`);
  const runtime = await createRuntime({ storeUrl, clock: new FixedClock(when), reference: { content, gazetteer } });
  try {
    const incidents = replayScenario(scenario, when);
    for (const incident of incidents) await runtime.store.incidents.put(incident);
    const at = formatParisClock(when, 'fr');
    io.stdout.write(
      `${incidents.length} incident(s) du scénario ${scenario.id}, état du ${at} (heure de Paris), enregistré(s) dans ${runtime.store.description} : ` +
        `les réponses les présentent comme une démo ; « vigie scenario unload ${scenario.id} » les retire.\n` +
        `${incidents.length} incident(s) of scenario ${scenario.id} as at ${formatParisClock(when, 'en')} (Paris time) stored in ${runtime.store.description}: answers label them as demo; "vigie scenario unload ${scenario.id}" removes them.\n`,
    );
  } finally {
    await runtime.close();
  }
  return 0;
}

/** Removes the incidents loaded from a scenario (or from every scenario) from the store. */
async function scenarioUnload(name: string | undefined, storeUrl: string, contentDir: string | undefined, io: Io, clock: Clock): Promise<number> {
  const { content, gazetteer } = loadReferenceData(contentDir);
  const runtime = await createRuntime({ storeUrl, clock, reference: { content, gazetteer } });
  try {
    const names = name ? [name] : [...new Set((await runtime.store.incidents.list()).flatMap((i) => (i.scenario ? [i.scenario] : [])))].sort();
    let removed = 0;
    for (const scenario of names) removed += await runtime.store.incidents.deleteScenario(scenario);
    const which = name ?? (names.join(', ') || '—');
    io.stdout.write(`${removed} incident(s) de démo retiré(s) (${which}) de ${runtime.store.description} / ${removed} demo incident(s) removed (${which}).\n`);
  } finally {
    await runtime.close();
  }
  return 0;
}

const isMain = process.argv[1] !== undefined && /(cli\.ts|vigie(\.js)?)$/.test(process.argv[1]);
if (isMain) {
  await loadDotenv();
  const code = await runCli(process.argv.slice(2), { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env });
  process.exitCode = code;
}
