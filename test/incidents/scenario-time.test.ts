import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { scenarioTime, scenarioTimeline } from '../../src/incidents/scenario-time.js';
import { fixtureScenario } from '../fixtures/load-fixtures.js';

describe('scenarioTime', () => {
  test('GIVEN a winter day in Paris THEN 08:15 is 07:15 UTC', () => {
    assert.equal(scenarioTime({ date: '2020-03-17', timezone: 'Europe/Paris' }, '08:15').toISOString(), '2020-03-17T07:15:00.000Z');
  });

  test('GIVEN a summer day in Paris THEN 08:15 is 06:15 UTC', () => {
    assert.equal(scenarioTime({ date: '2020-06-02', timezone: 'Europe/Paris' }, '08:15').toISOString(), '2020-06-02T06:15:00.000Z');
  });

  test('GIVEN "+1 07:00" on the eve of the spring change THEN the next day is read in summer time', () => {
    assert.equal(scenarioTime({ date: '2020-03-28', timezone: 'Europe/Paris' }, '+1 07:00').toISOString(), '2020-03-29T05:00:00.000Z');
  });

  test('GIVEN a day of another zone THEN its own offset applies', () => {
    assert.equal(scenarioTime({ date: '2020-03-17', timezone: 'Indian/Reunion' }, '08:00').toISOString(), '2020-03-17T04:00:00.000Z');
  });

  test('GIVEN a time skipped by the spring change THEN it moves past the gap', () => {
    assert.equal(scenarioTime({ date: '2020-03-29', timezone: 'Europe/Paris' }, '02:30').toISOString(), '2020-03-29T01:30:00.000Z');
  });

  test('GIVEN a time repeated by the autumn change THEN the first occurrence is taken', () => {
    assert.equal(scenarioTime({ date: '2020-10-25', timezone: 'Europe/Paris' }, '02:30').toISOString(), '2020-10-25T00:30:00.000Z');
  });

  test('GIVEN a month end THEN "+1" rolls into the next month', () => {
    assert.equal(scenarioTime({ date: '2020-03-31', timezone: 'Europe/Paris' }, '+1 09:00').toISOString(), '2020-04-01T07:00:00.000Z');
  });

  test('GIVEN a malformed time THEN it throws a RangeError', () => {
    assert.throws(() => scenarioTime({ date: '2020-03-17', timezone: 'Europe/Paris' }, '8h15'), RangeError);
  });
});

describe('scenarioTimeline', () => {
  test('GIVEN the fixture day THEN its steps are the distinct event times in order', () => {
    const steps = scenarioTimeline(fixtureScenario());
    assert.deepEqual(
      steps.map((s) => s.at),
      ['08:15', '09:00', '09:30', '11:45', '17:30', '+1 07:00'],
    );
    assert.equal(steps.at(-1)?.time.toISOString(), '2020-03-18T06:00:00.000Z');
  });
});
