/**
 * A command line vigie cannot understand gets its complaint in French first, then in English,
 * each on its own "vigie" line, then the usage text, exit code 2: for every command family
 * (ask/scenario, notice, subscriptions, db) and for node's own option parser, which speaks
 * English only.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runVigie } from '../helpers/cli.js';
import { testClockEnv } from '../helpers/clock.js';

const env = () => ({ USER: 'usage-test', VIGIE_STORE_URL: 'memory://', ...testClockEnv() });

/** The two complaint lines (before the blank line and the usage text). */
function complaint(stderr: string): [string, string] {
  const lines = stderr.split('\n\n')[0]!.split('\n');
  assert.equal(lines.length, 2, `two lines, French then English: ${stderr}`);
  return [lines[0]!, lines[1]!];
}

describe('vigie: usage complaints in French, then English', () => {
  const cases: { args: string[]; fr: RegExp; en: RegExp }[] = [
    { args: ['frobnicate'], fr: /^vigie : commande inconnue « frobnicate »$/, en: /^vigie: unknown command "frobnicate"$/ },
    { args: ['ask', '--bogus', 'x'], fr: /^vigie : option inconnue « --bogus »$/, en: /^vigie: Unknown option '--bogus'/ },
    { args: ['ask'], fr: /^vigie : ask demande une question/, en: /^vigie: ask needs a question/ },
    { args: ['ask', '--at', 'midi', 'ENT ?'], fr: /^vigie : --at : « midi » n'est pas une heure/, en: /^vigie: --at: "midi" is not a time/ },
    { args: ['notice', 'publish'], fr: /^vigie : notice publish demande --file/, en: /^vigie: notice publish needs --file/ },
    { args: ['notice', 'publish', '--file'], fr: /^vigie : l'option « (-f, )?--file » attend une valeur$/, en: /^vigie: Option '(-f, )?--file <value>' argument missing$/ },
    { args: ['notice', 'list', '--limit', '-3'], fr: /^vigie : la valeur de l'option « --limit » commence par un tiret : écrivez-la --limit=VALEUR$/, en: /^vigie: Option '--limit' argument is ambiguous\. Did you forget/ },
    { args: ['notice', 'list', '--limit=-3'], fr: /^vigie : --limit : nombre entier positif attendu, pas « -3 »$/, en: /^vigie: --limit: expected a positive whole number, got "-3"$/ },
    { args: ['subscriptions', 'add', '--platform', 'teams'], fr: /^vigie : --platform : slack ou discord .* pas « teams »$/, en: /^vigie: --platform must be slack or discord .* not "teams"$/ },
    { args: ['subscriptions', 'add', '--platform', 'slack'], fr: /^vigie : add demande --channel$/, en: /^vigie: add needs --channel$/ },
    { args: ['db', 'explode'], fr: /^vigie : attendu : « db migrate »/, en: /^vigie: expected "db migrate"/ },
    { args: ['health', 'now'], fr: /^vigie : health ne prend pas d'argument$/, en: /^vigie: health takes no argument$/ },
  ];
  for (const c of cases) {
    test(`GIVEN vigie ${c.args.join(' ')} THEN exit 2, the complaint in French then in English, then the usage`, async () => {
      const { code, stderr, stdout } = await runVigie(c.args, env());
      assert.equal(code, 2, stderr);
      assert.equal(stdout, '');
      const [fr, en] = complaint(stderr);
      assert.match(fr, c.fr);
      assert.match(en, c.en);
      assert.match(stderr.split('\n\n').slice(1).join('\n\n'), /vigie /, 'the usage text follows');
    });
  }
});
