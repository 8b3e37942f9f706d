/**
 * Places written as "kind:code" in content files ("region:76", "departement:2A",
 * "academie:toulouse", "commune:31555", "national:FR"): content/probes.yaml's places and the
 * scenarios' crowd timelines. The shape is checked here; whether the place exists is checked
 * against the gazetteer by whoever loads the file.
 */
import { z } from 'zod';
import { PLACE_KINDS, type PlaceKind } from '../base/types.js';

/** What a place code looks like, per kind. */
export const PLACE_CODE: Record<PlaceKind, RegExp> = {
  national: /^FR$/,
  region: /^\d{2}$/,
  academie: /^[a-z0-9]+(-[a-z0-9]+)*$/,
  departement: /^(\d{2}|2A|2B|97\d)$/,
  commune: /^(\d{5}|2[AB]\d{3})$/,
};

const EXAMPLE: Record<PlaceKind, string> = {
  national: '"national:FR"',
  region: '"region:76"',
  academie: '"academie:toulouse"',
  departement: '"departement:31" or "departement:2A"',
  commune: '"commune:31555"',
};

/** "kind:code", read into { kind, code }; a clear error otherwise. */
export const placeCodeSchema = z.string().transform((text, ctx) => {
  const m = /^([a-z]+):(.+)$/.exec(text.trim());
  const kind = m?.[1] as PlaceKind | undefined;
  if (!m || kind === undefined || !(PLACE_KINDS as readonly string[]).includes(kind)) {
    ctx.addIssue({ code: 'custom', message: `expected "kind:code" with kind one of ${PLACE_KINDS.join(', ')}, such as "region:76" or "national:FR" (got ${JSON.stringify(text)})` });
    return z.NEVER;
  }
  const code = m[2]!;
  if (!PLACE_CODE[kind].test(code)) {
    ctx.addIssue({ code: 'custom', message: `"${code}" is not a ${kind} code (such as ${EXAMPLE[kind]})` });
    return z.NEVER;
  }
  return { kind, code };
});
