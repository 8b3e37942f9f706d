/**
 * The "Non confirmé" line of answers (#15, item 5), end to end: people report through the
 * bot, the signals service steps on the injected clock, and the next answer about that
 * service and place carries one labelled line, never changing the official status, colour
 * or headline.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { FixedClock } from '../../src/base/clock.js';
import { silentLogger } from '../../src/base/logger.js';
import type { Inbound, Reply } from '../../src/base/types.js';
import type { Bot } from '../../src/bot.js';
import { firstMessage, firstMessageLines } from '../../src/answer/brief.js';
import { createRuntime, loadCheckedScenario } from '../../src/runtime.js';
import { scenarioTime } from '../../src/incidents/index.js';
import { SignalsService } from '../../src/signals/service.js';
import type { ProbeReading } from '../../src/signals/types.js';
import { sharedReference } from '../helpers/reference.js';
import { HandTimer, MIN, config } from './helpers.js';

const reference = sharedReference();
/** A Tuesday, 08:10 in Paris. */
const MORNING = new Date('2026-12-01T08:10:00+01:00');

const from = (user: string, text: string): Inbound => ({ conversation: { platform: 'discord', workspace: 'G1', channel: `D-${user}`, user }, text });
const texts = (reply: Reply) => [reply.headline, ...reply.sections.map((s) => `${s.title}: ${s.text}`)].join('\n');

async function withSignals(
  options: { at?: Date; scenario?: string; probes?: () => ProbeReading[] },
  fn: (ctx: { bot: Bot; clock: FixedClock; timer: HandTimer; service: SignalsService }) => Promise<void>,
): Promise<void> {
  const clock = new FixedClock(options.at ?? MORNING);
  const scenario = options.scenario ? loadCheckedScenario(options.scenario, reference.content, reference.gazetteer) : undefined;
  const runtime = await createRuntime({ storeUrl: 'memory://', clock, reference, logger: silentLogger, reportSecret: 'test-secret', ...(scenario ? { scenario } : {}) });
  const timer = new HandTimer(clock);
  const service = new SignalsService({
    places: reference.gazetteer,
    config,
    source: runtime.store.reports,
    clock,
    timer,
    logger: silentLogger,
    services: reference.content.services.map((s) => s.id),
    prober: options.probes ? { readings: options.probes } : null,
  });
  await service.start();
  runtime.bot.useSignals(service);
  try {
    await fn({ bot: runtime.bot, clock, timer, service });
  } finally {
    await service.stop();
    await runtime.close();
  }
}

const CITIES = ['Montpellier', 'Toulouse', 'Nîmes'];

/** `n` people report the ENT failing in Montpellier, Toulouse and Nîmes in turn, each with text an admin only may read. */
async function reports(bot: Bot, n: number, prefix: string): Promise<void> {
  for (let i = 0; i < n; i++) await bot.report(from(`${prefix}-${i}`, `l'ENT ne marche pas à ${CITIES[i % 3]} <@U999> SECRET-${prefix}-${i} https://evil.example`));
}

