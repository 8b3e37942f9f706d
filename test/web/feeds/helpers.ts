/**
 * What the feed tests share: a renderer context on the shipped content and places, the demo
 * scenario replayed at a chosen instant, injection strings, and the checkers that did not
 * write the documents: xmllint (Debian's libxml2-utils) with the schemas in
 * test/fixtures/feeds, and @dec112/cap-ts for CAP.
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { CAP_1_2 } from '@dec112/cap-ts';
import { sharedReference } from '../../helpers/reference.js';
import { sharedTemplates } from '../../helpers/templates.js';
import { feedContext, type FeedContext } from '../../../src/web/feeds/context.js';
import { loadScenario } from '../../../src/content/load.js';
import { replayScenario, type Incident } from '../../../src/incidents/index.js';
import { zonedTimeToInstant } from '../../../src/base/zoned-time.js';
import type { Scenario } from '../../../src/content/schemas.js';

export const BASE = 'https://statut.example.fr';
export const SCHEMAS = resolve(import.meta.dirname, '../../fixtures/feeds');
export const CAP_XSD = resolve(SCHEMAS, 'cap-1.2.xsd');
export const ATOM_RNG = resolve(SCHEMAS, 'atom.rng');

/** Strings that must reach XML, SVG and HTML as text, never as markup (one with a control character and a lone surrogate, which XML cannot carry). */
export const INJECTIONS = [
  '<script>alert(1)</script>',
  '"\'><svg onload=alert(1)>',
  ']]><x/>&amp; &lt;',
  '@everyone <!channel> @here',
  'bad\u0001char\uD800 ok',
] as const;

let demo: Scenario | null = null;

/** The demo scenario (2020-03-17). */
export function demoScenario(): Scenario {
  demo ??= loadScenario('2020-03-17', sharedReference().content.dir);
  return demo;
}

/** A Paris wall-clock time on the demo day ("10:00"). */
export function demoTime(hm: string): Date {
  const [h, m] = hm.split(':').map(Number);
  return zonedTimeToInstant('Europe/Paris', 2020, 3, 17, h!, m!);
}

/** The demo's incidents as known at a Paris time of its day. */
export function demoIncidents(hm: string): Incident[] {
  return replayScenario(demoScenario(), demoTime(hm));
}

/** A renderer context on the shipped content and places at `now`. */
export function testContext(now: Date, base = BASE): FeedContext {
  const { content, gazetteer } = sharedReference();
  return feedContext({ base, templates: sharedTemplates(), services: content.services, places: gazetteer, now, demo: (s, lang) => (lang === 'fr' ? `[DÉMO ${s}]` : `[DEMO ${s}]`) });
}

/** A place of the gazetteer (throws for an unknown one: a test's typo). */
export function place(kind: 'national' | 'region' | 'academie' | 'departement' | 'commune', code: string) {
  const found = sharedReference().gazetteer.get(kind, code);
  if (!found) throw new Error(`no ${kind} ${code}`);
  return found;
}

/**
 * Runs xmllint on `xml` with `args` (e.g. ['--schema', CAP_XSD]); its verdict and messages.
 * Fails loudly when xmllint is not installed: these checks never skip silently.
 */
export function xmllint(xml: string, args: string[] = [], print = false): { ok: boolean; output: string; stdout: string } {
  const run = spawnSync('xmllint', [...(print ? [] : ['--noout']), '--nonet', ...args, '-'], { input: xml, encoding: 'utf8' });
  if (run.error) {
    const missing = (run.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new Error(
      missing
        ? "xmllint is not installed: the feed tests check XML with it. Install Debian's libxml2-utils (apt-get install libxml2-utils; .ci/run does it)."
        : `xmllint could not run: ${run.error.message}`,
    );
  }
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}`, stdout: run.stdout };
}

/** xmllint's verdict against the CAP 1.2 schema. */
export const capSchemaCheck = (xml: string) => xmllint(xml, ['--schema', CAP_XSD]);
/** xmllint's verdict against the Atom grammar. */
export const atomSchemaCheck = (xml: string) => xmllint(xml, ['--relaxng', ATOM_RNG]);

/**
 * Reads a value back with xmllint's XPath (a parser that did not write the document). Use
 * string(…) or count(…); elements are matched by local-name() (Atom and CAP have namespaces).
 */
export function xpath(xml: string, expression: string): string {
  const run = xmllint(xml, ['--xpath', expression], true);
  if (!run.ok) throw new Error(`xmllint --xpath ${expression} failed: ${run.output}`);
  // xmllint ends what it prints with one newline of its own.
  return run.stdout.endsWith('\n') ? run.stdout.slice(0, -1) : run.stdout;
}

/** `//*[local-name()='entry']` for a path of local names: el('entry', 'title') → //*[local-name()='entry']/*[local-name()='title']. */
export function el(...names: string[]): string {
  return names.map((n) => `*[local-name()='${n}']`).join('/');
}

/** A CAP alert as @dec112/cap-ts reads it, its enumerations back in CAP's words. */
export async function readCap(xml: string) {
  const a = await CAP_1_2.Alert.fromXML(xml);
  return {
    identifier: a.identifier,
    sender: a.sender,
    sent: a.sent,
    status: CAP_1_2._to_string_Alert_status(a.status),
    msgType: CAP_1_2._to_string_Alert_msgType(a.msgType),
    scope: CAP_1_2._to_string_Alert_scope(a.scope),
    note: a.note,
    references: a.references,
    incidents: a.incidents,
    infos: a.info_list.map((i) => ({
      language: i.language,
      categories: i.category_list.map((c) => CAP_1_2._to_string_Alert_info_list_info_category_list_category(c)),
      event: i.event,
      responseTypes: i.responseType_list.map((r) => CAP_1_2._to_string_Alert_info_list_info_responseType_list_responseType(r)),
      urgency: CAP_1_2._to_string_Alert_info_list_info_urgency(i.urgency),
      severity: CAP_1_2._to_string_Alert_info_list_info_severity(i.severity),
      certainty: CAP_1_2._to_string_Alert_info_list_info_certainty(i.certainty),
      eventCodes: i.eventCode_list.map((v) => [v.valueName, v.value]),
      senderName: i.senderName,
      headline: i.headline,
      description: i.description,
      instruction: i.instruction,
      web: i.web,
      parameters: Object.fromEntries(i.parameter_list.map((v) => [v.valueName, v.value])),
      areas: i.area_list.map((a) => ({ areaDesc: a.areaDesc, geocodes: a.geocode_list.map((g) => [g.valueName, g.value]) })),
    })),
  };
}
