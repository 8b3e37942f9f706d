/** The Statuspage v2-compatible JSON: every response validated by the zod schemas, on the demo scenario and on an empty store. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { silentLogger } from '../../src/base/logger.js';
import { FixedClock } from '../../src/base/clock.js';
import { createWebServer } from '../../src/web/server.js';
import { withStoreBot } from '../helpers/bot.js';
import { HTTP_NOW, demoWeb } from './helpers.js';
import { SCHEMAS } from './statuspage-schema.js';

const NAMES = Object.keys(SCHEMAS) as (keyof typeof SCHEMAS)[];

describe('Statuspage v2 JSON', () => {
  test('GIVEN the demo at 10:00 THEN every endpoint, French and English, matches Statuspage\'s shapes; ENT × Occitanie is a partial outage in the ENT group', async () => {
    const web = await demoWeb('10:00', { baseUrl: 'https://statut.example.fr/' });
    try {
      for (const prefix of ['/api/v2', '/en/api/v2']) {
        for (const name of NAMES) {
          const response = await web.app.inject({ url: `${prefix}/${name}` });
          assert.equal(response.statusCode, 200, name);
          assert.match(response.headers['content-type'] as string, /^application\/json/);
          assert.equal(response.headers['access-control-allow-origin'], '*');
          const parsed = SCHEMAS[name].safeParse(JSON.parse(response.body));
          assert.ok(parsed.success, `${prefix}/${name}: ${parsed.success ? '' : z.prettifyError(parsed.error)}`);
        }
      }
      const summary = SCHEMAS['summary.json'].parse(JSON.parse((await web.app.inject({ url: '/api/v2/summary.json' })).body));
      const occitanie = summary.components.find((c) => c.id === 'ent-region-76');
      assert.equal(occitanie?.status, 'partial_outage');
      assert.equal(occitanie?.group_id, 'ent');
      assert.equal(occitanie?.name, 'ENT — Occitanie');
      const group = summary.components.find((c) => c.id === 'ent');
      assert.equal(group?.group, true);
      assert.ok(group?.components?.includes('ent-region-76'));
      // Every component's group exists, and every group lists existing components.
      const ids = new Set(summary.components.map((c) => c.id));
      for (const c of summary.components) if (c.group_id) assert.ok(ids.has(c.group_id), c.id);
      assert.equal(summary.status.indicator, 'major');
      const ent = summary.incidents.find((i) => i.id === 'ent-occitanie');
      assert.equal(ent?.impact, 'major');
      assert.equal(ent?.shortlink, 'https://statut.example.fr/incident/ent-occitanie');
      assert.ok(ent?.components.some((c) => c.id === 'ent-region-76'));
      // Pronote: nobody official spoke; never "operational": left out, listed as unknown.
      assert.ok(!summary.components.some((c) => c.id.startsWith('pronote')));
      const unknown = (JSON.parse((await web.app.inject({ url: '/api/v2/summary.json' })).body) as { vigie_unknown_components: { id: string; status: string }[] }).vigie_unknown_components;
      assert.ok(unknown.some((c) => c.id === 'pronote-region-76' && c.status === 'unknown'));
      const en = SCHEMAS['incidents.json'].parse(JSON.parse((await web.app.inject({ url: '/en/api/v2/incidents.json' })).body));
      assert.ok(en.incidents.some((i) => i.name === 'ENT portals heavily slowed, even unreachable, in Occitanie'));
    } finally {
      await web.close();
    }
  });

  test('GIVEN the demo at 18:45 THEN each incident’s updates come newest first, none from after the scenario’s clock', async () => {
    const web = await demoWeb('18:45');
    try {
      const incidents = SCHEMAS['incidents.json'].parse(JSON.parse((await web.app.inject({ url: '/api/v2/incidents.json' })).body));
      for (const incident of incidents.incidents) {
        const times = incident.incident_updates.map((u) => u.created_at);
        assert.deepEqual(times, [...times].sort().reverse(), incident.id);
        assert.ok(incident.incident_updates.every((u) => u.created_at <= '2020-03-17T17:45:00.000Z'), 'no update from after the clock');
      }
    } finally {
      await web.close();
    }
  });

  test('GIVEN an empty store THEN no component is listed (none is operational without an official word), all are unknown, and the indicator is none', () =>
    withStoreBot(async (bot) => {
      const app = createWebServer({ core: bot, logger: silentLogger, clock: new FixedClock(HTTP_NOW) });
      try {
        const body = JSON.parse((await app.inject({ url: '/api/v2/summary.json' })).body) as { components: unknown[]; vigie_unknown_components: { id: string }[]; status: { indicator: string; description: string } };
        SCHEMAS['summary.json'].parse(body);
        assert.deepEqual(body.components, []);
        assert.equal(body.vigie_unknown_components.length, bot.services().length * bot.placesWithin({ kind: 'national', code: 'FR' }).length);
        assert.equal(body.status.indicator, 'none');
        assert.match(body.status.description, /inconnu/);
      } finally {
        await app.close();
      }
    }));
});
