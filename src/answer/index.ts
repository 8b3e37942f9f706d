/** Answer composition: Query + incidents → Reply, and its plain-text rendering. */
export { createAnswerer, type Answerer, type AnswerOptions } from './answerer.js';
export { renderText } from './render-text.js';
export { neutralizeMentions } from './safe-text.js';
export { createTemplates, placeholdersOf, type Templates } from './messages.js';
export { STATUS_EMOJI } from './incident-words.js';
