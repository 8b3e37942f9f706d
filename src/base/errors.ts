/**
 * Thrown errors carry a stable `code` so callers and tests can tell them apart.
 * Expected misses (an unknown place, no incident) are values, not errors.
 */
export class VigieError extends Error {
  constructor(
    readonly code: string,
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

/** The store could not be opened or read. */
export class StoreError extends VigieError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE_FAILED', message, options);
  }
}
