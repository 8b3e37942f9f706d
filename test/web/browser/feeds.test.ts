/**
 * The badge and the widget where schools put them: on another site's page, in Debian's
 * chromium (test/web/browser/chromium.ts). A host page served from another origin (another
 * port of 127.0.0.1) shows the badge as an <img> and the widget in an <iframe>, and tries to
 * frame the home page too: the badge loads, the widget shows, the home page is refused
 * (frame-ancestors 'none'). The widget in the unknown state has no axe-core WCAG 2.1 A/AA
 * violation under its real CSP (pages.test.ts checks the widget in effect, fr and en).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, describeViolations, launchChromium } from './chromium.js';
import { startDemoWeb, type ListeningDemoWeb } from './demo-server.js';

let web: ListeningDemoWeb;
let browser: Browser;
let host: Server;
let hostOrigin: string;

/** A school's page: the badge, the widget, and an attempt to frame the status page's home. */
function schoolPage(origin: string): string {
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Collège Jean Jaurès</title></head><body>
<main><h1>Collège Jean Jaurès, Nîmes</h1>
<img id="badge" src="${origin}/badge/ent/commune/30189.svg" alt="État de l'ENT à Nîmes">
<iframe id="widget" title="État de l'ENT" src="${origin}/widget?service=ent&amp;place=commune:30189" width="360" height="200"></iframe>
<iframe id="home" title="Vigie" src="${origin}/" width="360" height="200"></iframe>
</main></body></html>`;
}

before(async () => {
  web = await startDemoWeb('10:00');
  browser = await launchChromium();
  host = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(schoolPage(web.origin));
  });
  await new Promise<void>((done) => host.listen(0, '127.0.0.1', done));
  hostOrigin = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
});

after(async () => {
  await browser?.close();
  await web?.close();
  // The browser keeps idle connections open: close them, or close() waits for them.
  host?.closeAllConnections();
  await new Promise((done) => host?.close(done));
});

async function withPage<T>(fn: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ viewport: { width: 1024, height: 800 }, locale: 'fr-FR' });
  try {
    return await fn(await context.newPage());
  } finally {
    await context.close();
  }
}

describe('badge and widget on a school\'s site, in chromium', () => {
  test('GIVEN a page of another origin THEN the badge image loads, the widget shows the state in its frame, and the status page itself cannot be framed', () =>
    withPage(async (page) => {
      await page.goto(hostOrigin, { waitUntil: 'load' });
      const badge = (await page.evaluate(`(() => { const i = document.getElementById('badge'); return { complete: i.complete, width: i.naturalWidth, height: i.naturalHeight }; })()`)) as { complete: boolean; width: number; height: number };
      assert.ok(badge.complete && badge.width > 100 && badge.height === 20, JSON.stringify(badge));
      const widget = page.frames().find((f) => f.url().startsWith(`${web.origin}/widget`));
      assert.ok(widget, `frames: ${page.frames().map((f) => f.url()).join(', ')}`);
      const text = (await widget.evaluate('document.body.innerText')) as string;
      assert.match(text, /ENT · Nîmes \(30\)/);
      assert.match(text, /panne partielle/);
      assert.match(text, /Dernière information officielle : Ministère de l'Éducation nationale/);
      // The widget's style applied (its hash is in the CSP): the state has its coloured background.
      const background = await widget.evaluate(`getComputedStyle(document.querySelector('.state')).backgroundColor`);
      assert.equal(background, 'rgb(176, 74, 0)');
      // The home page refuses to be framed: its frame holds no page of the site.
      const home = page.frames().find((f) => f !== page.mainFrame() && f !== widget);
      assert.ok(home);
      const framedText = await home.evaluate('document.body ? document.body.innerText : ""').catch(() => '');
      assert.doesNotMatch(String(framedText), /Vigie|panne/);
      assert.equal(home.url().startsWith(web.origin), false, `the home page loaded in a frame: ${home.url()}`);
    }));

  for (const path of ['/widget?service=pronote&place=departement:59']) {
    test(`GIVEN the widget ${path} alone THEN axe-core finds no WCAG 2.1 A/AA violation`, () =>
      withPage(async (page) => {
        const response = await page.goto(`${web.origin}${path}`);
        assert.equal(response?.status(), 200);
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, describeViolations(path, violations));
      }));
  }
});
