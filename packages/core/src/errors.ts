/**
 * Typed errors with stable codes. Callers branch on `instanceof` or `code`, never on message
 * text. `retryable` decides what a consumer does with a message that failed: a permanent
 * failure is dead-lettered, a transient one is nak'ed with a delay and tried again.
 */

import { ERROR_CODES, ERROR_REGISTRY, type ErrorCode } from "./error-registry.js";

// The codes, their statuses and their meaning live in ./error-registry.ts.
export { ERROR_CODES };
export type { ErrorCode };

export interface OptoutErrorOptions {
  cause?: unknown;
  details?: unknown;
}

export class OptoutError extends Error {
  readonly code: ErrorCode;
  /** True when the same work may succeed if tried again later. */
  readonly retryable: boolean;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, retryable: boolean, options: OptoutErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryable = retryable;
    this.details = options.details;
  }

  toJSON(): { code: ErrorCode; message: string; details?: unknown } {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

export class ConfigError extends OptoutError {
  constructor(message: string, options?: OptoutErrorOptions) {
    super(ERROR_CODES.CONFIG_INVALID, message, false, options);
  }
}

export class InvalidPayloadError extends OptoutError {
  constructor(message: string, options?: OptoutErrorOptions) {
    super(ERROR_CODES.INVALID_PAYLOAD, message, false, options);
  }
}

/** A check or a filtered list names a topic the account does not define (a typo would answer "not suppressed"). */
export class UnknownTopicError extends OptoutError {
  constructor(accountId: string, topic: string) {
    super(
      ERROR_CODES.UNKNOWN_TOPIC,
      `account "${accountId}" has no topic "${topic}": add it to the account's topics (PATCH /v1/accounts/{id}) or leave topic out`,
      false,
      { details: { accountId, topic } },
    );
  }
}

export class UnknownAccountError extends OptoutError {
  constructor(accountId: string) {
    super(
      ERROR_CODES.UNKNOWN_ACCOUNT,
      `account "${accountId}" does not exist: create it with PUT /v1/accounts/{id}`,
      false,
      {
        details: { accountId },
      },
    );
  }
}

export class UnknownOrganizationError extends OptoutError {
  constructor(organizationId: string) {
    super(
      ERROR_CODES.UNKNOWN_ORGANIZATION,
      `organization "${organizationId}" does not exist: create it with PUT /v1/organizations/{id}`,
      false,
      { details: { organizationId } },
    );
  }
}

export class TooManyRecipientsError extends OptoutError {
  constructor(count: number, max: number) {
    super(
      ERROR_CODES.TOO_MANY_RECIPIENTS,
      `${count} recipients in one request; the limit is ${max}: split the batch`,
      false,
      {
        details: { count, max },
      },
    );
  }
}

export class DependencyUnavailableError extends OptoutError {
  readonly dependency: "postgres" | "redis" | "nats" | "http";
  constructor(
    dependency: "postgres" | "redis" | "nats" | "http",
    message: string,
    options?: OptoutErrorOptions,
  ) {
    super(ERROR_CODES.DEPENDENCY_UNAVAILABLE, `${dependency}: ${message}`, true, options);
    this.dependency = dependency;
  }
}

export class UnsupportedMediaTypeError extends OptoutError {
  constructor(message: string) {
    super(ERROR_CODES.UNSUPPORTED_MEDIA_TYPE, message, ERROR_REGISTRY.UNSUPPORTED_MEDIA_TYPE.retryable);
  }
}

export class NotFoundError extends OptoutError {
  constructor(message: string, options?: OptoutErrorOptions) {
    super(ERROR_CODES.NOT_FOUND, message, false, options);
  }
}

export class NotAcceptableError extends OptoutError {
  constructor(message: string) {
    super(ERROR_CODES.NOT_ACCEPTABLE, message, false);
  }
}

/** A webhook redelivery asked for a job that is still pending (its message will be tried). */
export class DeliveryPendingError extends OptoutError {
  constructor(message: string) {
    super(ERROR_CODES.DELIVERY_PENDING, message, ERROR_REGISTRY.DELIVERY_PENDING.retryable);
  }
}

export class ConflictError extends OptoutError {
  constructor(message: string, options?: OptoutErrorOptions) {
    super(ERROR_CODES.CONFLICT, message, false, options);
  }
}

/** An opt-in by a third party for a person who asked for erasure (see eraseIdentifier in @optout/store). */
export class ErasedIdentifierError extends OptoutError {
  constructor(message: string) {
    super(ERROR_CODES.ERASED_IDENTIFIER, message, false);
  }
}

export class UnauthorizedError extends OptoutError {
  constructor(message = "missing or invalid bearer token") {
    super(ERROR_CODES.UNAUTHORIZED, message, false);
  }
}

export class ForbiddenError extends OptoutError {
  constructor(message: string) {
    super(ERROR_CODES.FORBIDDEN, message, false);
  }
}

/** Anything not already typed is treated as transient: retrying is safer than dropping. */
export function isRetryable(err: unknown): boolean {
  return err instanceof OptoutError ? err.retryable : true;
}

export function errorCodeOf(err: unknown): ErrorCode {
  return err instanceof OptoutError ? err.code : ERROR_CODES.INTERNAL;
}
