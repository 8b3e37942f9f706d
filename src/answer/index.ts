/** Answer composition: Query + incidents → Reply, and its plain-text rendering. */
export { createAnswerer, type Answerer, type AnswerOptions } from './answerer.js';
export { renderText, renderFirstMessage } from './render-text.js';
export { firstMessage, firstMessageLines, FIRST_MESSAGE_MAX_CHARS, FIRST_MESSAGE_MAX_LINES, type FirstMessage } from './brief.js';
export { neutralizeMentions } from './safe-text.js';
export { errorReply } from './error-reply.js';
export { createTemplates, placeholdersOf, type Templates } from '../content/templates.js';
export { STATUS_EMOJI } from './incident-sentences.js';
