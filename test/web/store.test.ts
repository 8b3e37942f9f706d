/**
 * The status page on a store with incidents opened, updated and resolved by an admin: the
 * state of places (from above, in part of a place, restored, unknown after the all-clear
 * window), the official timeline, the history, escaping of hostile texts everywhere, 304s
 * and new ETags on store changes. SQLite, and PostgreSQL when it is reachable.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../src/index.js';
import { FixedClock } from '../../src/base/clock.js';
import { silentLogger } from '../../src/base/logger.js';
import { createWebServer } from '../../src/web/server.js';
import type { Bot } from '../../src/bot.js';
import { withStoreBot } from '../helpers/bot.js';
import { pgSkipReason, type StoreKind } from '../helpers/stores.js';
import { HTTP_NOW, visibleText } from './helpers.js';
import { SCHEMAS } from './statuspage-schema.js';

const admin: Actor = { platform: 'slack', workspace: 'T1', user: 'U_ADMIN', name: 'Rectorat de Montpellier' };

/** Hostile texts: markup, attribute breakers, mentions, template syntax. */
const HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>', "'; background:url(javascript:alert(3))", '@everyone <!channel> {{7*7}} ${process.env}', '</title><h1>pwned</h1>'];
const HOSTILE_TEXT = HOSTILE.join(' ');

async function withWeb(fn: (app: FastifyInstance, bot: Bot, clock: FixedClock, http: FixedClock) => Promise<void>, kind: StoreKind = 'sqlite'): Promise<void> {
  await withStoreBot(
    async (bot, clock) => {
      const http = new FixedClock(HTTP_NOW);
      const app = createWebServer({ core: bot, logger: silentLogger, clock: http });
      try {
        await fn(app, bot, clock, http);
      } finally {
        await app.close();
      }
    },
    '2026-03-10T08:00:00Z',
    kind,
  );
}

async function get(app: FastifyInstance, url: string, headers: Record<string, string> = {}) {
  return app.inject({ url, headers });
}

/** No markup from the hostile texts survives: only their escaped form. */
function assertEscaped(body: string, where: string): void {
  assert.ok(!/<script|<img|<h1>pwned/i.test(body), `${where}: raw markup from a hostile text`);
  assert.ok(!/onerror=alert\(2\)>/.test(body.replace(/&quot;&gt;&lt;img src=x onerror=alert\(2\)&gt;/g, '')), `${where}: unescaped attribute breaker`);
}

