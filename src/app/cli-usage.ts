/**
 * A command line that cannot be understood: every `vigie` command throws this one error
 * (code CLI_USAGE) and answers it with the usage text and exit code 2. Like everything Vigie
 * says to people, the complaint is in French first, then in English.
 */
import { hasCode, VigieError } from '../base/errors.js';

/** The command line is wrong (unknown command, missing or contradictory flags). */
export class UsageError extends VigieError {
  constructor(
    readonly fr: string,
    readonly en: string,
  ) {
    super('CLI_USAGE', `${fr}\n${en}`);
  }
}

/** Whether `error` says the command line is wrong: ours, or node:util parseArgs' (ERR_PARSE_ARGS_…). */
export function isUsageError(error: unknown): boolean {
  return hasCode(error, 'CLI_USAGE') || parseArgsCode(error) !== undefined;
}

function parseArgsCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS') ? code : undefined;
}

/**
 * What to print for a usage error, one line in French, then one in English, each after
 * "vigie:". node:util's parseArgs speaks English only: its message is kept as the English
 * line and the French line says the same from its code and the option it names.
 */
export function usageComplaint(error: unknown): string {
  if (error instanceof UsageError) return `vigie : ${error.fr}\nvigie: ${error.en}`;
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
  const code = parseArgsCode(error);
  if (code === undefined) return `vigie: ${message}`;
  const named = /'([^']+)'/.exec(message)?.[1];
  const option = named ? `« ${named.replace(/ <value>$/, '')} »` : '';
  let fr: string;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') fr = `option inconnue ${option}`.trim();
  else if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') fr = `argument inattendu ${option}`.trim();
  else if (/argument missing/.test(message)) fr = `l'option ${option} attend une valeur`.replace(/\s+/g, ' ');
  else if (/argument is ambiguous/.test(message)) fr = `la valeur de l'option ${option} commence par un tiret : écrivez-la ${named ? `${named.replace(/^.*, /, '')}=VALEUR` : 'OPTION=VALEUR'}`.replace(/\s+/g, ' ');
  else if (/does not take an argument/.test(message)) fr = `l'option ${option} ne prend pas de valeur`.replace(/\s+/g, ' ');
  else fr = `ligne de commande invalide ${option}`.trim();
  return `vigie : ${fr}\nvigie: ${message}`;
}
