export { SCHEMAS, validatePayload, decodePayload, isValidPayload } from "./validate.js";
export { MAX_CHECK_RECIPIENTS } from "./json/check.js";
export { MAX_TAG_RECIPIENTS } from "./json/tag.js";
export type { SchemaName, PayloadTypes } from "./validate.js";
export type {
  Channel,
  OptAction,
  EventSource,
  InboundSms,
  InboundLink,
  InboundEmail,
  ChangeEvent,
  OutboundSms,
  OutboundWebhook,
  Category,
  CheckRequest,
  CheckReason,
  CheckResult,
  CheckReply,
  ErrorReply,
  TagRequest,
  TagResult,
  TagReply,
} from "./types.js";
