export { WEBHOOK_DISPATCH_WORKER } from "./definition.js";
export { startWebhookDispatch, MAX_DELIVER_PER_ATTEMPT } from "./worker.js";
export type { WebhookDispatchOptions } from "./worker.js";
export { webhookDispatchMetrics } from "./metrics.js";
export { startRetention, DEFAULT_RETENTION_INTERVAL_MS, RETENTION_PAUSE_MS } from "./retention.js";
export type { RetentionOptions, RetentionTask } from "./retention.js";
export { createDispatcher, DEFAULT_ORDER_POLL_MS } from "./dispatcher.js";
export type { Dispatcher, DispatcherOptions, Settlement, AttemptResult } from "./dispatcher.js";
export {
  verdictForStatus,
  parseRetryAfter,
  retryDelayAfter,
  DEFAULT_WEBHOOK_RETRY_BASE_MS,
  DEFAULT_WEBHOOK_RETRY_MAX_MS,
  RETRY_AFTER_MAX_MS,
} from "./retry.js";
export type { AttemptVerdict } from "./retry.js";
export { postToTarget } from "./http-post.js";
