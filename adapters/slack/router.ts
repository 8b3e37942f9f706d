/**
 * One bolt middleware routes every request to Vigie's handlers by its kind and id. Bolt runs
 * the constraint chain of every one of its listeners on every request (a dozen listeners
 * cost a dozen chains of promises per slash command); one router costs one map lookup. It
 * also makes sure each request gets an answer: payloads are normalised first (fallbacks.ts)
 * and whatever no handler takes is answered by a fallback.
 */
import type {
  AllMiddlewareArgs,
  AnyMiddlewareArgs,
  BlockAction,
  Middleware,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackOptionsMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import { guarded, str, type SlackContext } from './context.js';
import { normalize, unknownAction, unknownCommand } from './fallbacks.js';
import { respondTo } from './respond.js';

/** What a slash command handler gets. */
export type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;
/** What an event handler gets (the event already acknowledged). */
export type EventArgs<T extends string> = SlackEventMiddlewareArgs<T> & AllMiddlewareArgs;
/** What a button (or select) handler gets. */
export type ActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
/** What a modal submission handler gets. */
export type ViewArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;
/** What an options (external select) handler gets. */
export type OptionsArgs = SlackOptionsMiddlewareArgs<'block_suggestion'> & AllMiddlewareArgs;

type Handler<A> = (args: A) => Promise<void>;

/** The routing table. */
export class SlackRouter {
  private readonly commands = new Map<string, Handler<CommandArgs>>();
  private readonly events = new Map<string, Handler<EventArgs<string>>>();
  private readonly actions = new Map<string, Handler<ActionArgs>>();
  private readonly actionPatterns: [RegExp, Handler<ActionArgs>][] = [];
  private readonly views = new Map<string, Handler<ViewArgs>>();
  private readonly optionSources = new Map<string, Handler<OptionsArgs>>();

  constructor(private readonly ctx: SlackContext) {}

  command(name: string, handler: Handler<CommandArgs>): void {
    this.commands.set(name, handler);
  }
  event<T extends string>(type: T, handler: Handler<EventArgs<T>>): void {
    this.events.set(type, handler as Handler<EventArgs<string>>);
  }
  action(id: string | RegExp, handler: Handler<ActionArgs>): void {
    if (typeof id === 'string') this.actions.set(id, handler);
    else this.actionPatterns.push([id, handler]);
  }
  view(callbackId: string, handler: Handler<ViewArgs>): void {
    this.views.set(callbackId, handler);
  }
  options(actionId: string, handler: Handler<OptionsArgs>): void {
    this.optionSources.set(actionId, handler);
  }

  /** The middleware to give `app.use`; it never calls `next`, so no bolt listener is needed. */
  middleware(): Middleware<AnyMiddlewareArgs> {
    return async (args) => {
      await guarded(this.ctx, 'request', async () => {
        if (!(await normalize(args))) return;
        const url = (args.body as { response_url?: unknown }).response_url;
        if (typeof url === 'string' && url) (args as { respond?: unknown }).respond = respondTo(url);
        await this.route(args);
      });
    };
  }

  private async route(args: AnyMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
    const body = args.body as Record<string, unknown>;
    if (typeof body.command === 'string') {
      const handler = this.commands.get(body.command);
      await (handler ? handler(args as CommandArgs) : unknownCommand(this.ctx, args as CommandArgs, [...this.commands.keys()]));
      return;
    }
    const event = body.event as { type?: unknown } | undefined;
    if (event) {
      await this.events.get(str(event.type))?.(args as EventArgs<string>);
      return;
    }
    const ack = (args as { ack?: (response?: unknown) => Promise<void> }).ack;
    switch (body.type) {
      case 'block_actions': {
        const a = args as ActionArgs;
        const id = str((a.action as { action_id?: unknown }).action_id);
        const handler = this.actions.get(id) ?? this.actionPatterns.find(([pattern]) => pattern.test(id))?.[1];
        await (handler ? handler(a) : unknownAction(this.ctx, a));
        return;
      }
      case 'view_submission': {
        const handler = this.views.get(str((body.view as { callback_id?: unknown }).callback_id));
        // A modal Vigie no longer knows is closed without a word (Slack shows nothing more).
        await (handler ? handler(args as ViewArgs) : ack?.());
        return;
      }
      case 'block_suggestion': {
        const handler = this.optionSources.get(str(body.action_id));
        await (handler ? handler(args as OptionsArgs) : ack?.({ options: [] }));
        return;
      }
      default:
        // view_closed, shortcuts (not in Vigie's manifest), anything newer: acknowledged, so
        // Slack shows no error.
        await ack?.();
    }
  }
}
