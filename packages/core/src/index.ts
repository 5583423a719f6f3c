export {
  ERROR_CODES,
  OptoutError,
  ConfigError,
  InvalidPayloadError,
  UnknownAccountError,
  UnknownOrganizationError,
  TooManyRecipientsError,
  DependencyUnavailableError,
  NotFoundError,
  ConflictError,
  UnauthorizedError,
  ForbiddenError,
  isRetryable,
  errorCodeOf,
} from "./errors.js";
export type { ErrorCode, OptoutErrorOptions } from "./errors.js";
export { createLogger, maskIdentifier, REDACTED_PATHS } from "./logger.js";
export type { Logger, CreateLoggerOptions } from "./logger.js";
export { namesFor, isValidNamespace } from "./namespace.js";
export type { Names } from "./namespace.js";
