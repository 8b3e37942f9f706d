/**
 * `npm run bench:adapters`: each platform adapter against a bare app of the same library
 * version, on the project's fakes, in one process and one run, printing answers per second
 * and the ratio (aim ≥ 0.8 for both). Run on a quiet machine: the figures are ratios so
 * that the machine's speed cancels out, but another process's load does not.
 */
import { benchSlack } from './adapters-slack.js';
import { benchDiscord } from './adapters-discord.js';

const slack = await benchSlack({ print: () => undefined });
const discord = await benchDiscord({ log: () => undefined });
const line = (name: string, bare: number, vigie: number, ratio: number, unit: string) =>
  `  ${name.padEnd(8)} bare ${bare.toFixed(0).padStart(5)} ${unit} · Vigie ${vigie.toFixed(0).padStart(5)} ${unit} · ratio ${ratio.toFixed(2)} ${ratio >= 0.8 ? '(≥ 0.80 ✓)' : '(below the 0.80 aim)'}`;
process.stdout.write(
  [
    'Answers at the libraries’ speed (medians of interleaved rounds; Discord: each bot in its own process, Vigie with npm start’s Node flags):',
    line('Slack', slack.bare, slack.vigie, slack.ratio, 'commands/s'),
    `           CPU per command: bare ${slack.bareCpuMs.toFixed(3)} ms · Vigie ${slack.vigieCpuMs.toFixed(3)} ms · users.info per command ${slack.vigieUsersInfoPerCommand.toFixed(3)}`,
    line('Discord', discord.bare, discord.vigie, discord.ratio, 'answers/s'),
    `           CPU per answer (bot and fake): bare ${discord.bareCpuMs.toFixed(3)} ms · Vigie ${discord.vigieCpuMs.toFixed(3)} ms`,
    `           Vigie answers: ${discord.vigieAnswers.direct} direct replies, ${discord.vigieAnswers.deferred} deferred then edited`,
    '',
  ].join('\n'),
);
process.exit(0);
