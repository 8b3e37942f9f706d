/** The national overview on the demo scenario: states per service × région, incidents, demo label, headers. */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { columns, demoWeb, row, visibleText, type DemoWeb } from './helpers.js';

let web: DemoWeb;
before(async () => {
  web = await demoWeb('10:00');
});
after(() => web.close());

test('/ shows the ENT as a partial outage in Occitanie at 10:00, unknown where no source spoke, in French', async () => {
  const response = await web.app.inject({ url: '/' });
  assert.equal(response.statusCode, 200);
  assert.match(response.headers['content-type'] as string, /^text\/html; charset=utf-8/);
  const page = response.body;
  assert.match(page, /<html lang="fr">/);
  const cols = columns(page);
  const ent = cols.indexOf('ENT');
  const pronote = cols.indexOf('Pronote');
  assert.ok(ent >= 0 && pronote >= 0, cols.join(','));
  const occitanie = row(page, 'Occitanie');
  assert.equal(occitanie[ent], '◐ panne partielle');
  // Bretagne: nothing official about the ENT there: unknown, never "fonctionne".
  assert.equal(row(page, 'Bretagne')[ent], '? inconnu');
  assert.equal(occitanie[pronote], '? inconnu');
  // The CNED's national incident covers every région.
  const cned = cols.indexOf('CNED');
  assert.equal(row(page, 'Bretagne')[cned], '◐ panne partielle');
  assert.equal(row(page, 'Toute la France')[cned], '◐ panne partielle');
  // The ENT has no national incident: France as a whole is "partial" (some régions), not major.
  assert.equal(row(page, 'Toute la France')[ent], '◐ panne partielle');
  const text = visibleText(page);
  assert.match(text, /Incidents en cours/);
  assert.match(text, /ENT fortement ralentis, voire inaccessibles, en Occitanie/);
  // Demo label and the scenario's clock.
  assert.match(text, /DÉMO — données rejouées du scénario « Mardi 17 mars 2020/);
  assert.match(text, /Horloge du scénario : mardi 17 mars 2020 à 10:00 \(heure de Paris\)/);
  assert.match(page, /href="\/incident\/ent-occitanie"/);
});

test('/ at 08:00 (before the official word on the ENT) shows the ENT unknown in Occitanie', async () => {
  const early = await demoWeb('08:00');
  try {
    const page = (await early.app.inject({ url: '/' })).body;
    const ent = columns(page).indexOf('ENT');
    assert.equal(row(page, 'Occitanie')[ent], '? inconnu');
    assert.match(visibleText(page), /Horloge du scénario : mardi 17 mars 2020 à 08:00/);
  } finally {
    await early.close();
  }
});

test('/en/ and / with Accept-Language: en are in English; / says it varies on Accept-Language', async () => {
  const en = await web.app.inject({ url: '/en/' });
  assert.equal(en.statusCode, 200);
  assert.match(en.body, /<html lang="en">/);
  assert.equal(row(en.body, 'Occitanie')[columns(en.body).indexOf('ENT')], '◐ partial outage');
  assert.match(visibleText(en.body), /Scenario clock: Tuesday, 17 March 2020 at 10:00 \(Paris time\)/);
  const negotiated = await web.app.inject({ url: '/', headers: { 'accept-language': 'en-GB,en;q=0.9,fr;q=0.5' } });
  assert.match(negotiated.body, /<html lang="en">/);
  assert.match(negotiated.headers.vary as string, /Accept-Language/);
  assert.equal(negotiated.headers['content-language'], 'en');
  const french = await web.app.inject({ url: '/', headers: { 'accept-language': 'de-DE,fr;q=0.8,en;q=0.5' } });
  assert.match(french.body, /<html lang="fr">/);
  assert.notEqual(french.headers.etag, negotiated.headers.etag);
});

test('the home page is at most 50 KB transferred (gzip), and readable without compression', async () => {
  const zipped = await web.app.inject({ url: '/', headers: { 'accept-encoding': 'gzip, br' } });
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.ok(zipped.rawPayload.length <= 50 * 1024, `${zipped.rawPayload.length} bytes`);
  const plain = await web.app.inject({ url: '/' });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.ok(plain.rawPayload.length > zipped.rawPayload.length);
});
