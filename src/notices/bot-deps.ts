/**
 * Builds the publisher's dependencies from a Bot, for the CLI and the tests (inside the Bot,
 * the facade can pass its own understander instead of going through `bot.understand`).
 */
import type { Bot } from '../bot.js';
import { resolvePlaces } from '../admin/resolve-places.js';
import type { NoticeDeps } from './publish.js';

/** The notice dependencies a bot provides. */
export function noticeDepsFromBot(bot: Bot): NoticeDeps {
  const understander = { understand: (text: string, options?: { locale?: string }) => bot.understand(text, options?.locale) };
  return {
    store: bot.store,
    gazetteer: bot.gazetteer,
    templates: bot.templates,
    serviceIds: new Set(bot.content.services.map((s) => s.id)),
    resolvePlaces: (text) => resolvePlaces(text, understander, bot.gazetteer),
    previewIncident: (input, actor, lang) => bot.previewIncident(input, actor, lang),
    applyIncident: (input, actor, lang) => bot.applyIncident(input, actor, lang),
    now: () => bot.clock.now(),
  };
}
