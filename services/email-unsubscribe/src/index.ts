export { EMAIL_UNSUBSCRIBE_WORKER } from "./definition.js";
export { startEmailUnsubscribe } from "./worker.js";
export type { EmailUnsubscribeOptions } from "./worker.js";
export { emailUnsubscribeMetrics } from "./metrics.js";
export { createEmailUnsubscribeHandler, SOURCE_BY_METHOD } from "./handler.js";
export type { EmailUnsubscribePorts, IgnoredReason } from "./handler.js";
export { resolveTarget, tokenFromSubject } from "./target.js";
export type { EmailTarget } from "./target.js";
