import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Actor, Inbound } from '../../src/index.js';
import { withStoreBot } from '../helpers/bot.js';

const admin: Actor = { platform: 'slack', workspace: 'T1', user: 'U_ADMIN', name: 'Rectorat de Toulouse' };
const ask = (text: string): Inbound => ({ conversation: { platform: 'slack', workspace: 'T1', channel: 'C1', user: 'U2' }, text });

describe('admin incidents', () => {
  test('GIVEN a valid opening THEN preview stores nothing, apply stores it, audits it, and answers change at once', () =>
    withStoreBot(async (bot, _clock, runtime) => {
      const input = { action: 'open', service: 'pronote', places: 'Haute-Garonne', status: 'major_outage', cause: 'provider', textFr: 'Pronote est inaccessible.', textEn: 'Pronote is unreachable.' };
      const before = await bot.ask(ask('pronote toulouse ?'));
      assert.equal(before.reply.kind, 'no_information');
      assert.equal(before.reply.status, 'unknown', 'an empty store says nothing official: unknown');
      const preview = await bot.previewIncident(input, admin, 'fr');
      assert.equal(preview.ok, true);
      assert.match(preview.reply.headline, /Aperçu/);
      assert.equal(await runtime.store.incidents.count(), 0);
      const applied = await bot.applyIncident(input, admin, 'fr');
      assert.ok(applied.ok);
      assert.match(applied.incident.id, /^pronote-haute-garonne-/);
      const after = await bot.ask(ask('pronote toulouse ?'));
      assert.equal(after.reply.status, 'major_outage');
      assert.deepEqual(after.reply.incidents, [applied.incident.id]);
      assert.equal(after.reply.source?.name, 'Rectorat de Toulouse');
      const audit = await runtime.store.audit.list();
      assert.equal(audit.at(-1)?.action, 'incident.open');
      assert.equal(audit.at(-1)?.outcome, 'ok');
    }));

  test('GIVEN an open incident WHEN it is updated then resolved THEN the timeline grows and answers say it is restored', () =>
    withStoreBot(async (bot, clock) => {
      const opened = await bot.applyIncident({ action: 'open', service: 'ent', places: 'Occitanie', textFr: 'ENT inaccessible.' }, admin, 'fr');
      assert.ok(opened.ok);
      clock.advance(3600_000);
      const updated = await bot.applyIncident({ action: 'update', id: opened.incident.id, status: 'degraded_performance', phase: 'monitoring', textFr: 'Ça revient.', recoveryAt: '18:00', recoveryFr: 'Ce soir.' }, admin, 'fr');
      assert.ok(updated.ok);
      assert.equal(updated.incident.updates.length, 2);
      assert.equal(updated.incident.expectedRecovery?.at, '2020-03-17T17:00:00.000Z');
      clock.advance(3600_000);
      const resolved = await bot.applyIncident({ action: 'resolve', id: opened.incident.id, textFr: 'Rétabli.' }, admin, 'fr');
      assert.ok(resolved.ok);
      assert.equal(resolved.incident.phase, 'resolved');
      assert.deepEqual(await bot.openIncidents(), []);
      const answer = await bot.ask(ask("l'ENT marche en Occitanie ?"));
      assert.equal(answer.reply.kind, 'all_clear');
      assert.equal(answer.reply.status, 'operational', 'resolved by an admin: operational on that word');
      assert.match(answer.reply.headline, /^🟢 ENT : rétabli en Occitanie à 12 h$/);
      assert.ok(answer.reply.incidents.includes(opened.incident.id), 'the recently resolved incident is mentioned');
      // After the all-clear window (24 h by default), nothing official is in effect any more.
      clock.advance(25 * 3600_000);
      const later = await bot.ask(ask("l'ENT marche en Occitanie ?"));
      assert.equal(later.reply.status, 'unknown');
    }, '2020-03-17T09:00:00Z'));

  test('GIVEN a relative recovery time ("+4h", "dans 90 min", "in 1h30") THEN it is counted from now, whatever the hour', () =>
    withStoreBot(async (bot, clock) => {
      const now = clock.now().getTime();
      for (const [typed, minutes] of [['+4h', 240], ['dans 90 min', 90], ['in 1h30', 90], ['+2 heures', 120]] as const) {
        const opened = await bot.applyIncident({ action: 'open', service: 'ent', places: 'Occitanie', textFr: 'ENT inaccessible.', recoveryAt: typed, force: true }, admin, 'fr');
        assert.ok(opened.ok, typed);
        assert.equal(opened.incident.expectedRecovery?.at, new Date(now + minutes * 60_000).toISOString(), typed);
      }
      for (const bad of ['+0h', '+999h', 'dans longtemps', '+4x']) {
        const refused = await bot.applyIncident({ action: 'open', service: 'ent', places: 'Occitanie', textFr: 'x', recoveryAt: bad }, admin, 'fr');
        assert.equal(refused.ok, false, bad);
        if (!refused.ok) assert.match(refused.errors.join(' '), /recoveryAt/, bad);
      }
    }));

  test('GIVEN invalid input THEN precise errors per field, nothing stored, and the failure audited', () =>
    withStoreBot(async (bot, _clock, runtime) => {
      const cases: [unknown, RegExp][] = [
        [{ action: 'open', places: 'Occitanie', textFr: 'x' }, /service/],
        [{ action: 'open', service: 'ent', places: 'Trifouillis-les-Oies', textFr: 'x' }, /Trifouillis/],
        [{ action: 'open', service: 'nope', places: 'Lille', textFr: 'x' }, /nope/],
        [{ action: 'update', id: 'missing', textFr: 'x' }, /missing/],
        [{ action: 'open', service: 'ent', places: 'Lille', textFr: '' }, /textFr/],
        [{ action: 'explode' }, /action/],
        [{ action: 'open', service: 'ent', places: 'Lille', textFr: 'x', status: 'on_fire' }, /status/],
        ['not an object', /form|Invalid/],
        [{ action: 'open', service: 'ent', places: 'Lille', textFr: 'x', sourceUrl: 'javascript:alert(1)' }, /sourceUrl/],
      ];
      for (const [input, expected] of cases) {
        const out = await bot.applyIncident(input, admin, 'fr');
        assert.equal(out.ok, false, JSON.stringify(input));
        if (!out.ok) assert.match(out.errors.join(' '), expected, JSON.stringify(input));
      }
      assert.equal(await runtime.store.incidents.count(), 0);
      const audit = await runtime.store.audit.list();
      assert.equal(audit.filter((e) => e.outcome === 'failed').length, cases.length);
    }));

  test('GIVEN a refusal THEN the attempt is audited and the reply says admins only, in English too', () =>
    withStoreBot(async (bot, _clock, runtime) => {
      const reply = await bot.refuse({ platform: 'discord', workspace: 'G', user: 'U9' }, 'incident.open', 'en');
      assert.match(reply.headline, /Admins only/);
      const [entry] = await runtime.store.audit.list();
      assert.equal(entry?.outcome, 'refused');
      assert.equal(entry?.actor.user, 'G/U9');
    }));

  test('GIVEN places given as codes THEN each resolves (département number, postal code, kind:code, national)', () =>
    withStoreBot(async (bot) => {
      const out = await bot.previewIncident({ action: 'open', service: 'ent', places: '31, 34000, academie:lyon, national', textFr: 'x' }, admin, 'fr');
      assert.ok(out.ok);
      assert.deepEqual(out.incident.scope.places, [
        { kind: 'departement', code: '31' },
        { kind: 'commune', code: '34172' },
        { kind: 'academie', code: 'lyon' },
        { kind: 'national', code: 'FR' },
      ]);
    }));
});

describe('admin input that makes no sense', () => {
  test('GIVEN only separators as places, a recovery time already past, or a date that does not exist THEN each is refused with a reason', () =>
    withStoreBot(async (bot) => {
      const cases: [Record<string, unknown>, RegExp][] = [
        [{ action: 'open', service: 'ent', places: ',,,;;;', textFr: 'x' }, /places/],
        [{ action: 'open', service: 'ent', places: 'Lille', textFr: 'x', recoveryAt: '08:00' }, /recoveryAt.*passée/],
        [{ action: 'open', service: 'ent', places: 'Lille', textFr: 'x', recoveryAt: '2020-02-30T10:00' }, /recoveryAt/],
      ];
      for (const [input, expected] of cases) {
        const out = await bot.previewIncident(input, admin, 'fr');
        assert.equal(out.ok, false, JSON.stringify(input));
        if (!out.ok) {
          assert.ok(out.errors.length > 0);
          assert.match(out.errors.join(' '), expected);
        }
      }
    }, '2020-03-17T09:00:00Z'));
});
