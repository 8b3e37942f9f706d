/**
 * The status page in a real browser (issue 16, item 5 and its "Checks"): Debian's chromium
 * driven by playwright-core, on the demo scenario (2020-03-17, replayed) with the clock pinned
 * at 10:00 Paris time, the server in this process on 127.0.0.1.
 *
 * - every page: 0 violations of axe-core's WCAG 2.0 / 2.1 A and AA rules (RGAA 4 follows
 *   WCAG 2.1 AA), reported rule by rule with the failing elements when there are some;
 * - the keyboard: Tab reaches the skip link first and it moves focus to the main content; the
 *   search field and button are reached and used with the keyboard alone; focus is visible;
 * - the end-to-end check: open `/`, search "Nîmes", see the ENT state for the Gard and
 *   Occitanie at the scenario's clock, follow the incident, read its official timeline;
 * - the same journey with JavaScript disabled (the pages need none);
 * - the widget framed by a page of another origin (shown, its hashed style applied), and the
 *   status page itself refused in a frame;
 * - a screenshot of `/` (desktop and phone widths) saved to test-output/browser/ (or
 *   VIGIE_TEST_OUTPUT), its path printed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations, describeViolations, launchChromium } from './chromium.js';
import { startDemoWeb, type ListeningDemoWeb } from './demo-server.js';

/** Where the screenshots go (git-ignored). */
const OUTPUT = resolve(process.env.VIGIE_TEST_OUTPUT ?? 'test-output', 'browser');

/** Every kind of page, as a parent reaches it. */
const PAGES: { name: string; path: string; status?: number; sandboxed?: boolean }[] = [
  { name: 'home (French)', path: '/' },
  { name: 'home (English)', path: '/en/' },
  { name: 'région (Occitanie)', path: '/lieu/region/76' },
  { name: 'académie (Montpellier)', path: '/lieu/academie/montpellier' },
  { name: 'département (Gard)', path: '/lieu/departement/30' },
  { name: 'commune (Nîmes)', path: '/lieu/commune/30189' },
  { name: 'commune (English)', path: '/en/place/commune/30189' },
  { name: 'incident (ENT Occitanie)', path: '/incident/ent-occitanie' },
  { name: 'incident (English)', path: '/en/incident/ent-occitanie' },
  { name: 'history (30 days)', path: '/historique' },
  { name: 'history (English)', path: '/en/history' },
  { name: 'search results (several places named Saint-Denis)', path: '/recherche?q=Saint-Denis' },
  { name: 'unknown place (search)', path: '/recherche?q=Xyzzyville' },
  { name: 'unknown place page', path: '/lieu/commune/99999', status: 404 },
  // The widget's CSP sandboxes it (no scripts), which would stop axe itself: the page is opened
  // with CSP bypassed for axe only (the frame test below checks the widget under its real CSP).
  { name: 'widget (ENT, Occitanie)', path: '/widget?service=ent&place=region:76', sandboxed: true },
  { name: 'widget (English, ENT, Gard)', path: '/en/widget?service=ent&place=departement:30', sandboxed: true },
];

let web: ListeningDemoWeb;
let browser: Browser;

before(async () => {
  web = await startDemoWeb('10:00');
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await web?.close();
});

/** A fresh context (no cookies, no cache) and page; closed by the caller. */
async function open(options: { javaScript?: boolean; width?: number; height?: number; language?: string; bypassCSP?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    bypassCSP: options.bypassCSP ?? false,
    javaScriptEnabled: options.javaScript ?? true,
    viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
    locale: options.language ?? 'fr-FR',
  });
  return { context, page: await context.newPage() };
}

async function withPage<T>(fn: (page: Page) => Promise<T>, options?: Parameters<typeof open>[0]): Promise<T> {
  const { context, page } = await open(options);
  try {
    return await fn(page);
  } finally {
    await context.close();
  }
}

/** What the focused element is, in the page. */
function focused(page: Page): Promise<{ tag: string; id: string; cls: string; href: string | null; text: string; type: string | null }> {
  return page.evaluate(`(() => { const e = document.activeElement; return e ? { tag: e.tagName.toLowerCase(), id: e.id, cls: String(e.className), href: e.getAttribute('href'), text: (e.textContent || '').trim(), type: e.getAttribute('type') } : null; })()`) as never;
}

describe('status page in chromium: axe-core, WCAG 2.1 A and AA', () => {
  for (const p of PAGES) {
    test(`${p.name} (${p.path}) has no violation`, { timeout: 120_000 }, async () => {
      await withPage(async (page) => {
        const response = await page.goto(`${web.origin}${p.path}`);
        assert.equal(response?.status(), p.status ?? 200, `${p.path} answered ${response?.status()}`);
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, describeViolations(p.path, violations));
      }, { bypassCSP: p.sandboxed ?? false });
    });
  }

  test('axe finds a violation when there is one (the check can fail)', async () => {
    await withPage(async (page) => {
      await page.goto(`${web.origin}/`);
      // An image without a text alternative and a field without a label, added to the real page.
      await page.evaluate(`document.querySelector('main').insertAdjacentHTML('beforeend', '<img src="/x.png"><input id="unlabelled">')`);
      const violations = await axeViolations(page);
      const ids = violations.map((v) => v.id).sort();
      assert.ok(ids.includes('image-alt') && ids.includes('label'), describeViolations('/ with an unlabelled image and field', violations));
      assert.match(describeViolations('/', violations), /image-alt \(critical\): .*\n {4}at img/);
    });
  });
});

