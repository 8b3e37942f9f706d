/**
 * What the Discord adapter may write to logs. An interaction token is a credential for 15
 * minutes (anyone holding it can post as the bot in that conversation) and a webhook URL
 * embeds one; a person's message is theirs. So logs get error names, codes and scrubbed
 * messages, and texts only as a length and a short hash.
 */
import { createHash } from 'node:crypto';

// Interaction and webhook routes carry the token as a path segment.
const TOKEN_ROUTE = /\/(webhooks|interactions)\/(\d+)\/[^/\s?"']+/g;
// Discord interaction tokens are long base64url strings ("aW50ZXJhY3Rpb246…", ~200 characters).
const LONG_TOKEN = /[A-Za-z0-9_-]{60,}(?:\.[A-Za-z0-9_-]+)*/g;

/** `text` without interaction or webhook tokens. */
export function scrubTokens(text: string): string {
  return text.replace(TOKEN_ROUTE, '/$1/$2/[token]').replace(LONG_TOKEN, '[redacted]');
}

/** An error as a log field: name, code, HTTP status and a scrubbed message; never a URL with a token or a request body. */
export function safeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: scrubTokens(String(error)).slice(0, 300) };
  const e = error as Error & { code?: unknown; status?: unknown };
  return {
    name: e.name,
    ...(e.code !== undefined ? { code: e.code } : {}),
    ...(typeof e.status === 'number' ? { status: e.status } : {}),
    message: scrubTokens(e.message).slice(0, 300),
  };
}

/** A person's text as a log field: its length and a short hash, never the words. */
export function textDigest(text: string): { length: number; sha256: string } {
  return { length: text.length, sha256: createHash('sha256').update(text).digest('hex').slice(0, 12) };
}
