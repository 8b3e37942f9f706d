/**
 * The instant tests treat as "now" when they are not replaying a scenario. It is fixed, never
 * the wall clock; the test runner runs part of the suite again with other values of
 * VIGIE_TEST_NOW (late evening, a DST change day) and other time zones, to prove that no
 * test and no code path depends on the hour or the machine's zone.
 */
export const TEST_NOW = new Date(process.env.VIGIE_TEST_NOW ?? '2026-12-01T10:00:00+01:00');

let commands = 0;

/**
 * The environment that makes a child process (CLI, `npm start`) run on the test's clock.
 * Each call is one minute after the previous one, as commands typed one after the other,
 * so what one process wrote is in the past for the next.
 */
export function testClockEnv(): { VIGIE_NOW: string } {
  const at = new Date(TEST_NOW.getTime() + commands * 60_000);
  commands += 1;
  return { VIGIE_NOW: at.toISOString() };
}
