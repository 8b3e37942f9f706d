/**
 * The console chat: reads questions line by line from an input stream and writes answers
 * to an output stream, so it runs in a terminal (`npm start`) and in tests through streams.
 * Commands: /aide (/help), /at HH:MM, /incidents, /signaux (/signals), /etapes (/timeline), /plus (/more), /quitter (/quit).
 */
import { createInterface, type Interface } from 'node:readline';
import { renderFirstMessage, renderText, FixedClock, formatShortTime, parseTimeInput, parisDate, type Adapter, type Core, type Language, type Reply } from '../../src/index.js';
import { formatClock } from './render.js';

/** Options of the console adapter. */
export interface ConsoleAdapterOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** The clock `/at` moves; the bot must use the same one. */
  clock: FixedClock;
  /** Language of the console's own words until the person writes. */
  language?: Language;
  /** Show a prompt after each answer (a terminal); off for piped input. */
  prompt?: boolean;
}

/** The console adapter, with `done` resolving when the input ends or the person quits. */
export interface ConsoleAdapter extends Adapter {
  readonly done: Promise<void>;
}

/** Creates the console adapter. */
export function createConsoleAdapter(options: ConsoleAdapterOptions): ConsoleAdapter {
  const { input, output, clock } = options;
  let language: Language = options.language ?? 'fr';
  let rl: Interface | null = null;
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => (finish = resolve));
  const write = (text: string) => output.write(`${text}\n`);
  // The choices of the last answer, when it asked "which one?" (numbered from 1).
  let choices: string[] = [];
  // The token of the other reading the last answer offered ("0" takes it).
  let other: string | undefined;
  // The last answer, whose details /plus shows.
  let last: Reply | null = null;

  const handle = async (bot: Core, line: string): Promise<boolean> => {
    const t = (key: string, vars?: Record<string, string | number>) => bot.templates.t(language, key, vars);
    const trimmed = line.trim();
    const [command, ...args] = trimmed.split(/\s+/);
    switch (command?.toLowerCase()) {
      case '/quit':
      case '/quitter':
      case '/exit':
        write(t('console.bye'));
        return false;
      case '/help':
      case '/aide':
        write(t('console.help'));
        return true;
      case '/plus':
      case '/more':
        // The whole of the last answer: what its first message left out.
        write(last ? `\n${renderText(last)}\n` : t('console.no_more'));
        return true;
      case '/en':
      case '/fr':
        language = command.slice(1) as Language;
        write(t('console.language'));
        return true;
      case '/at':
      case '/heure': {
        const day = bot.replayedScenario()?.date ?? parisDate(clock.now());
        const at = args.length > 0 ? parseTimeInput(args.join(' '), day) : null;
        if (!at) {
          write(t('console.at_invalid', { value: args.join(' ') || '∅' }));
          return true;
        }
        clock.set(at);
        write(t('console.clock', { time: formatClock(clock.now(), language) }));
        return true;
      }
      case '/incidents': {
        const now = clock.now();
        const listed = await bot.listIncidents(language, now);
        if (listed.length === 0) write(t('console.no_incident', { time: formatClock(now, language) }));
        // Demo data says so on each line it lists (the full label is in the banner and the answers).
        for (const { line, demo } of listed) write(`• ${demo?.tag ? `[${demo.tag}] ` : ''}${line}`);
        return true;
      }
      case '/signaux':
      case '/signals': {
        // Open crowd signals, groups and probes: unconfirmed, counts and places only.
        const listed = await bot.listSignals(language);
        if (!listed) write(t('signals.off'));
        else for (const l of listed.lines) write(l);
        return true;
      }
      case '/etapes':
      case '/timeline': {
        const scenario = bot.replayedScenario();
        const steps = bot.scenarioSteps(language, clock.now());
        if (!scenario || !steps) {
          write(t('console.no_timeline'));
          return true;
        }
        write(t('console.timeline', { title: scenario.title[language], time: formatClock(clock.now(), language) }));
        // Each step with what was said then; those the clock has not reached yet are marked ◦.
        for (const step of steps) {
          const when = step.at.startsWith('+') ? formatShortTime(step.time.toISOString(), language) : step.at;
          const [first = '', ...more] = step.lines;
          write(`${step.reached ? '•' : '◦'} ${when} — ${first}`);
          for (const line of more) write(`  ${' '.repeat(when.length)}   ${line}`);
        }
        return true;
      }
      default: {
        if (trimmed.startsWith('/') && /^\/\p{L}+$/u.test(command ?? '')) {
          write(t('console.unknown_command', { command: command ?? '' }));
          return true;
        }
        // An empty or blank line asks nothing: the prompt comes back.
        if (trimmed === '') return true;
        // "2" after a clarifying question picks its second choice; "0" takes the other reading offered.
        const number = /^(\d{1,2})[.)]?$/.exec(trimmed);
        const picked = number ? (number[1] === '0' ? other : choices[Number(number[1]) - 1]) : undefined;
        if (number && choices.length > 0 && picked === undefined) {
          // "7" when four are offered: say which numbers are, and keep the choice open.
          write(t('console.choice_range', { max: choices.length }));
          return true;
        }
        const { query, reply } = await bot.ask({
          conversation: { platform: 'console', channel: 'console', user: 'console' },
          text: picked ?? line,
          locale: language,
        });
        language = query.language;
        choices = reply.actions.filter((a) => a.id === 'choose').map((a) => a.value);
        other = reply.actions.find((a) => a.id === 'other')?.value;
        last = reply;
        // Short first: at most 5 lines; /plus for the rest.
        write(`\n${renderFirstMessage(reply, { hint: bot.templates.t(reply.language, 'console.more_hint'), otherHint: bot.templates.t(reply.language, 'console.other_hint') })}\n`);
        return true;
      }
    }
  };

  return {
    name: 'console',
    done,
    async start(bot: Core) {
      const label = bot.demoLabel(language);
      write(bot.templates.t(language, 'console.banner'));
      if (label) write(`⚠️  ${label.label}`);
      write(bot.templates.t(language, 'console.clock', { time: formatClock(clock.now(), language) }));
      write(bot.templates.t(language, 'console.hint'));
      rl = createInterface({ input, crlfDelay: Infinity, terminal: false });
      const prompt = () => {
        if (options.prompt) output.write('› ');
      };
      prompt();
      void (async () => {
        try {
          for await (const line of rl!) {
            if (!(await handle(bot, line))) break;
            prompt();
          }
        } finally {
          rl?.close();
          finish();
        }
      })();
    },
    async stop() {
      rl?.close();
      await done;
    },
  };
}
