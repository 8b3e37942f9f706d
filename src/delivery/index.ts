/** Delivery of notices: outbox, dispatcher, and the transport interface adapters implement. */
export type { AuthCheck, DeliveryTransport, NoticeMessage, SendResult, SendFailure, ReconcileResult, TransportPlatform } from './transport.js';
export { deliverySchema, channelKey, DELIVERY_STATES, DELIVERY_KINDS, type Delivery, type DeliveryState, type DeliveryKind, type RootMessage } from '../store/delivery.js';
export { summarize, type NoticeProgress } from '../store/outbox.js';
export { Dispatcher, DEFAULT_DISPATCHER_OPTIONS, QUIET_LOOK_EVERY, type DispatcherDeps, type DispatcherOptions, type DrainSummary } from './dispatcher.js';
export { SHUTDOWN } from './attempt.js';
export { retryDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
