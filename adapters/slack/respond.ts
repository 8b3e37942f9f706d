/**
 * Posting to a `response_url` (the private answer to a slash command or a button) over
 * kept-alive connections with node:http(s). Bolt's own `respond` goes through the WHATWG
 * `fetch`, whose streams cost more CPU per answer than the answer itself; this one posts
 * the same JSON, and fails the same way (an error naming the HTTP status).
 */
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { RespondArguments, RespondFn } from '@slack/bolt';
import { VigieError } from '../../src/index.js';

const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: 64 }), https: new HttpsAgent({ keepAlive: true, maxSockets: 64 }) };

/** A response_url refused the message (expired, too many uses, bad payload). */
export class RespondError extends VigieError {
  constructor(readonly status: number) {
    super('SLACK_RESPOND_FAILED', `response_url answered ${status}`);
  }
}

/** Posts `message` as JSON to `url`; resolves once Slack accepted it. */
export function postToResponseUrl(url: string, message: RespondArguments | string, timeoutMs = 10_000): Promise<void> {
  const body = JSON.stringify(typeof message === 'string' ? { text: message } : message);
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  if (!secure && target.protocol !== 'http:') return Promise.reject(new RespondError(0));
  return new Promise((resolve, reject) => {
    const req = (secure ? httpsRequest : httpRequest)(
      target,
      { method: 'POST', agent: secure ? agents.https : agents.http, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }, timeout: timeoutMs },
      (res) => {
        res.resume();
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve();
          else reject(new RespondError(status));
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new VigieError('SLACK_RESPONSE_TIMEOUT', 'response_url timed out')));
    req.on('error', reject);
    req.end(body);
  });
}

/** A `respond` for `url`, shaped like bolt's. */
export function respondTo(url: string): RespondFn {
  return (message) => postToResponseUrl(url, message) as unknown as ReturnType<RespondFn>;
}
