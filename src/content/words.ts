/**
 * The words adapters use for their own chrome (buttons, form labels), from the same
 * content/messages templates as every reply. An adapter calls `useWords(bot.templates)` when
 * it starts, so a custom VIGIE_CONTENT_DIR applies; before that (unit tests of renderers) the
 * shipped content is read once.
 */
import { createTemplates, type Templates } from './templates.js';
import { loadContent } from './load.js';

let current: Templates | null = null;

/** Makes adapters' words come from these templates (the bot's). */
export function useWords(templates: Templates): void {
  current = templates;
}

/** The templates adapters' words come from. */
export function words(): Templates {
  current ??= createTemplates(loadContent().messages);
  return current;
}
