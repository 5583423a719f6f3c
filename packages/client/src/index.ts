export { createOptoutClient, connectOptoutClient, DEFAULT_NAMESPACE } from "./client.js";
export type { OptoutClient, ClientOptions, ConnectOptions, BulkCheckOptions } from "./client.js";
export { DEFAULT_CHECK_CONCURRENCY, DEFAULT_CHECK_TIMEOUT_MS } from "./check.js";
export type { CheckQuery, CheckOptions } from "./check.js";
export { DEFAULT_RETRY_ATTEMPTS, DEFAULT_RETRY_BASE_MS, DEFAULT_RETRY_MAX_MS } from "./retry.js";
export type { RetryOptions } from "./retry.js";
export { defaultPositionPath } from "./changes.js";
export type { Change, ChangeFeed, ChangesOptions } from "./changes.js";
export { memoryPositionStore, filePositionStore } from "./position-store.js";
export type { PositionStore } from "./position-store.js";
export type { PublishAck } from "./publish.js";
export type { UnansweredReason } from "./reply-parts.js";
export { CheckFailedError, ChangeFeedGapError } from "./errors.js";
// The contract's types and the library's base error, so callers need no other import.
export { OptoutError, DependencyUnavailableError, InvalidPayloadError, ERROR_CODES } from "@optout/core";
export type { ErrorCode } from "@optout/core";
export { isSuppressed, MAX_CHECK_RECIPIENTS } from "@optout/schemas";
export type {
  BulkCheckHeader,
  BulkCheckReply,
  ChangeEvent,
  Channel,
  CheckReason,
  CheckResult,
  InboundEmail,
  InboundLink,
  InboundSms,
  OptAction,
} from "@optout/schemas";
