/**
 * The real browser of the status page's tests: Debian's chromium (/usr/bin/chromium, which
 * `.ci/run` installs) driven by playwright-core, and axe-core run inside the page.
 *
 * Chromium runs headless, without the sandbox (CI runs as root) and without anything that
 * would reach the network on its own (the machine's closed network refuses it and the tests
 * talk only to 127.0.0.1). playwright-core's `launch` gives each browser a new, empty profile
 * directory of its own (its `--user-data-dir`) and removes it on close.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import axe from 'axe-core';

/** Where the browser is (VIGIE_CHROMIUM to try another build). */
export const CHROMIUM_PATH = process.env.VIGIE_CHROMIUM ?? '/usr/bin/chromium';

/** The switches the machine's closed network needs: no sandbox (root), no GPU, no background connections. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Starts headless chromium; a missing browser is a clear failure, never a skip. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no browser at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium; .ci/run does it) or set VIGIE_CHROMIUM`);
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
}

/** The WCAG 2.0 and 2.1 levels A and AA rules (RGAA 4 follows WCAG 2.1 AA). */
export const WCAG_TAGS: readonly string[] = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** One axe-core violation, as much as a failure message needs. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: string; html: string; failureSummary: string }[];
}

/**
 * Runs axe-core's WCAG 2.0/2.1 A and AA rules on the page as it is now and returns the
 * violations. axe's source is evaluated through the DevTools protocol, which the page's
 * Content-Security-Policy does not govern, so the strict CSP stays on while axe runs.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  const loaded = await page.evaluate('typeof globalThis.axe');
  if (loaded !== 'object') await page.evaluate(axe.source);
  const violations = (await page.evaluate(`globalThis.axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_TAGS)} }, resultTypes: ['violations'] })
    .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target.map(String).join(' '), html: n.html, failureSummary: n.failureSummary ?? '' })) })))`)) as AxeViolation[];
  return violations;
}

/** The violations in words, one rule a paragraph, each failing element with what fails (for an assertion's message). */
export function describeViolations(where: string, violations: readonly AxeViolation[]): string {
  if (violations.length === 0) return `${where}: no axe violations`;
  const lines = [`${where}: ${violations.length} axe violation${violations.length > 1 ? 's' : ''}`];
  for (const v of violations) {
    lines.push(`- ${v.id} (${v.impact ?? 'no impact given'}): ${v.help} — ${v.helpUrl}`);
    for (const n of v.nodes.slice(0, 5)) {
      lines.push(`    at ${n.target}: ${n.html.length > 160 ? `${n.html.slice(0, 160)}…` : n.html}`);
      for (const s of n.failureSummary.split('\n').filter((l) => l.trim() !== '')) lines.push(`      ${s.trim()}`);
    }
    if (v.nodes.length > 5) lines.push(`    … and ${v.nodes.length - 5} more elements`);
  }
  return lines.join('\n');
}
