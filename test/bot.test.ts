import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Bot, createLogger, FixedClock, type Inbound } from '../src/index.js';
import { createRuntime, loadCheckedScenario, loadReferenceData } from '../src/runtime.js';
import { scenarioTime } from '../src/incidents/index.js';
import type { IncidentSource } from '../src/sources/incident-source.js';

const reference = loadReferenceData();
const scenario = loadCheckedScenario('2020-03-17', reference.content, reference.gazetteer);

function inbound(text: string, user = 'parent-1', channel = 'C1'): Inbound {
  return { conversation: { platform: 'discord', workspace: 'G1', channel, user }, text };
}

async function withBot<T>(fn: (bot: Bot, clock: FixedClock) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-bot-'));
  const clock = new FixedClock(scenarioTime(scenario, '10:00'));
  const runtime = await createRuntime({ storeUrl: `sqlite://${join(dir, 'bot.sqlite')}`, clock, reference, scenario });
  try {
    return await fn(runtime.bot, clock);
  } finally {
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('bot facade: follow-ups kept in the store', () => {
  test('GIVEN a question on the ENT in Occitanie WHEN the same person asks "et en Bretagne ?" THEN the service is reused', () =>
    withBot(async (bot) => {
      await bot.ask(inbound("l'ENT est en panne en Occitanie ?"));
      const { query } = await bot.ask(inbound('et en Bretagne ?'));
      assert.equal(query.service, 'ent');
      assert.equal(query.place?.code, '53');
    }));

  test('GIVEN two parents in one channel THEN one\'s context does not leak into the other\'s question', () =>
    withBot(async (bot) => {
      await bot.ask(inbound("l'ENT est en panne en Occitanie ?", 'parent-1'));
      const { query } = await bot.ask(inbound('et en Bretagne ?', 'parent-2'));
      assert.notEqual(query.service, 'ent');
    }));

  test('GIVEN 31 minutes of silence THEN the follow-up no longer inherits the service', () =>
    withBot(async (bot, clock) => {
      await bot.ask(inbound("l'ENT est en panne en Occitanie ?"));
      clock.advance(31 * 60_000);
      const { query } = await bot.ask(inbound('et en Bretagne ?'));
      assert.notEqual(query.service, 'ent');
    }));

  test('GIVEN a replayed scenario THEN every reply carries the demo label', () =>
    withBot(async (bot) => {
      const { reply } = await bot.ask(inbound('le cned marche ?'));
      assert.equal(reply.demo?.scenario, '2020-03-17');
      assert.match(reply.demo?.label ?? '', /DÉMO/);
    }));
});

describe('bot facade: failures', () => {
  test('GIVEN the incident source fails THEN the person gets an apology with a reference id, and the log has it without crashing', async () => {
    const clock = new FixedClock(new Date('2020-03-17T09:00:00Z'));
    const runtime = await createRuntime({ storeUrl: 'memory://', clock, reference });
    const logs = new PassThrough();
    const failing: IncidentSource = {
      scenario: null,
      invalidate() {},
      index: () => Promise.reject(new Error('disk on fire')),
    };
    const bot = new Bot({ ...reference, store: runtime.store, clock, source: failing, logger: createLogger({ level: 'debug', stream: logs }) });
    const { reply } = await bot.ask(inbound('le cned marche ?'));
    assert.equal(reply.kind, 'error');
    const ref = /([0-9a-f]{8})/.exec(reply.sections[0]?.text ?? '')?.[1];
    assert.ok(ref, 'the apology gives a reference id');
    const logged = String(logs.read());
    assert.match(logged, new RegExp(ref));
    assert.match(logged, /disk on fire/);
    await runtime.close();
  });
});
