export { SCHEMAS, validatePayload, decodePayload, isValidPayload } from "./validate.js";
export { MAX_CHECK_RECIPIENTS } from "./json/check.js";
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
} from "./types.js";
