export {
  ERROR_CODES,
  OptoutError,
  ConfigError,
  InvalidPayloadError,
  UnknownAccountError,
  UnknownTopicError,
  UnknownOrganizationError,
  TooManyRecipientsError,
  DependencyUnavailableError,
  NotFoundError,
  ConflictError,
  ErasedIdentifierError,
  NotAcceptableError,
  DeliveryPendingError,
  UnauthorizedError,
  ForbiddenError,
  UnsupportedMediaTypeError,
  isRetryable,
  errorCodeOf,
} from "./errors.js";
export type { ErrorCode, OptoutErrorOptions } from "./errors.js";
export {
  ERROR_REGISTRY,
  ERROR_TABLE,
  ERROR_CODE_LIST,
  isErrorCode,
  errorSpec,
  httpStatusOf,
  natsStatusOf,
  codeForHttpStatus,
} from "./error-registry.js";
export type { ErrorCodeSpec, ErrorSurface } from "./error-registry.js";
export { createLogger, maskIdentifier, maskToken, REDACTED_PATHS } from "./logger.js";
export type { Logger, CreateLoggerOptions } from "./logger.js";
export { namesFor, isValidNamespace } from "./namespace.js";
export type { Names } from "./namespace.js";
export {
  TRACEPARENT_HEADER,
  childTraceparent,
  formatTraceparent,
  parseTraceparent,
  traceIdOf,
} from "./trace.js";
export type { TraceContext } from "./trace.js";
export { csvField } from "./csv.js";
// Escaping HTML templates, for the edge's pages and the API's evidence page.
export { html, fill, escapeHtml, SafeHtml } from "./html.js";
export { runBounded } from "./bounded.js";