describe('status page in chromium: the keyboard', () => {
  test('Tab reaches the skip link first; it is visible then and moves focus to the main content', async () => {
    await withPage(async (page) => {
      await page.goto(`${web.origin}/`);
      await page.keyboard.press('Tab');
      const first = await focused(page);
      assert.equal(first.tag, 'a', `the first Tab reached ${JSON.stringify(first)}`);
      assert.equal(first.href, '#main');
      assert.match(first.text, /contenu/i);
      const box = await page.locator('a[href="#main"]').boundingBox();
      assert.ok(box && box.width > 0 && box.height > 0 && box.x >= 0 && box.y >= 0, `the focused skip link is off screen: ${JSON.stringify(box)}`);
      await page.keyboard.press('Enter');
      const after = await focused(page);
      assert.equal(after.tag, 'main', `Enter on the skip link left focus on ${JSON.stringify(after)}`);
      assert.equal(after.id, 'main');
    });
  });

  test('the search field and its button are reached with Tab and used with the keyboard alone', async () => {
    await withPage(async (page) => {
      await page.goto(`${web.origin}/`);
      let reached = false;
      for (let i = 0; i < 30 && !reached; i += 1) {
        await page.keyboard.press('Tab');
        reached = (await focused(page)).id === 'q';
      }
      assert.ok(reached, 'the search field is not reached within 30 Tabs');
      await page.keyboard.type('Nîmes');
      await page.keyboard.press('Tab');
      const button = await focused(page);
      assert.equal(button.tag, 'button', `Tab after the field reached ${JSON.stringify(button)}`);
      await Promise.all([page.waitForURL((url) => url.pathname !== '/'), page.keyboard.press('Enter')]);
      assert.match(await page.locator('h1').innerText(), /Nîmes/);
    });
  });

  test('focus is visible: the focused link, field and button are outlined, and not outlined without focus', async () => {
    await withPage(async (page) => {
      await page.goto(`${web.origin}/`);
      const ring = (selector: string) =>
        page.evaluate(`(() => { const s = getComputedStyle(document.querySelector(${JSON.stringify(selector)})); return { outline: s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth), shadow: s.boxShadow }; })()`) as Promise<{ outline: number; shadow: string }>;
      for (const selector of ['a[href="#main"]', '#q', 'form[role="search"] button']) {
        const before = await ring(selector);
        await page.focus(selector);
        // As a keyboard user gets it: focus moved by the keyboard (:focus-visible).
        await page.keyboard.press('Shift+Tab');
        await page.keyboard.press('Tab');
        assert.equal((await page.evaluate(`document.activeElement === document.querySelector(${JSON.stringify(selector)})`)) as boolean, true, `${selector} lost focus`);
        const during = await ring(selector);
        assert.ok(during.outline >= 2 || during.shadow !== 'none', `${selector} shows no focus: ${JSON.stringify(during)}`);
        assert.notDeepEqual(during, before, `${selector} looks the same with and without focus`);
      }
    });
  });
});

