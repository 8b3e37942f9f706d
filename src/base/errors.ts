/**
 * Failures, coded. Every failure Vigie throws (a VigieError) or returns (a Failure value)
 * carries one of the codes registered below, so callers, tests and logs branch on the code,
 * never on the text: the text is for people, often translated, and may be reworded.
 *
 * Codes are namespaced by area, AREA_WHAT (CONTENT_, CONFIG_, INPUT_, STORE_, CLI_,
 * ADAPTER_, DELIVERY_, SLACK_, DISCORD_, SUBSCRIPTION_, INCIDENT_, ALERT_, WEB_): one registry, each code
 * written once with what it means (test/base/errors.test.ts checks that every code named in
 * src/ and adapters/ is registered, and every registered code is used). Expected misses (an unknown place in a question, no incident) are answers, not
 * failures. A transport's SendFailure keeps its own `reason` (the platform's error code,
 * "rate_limited", "timeout"): it is a delivery outcome recorded per try, not a Vigie failure.
 */

/** Every code, with what it means. */
export const ERROR_CODES = {
  // Thrown (VigieError and its subclasses).
  CONTENT_INVALID: 'A content file is missing, unreadable or invalid.',
  CONFIG_INVALID: 'The environment holds an invalid value.',
  INPUT_INVALID: 'Input from a person (admin form, CLI flag) or a record handed to the store is invalid.',
  STORE_FAILED: 'The store or the cache could not be opened, reached, read or written.',
  STORE_RECORD_INVALID: 'The outbox was handed a notice or delivery that does not match its schema (a bug, not bad input).',
  CLI_USAGE: 'The command line cannot be understood.',
  ADAPTER_ALREADY_STARTED: 'A platform adapter was started twice.',
  ADAPTER_REGISTERED_TWICE: 'Two platforms were registered under one name.',
  // Logged, not thrown: a platform's stop failed or hung; the other platforms were stopped all the same.
  ADAPTER_STOP_FAILED: 'A platform threw while stopping.',
  ADAPTER_STOP_LATE: 'A platform did not stop in time; its connections were left to the exit.',
  DELIVERY_SHUTDOWN: 'A request was given up before it was sent, because the process is stopping.',
  // Logged, not thrown: the alert desk (src/signals/alerts.ts) tries again at the next step.
  ALERT_POST_FAILED: 'An alert could not be posted to an alert channel (tried again at the next step).',
  ALERT_EDIT_FAILED: 'An alert message could not be edited (tried again at the next step).',
  ALERT_STORE_FAILED: 'The alerts or their message ids could not be read or written in the store.',
  // Logged, not thrown: the status page could not listen (port taken, not allowed); the bot runs on without it.
  WEB_LISTEN_FAILED: 'The web server could not listen on its port (taken or not allowed); the bot runs on without the web.',
  WEB_RENDER_FAILED: 'A status page or API response could not be built; a 500 page was served.',
  SLACK_RESPOND_FAILED: "Slack's response_url refused the answer (expired, used too often, bad payload).",
  SLACK_RESPONSE_TIMEOUT: "Slack's response_url did not answer in time.",

  // Returned (Failure values): what is wrong with a person's input, field by field.
  INPUT_FIELD: 'A field does not have the expected shape (missing, wrong type, too long, not one of the values…).',
  INPUT_UNKNOWN_FIELDS: 'The input names fields that do not exist.',
  INPUT_TOO_LONG: 'A line to import is too long to be read.',
  INPUT_NOT_JSON: 'A line to import is not a JSON object.',
  INPUT_BAD_ID: 'A workspace or channel id is not one of the platform (swapped, truncated, mistyped).',
  INPUT_UNKNOWN_SERVICE: 'A service is not in content/services.',
  INPUT_UNKNOWN_PLACE: 'A place is not in the gazetteer.',
  INPUT_AMBIGUOUS_PLACE: 'A place name several places bear: its code is needed.',
  INPUT_UNKNOWN_VALUE: 'A value is not one of those allowed (a level, an audience).',
  INPUT_MISSING: 'Something the action needs is missing.',
  SUBSCRIPTION_LIMIT: 'The channel already has the most subscriptions allowed.',
  SUBSCRIPTION_NONE: 'No subscription of the channel matches what is to be removed.',
  INPUT_BAD_TIME: 'A time cannot be read, or is already past.',
  INPUT_CONFLICT: 'Two values of the input contradict each other, or one allows fewer values than given.',
  INCIDENT_UNKNOWN: 'No incident has this id.',
  INCIDENT_ALREADY_RESOLVED: 'The incident to resolve is resolved already.',
  INCIDENT_SERVICE_CHANGE: 'An update cannot move an incident to another service.',
  INCIDENT_DUPLICATE_OPEN: 'An identical incident (same service, places and levels) is open already.',
} as const;

/** A registered code. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The registered codes, in registry order. */
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

/** A failure as a value: its code, the field it is about (dotted path), and its text for people. */
export interface Failure<Text = string> {
  code: ErrorCode;
  field?: string;
  text: Text;
}

/** A failure value. */
export function failure<Text>(code: ErrorCode, text: Text, field?: string): Failure<Text> {
  return field === undefined ? { code, text } : { code, field, text };
}

/** Failures with the same text said once (the first kept). */
export function uniqueFailures<Text>(failures: readonly Failure<Text>[]): Failure<Text>[] {
  const seen = new Set<Text>();
  return failures.filter((f) => !seen.has(f.text) && seen.add(f.text));
}

/** The code of a thrown Vigie error, or undefined for anything else (a bug, a library's error). */
export function codeOf(error: unknown): ErrorCode | undefined {
  return error instanceof VigieError ? error.code : undefined;
}

/** Whether `error` is a Vigie error with `code`. */
export function hasCode(error: unknown, code: ErrorCode): error is VigieError {
  return codeOf(error) === code;
}

/** Thrown errors carry a stable, registered `code` so callers and tests can tell them apart. */
export class VigieError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A content file is missing, unreadable or invalid. */
export class ContentError extends VigieError {
  constructor(
    readonly file: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('CONTENT_INVALID', `${file}: ${message}`, options);
  }
}

/** The environment holds an invalid value. */
export class ConfigError extends VigieError {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super('CONFIG_INVALID', `${variable}: ${message}`);
  }
}

/** Input from a person (admin form, CLI flag) is invalid. */
export class InputError extends VigieError {
  constructor(message: string) {
    super('INPUT_INVALID', message);
  }
}

/** The store could not be opened, read or written (`code` says more precisely when it can). */
export class StoreError extends VigieError {
  constructor(message: string, options?: { cause?: unknown; code?: Extract<ErrorCode, `STORE_${string}`> }) {
    super(options?.code ?? 'STORE_FAILED', message, options && 'cause' in options ? { cause: options.cause } : undefined);
  }
}
