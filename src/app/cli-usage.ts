/**
 * A command line that cannot be understood: every `vigie` command throws this one error
 * (code CLI_USAGE) and answers it with the usage text and exit code 2.
 */
import { hasCode, VigieError } from '../base/errors.js';

/** The command line is wrong (unknown command, missing or contradictory flags). */
export class UsageError extends VigieError {
  constructor(message: string) {
    super('CLI_USAGE', message);
  }
}

/** Whether `error` says the command line is wrong: ours, or node:util parseArgs' (ERR_PARSE_ARGS_…). */
export function isUsageError(error: unknown): boolean {
  return hasCode(error, 'CLI_USAGE') || ((error as { code?: unknown } | null)?.code as string | undefined)?.startsWith?.('ERR_PARSE_ARGS') === true;
}
