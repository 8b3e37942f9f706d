import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Bot, createLogger, FixedClock, type Inbound } from '../src/index.js';
import { createRuntime, loadCheckedScenario } from '../src/runtime.js';
import { RECENTLY_RESOLVED_MS, scenarioTime } from '../src/incidents/index.js';
import type { IncidentSource } from '../src/sources/incident-source.js';
import { withStoreBot } from './helpers/bot.js';
import { sharedReference } from './helpers/reference.js';

const reference = sharedReference();
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

  test('GIVEN a message not understood in between WHEN the person then asks "et en Bretagne ?" THEN the service of the question before is still reused', () =>
    withBot(async (bot) => {
      await bot.ask(inbound("l'ENT est en panne en Occitanie ?"));
      const lost = await bot.ask(inbound('qsdfghjk'));
      assert.equal(lost.query.intent, 'unknown');
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

describe('bot facade: answers kept for questions asked again', () => {
  const admin = { platform: 'discord', workspace: 'G1', user: 'ADMIN', name: 'Rectorat de Toulouse' } as const;

  test('GIVEN a question already answered WHEN an admin updates the incident (same minute) THEN the same question, by anyone, gets the new status and text', () =>
    withStoreBot(async (bot) => {
      const opened = await bot.applyIncident({ action: 'open', service: 'pronote', places: 'Haute-Garonne', status: 'major_outage', textFr: 'Pronote est inaccessible.' }, admin, 'fr');
      assert.ok(opened.ok);
      const first = await bot.ask(inbound('pronote toulouse ?', 'parent-1'));
      const again = await bot.ask(inbound('pronote toulouse ?', 'parent-2'));
      assert.equal(first.reply.status, 'major_outage');
      assert.equal(again.reply.headline, first.reply.headline);
      const updated = await bot.applyIncident({ action: 'update', id: opened.incident.id, status: 'degraded_performance', textFr: 'Pronote revient doucement.' }, admin, 'fr');
      assert.ok(updated.ok);
      const after = await bot.ask(inbound('pronote toulouse ?', 'parent-3'));
      assert.equal(after.reply.status, 'degraded_performance');
      assert.notEqual(after.reply.headline, first.reply.headline);
      assert.ok(after.reply.sections.some((s) => s.text.includes('Pronote revient doucement.')), 'the new official text is shown');
      const resolved = await bot.applyIncident({ action: 'resolve', id: opened.incident.id, textFr: 'Rétabli.' }, admin, 'fr');
      assert.ok(resolved.ok);
      const restored = await bot.ask(inbound('pronote toulouse ?', 'parent-4'));
      assert.equal(restored.reply.kind, 'all_clear');
    }, '2020-03-17T09:00:00Z'));

  test('GIVEN a question already answered WHEN the expected recovery time passes (same day, nothing written) THEN the answer says it was announced, with no news since', () =>
    withStoreBot(async (bot, clock) => {
      const opened = await bot.applyIncident({ action: 'open', service: 'ent', places: 'Occitanie', textFr: 'ENT inaccessible.', recoveryAt: '+1h' }, admin, 'fr');
      assert.ok(opened.ok);
      const recovery = (r: { sections: { key: string; text: string }[] }) => r.sections.find((s) => s.key === 'recovery')?.text ?? '';
      const before = await bot.ask(inbound("l'ENT marche en Occitanie ?", 'parent-1'));
      assert.doesNotMatch(recovery(before.reply), /sans nouvelle/);
      clock.advance(2 * 3600_000);
      const after = await bot.ask(inbound("l'ENT marche en Occitanie ?", 'parent-2'));
      assert.match(recovery(after.reply), /sans nouvelle information/);
    }, '2020-03-17T09:00:00Z'));

  test('GIVEN a question already answered WHEN the clock passes the end of the recently-resolved window THEN the answer no longer mentions the incident', () =>
    withStoreBot(async (bot, clock) => {
      const opened = await bot.applyIncident({ action: 'open', service: 'ent', places: 'Occitanie', textFr: 'ENT inaccessible.' }, admin, 'fr');
      assert.ok(opened.ok);
      assert.ok((await bot.applyIncident({ action: 'resolve', id: opened.incident.id, textFr: 'Rétabli.' }, admin, 'fr')).ok);
      const soon = await bot.ask(inbound("l'ENT marche en Occitanie ?", 'parent-1'));
      assert.equal(soon.reply.kind, 'all_clear');
      assert.ok(soon.reply.incidents.includes(opened.incident.id));
      clock.advance(RECENTLY_RESOLVED_MS + 3600_000);
      const later = await bot.ask(inbound("l'ENT marche en Occitanie ?", 'parent-2'));
      assert.equal(later.reply.kind, 'no_information');
      assert.ok(!later.reply.incidents.includes(opened.incident.id), 'a resolution older than the window is not mentioned');
      assert.notEqual(later.reply.time, soon.reply.time);
    }, '2020-03-17T09:00:00Z'));
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

describe('bot facade: the words it is given', () => {
  test('GIVEN templates made by the caller (npm start makes one set for its platforms) THEN the bot words its answers with those, not a second set', async () => {
    const reference = sharedReference();
    const { createTemplates } = await import('../src/content/templates.js');
    const templates = createTemplates(reference.content.messages);
    const clock = new FixedClock(new Date('2020-03-17T09:00:00Z'));
    const runtime = await createRuntime({ storeUrl: 'memory://', clock, reference, templates });
    try {
      assert.equal(runtime.bot.templates, templates);
    } finally {
      await runtime.close();
    }
  });
});
