/**
 * Wall clocks in named zones (src/base/zoned-time.ts). The wall clock of an instant is read
 * from Intl once per UTC hour and zone and computed from that hour's offset after; these
 * tests hold it to Intl's own answer, second by second where zones change (Paris's DST
 * changes, Lord Howe's half-hour change inside a UTC hour, Kathmandu's +05:45, Apia's
 * skipped day), and check the instants of wall times across DST.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wallClock, zoneOffset, zonedTimeToInstant, isValidTimeZone } from '../../src/base/zoned-time.js';

/** Intl's wall clock of an instant, read directly (what wallClock must always agree with). */
const formats = new Map<string, Intl.DateTimeFormat>();
function intl(instant: number, timeZone: string) {
  let f = formats.get(timeZone);
  if (!f) formats.set(timeZone, (f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })));
  const out: Record<string, number> = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of f.formatToParts(new Date(instant))) if (p.type in out) out[p.type] = Number(p.value);
  return out;
}

/** Instants around each change: every 7 minutes 13 seconds over 6 hours on each side, and every second over the 2 minutes around it. */
function around(change: number): number[] {
  const out: number[] = [];
  for (let t = change - 6 * 3600_000; t <= change + 6 * 3600_000; t += 433_000) out.push(t);
  for (let t = change - 60_000; t <= change + 60_000; t += 1_000) out.push(t, t + 999);
  return out;
}

const CHANGES: [string, string][] = [
  ['Europe/Paris', '2026-03-29T01:00:00Z'], // 02:00 → 03:00
  ['Europe/Paris', '2026-10-25T01:00:00Z'], // 03:00 → 02:00
  ['Australia/Lord_Howe', '2026-04-04T15:00:00Z'], // +11:00 → +10:30, at 02:00 local, mid-UTC hour
  ['Australia/Lord_Howe', '2026-10-03T15:30:00Z'], // +10:30 → +11:00
  ['Asia/Kathmandu', '2026-06-01T12:00:00Z'], // no change, +05:45
  ['Pacific/Apia', '2011-12-30T10:00:00Z'], // Samoa skipped 30 December 2011
  ['America/St_Johns', '2026-03-08T05:30:00Z'], // -03:30 → -02:30
];

test('GIVEN instants around DST changes and odd offsets THEN wallClock gives the same fields as Intl, each second of the change included', () => {
  for (const [zone, iso] of CHANGES) {
    for (const t of around(Date.parse(iso))) assert.deepEqual(wallClock(t, zone), intl(t, zone), `${zone} at ${new Date(t).toISOString()}`);
  }
});

test('GIVEN the same instants asked again, in another order THEN the answers do not change (nothing kept is wrong)', () => {
  for (const [zone, iso] of [...CHANGES].reverse()) {
    for (const t of around(Date.parse(iso)).reverse()) assert.deepEqual(wallClock(t, zone), intl(t, zone), `${zone} at ${new Date(t).toISOString()}`);
  }
});

test('GIVEN Paris THEN the offset is +1 h in winter and +2 h in summer, and wall times map to their instants across DST', () => {
  assert.equal(zoneOffset(Date.parse('2026-01-15T12:00:00Z'), 'Europe/Paris'), 3600_000);
  assert.equal(zoneOffset(Date.parse('2026-07-15T12:00:00Z'), 'Europe/Paris'), 7200_000);
  assert.equal(zonedTimeToInstant('Europe/Paris', 2026, 3, 29, 1, 30).toISOString(), '2026-03-29T00:30:00.000Z');
  // 02:30 does not exist that night: moved past the gap, to 03:30.
  assert.equal(zonedTimeToInstant('Europe/Paris', 2026, 3, 29, 2, 30).toISOString(), '2026-03-29T01:30:00.000Z');
  // 02:30 comes twice in October: the first one.
  assert.equal(zonedTimeToInstant('Europe/Paris', 2026, 10, 25, 2, 30).toISOString(), '2026-10-25T00:30:00.000Z');
});

test('GIVEN an unknown zone THEN it is refused as Intl refuses it, and a later valid zone still answers', () => {
  assert.equal(isValidTimeZone('Mars/Olympus_Mons'), false);
  assert.throws(() => wallClock(0, 'Mars/Olympus_Mons'), RangeError);
  assert.deepEqual(wallClock(0, 'Europe/Paris'), { year: 1970, month: 1, day: 1, hour: 1, minute: 0, second: 0 });
});
