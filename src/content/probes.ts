/**
 * content/probes.yaml: the automated checks of the services' public addresses (#15). Each
 * probe names a service of content/services.yaml (and, for an ENT, one of its brands), the
 * address to ask, what a healthy answer is (its status, how fast) and the places whose people
 * it speaks for. Validated once, when probes are turned on (VIGIE_PROBES=on): a bad file stops
 * startup with the file, the field and what was expected, never half-loaded.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { ContentError } from '../base/errors.js';
import type { PlaceKind } from '../base/types.js';
import { DEFAULT_CONTENT_DIR, loadYamlFile } from './load.js';
import type { Service } from './schemas.js';
import { httpUrl } from './validation.js';
import { placeCodeSchema } from './place-code.js';

/** The file, relative to the content folder. */
export const PROBES_FILE = 'probes.yaml';

/** Defaults and bounds, in seconds as the file writes them. */
export const PROBE_DEFAULTS = { intervalSeconds: 60, timeoutSeconds: 10, slowSeconds: 4, expectedStatus: 200 } as const;
/** Nobody's portal is asked more often than this (a probe is a witness, not a load test). */
export const MIN_INTERVAL_SECONDS = 10;

const seconds = (min: number, max: number) => z.number().min(min).max(max);

/** One probe, as written in the file. */
export const probeSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a lower-case slug such as "ent-occitanie"'),
    /** A service id of content/services.yaml. */
    service: z.string().min(1),
    /** For a service with brands (the ENT): the brand this address serves, by its name in services.yaml. */
    brand: z.string().trim().min(1).optional(),
    url: httpUrl('expected a full http(s) web address without spaces, < > or quotes, at most 2,048 characters'),
    /** The status a healthy answer has (redirects are followed, up to a few, unless this is one). */
    expectedStatus: z.number().int().min(200).max(599).default(PROBE_DEFAULTS.expectedStatus),
    /** A check that has no answer (its status line and headers) by then is a failure. */
    timeoutSeconds: seconds(0.1, 60).default(PROBE_DEFAULTS.timeoutSeconds),
    /** An answer that took longer than this counts as slow. */
    slowSeconds: seconds(0.05, 60).default(PROBE_DEFAULTS.slowSeconds),
    /** Time between two checks. */
    intervalSeconds: z.number().int().min(MIN_INTERVAL_SECONDS).max(3600).default(PROBE_DEFAULTS.intervalSeconds),
    /** The places whose people this address serves. */
    places: z.array(placeCodeSchema).min(1),
  })
  .superRefine((p, ctx) => {
    if (p.slowSeconds >= p.timeoutSeconds) ctx.addIssue({ code: 'custom', path: ['slowSeconds'], message: `must be shorter than timeoutSeconds (${p.timeoutSeconds})` });
    if (p.timeoutSeconds >= p.intervalSeconds) ctx.addIssue({ code: 'custom', path: ['timeoutSeconds'], message: `must be shorter than intervalSeconds (${p.intervalSeconds})` });
  });

/** The file: a list of probes (none is allowed: probes on, nothing to watch). */
export const probesFileSchema = z.strictObject({ probes: z.array(probeSchema) });

/** A probe, ready to run (durations in milliseconds). */
export interface ProbeDefinition {
  id: string;
  service: string;
  brand?: string;
  url: string;
  expectedStatus: number;
  timeoutMs: number;
  slowMs: number;
  intervalMs: number;
  places: { kind: PlaceKind; code: string }[];
}

/**
 * Reads and validates the probes of `dir` (content/probes.yaml by default) against the
 * services: known service ids, brands of that service, one probe per id. Throws ContentError.
 */
export function loadProbes(services: readonly Service[], dir: string = DEFAULT_CONTENT_DIR): ProbeDefinition[] {
  const file = join(dir, PROBES_FILE);
  const { probes } = loadYamlFile(file, probesFileSchema);
  const seen = new Set<string>();
  return probes.map((p, i) => {
    if (seen.has(p.id)) throw new ContentError(file, `probes.${i}.id: duplicate id "${p.id}"`);
    seen.add(p.id);
    const service = services.find((s) => s.id === p.service);
    if (!service) throw new ContentError(file, `probes.${i}.service: "${p.service}" is not a service of services.yaml (known: ${services.map((s) => s.id).join(', ')})`);
    if (p.brand !== undefined && !service.brands.some((b) => b.name === p.brand)) {
      const known = service.brands.map((b) => b.name);
      throw new ContentError(file, `probes.${i}.brand: "${p.brand}" is not a brand of ${service.id} (${known.length > 0 ? `known: ${known.join(', ')}` : 'it has none'})`);
    }
    return {
      id: p.id,
      service: p.service,
      ...(p.brand === undefined ? {} : { brand: p.brand }),
      url: p.url,
      expectedStatus: p.expectedStatus,
      timeoutMs: Math.round(p.timeoutSeconds * 1000),
      slowMs: Math.round(p.slowSeconds * 1000),
      intervalMs: p.intervalSeconds * 1000,
      places: p.places,
    };
  });
}
