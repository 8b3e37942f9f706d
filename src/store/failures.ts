/**
 * What a repository lets out when it fails: a StoreError, never the database driver's error
 * or zod's. A record that does not match its schema is STORE_RECORD_INVALID (its problems in
 * one line, the ZodError kept as the cause); anything else the driver or the group commit
 * throws is STORE_FAILED (the original kept as the cause, its message in the text). Errors
 * that are already Vigie's pass through unchanged.
 */
import { z } from 'zod';
import { StoreError, VigieError } from '../base/errors.js';
import { describeIssues } from '../content/validation.js';

/** `error` as the StoreError a caller of `where` ("outbox.insert") sees. */
export function storeFailure(where: string, error: unknown): VigieError {
  if (error instanceof VigieError) return error;
  if (error instanceof z.ZodError) return new StoreError(`${where}: invalid record: ${describeIssues(error)}`, { cause: error, code: 'STORE_RECORD_INVALID' });
  const reason = error instanceof Error ? error.message : String(error);
  return new StoreError(`${where}: ${reason}`, { cause: error });
}

/**
 * `repository` with every method's failure turned into a StoreError (storeFailure), named
 * `name.method`. Methods are called on the repository itself, so they may call each other.
 */
export function guarded<T extends object>(name: string, repository: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(repository)) {
    if (typeof value !== 'function') {
      out[key] = value;
      continue;
    }
    const method = value as (...args: unknown[]) => unknown;
    const where = `${name}.${key}`;
    out[key] = (...args: unknown[]) => {
      let result: unknown;
      try {
        result = method.apply(repository, args);
      } catch (error) {
        throw storeFailure(where, error);
      }
      return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(storeFailure(where, error))) : result;
    };
  }
  return out as T;
}