/** The check: from `/`, the ENT in the Gard and Occitanie at the scenario's clock, then the incident's timeline. */
async function nimesJourney(page: Page, how: { keyboardOnly?: boolean } = {}): Promise<void> {
  await page.goto(`${web.origin}/`);
  // The demo is labelled, with its clock.
  const banner = page.locator('.demo');
  await banner.waitFor();
  assert.match(await banner.innerText(), /DÉMO/);
  assert.match(await banner.innerText(), /17 mars 2020/);
  assert.match(await banner.innerText(), /10:00/);

  const field = page.getByRole('searchbox', { name: /lieu|commune|rechercher/i });
  await field.fill('Nîmes');
  if (how.keyboardOnly) await Promise.all([page.waitForURL((url) => url.pathname !== '/'), field.press('Enter')]);
  else await Promise.all([page.waitForURL((url) => url.pathname !== '/'), page.getByRole('button', { name: /rechercher|chercher/i }).click()]);

  // Nîmes's page: the ENT is the Occitanie région's, partly down at 10:00 (the ministry's communiqué), for the Gard too.
  assert.match(await page.locator('h1').innerText(), /Nîmes/);
  const main = await page.locator('main').innerText();
  assert.match(main, /Gard/);
  assert.match(main, /Occitanie/);
  const entRow = page.locator('main tr', { hasText: /ENT/ }).first();
  assert.match(await entRow.innerText(), /panne partielle/i, `the ENT row reads: ${await entRow.innerText()}`);

  // Follow the incident.
  const link = page.locator('main a[href*="/incident/"]', { hasText: /ENT/ }).first();
  const incidentPath = await link.getAttribute('href');
  assert.ok(incidentPath?.includes('ent-occitanie'), `the ENT incident link goes to ${incidentPath}`);
  await Promise.all([page.waitForURL((url) => url.pathname.includes('/incident/')), link.click()]);
  assert.match(await page.locator('h1').innerText(), /ENT/);
  assert.match(await page.locator('main').innerText(), /Occitanie/);

  // Its official timeline: the ministry's communiqué of the day, with its source.
  const timeline = page.locator('main ol.timeline li');
  assert.ok((await timeline.count()) >= 1, 'the incident page has no timeline');
  const entry = await timeline.first().innerText();
  assert.match(entry, /fortement ralentis/);
  assert.match(entry, /Ministère de l'Éducation nationale/);
  assert.match(entry, /17 mars 2020/);
}

describe('status page in chromium: the issue\'s end-to-end check', () => {
  test('open /, search "Nîmes", see the ENT for the Gard and Occitanie at 10:00, follow the incident, read the timeline', async () => {
    await withPage((page) => nimesJourney(page));
  });

  test('the same journey with JavaScript disabled (the pages need none)', async () => {
    await withPage(async (page) => {
      await page.goto(`${web.origin}/`);
      assert.equal(await page.locator('script').count(), 0, 'the home page carries a script');
      await nimesJourney(page, { keyboardOnly: true });
    }, { javaScript: false });
  });
});

describe('status page in chromium: the widget on another site', () => {
  test('a page of another origin frames the widget (its hashed style applied) but not the status page itself', async () => {
    // "A school's website": another origin (another port of 127.0.0.1) with two iframes.
    const school = createServer((_request, response) => {
      response.setHeader('content-type', 'text/html; charset=utf-8');
      response.end(`<!doctype html><html lang="fr"><title>École</title><body>
<iframe id="widget" title="État de l'ENT" src="${web.origin}/widget?service=ent&amp;place=region:76" width="400" height="200"></iframe>
<iframe id="page" title="Vigie" src="${web.origin}/" width="400" height="200"></iframe></body></html>`);
    });
    await new Promise<void>((done) => school.listen(0, '127.0.0.1', done));
    try {
      const port = (school.address() as AddressInfo).port;
      await withPage(async (page) => {
        // Chromium says in the console why it refused a frame.
        const refusals: string[] = [];
        page.on('console', (m) => refusals.push(m.text()));
        await page.goto(`http://127.0.0.1:${port}/`);
        const widget = page.frameLocator('#widget');
        assert.match(await widget.locator('h1').innerText(), /ENT/);
        assert.match(await widget.locator('main').innerText(), /panne partielle/i);
        // The inline style is allowed by its hash in the widget's CSP: the border it draws is there.
        const widgetFrame = page.frames().find((f) => f.url().includes('/widget'));
        assert.ok(widgetFrame, 'no widget frame');
        const border = (await widgetFrame.evaluate(`getComputedStyle(document.querySelector('main')).borderTopWidth`)) as string;
        assert.equal(border, '1px', 'the widget\'s style was refused (its CSP hash does not match)');
        // The status page refuses to be framed (frame-ancestors 'none'): its frame holds no Vigie page.
        const home = await page.locator('#page').elementHandle();
        const framed = await home?.contentFrame();
        assert.ok(framed, 'no second frame');
        assert.ok(!framed.url().startsWith(web.origin), `the status page was framed: ${framed.url()}`);
        assert.ok(refusals.some((m) => m.includes("frame-ancestors 'none'")), `chromium did not say why: ${JSON.stringify(refusals)}`);
      });
    } finally {
      // The browser keeps idle connections open: close them, or close() waits for them.
      school.closeAllConnections();
      await new Promise((done) => school.close(done));
    }
  });
});

describe('status page in chromium: screenshots', () => {
  test('a screenshot of / on the demo scenario is saved (desktop and phone widths)', async () => {
    mkdirSync(OUTPUT, { recursive: true });
    for (const [name, width, height] of [['home-desktop', 1280, 900], ['home-phone', 390, 844]] as const) {
      await withPage(async (page) => {
        await page.goto(`${web.origin}/`);
        // The demo banner is on screen without scrolling, at both widths.
        assert.ok(await page.locator('.demo').isVisible());
        const file = join(OUTPUT, `${name}.png`);
        await page.screenshot({ path: file, fullPage: true });
        const png = readFileSync(file);
        assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
        assert.ok(png.length > 10_000, `${file} is only ${png.length} bytes`);
        console.log(`screenshot of / (${width}×${height}, demo scenario at 10:00): ${file}`);
      }, { width, height });
    }
  });

  test('at 320 px wide, the page reflows: no horizontal scrolling of the page (WCAG 1.4.10)', async () => {
    await withPage(async (page) => {
      await page.goto(`${web.origin}/`);
      const overflow = (await page.evaluate('document.documentElement.scrollWidth - document.documentElement.clientWidth')) as number;
      assert.ok(overflow <= 0, `the page is ${overflow} px wider than a 320 px screen`);
    }, { width: 320, height: 640 });
  });
});