describe('status page on a store', () => {
  for (const kind of ['sqlite', 'postgres'] as const) {
    test(`GIVEN incidents opened by an admin in Occitanie and in Nîmes (${kind}) THEN the Gard, Nîmes and Occitanie pages say what applies, from above and in part`, kind === 'postgres' && pgSkipReason() ? { skip: pgSkipReason()! } : {}, () =>
      withWeb(async (app, bot) => {
        const before = visibleText((await get(app, '/lieu/departement/30')).body);
        assert.match(before, /ENT \? inconnu Aucune information officielle/, 'an empty store: unknown, never operational');
        const ent = await bot.applyIncident({ action: 'open', service: 'ent', places: 'Occitanie', status: 'major_outage', cause: 'provider', titleFr: 'ENT Occitanie inaccessible', titleEn: 'Occitanie ENT unreachable', textFr: 'Le prestataire est en panne.' }, admin, 'fr');
        assert.ok(ent.ok);
        const pronote = await bot.applyIncident({ action: 'open', service: 'pronote', places: 'Nîmes', status: 'major_outage', cause: 'provider', titleFr: 'Pronote à Nîmes', textFr: 'Pronote ne répond plus à Nîmes.' }, admin, 'fr');
        assert.ok(pronote.ok);
        const gard = visibleText((await get(app, '/lieu/departement/30')).body);
        assert.match(gard, /ENT ✕ panne majeure ENT Occitanie inaccessible \( Région Occitanie \)/, 'the Gard gets the ENT state from the région above');
        // Pronote is down in Nîmes only: the Gard is partly affected.
        assert.match(gard, /Pronote ◐ panne partielle dans une partie du lieu : Pronote à Nîmes \( Nîmes \(30\) \)/);
        assert.match(gard, /Incidents en cours dans une partie de ce lieu .*Pronote à Nîmes/);
        const nimes = visibleText((await get(app, '/lieu/commune/30189')).body);
        assert.match(nimes, /Pronote ✕ panne majeure Pronote à Nîmes/);
        assert.match(nimes, /ENT ✕ panne majeure ENT Occitanie inaccessible/);
        assert.match(nimes, /France Région Occitanie Académie de Montpellier Gard \(30\) Nîmes \(30\)/, 'breadcrumb');
        const bretagne = visibleText((await get(app, '/lieu/region/53')).body);
        assert.match(bretagne, /ENT \? inconnu/);
        assert.match(bretagne, /Pronote \? inconnu/);
        const en = visibleText((await get(app, '/en/place/departement/30')).body);
        assert.match(en, /ENT ✕ major outage Occitanie ENT unreachable/);
      }, kind),
    );
  }

  test('GIVEN an incident updated then resolved THEN its page shows the official timeline with times and sources, the place says restored, then unknown after the all-clear window; the history keeps it 30 days', () =>
    withWeb(async (app, bot, clock) => {
      const opened = await bot.applyIncident({ action: 'open', service: 'ent', places: 'Occitanie', status: 'major_outage', textFr: 'ENT inaccessible.', sourceName: 'Région Occitanie', sourceUrl: 'https://www.laregion.fr/' }, admin, 'fr');
      assert.ok(opened.ok);
      clock.advance(3600_000);
      assert.ok((await bot.applyIncident({ action: 'update', id: opened.incident.id, status: 'degraded_performance', phase: 'monitoring', textFr: 'Ça revient.' }, admin, 'fr')).ok);
      clock.advance(3600_000);
      assert.ok((await bot.applyIncident({ action: 'resolve', id: opened.incident.id, textFr: 'Rétabli.' }, admin, 'fr')).ok);
      const path = `/incident/${encodeURIComponent(opened.incident.id)}`;
      const page = (await get(app, path)).body;
      const text = visibleText(page);
      // Newest first, each with its time (Paris) and its source.
      assert.match(text, /Chronologie officielle mardi 10 mars 2026 à 11:00 — ✓ fonctionne Rétabli\. Source : Rectorat de Montpellier mardi 10 mars 2026 à 10:00 — ! ralenti Ça revient\. Source : Rectorat de Montpellier mardi 10 mars 2026 à 09:00 — ✕ panne majeure ENT inaccessible\. Source : Région Occitanie/);
      assert.match(page, /<a href="https:\/\/www\.laregion\.fr\/" rel="noopener noreferrer">Région Occitanie<\/a>/);
      assert.match(text, /Rétabli mardi 10 mars 2026 à 11:00/);
      assert.match(visibleText((await get(app, '/lieu/region/76')).body), /ENT ✓ fonctionne rétablissement annoncé/);
      clock.advance(25 * 3600_000);
      assert.match(visibleText((await get(app, '/lieu/region/76')).body), /ENT \? inconnu Aucune information officielle/, 'after the all-clear window: unknown again');
      assert.match(visibleText((await get(app, '/historique')).body), /✓ fonctionne ENT — ENT — en Occitanie|ENT — .*Occitanie/);
      clock.advance(31 * 24 * 3600_000);
      assert.match(visibleText((await get(app, '/historique')).body), /Aucun incident officiel sur les 30 derniers jours/);
      // The incident's own page stays reachable.
      assert.equal((await get(app, path)).statusCode, 200);
    }));

  test('GIVEN hostile texts in an incident\'s title, updates and source THEN every page and the search show them escaped, and the JSON carries them as they were', () =>
    withWeb(async (app, bot) => {
      const opened = await bot.applyIncident({ action: 'open', service: 'ent', places: 'Occitanie', status: 'partial_outage', titleFr: HOSTILE_TEXT.slice(0, 200), titleEn: HOSTILE[1], textFr: HOSTILE_TEXT, textEn: HOSTILE_TEXT, sourceName: HOSTILE[0] }, admin, 'fr');
      assert.ok(opened.ok, JSON.stringify(opened));
      const id = opened.incident.id;
      for (const url of ['/', '/en/', '/lieu/region/76', '/lieu/departement/30', `/incident/${encodeURIComponent(id)}`, `/en/incident/${encodeURIComponent(id)}`, '/historique', '/en/history']) {
        const response = await get(app, url);
        assert.equal(response.statusCode, 200, url);
        assertEscaped(response.body, url);
        assert.match(response.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;|&quot;&gt;&lt;img src=x onerror=alert\(2\)&gt;/, `${url} shows the text, escaped`);
      }
      const incident = visibleText((await get(app, `/incident/${encodeURIComponent(id)}`)).body);
      assert.ok(incident.includes(HOSTILE_TEXT), 'the whole text is shown as text');
      for (const q of HOSTILE) {
        const response = await get(app, `/recherche?q=${encodeURIComponent(q)}`);
        assert.ok(response.statusCode === 200 || response.statusCode === 303, `${q}: ${response.statusCode}`);
        assertEscaped(response.body, `search ${q}`);
        if (response.statusCode === 200) assert.ok(visibleText(response.body).includes(q.trim()), `${q}: said back as text`);
      }
      for (const name of Object.keys(SCHEMAS) as (keyof typeof SCHEMAS)[]) SCHEMAS[name].parse(JSON.parse((await get(app, `/api/v2/${name}`)).body));
      const json = SCHEMAS['incidents.json'].parse(JSON.parse((await get(app, '/api/v2/incidents.json')).body));
      assert.equal(json.incidents[0]?.name, HOSTILE_TEXT.slice(0, 200).trim());
      assert.ok(json.incidents[0]?.incident_updates[0]?.body.startsWith(HOSTILE_TEXT));
    }));

  test('GIVEN a page fetched THEN its ETag and Last-Modified give 304s until the store changes; after a change the old ETag gets the new page', () =>
    withWeb(async (app, bot, _clock, http) => {
      for (const url of ['/', '/lieu/region/76', '/api/v2/summary.json']) {
        const first = await get(app, url);
        assert.equal(first.statusCode, 200);
        const etag = first.headers.etag as string;
        const modified = first.headers['last-modified'] as string;
        assert.match(etag, /^W\/".+"$/);
        assert.equal(modified, HTTP_NOW.toUTCString());
        assert.equal((await get(app, url, { 'if-none-match': etag })).statusCode, 304, `${url}: If-None-Match`);
        assert.equal((await get(app, url, { 'if-modified-since': modified })).statusCode, 304, `${url}: If-Modified-Since`);
        assert.equal((await get(app, url, { 'if-none-match': 'W/"other"' })).statusCode, 200);
      }
      const before = await get(app, '/lieu/region/76');
      http.advance(60_000);
      const opened = await bot.applyIncident({ action: 'open', service: 'ent', places: 'Occitanie', textFr: 'ENT inaccessible.' }, admin, 'fr');
      assert.ok(opened.ok);
      const after = await get(app, '/lieu/region/76', { 'if-none-match': before.headers.etag as string });
      assert.equal(after.statusCode, 200, 'the store changed: the new page, not a 304');
      assert.notEqual(after.headers.etag, before.headers.etag);
      assert.equal(after.headers['last-modified'], new Date(HTTP_NOW.getTime() + 60_000).toUTCString());
      assert.equal((await get(app, '/lieu/region/76', { 'if-modified-since': before.headers['last-modified'] as string })).statusCode, 200);
      assert.match(visibleText(after.body), /ENT ◐ panne partielle|ENT ✕ panne majeure/);
    }));
});
