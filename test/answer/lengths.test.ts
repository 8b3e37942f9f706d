/**
 * Short first, on the whole corpus: every question and follow-up of test/corpus, asked in four
 * states (demo 10:00, 18:45, the next morning, an empty live store), has a first message of at
 * most 5 lines and 500 characters as the console, the CLI, Slack and Discord show it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { measureCorpus, PLATFORMS } from '../corpus/lengths.js';
import { sharedReference } from '../helpers/bot.js';

test('GIVEN the whole corpus in four states THEN every first message, on every platform, is at most 5 lines and 500 characters', async () => {
  const report = await measureCorpus(sharedReference());
  assert.ok(report.answers >= 2_500, `${report.answers} answers measured`);
  for (const platform of PLATFORMS) assert.ok(report.measured.some((m) => m.platform === platform), platform);
  const over = report.over.slice(0, 5).map((m) => `${m.platform} [${m.state}] ${m.question}: ${m.lines} lines, ${m.chars} characters\n${m.text}`);
  assert.deepEqual(over, []);
  // Before this work every answer was 11–16 lines: the measure is of first messages, not of details.
  const long = report.measured.filter((m) => m.platform === 'console' && m.lines >= 5).length;
  assert.ok(long < report.answers / 2, `${long} of ${report.answers} console first messages use all 5 lines`);
});
