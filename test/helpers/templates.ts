/**
 * The shipped content/messages templates for tests that render without a bot (renderers,
 * transports): made once per test process from the shared reference data. Read-only.
 */
import { createTemplates, type Templates } from '../../src/content/templates.js';
import { sharedReference } from './reference.js';

let templates: Templates | null = null;

/** The templates of the shipped content (the same object every call). */
export function sharedTemplates(): Templates {
  templates ??= createTemplates(sharedReference().content.messages);
  return templates;
}
