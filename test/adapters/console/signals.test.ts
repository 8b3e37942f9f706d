/**
 * `/signaux` (`/signals`) in the console (#15): the open crowd signals, groups and probes,
 * unconfirmed; "not followed" when no signals service runs. Never what people wrote.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { typeLines } from './typed.js';
import { createRuntime, FixedClock, type Language } from '../../../src/index.js';
import { SignalsService } from '../../../src/signals/service.js';
import type { ProbeReading } from '../../../src/signals/types.js';
import { sharedReference } from '../../helpers/bot.js';
import { config } from '../../signals/helpers.js';

const MORNING = Date.parse('2026-12-01T08:10:00+01:00');
const key = (s: string) => createHash('sha256').update(s).digest('hex');

async function consoleWith(options: { signals: boolean; reports?: number; probes?: ProbeReading[] }, lines: string[], language: Language = 'fr'): Promise<string> {
  const reference = sharedReference();
  const clock = new FixedClock(new Date(MORNING + 2 * 60_000));
  const runtime = await createRuntime({ storeUrl: 'memory://', clock, reference });
  for (let i = 0; i < (options.reports ?? 0); i++) {
    await runtime.store.reports.addUnlessLimited(
      { at: new Date(MORNING + i * 1_000), service: 'cned', place: { kind: 'departement', code: i % 2 ? '59' : '62' }, level: null, platform: 'discord', reporter: key(`p${i}`), text: `@everyone SECRET-${i}` },
      10,
      new Date(0),
    );
  }
  const service = options.signals
    ? new SignalsService({ places: reference.gazetteer, config, source: runtime.store.reports, clock, services: reference.content.services.map((s) => s.id), prober: options.probes ? { readings: () => options.probes! } : null })
    : null;
  if (service) {
    await service.warmUp();
    runtime.bot.useSignals(service);
  }
  const text = await typeLines(runtime.bot, clock, lines, language);
  await runtime.close();
  return text;
}

describe('console /signaux', () => {
  test('GIVEN 16 people reporting the CNED in Nord and Pas-de-Calais and a probe down THEN /signaux lists the surge for Hauts-de-France, the probe (no related-signals section for one signal); nothing they wrote', async () => {
    const probes: ProbeReading[] = [{ probe: 'cned', service: 'cned', places: [{ kind: 'national', code: 'FR' }], state: 'down', since: new Date(MORNING - 5 * 60_000) }];
    const out = await consoleWith({ signals: true, reports: 16, probes }, ['/signaux']);
    const lines = out.split('\n');
    assert.ok(lines.includes('• CNED dans les Hauts-de-France : forte hausse · 16 personnes sur 30 min, 16 en tout · depuis 8 h 10 · surtout : Nord (8), Pas-de-Calais (8)'), out);
    assert.ok(!lines.some((l) => l.startsWith('Signaux liés')), out); // one signal: no related-signals section
    assert.ok(lines.includes('Vérifications automatiques :'), out);
    assert.ok(lines.includes('• cned (CNED) : sans réponse depuis 8 h 05'), out);
    assert.doesNotMatch(out, /SECRET|@everyone/);
  });

  test('GIVEN no signals service THEN /signals says signals are not followed here, in English', async () => {
    const out = await consoleWith({ signals: false }, ['/en', '/signals']);
    assert.match(out, /Signals are not followed here\./);
  });
});
