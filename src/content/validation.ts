/**
 * Validation shared by every edge that takes input from people (admin forms, notice files):
 * web addresses, and zod's problems turned into one line per field in the person's language;
 * for content files and stored records, zod's problems in one English line (describeIssues).
 */
import { z } from 'zod';
import type { Templates } from './templates.js';
import type { Language } from '../base/types.js';
import { failure, type Failure } from '../base/errors.js';

/** The longest web address accepted (what browsers and platforms handle everywhere). */
export const URL_MAX = 2048;

// Whitespace, controls and characters that cannot appear raw in a URL and that platforms
// refuse or read as markup (<, >, ", `, {, }, |, \, ^).
const NOT_IN_URL = /[\s\u0000-\u001f\u007f<>"`{}|\\^]/u;

/**
 * The canonical form of a well-formed absolute http(s) address, or null: WHATWG URL parsing,
 * no whitespace or markup characters, no user:password@ (a classic disguise), a host, at most
 * URL_MAX characters.
 */
export function parseHttpUrl(text: string): string | null {
  // Answers show the same few source addresses over and over: parsed once each.
  const known = parsedUrls.get(text);
  if (known !== undefined) return known;
  const parsed = parseUncached(text);
  if (parsedUrls.size >= PARSED_URLS_MAX) parsedUrls.clear();
  parsedUrls.set(text, parsed);
  return parsed;
}

const PARSED_URLS_MAX = 2_000;
const parsedUrls = new Map<string, string | null>();

function parseUncached(text: string): string | null {
  const value = text.trim();
  if (value.length === 0 || value.length > URL_MAX || NOT_IN_URL.test(value)) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '' || url.username !== '' || url.password !== '') return null;
  return url.href.length > URL_MAX ? null : url.href;
}

/**
 * A zod schema for a web address: validated once, kept in its canonical form. The message is
 * a template key for people's input; content files (read by operators) say it in English.
 */
export function httpUrl(message = 'validation.url') {
  return z
    .string()
    .refine((v) => parseHttpUrl(v) !== null, { message })
    .transform((v) => parseHttpUrl(v)!);
}

/** A web address typed by an admin. */
export const httpUrlSchema = httpUrl();

type Issue = z.core.$ZodIssue;

/** One problem, in words: "what is expected" (without the field). */
export function describeIssue(issue: Issue, lang: Language, templates: Templates): string {
  const t = (key: string, vars?: Record<string, string | number>) => templates.t(lang, key, vars);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return t('validation.required');
      return t('validation.expected', { type: t(`validation.type.${issue.expected}`) });
    case 'too_small':
      if (issue.origin === 'string') return Number(issue.minimum) <= 1 ? t('validation.empty') : t('validation.too_short', { n: Number(issue.minimum) });
      if (issue.origin === 'array' || issue.origin === 'set') return t('validation.too_few', { n: Number(issue.minimum) });
      return t('validation.too_small', { n: Number(issue.minimum) });
    case 'too_big':
      if (issue.origin === 'string') return t('validation.too_long', { n: Number(issue.maximum) });
      if (issue.origin === 'array' || issue.origin === 'set') return t('validation.too_many', { n: Number(issue.maximum) });
      return t('validation.too_big', { n: Number(issue.maximum) });
    case 'invalid_value':
      if (issue.input === undefined) return t('validation.required');
      return t('validation.one_of', { values: issue.values.map((v) => String(v)).join(', ') });
    case 'unrecognized_keys':
      return t('validation.unknown_keys', { keys: issue.keys.join(', ') });
    case 'invalid_format':
      return issue.format === 'url' ? t('validation.url') : t('validation.format');
    case 'invalid_union': {
      // "a text or a list": name what each branch expects when they are plain types.
      const types = issue.errors.map((branch) => branch[0]).filter((i): i is z.core.$ZodIssueInvalidType => i?.code === 'invalid_type' && i.path.length === 0);
      if (types.length === issue.errors.length && types.length > 0) {
        return t('validation.expected', { type: types.map((i) => t(`validation.type.${i.expected}`)).join(t('validation.or')) });
      }
      const first = issue.errors[0]?.[0];
      return first ? describeIssue(first, lang, templates) : t('validation.invalid');
    }
    case 'custom':
      return issue.message.startsWith('validation.') && templates.has(lang, issue.message) ? t(issue.message) : t('validation.invalid');
    default:
      return t('validation.invalid');
  }
}

