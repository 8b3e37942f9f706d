/** The feeds' routes on the web server (Fastify inject): the demo at 10:00, and a store with admins' notices. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createWebServer } from '../../../src/web/server.js';
import { WIDGET_CSP } from '../../../src/web/feeds/widget.js';
import { silentLogger } from '../../../src/base/logger.js';
import { FixedClock } from '../../../src/base/clock.js';
import { withStoreBot } from '../../helpers/bot.js';
import { admin, publisherOf } from '../../delivery/helpers.js';
import { demoWeb, HTTP_NOW, type DemoWeb } from '../helpers.js';
import { atomSchemaCheck, capSchemaCheck, el, readCap, xmllint, xpath } from './helpers.js';

const BASE = 'https://statut.example.fr';
let web: DemoWeb;
before(async () => {
  web = await demoWeb('10:00', { baseUrl: BASE });
});
after(() => web.close());

const get = (url: string, headers: Record<string, string> = {}) => web.app.inject({ url, headers });
const entries = (xml: string) => Number(xpath(xml, `count(//${el('entry')})`));

describe('feed routes on the demo at 10:00', () => {
  test('GIVEN /feed.atom for the ENT in Occitanie THEN valid Atom whose entry links to the incident page, which exists; English under /en/; 304 on its ETag', async () => {
    const response = await get('/feed.atom?service=ent&place=region:76');
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/atom+xml; charset=utf-8');
    assert.ok(atomSchemaCheck(response.body).ok, atomSchemaCheck(response.body).output);
    assert.equal(entries(response.body), 1);
    const page = xpath(response.body, `string(//${el('entry', 'link')}[@rel='alternate']/@href)`);
    assert.ok(page.startsWith(BASE));
    assert.equal((await get(page.slice(BASE.length))).statusCode, 200, `${page} is a page of the site`);
    const en = await get('/en/feed.atom?service=ent&place=region:76');
    assert.match(xpath(en.body, `string(//${el('entry', 'title')})`), /^ENT: ENT portals heavily slowed/);
    const enPage = xpath(en.body, `string(//${el('entry', 'link')}[@rel='alternate']/@href)`);
    assert.equal((await get(enPage.slice(BASE.length))).statusCode, 200);
    const again = await get('/feed.atom?service=ent&place=region:76', { 'if-none-match': response.headers.etag as string });
    assert.equal(again.statusCode, 304);
    // All services, France: the seven openings of the morning.
    assert.equal(entries((await get('/feed.atom')).body), 7);
  });

  test('GIVEN an unknown service or place THEN a 404 in plain words, the value not echoed as markup', async () => {
    const service = await get('/feed.atom?service=nope');
    assert.equal(service.statusCode, 404);
    assert.equal(service.headers['content-type'], 'text/plain; charset=utf-8');
    assert.match(service.body, /^Service inconnu : « nope »\. Services connus : .*\bent\b/);
    const place = await get('/en/feed.atom?service=ent&place=region:99');
    assert.equal(place.statusCode, 404);
    assert.match(place.body, /^Unknown place: “region:99”\. Write it as region:76/);
    const injected = await get(`/feed.atom?place=${encodeURIComponent('<script>alert(1)</script>')}`);
    assert.equal(injected.statusCode, 404);
    assert.equal(injected.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(injected.headers['x-content-type-options'], 'nosniff');
    for (const url of ['/badge/nope.svg', '/badge/ent/region/99.svg', '/badge/ent/region/76.png', '/widget?service=ent&place=moon:1', '/cap/nope.xml']) {
      assert.equal((await get(url)).statusCode, 404, url);
    }
  });

  test('GIVEN /cap.atom THEN each listed alert is served as CAP that the schema and @dec112/cap-ts accept', async () => {
    const index = await get('/cap.atom');
    assert.equal(index.statusCode, 200);
    assert.ok(atomSchemaCheck(index.body).ok, atomSchemaCheck(index.body).output);
    assert.equal(entries(index.body), 7);
    for (let i = 1; i <= 7; i++) {
      const href = xpath(index.body, `string((//${el('entry')})[${i}]/${el('link')}/@href)`);
      const alert = await get(href.slice(BASE.length));
      assert.equal(alert.statusCode, 200, href);
      assert.equal(alert.headers['content-type'], 'application/cap+xml; charset=utf-8');
      assert.ok(capSchemaCheck(alert.body).ok, capSchemaCheck(alert.body).output);
      const read = await readCap(alert.body);
      assert.equal(read.status, 'Exercise');
      assert.equal(read.msgType, 'Alert');
    }
  });

  test('GIVEN the badge in path and query forms THEN the same SVG, cacheable, in words; the English one under /en/', async () => {
    const path = await get('/badge/ent/region/76.svg');
    assert.equal(path.statusCode, 200);
    assert.equal(path.headers['content-type'], 'image/svg+xml; charset=utf-8');
    assert.equal(path.headers['cache-control'], 'public, max-age=60');
    assert.ok(path.headers.etag);
    assert.ok(xmllint(path.body).ok);
    assert.equal(xpath(path.body, "string((//*[local-name()='text'])[2])"), 'panne partielle');
    assert.equal(xpath(path.body, "string((//*[local-name()='text'])[1])"), 'DÉMO · ENT Occitanie');
    assert.equal((await get('/badge.svg?service=ent&place=region:76')).body, path.body);
    assert.equal(xpath((await get('/en/badge/ent/region/76.svg')).body, "string((//*[local-name()='text'])[2])"), 'partial outage');
    // France: the ENT is down in four régions, not everywhere.
    assert.equal(xpath((await get('/badge/ent.svg')).body, "string((//*[local-name()='text'])[2])"), 'panne partielle par endroits');
    assert.equal(xpath((await get('/badge/cned.svg')).body, "string((//*[local-name()='text'])[2])"), 'panne partielle');
    assert.equal(xpath((await get('/badge/ent/commune/30189.svg')).body, "string((//*[local-name()='text'])[1])"), 'DÉMO · ENT Nîmes (30)');
  });

  test('GIVEN the widget THEN it alone may be framed (its own CSP, no X-Frame-Options); pages and feeds may not', async () => {
    const widget = await get('/widget?service=ent&place=commune:30189');
    assert.equal(widget.statusCode, 200);
    assert.equal(widget.headers['content-security-policy'], WIDGET_CSP);
    assert.equal(widget.headers['x-frame-options'], undefined);
    assert.match(widget.body, /panne partielle<\/span>/);
    assert.match(widget.body, /href="https:\/\/statut\.example\.fr\/lieu\/commune\/30189#service-ent"/);
    const again = await get('/widget?service=ent&place=commune:30189', { 'if-none-match': widget.headers.etag as string });
    assert.equal(again.statusCode, 304);
    assert.equal(again.headers['content-security-policy'], WIDGET_CSP);
    const en = await get('/en/widget?service=ent&place=commune:30189');
    assert.match(en.body, /<html lang="en">/);
    for (const url of ['/', '/feed.atom', '/cap.atom', '/badge/ent.svg']) {
      const response = await get(url);
      assert.match(response.headers['content-security-policy'] as string, /frame-ancestors 'none'/, url);
      assert.equal(response.headers['x-frame-options'], 'DENY', url);
    }
  });
});

test('GIVEN no public address set THEN links use the request\'s host when it is a plain host name, and never an injected one', async () => {
  const bare = await demoWeb('10:00');
  try {
    const good = await bare.app.inject({ url: '/feed.atom?service=ent&place=region:76', headers: { host: 'statut.test:8080' } });
    assert.equal(xpath(good.body, `string(/${el('feed')}/${el('link')}[@rel='self']/@href)`), 'http://statut.test:8080/feed.atom?service=ent&place=region%3A76');
    const bad = await bare.app.inject({ url: '/feed.atom?service=ent&place=region:76', headers: { host: 'evil.test/"><x' } });
    assert.equal(xpath(bad.body, `string(/${el('feed')}/${el('link')}[@rel='self']/@href)`), 'http://localhost/feed.atom?service=ent&place=region%3A76');
  } finally {
    await bare.close();
  }
});

test('GIVEN a store WHEN admins publish notices THEN /cap.atom lists each one at once (a notice about no incident too) and /cap/<id>.xml serves it as an Actual alert', () =>
  withStoreBot(async (bot, clock) => {
    const app = createWebServer({ core: bot, logger: silentLogger, clock: new FixedClock(HTTP_NOW), baseUrl: BASE });
    try {
      assert.equal(entries((await app.inject({ url: '/cap.atom' })).body), 0);
      const opened = await publisherOf(bot).publish({ services: ['ent'], places: 'Haute-Garonne', status: 'major_outage', text: { fr: 'Panne.', en: 'Down.' }, incident: { action: 'open' } }, admin, 'fr');
      assert.ok(opened.ok);
      assert.equal(entries((await app.inject({ url: '/cap.atom' })).body), 1);
      clock.advance(60_000);
      const standalone = await publisherOf(bot).publish({ services: ['*'], places: 'national', text: { fr: 'Rappel.', en: 'Reminder.' } }, admin, 'fr');
      assert.ok(standalone.ok);
      const index = (await app.inject({ url: '/en/cap.atom' })).body;
      assert.equal(entries(index), 2);
      const alert = await app.inject({ url: `/cap/${standalone.notice.id}.xml` });
      assert.equal(alert.statusCode, 200);
      assert.ok(capSchemaCheck(alert.body).ok, capSchemaCheck(alert.body).output);
      const read = await readCap(alert.body);
      assert.deepEqual([read.status, read.msgType, read.infos[1]!.description], ['Actual', 'Alert', 'Reminder.']);
      const feed = await app.inject({ url: '/feed.atom?service=ent&place=departement:31' });
      assert.equal(entries(feed.body), 1);
      // The widget says its times relative to today: the next day, the same word is "yesterday" (no store change in between).
      const today = (await app.inject({ url: '/widget?service=ent&place=departement:31' })).body;
      assert.match(today, /Dernière information officielle : Rectorat de Toulouse, \d+ h( \d\d)?\./);
      clock.advance(24 * 3600_000);
      const tomorrow = (await app.inject({ url: '/widget?service=ent&place=departement:31' })).body;
      assert.match(tomorrow, /Dernière information officielle : Rectorat de Toulouse, hier, \d+ h( \d\d)?\./);
    } finally {
      await app.close();
    }
  }));