describe('Answers: the unconfirmed line', () => {
  test('GIVEN no official word and 7 people reporting the ENT (in Montpellier, Toulouse, Nîmes) THEN the answer for Occitanie keeps the unknown status and headline and adds one labelled line; the memo does not hide a grown count', () =>
    withSignals({}, async ({ bot, timer }) => {
      const question = from('teacher', "l'ENT marche en Occitanie ?");
      const before = (await bot.ask(question)).reply;
      assert.equal(before.status, 'unknown');
      assert.ok(!before.sections.some((s) => s.key === 'signal'));

      await reports(bot, 7, 'p');
      // Not stepped yet: the same answer as before.
      assert.ok(!(await bot.ask(question)).reply.sections.some((s) => s.key === 'signal'));
      await timer.advance(MIN);
      const after = (await bot.ask(question)).reply;
      assert.equal(after.status, 'unknown', 'never the status');
      assert.equal(after.headline, before.headline, 'never the headline nor its colour');
      const line = after.sections.find((s) => s.key === 'signal');
      assert.equal(line?.title, 'Non confirmé');
      assert.equal(line?.text, 'Non confirmé : 7 signalements en Occitanie depuis 8 h 10.');
      // In the first message too, right after the first fact.
      assert.ok(firstMessageLines(firstMessage(after)!).includes(line!.text), firstMessageLines(firstMessage(after)!).join('\n'));

      // More people: the same question gets the new count (no memoised reply hides it).
      await reports(bot, 5, 'q');
      await timer.advance(MIN);
      const grown = (await bot.ask(question)).reply;
      assert.equal(grown.sections.find((s) => s.key === 'signal')?.text, 'Non confirmé : 12 signalements en Occitanie depuis 8 h 10.');
      // A place inside (Montpellier) is covered by it; English says it in English.
      const en = (await bot.ask(from('teacher-en', 'is the ENT down in Montpellier?'))).reply;
      assert.equal(en.sections.find((s) => s.key === 'signal')?.text, 'Unconfirmed: 12 reports in Occitanie since 8:10 am.');
      // Elsewhere or another service: no line.
      assert.ok(!(await bot.ask(from('b', "l'ENT marche en Bretagne ?"))).reply.sections.some((s) => s.key === 'signal'));
      assert.ok(!(await bot.ask(from('c', 'Pronote marche en Occitanie ?'))).reply.sections.some((s) => s.key === 'signal'));
      // Nothing of what people wrote is echoed.
      for (const reply of [after, grown, en]) {
        assert.ok(!/SECRET|evil|<@U999>/.test(texts(reply)), texts(reply));
        assert.ok(!/SECRET|evil|<@U999>/.test(firstMessageLines(firstMessage(reply)!).join('\n')));
      }
    }));

  test('GIVEN an official incident in effect and a crowd signal THEN status, headline and colour are the official ones, the line is beside them', () =>
    (async () => {
      const scenario = loadCheckedScenario('2020-03-17', reference.content, reference.gazetteer);
      const at = scenarioTime(scenario, '10:00');
      await withSignals({ scenario: '2020-03-17', at }, async ({ bot, timer }) => {
        const question = from('teacher', "l'ENT marche en Occitanie ?");
        const before = (await bot.ask(question)).reply;
        assert.notEqual(before.status, 'unknown');
        await reports(bot, 20, 'p');
        await timer.advance(MIN);
        const after = (await bot.ask(question)).reply;
        assert.equal(after.status, before.status);
        assert.equal(after.headline, before.headline);
        assert.deepEqual(after.sections.filter((s) => s.key !== 'signal'), before.sections);
        assert.equal(after.sections.find((s) => s.key === 'signal')?.text, 'Non confirmé : 20 signalements en Occitanie depuis 10 h.');
      });
    })());

  test('GIVEN a probe down for the ENT in Occitanie and a crowd signal THEN one line says both; a probe alone is labelled unconfirmed too', () => {
    let state: ProbeReading['state'] = 'down';
    const probes = (): ProbeReading[] => [{ probe: 'ent-occitanie', service: 'ent', places: [{ kind: 'region', code: '76' }], state, since: new Date('2026-12-01T08:52:00+01:00') }];
    return withSignals({ at: new Date('2026-12-01T09:00:00+01:00'), probes }, async ({ bot, timer }) => {
      const question = from('teacher', "l'ENT marche à Toulouse ?");
      assert.equal((await bot.ask(question)).reply.sections.find((s) => s.key === 'signal')?.text, 'Non confirmé — vérification automatique : ENT sans réponse depuis 8 h 52.');
      await reports(bot, 6, 'p');
      await timer.advance(MIN);
      const reply = (await bot.ask(question)).reply;
      assert.equal(reply.status, 'unknown');
      assert.equal(reply.sections.find((s) => s.key === 'signal')?.text, 'Non confirmé : 6 signalements en Occitanie depuis 9 h · vérification automatique : ENT sans réponse depuis 8 h 52.');
      // The probe recovers: the line says only the crowd (the memo does not keep the old one).
      state = 'up';
      assert.equal((await bot.ask(question)).reply.sections.find((s) => s.key === 'signal')?.text, 'Non confirmé : 6 signalements en Occitanie depuis 9 h.');
    });
  });
});