/** The dotted path of a field ("incident.recoveryAt", "levels.0"), or `root` for the whole input. */
export function fieldOf(issue: Issue, root: string): string {
  return issue.path.map(String).join('.') || root;
}

/**
 * zod's problems as failure values, one per issue, in zod's order: INPUT_UNKNOWN_FIELDS for
 * fields that do not exist, INPUT_FIELD for the others; `field` is the dotted path (`root` for
 * the whole input). The one walk over zod's issues: each audience words `text` its own way
 * (people in their language, an import in French and English, operators in English).
 */
export function issueFailures<Text>(error: z.ZodError, root: string, describe: (issue: Issue, field: string) => Text): Failure<Text>[] {
  return error.issues.map((issue) => {
    const field = fieldOf(issue, root);
    return failure(issue.code === 'unrecognized_keys' ? 'INPUT_UNKNOWN_FIELDS' : 'INPUT_FIELD', describe(issue, field), field);
  });
}

/**
 * Every zod problem as a failure whose text is "field : what is expected", in the person's
 * language, all at once. `fieldName` renames fields for the person (null leaves a field's
 * problems out); `field` is the renamed one.
 */
export function inputFailures(error: z.ZodError, lang: Language, templates: Templates, root: string, fieldName?: (field: string) => string | null): Failure[] {
  const out: Failure[] = [];
  for (const f of issueFailures(error, root, (issue) => describeIssue(issue, lang, templates))) {
    const field = fieldName ? fieldName(f.field!) : f.field!;
    if (field !== null) out.push({ code: f.code, field, text: templates.t(lang, 'admin.error.field', { field, problem: f.text }) });
  }
  return out;
}

/** inputFailures' texts. */
export function issueLines(error: z.ZodError, lang: Language, templates: Templates, root: string, fieldName?: (field: string) => string | null): string[] {
  return inputFailures(error, lang, templates, root, fieldName).map((f) => f.text);
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What can still be checked in input zod refused: a copy without the fields it named (an
 * array with a bad item goes whole), with `fill` put where a required field went missing,
 * parsed again. The later checks (unknown places, times) then run too, so a person gets every
 * problem in one answer, not one round at a time. Null when nothing sensible remains.
 */
export function salvage<T>(schema: z.ZodType<T>, raw: unknown, issues: readonly Issue[], fill: Json): T | null {
  if (!isObject(raw)) return null;
  let copy: Json;
  try {
    copy = structuredClone(raw);
  } catch {
    return null;
  }
  for (const issue of issues) {
    const path = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      const target = path.reduce<unknown>((at, key) => (isObject(at) ? at[key] : undefined), copy);
      if (isObject(target)) for (const key of issue.keys) delete target[key];
      continue;
    }
    // Up to the first array index: the whole list goes, not one hole in it.
    const cut = path.findIndex((p, i) => /^\d+$/.test(p) && i > 0);
    const keys = cut === -1 ? path : path.slice(0, cut);
    if (keys.length === 0) return null;
    const parent = keys.slice(0, -1).reduce<unknown>((at, key) => (isObject(at) ? at[key] : undefined), copy);
    if (isObject(parent)) delete parent[keys.at(-1)!];
  }
  const filled = fillMissing(copy, fill);
  const again = schema.safeParse(filled);
  return again.success ? again.data : null;
}

function fillMissing(into: Json, fill: Json): Json {
  const out: Json = { ...into };
  for (const [key, value] of Object.entries(fill)) {
    if (out[key] === undefined) out[key] = value;
    else if (isObject(out[key]) && isObject(value)) out[key] = fillMissing(out[key] as Json, value);
  }
  return out;
}

/** Turns zod issues into "field.path: what was expected" lines, in English, for operators. */
export function describeIssues(error: z.ZodError): string {
  return issueFailures(error, '(root)', (issue) => {
    // zod reports a bad record key as "Invalid key in record" and keeps the reason nested.
    if (issue.code === 'invalid_key') {
      const reason = issue.issues[0]?.message ?? issue.message;
      const key = issue.path.at(-1) ?? issue.input;
      return `invalid key ${JSON.stringify(String(key))}, expected ${reason}`;
    }
    return issue.message;
  })
    .slice(0, 10)
    .map((f) => `${f.field}: ${f.text}`)
    .join('; ');
}
