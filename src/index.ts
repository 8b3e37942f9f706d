/**
 * The one entry adapters import the core through.
 */
export * from './base/types.js';
export type { Adapter } from './adapter.js';
export type { Platform, PlatformDeps } from './platform.js';
export type { Templates } from './content/templates.js';
export type { Core, CoreAsk, CoreSubscriptions, CoreIncidents, CoreNotices, CorePlaces, CoreTemplates, BotAnswer } from './core.js';
// For the application, tests and benchmarks that build one; adapters see only `Core` (scripts/check-arrows.mjs).
export { Bot, type BotDeps } from './bot.js';
export { FixedClock, systemClock, type Clock } from './base/clock.js';
export { VigieError, ContentError, ConfigError, InputError, StoreError, ERROR_CODES, codeOf, hasCode, failure, type ErrorCode, type Failure } from './base/errors.js';
export { createLogger, silentLogger, redact, type Logger } from './base/logger.js';
export { renderText, renderFirstMessage, firstMessage, firstMessageLines, FIRST_MESSAGE_MAX_CHARS, FIRST_MESSAGE_MAX_LINES, type FirstMessage, neutralizeMentions, errorReply } from './answer/index.js';
export { formatApproxTime, formatShortTime, formatParisClock } from './answer/render-text.js';
export { CHOICE_PREFIX } from './answer/choices.js';
export { scenarioTimeline, type Incident } from './incidents/index.js';
export { parseTimeInput, parisDate } from './base/time-input.js';
export { SCHOOL_TIMEZONE } from './base/zoned-time.js';
export { createRuntime, loadReferenceData, type Runtime } from './runtime.js';
export type { AdminIncidentInput } from './admin/incident-input.js';
export type { AdminOutcome } from './admin/incident-actions.js';
export { MAX_SUBSCRIPTIONS_PER_CHANNEL, type SubscriptionOutcome } from './subscriptions/manage.js';
export { cutText } from './base/text.js';
export { NestedMemo } from './base/nested-memo.js';
export { parseHttpUrl } from './content/validation.js';
export type { Subscription, Store, AuditEntry } from './store/index.js';
export { loadCheckedScenario } from './runtime.js';
export type { NoticeOutcome, NoticeInput, Notice } from './notices/index.js';
export { platformsInOrder } from './notices/index.js';
export type { DeliveryTransport, NoticeMessage, SendResult, SendFailure, ReconcileResult, Delivery, NoticeProgress } from './delivery/index.js';
export { ProgressFollower, type FollowState, type FollowTime, type FollowTiming } from './delivery/follow-progress.js';
