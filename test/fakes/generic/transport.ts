/**
 * A DeliveryTransport for the generic fake platform, over HTTP: the delivery id is the
 * idempotency key on every message, a client-side token bucket mirrors the platform's
 * limits (as @discordjs/rest and Slack's WebClient would), and HTTP outcomes map to
 * neutral results (429 → retry after, 5xx/timeout/network → retry, uncertain; 403/404 → permanent).
 */
import { renderText } from '../../../src/answer/index.js';
import type { Delivery } from '../../../src/store/delivery.js';
import type { DeliveryTransport, NoticeMessage, ReconcileResult, SendResult, TransportPlatform } from '../../../src/delivery/transport.js';
import type { Timer } from '../../../src/base/timer.js';
import { LimitSet, type PlatformLimits } from './buckets.js';

/** How to reach the fake. */
export interface GenericTransportOptions {
  platform: TransportPlatform;
  baseUrl: string;
  /** Per-request timeout (default 1000 ms). */
  timeoutMs?: number;
  /**
   * Virtual-time timeouts (default: real ones): a request the fake holds (`held`, the fake's
   * `held`) times out `timeoutMs` later on `timer` (the dispatcher's VirtualTimer), counted
   * from when the fake held it, so the fake has seen every request the client gave up on.
   * A real timeout of a minute stays as a safety net.
   */
  virtual?: { timer: Timer; held(id: string, signal: AbortSignal): Promise<void> };
  /** Limits to stay under (client side); absent = send at once. */
  limits?: PlatformLimits;
}

/** Counts seen by the client. */
export interface TransportStats {
  requests: number;
  received429: number;
  timeouts: number;
}

/** The transport. */
export class GenericTransport implements DeliveryTransport {
  readonly platform: TransportPlatform;
  readonly stats: TransportStats = { requests: 0, received429: 0, timeouts: 0 };
  private readonly limits: LimitSet | null;
  private readonly started = performance.now();
  /** Requests sent, to number them for the fake (`virtual`). */
  private sent = 0;

  constructor(private readonly options: GenericTransportOptions) {
    this.platform = options.platform;
    this.limits = options.limits ? new LimitSet(options.limits) : null;
  }

  post(d: Delivery, message: NoticeMessage): Promise<SendResult> {
    return this.send(d, 'POST', '', { key: d.id, text: renderText(message) });
  }

  edit(d: Delivery, ref: string, message: NoticeMessage): Promise<SendResult> {
    return this.send(d, 'PATCH', `/${encodeURIComponent(ref)}`, { text: renderText(message) });
  }

  reply(d: Delivery, rootRef: string, message: NoticeMessage): Promise<SendResult> {
    return this.send(d, 'POST', '', { key: d.id, text: renderText(message), parent: rootRef });
  }

  async reconcile(d: Delivery): Promise<ReconcileResult> {
    const result = await this.request(d, 'GET', `?key=${encodeURIComponent(d.id)}`, undefined);
    if (!result.ok) return result;
    const found = (result.body as { messages?: { ref: string }[] }).messages?.[0];
    return found ? { found: true, ref: found.ref } : { found: false };
  }

  private async send(d: Delivery, method: string, suffix: string, body: unknown): Promise<SendResult> {
    const result = await this.request(d, method, suffix, body);
    if (!result.ok) return result;
    const ref = (result.body as { ref?: unknown }).ref;
    return typeof ref === 'string' ? { ok: true, ref } : { ok: false, retry: false, reason: 'bad_response' };
  }

  private async request(d: Delivery, method: string, suffix: string, body: unknown): Promise<{ ok: true; body: unknown } | Extract<SendResult, { ok: false }>> {
    await this.waitForToken(d);
    this.stats.requests++;
    const url = `${this.options.baseUrl}/w/${encodeURIComponent(d.workspace)}/c/${encodeURIComponent(d.channel)}/messages${suffix}`;
    const timeoutMs = this.options.timeoutMs ?? 1000;
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    let signal = AbortSignal.timeout(timeoutMs);
    // Virtual time: aborted with a TimeoutError `timeoutMs` after the fake held it; waits end with the request.
    const done = new AbortController();
    const virtual = this.options.virtual;
    if (virtual) {
      const id = String(++this.sent);
      headers['x-request-id'] = id;
      const timedOut = new AbortController();
      signal = AbortSignal.any([timedOut.signal, AbortSignal.timeout(60_000)]);
      void virtual
        .held(id, done.signal)
        .then(() => virtual.timer.sleep(timeoutMs, done.signal))
        .then(() => {
          if (!done.signal.aborted) timedOut.abort(new DOMException('the request timed out', 'TimeoutError'));
        });
    }
    let response: Response;
    let text: string;
    try {
      try {
        response = await fetch(url, {
          method,
          headers,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal,
        });
      } catch (error) {
        const timeout = (error as Error).name === 'TimeoutError';
        if (timeout) this.stats.timeouts++;
        return { ok: false, retry: true, uncertain: true, reason: timeout ? 'timeout' : 'network_error' };
      }
      text = await response.text().catch(() => '');
    } finally {
      done.abort();
    }
    let parsed: { error?: string; retry_after_ms?: number } = {};
    try {
      parsed = text ? (JSON.parse(text) as typeof parsed) : {};
    } catch {
      // A non-JSON body keeps the status as the reason.
    }
    if (response.ok) return { ok: true, body: parsed };
    if (response.status === 429) {
      this.stats.received429++;
      const header = Number(response.headers.get('retry-after'));
      const retryAfterMs = Number.isFinite(header) ? Math.ceil(header * 1000) : (parsed.retry_after_ms ?? 1000);
      return { ok: false, retry: true, rateLimited: true, uncertain: false, retryAfterMs, reason: 'rate_limited' };
    }
    if (response.status >= 500) return { ok: false, retry: true, uncertain: true, reason: `http_${response.status}` };
    return { ok: false, retry: false, reason: parsed.error ?? `http_${response.status}` };
  }

  private async waitForToken(d: Delivery): Promise<void> {
    if (!this.limits) return;
    for (;;) {
      const wait = this.limits.tryTake(d.workspace, d.channel, performance.now() - this.started);
      if (wait === 0) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
