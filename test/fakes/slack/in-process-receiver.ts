/**
 * A bolt receiver that pushes Slack's payloads straight into the App, in this process, the
 * way bolt-js's own tests do with their fake receiver: no Socket Mode WebSocket, no signed
 * HTTP request. The adapter's tests of commands, buttons, modals and messages use it
 * (`startRig({ mode: 'in-process' })`); the tests of the transports themselves keep the
 * real Socket Mode client against the fake Socket Mode server (socket-mode.test.ts) and the
 * signed HTTP endpoint (http-mode.test.ts). The Web API calls the bot makes still go to the
 * fake Slack API over HTTP.
 *
 * `send` resolves with what the app acked, as Socket Mode's envelope ack carries it. An error
 * the app throws before acking is handled as bolt's Socket Mode receiver does by default: an
 * authorization error is acked empty, any other is not acked (`send` rejects with it, where
 * Socket Mode would leave the envelope unanswered).
 */
import { ErrorCode, type App, type Receiver, type ReceiverEvent } from '@slack/bolt';

export class InProcessReceiver implements Receiver {
  private app: App | null = null;
  private running = false;

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {
    this.running = true;
  }

  async stop(): Promise<void> {
    this.running = false;
  }

  /** Hands `body` to the app as Slack's payload; resolves with the ack's response payload (null when empty). */
  send(body: Record<string, unknown>, timeoutMs = 10_000): Promise<Record<string, unknown> | null> {
    const app = this.app;
    if (!app || !this.running) throw new Error('the in-process receiver is not started');
    return new Promise((resolve, reject) => {
      let acked = false;
      const timer = setTimeout(() => reject(new Error(`no ack within ${timeoutMs} ms`)), timeoutMs);
      timer.unref();
      const event: ReceiverEvent = {
        body,
        ack: async (response?: unknown) => {
          if (acked) throw new Error('acked twice');
          acked = true;
          clearTimeout(timer);
          const payload = response && typeof response === 'object' && Object.keys(response).length > 0 ? (response as Record<string, unknown>) : null;
          resolve(payload);
        },
      };
      app.processEvent(event).then(
        () => {
          // Events are acked by the app itself; anything else must have been acked by now.
          if (!acked) {
            clearTimeout(timer);
            reject(new Error('the app finished without acking'));
          }
        },
        async (error: unknown) => {
          if (acked) return;
          if ((error as { code?: unknown } | null)?.code === ErrorCode.AuthorizationError) await event.ack().catch(() => undefined);
          else {
            clearTimeout(timer);
            reject(error);
          }
        },
      );
    });
  }
}
