export {
  SCHEMAS,
  validatePayload,
  decodePayload,
  isValidPayload,
  describeValidationError,
} from "./validate.js";
export {
  findStorableViolation,
  storableViolation,
  textProblem,
  controlCharacterProblem,
  NO_CONTROL_PATTERN,
  MAX_NESTING_DEPTH,
  MAX_STRING_LENGTH,
  MAX_KEY_LENGTH,
} from "./storable.js";
export {
  timestampViolation,
  isStorableTimestamp,
  MAX_FUTURE_SKEW_MS,
  MAX_OFFSET_MINUTES,
} from "./timestamp.js";
export { ID_PATTERN } from "./json/common.js";
export { EVENT_SOURCES } from "./sources.js";
export {
  ACCOUNT_SETTINGS_PROPERTIES,
  ACCOUNT_SETTING_NAMES,
  WRITE_ONLY_SETTINGS,
  withoutWriteOnlySettings,
  keepWriteOnlySettings,
  duplicateTopicId,
  MAX_TOPICS,
} from "./account-settings.js";
export { expandCheckReply, expandTagReply } from "./compact.js";
export {
  encodeBulkCheckRequest,
  decodeBulkCheckRequest,
  encodeBulkCheckReply,
  decodeBulkCheckReply,
  isSuppressed,
  setSuppressed,
  BulkFormatError,
  MAX_BULK_RECIPIENTS,
  BULK_REQUEST_MAGIC,
  BULK_REPLY_MAGIC,
} from "./bulk-check.js";
export type { BulkCheckHeader, BulkCheckReply, BulkException } from "./bulk-check.js";
export { MAX_CHECK_RECIPIENTS } from "./json/check.js";
export { MAX_TAG_RECIPIENTS } from "./json/tag.js";
export type { SchemaName, PayloadTypes, ValidationErrorLike } from "./validate.js";
export type { StorableViolation } from "./storable.js";
export type { AccountSettings, AccountSettingName, AccountTopic } from "./account-settings.js";
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
