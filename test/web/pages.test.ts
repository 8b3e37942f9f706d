/**
 * The pages a parent opens on the demo scenario: search ("Nîmes", "30000", "académie de
 * Toulouse", "le 93"), the place pages with what applies from above, ambiguous and unknown
 * places, an incident's timeline, the crowd signals labelled unconfirmed, security headers,
 * 404s, and the cache following the scenario's clock.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { columns, demoWeb, row, visibleText, type DemoWeb } from './helpers.js';
import { STRICT_CSP } from '../../src/web/server.js';

let web: DemoWeb;
before(async () => {
  web = await demoWeb('10:00', { signals: true });
});
after(() => web.close());

const get = (url: string, headers: Record<string, string> = {}) => web.app.inject({ url, headers });

describe('search', () => {
  test('GIVEN places written the way people write them THEN the search leads to their page', async () => {
    for (const [q, path] of [
      ['Nîmes', '/lieu/commune/30189'],
      ['nimes', '/lieu/commune/30189'],
      ['30000', '/lieu/commune/30189'],
      ['académie de Toulouse', '/lieu/academie/toulouse'],
      ['le 93', '/lieu/departement/93'],
      ['Occitanie', '/lieu/region/76'],
      ['France', '/'],
    ] as const) {
      const response = await get(`/recherche?q=${encodeURIComponent(q)}`);
      assert.equal(response.statusCode, 303, q);
      assert.equal(response.headers.location, path, q);
    }
    const english = await get('/en/search?q=N%C3%AEmes');
    assert.equal(english.headers.location, '/en/place/commune/30189');
    // A service named with the place: the place's page, at that service's row.
    assert.equal((await get('/recherche?q=ENT%20N%C3%AEmes')).headers.location, '/lieu/commune/30189#service-ent');
  });

  test('GIVEN "Nîmes" searched THEN its page shows the ENT partial outage from the Occitanie incident, with the breadcrumb up to the région, at the scenario clock', async () => {
    const location = (await get('/recherche?q=N%C3%AEmes')).headers.location as string;
    const page = await get(location);
    assert.equal(page.statusCode, 200);
    const text = visibleText(page.body);
    assert.match(text, /État des services : Nîmes \(30\)/);
    assert.match(text, /France Région Occitanie Académie de Montpellier Gard \(30\) Nîmes \(30\)/);
    assert.match(text, /ENT ◐ panne partielle ENT fortement ralentis, voire inaccessibles, en Occitanie \( Région Occitanie \)/);
    assert.match(text, /CNED ◐ panne partielle « Ma classe à la maison » \(CNED\) : attaques informatiques contre les serveurs \( France \)/, 'the national incident applies from above');
    assert.match(text, /Pronote \? inconnu Aucune information officielle/);
    assert.match(text, /Horloge du scénario : mardi 17 mars 2020 à 10:00/);
    assert.match(page.body, /<tr id="service-ent">/);
    const gard = visibleText((await get('/lieu/departement/30')).body);
    assert.match(gard, /ENT ◐ panne partielle ENT fortement ralentis, voire inaccessibles, en Occitanie/);
    const occitanie = visibleText((await get('/lieu/region/76')).body);
    assert.match(occitanie, /ENT ◐ panne partielle/);
    assert.match(occitanie, /Lieux dans ce lieu .*Académie de Montpellier.*Académie de Toulouse/);
    const academie = visibleText((await get('/lieu/academie/montpellier')).body);
    assert.match(academie, /Lieux dans ce lieu .*Gard \(30\)/);
  });

  test('GIVEN a name several communes bear THEN a choice list tells them apart; an unknown place gets a page that says so; an empty search explains', async () => {
    const ambiguous = await get('/recherche?q=Saint-Denis');
    assert.equal(ambiguous.statusCode, 200);
    const text = visibleText(ambiguous.body);
    assert.match(text, /Plusieurs lieux correspondent à « Saint-Denis »\. Lequel \?/);
    assert.match(ambiguous.body, /href="\/lieu\/commune\/93066"/);
    assert.match(ambiguous.body, /href="\/lieu\/commune\/97411"/);
    assert.match(text, /Saint-Denis \(93\) \(commune, Seine-Saint-Denis, Île-de-France\)/);
    assert.match(ambiguous.body, /value="Saint-Denis"/, 'the search box keeps the text');
    const unknown = await get('/recherche?q=Trifouillis-les-Oies');
    assert.equal(unknown.statusCode, 200);
    assert.match(visibleText(unknown.body), /Aucun lieu trouvé pour « Trifouillis-les-Oies »/);
    assert.match(visibleText((await get('/en/search?q=Trifouillis')).body), /No place found for “Trifouillis”/);
    assert.match(visibleText((await get('/recherche')).body), /Tapez le nom d'une commune/);
    assert.equal((await get('/recherche?q=a&q=b')).statusCode, 200, 'a repeated parameter is read, not a crash');
    const long = await get(`/recherche?q=${'x'.repeat(5_000)}`);
    assert.ok(long.statusCode === 200 || long.statusCode === 414, `${long.statusCode}`);
  });
});

describe('pages', () => {
  test('GIVEN an incident THEN its page gives the official timeline with times and sources; an unknown id is a 404 page', async () => {
    const page = await get('/incident/ent-occitanie');
    assert.equal(page.statusCode, 200);
    const text = visibleText(page.body);
    assert.match(text, /Chronologie officielle/);
    assert.match(text, /Chronologie officielle mardi 17 mars 2020 — ◐ panne partielle/);
    assert.match(text, /Source : Ministère de l'Éducation nationale/);
    assert.match(text, /Lieux Région Occitanie Niveaux collèges, lycées/);
    assert.match(page.body, /<h1><span class="tag">DÉMO 17\/03\/2020<\/span> ENT fortement ralentis/);
    const missing = await get('/incident/nope');
    assert.equal(missing.statusCode, 404);
    assert.match(visibleText(missing.body), /Incident introuvable/);
    assert.equal((await get('/lieu/region/99')).statusCode, 404);
    assert.equal((await get('/lieu/planete/1')).statusCode, 404);
    assert.equal((await get('/nulle-part')).statusCode, 404);
    assert.match((await get('/en/nowhere')).body, /<html lang="en">/);
  });

  test('GIVEN crowd reports in the replay THEN the home page lists them apart, labelled unconfirmed, and the state stays the official one', async () => {
    const at0830 = await demoWeb('08:30', { signals: true });
    try {
      const page = (await at0830.app.inject({ url: '/' })).body;
      const text = visibleText(page);
      assert.match(text, /Signalements non confirmés/);
      // Each signal is an item tagged unconfirmed; the listing's header and the demo's
      // reconstructed label are text, not signals.
      assert.match(text, /Non confirmé ENT en France : forte hausse · \d+ personnes sur 30 min/);
      assert.match(text, /Non confirmé CNED en France : forte hausse/);
      assert.match(text, /Signalements reconstitués pour la démonstration/);
      assert.doesNotMatch(text, /Non confirmé (Signaux non confirmés|⚠️|Vérifications)/);
      // No official word on the ENT at 08:30 (reports only): the grid still says unknown.
      assert.equal(row(page, 'Occitanie')[columns(page).indexOf('ENT')], '? inconnu');
    } finally {
      await at0830.close();
    }
  });

  test('GIVEN the scenario clock moves (console /at) THEN the pages change with it: a new ETag, the new clock, the new states', async () => {
    const at = await demoWeb('08:00');
    try {
      const first = await at.app.inject({ url: '/lieu/region/76' });
      assert.match(visibleText(first.body), /ENT \? inconnu/);
      assert.equal((await at.app.inject({ url: '/lieu/region/76', headers: { 'if-none-match': first.headers.etag as string } })).statusCode, 304);
      at.clock.advance(2 * 3600_000);
      const second = await at.app.inject({ url: '/lieu/region/76', headers: { 'if-none-match': first.headers.etag as string } });
      assert.equal(second.statusCode, 200);
      assert.notEqual(second.headers.etag, first.headers.etag);
      assert.match(visibleText(second.body), /ENT ◐ panne partielle/);
      assert.match(visibleText(second.body), /Horloge du scénario : mardi 17 mars 2020 à 10:00/);
    } finally {
      await at.close();
    }
  });

  test('GIVEN any response THEN security headers are set: strict CSP without unsafe-inline, nosniff, no referrer, never framed; the page has no script and no inline style', async () => {
    for (const url of ['/', '/en/', '/lieu/region/76', '/incident/ent-occitanie', '/historique', '/recherche?q=Saint-Denis', '/nulle-part', '/api/v2/status.json']) {
      const response = await get(url);
      assert.equal(response.headers['content-security-policy'], STRICT_CSP, url);
      assert.doesNotMatch(STRICT_CSP, /unsafe-inline|unsafe-eval/);
      assert.match(STRICT_CSP, /frame-ancestors 'none'/);
      assert.equal(response.headers['x-content-type-options'], 'nosniff', url);
      assert.equal(response.headers['referrer-policy'], 'no-referrer', url);
      assert.equal(response.headers['x-frame-options'], 'DENY', url);
      if (url.startsWith('/api')) continue;
      assert.doesNotMatch(response.body, /<script|style="|<style|javascript:/i, url);
      assert.match(response.body, /<html lang="(fr|en)">/);
      assert.match(response.body, /<a class="skip" href="#main">/);
      assert.match(response.body, /<main id="main"/);
      assert.match(response.body, /<label for="q">/);
      assert.equal((response.body.match(/<h1[ >]/g) ?? []).length, 1, `${url}: one h1`);
    }
    // URLs the router cannot read get the headers and an error page too.
    for (const [url, status] of [['/incident/%E0%A4%A', 400], [`/incident/${'a'.repeat(300)}`, 414]] as const) {
      const response = await get(url);
      assert.equal(response.statusCode, status, url);
      assert.equal(response.headers['content-security-policy'], STRICT_CSP, url);
      assert.equal(response.headers['x-content-type-options'], 'nosniff', url);
      assert.match(response.body, /<h1>Demande incorrecte<\/h1>/);
    }
    const css = (await get('/')).body.match(/href="(\/static\/vigie-[0-9a-f]+\.css)"/)?.[1];
    assert.ok(css);
    const sheet = await get(css);
    assert.equal(sheet.statusCode, 200);
    assert.match(sheet.headers['content-type'] as string, /^text\/css/);
    assert.match(sheet.headers['cache-control'] as string, /immutable/);
    assert.match(sheet.body, /:focus/);
  });
});
