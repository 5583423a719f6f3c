/**
 * The one registry of error codes (fastify's `lib/errors.js` is the model): every code the
 * system answers, dead-letters or fails with, its HTTP status, its NATS service error status
 * (the `Nats-Service-Error-Code` header of request-reply errors), whether trying again may
 * succeed, and what it means. ERROR_CODES, the statuses of the API, the edge and the NATS
 * responder, the OpenAPI and AsyncAPI enums and docs/errors.md are all derived from this table:
 * a code added here is documented everywhere, and nothing else may map codes to statuses.
 */

/** Where a code can show up. */
export type ErrorSurface =
  /** `{"error": {"code", "message"}}` answers of the HTTP API (and the workers' health servers). */
  | "api"
  /** The public edge: HTML error pages with the code's HTTP status. */
  | "edge"
  /** `{"error": ...}` replies of optout.check and optout.tag, with the NATS service error headers. */
  | "nats-reply"
  /** The `Optout-Dlq-Reason` of a dead letter starts with the code. */
  | "dead-letter"
  /** A process refuses to start. */
  | "startup"
  /** Thrown by the caller's library, @optout/client (never sent over the wire). */
  | "client";

export interface ErrorCodeSpec {
  readonly httpStatus: number;
  /** The `Nats-Service-Error-Code` of a request-reply error with this code. */
  readonly natsStatus: number;
  /** True when the same request or message may succeed if tried again later (unchanged). */
  readonly retryable: boolean;
  readonly surfaces: readonly ErrorSurface[];
  /** What it means and what to do next (docs/errors.md; the default message of framework errors). */
  readonly description: string;
}

/**
 * In the order docs/errors.md lists them. For a status shared by several codes, the generic one
 * comes first: it is what an error that only carries a status (a plugin's 404) is answered with.
 */
export const ERROR_REGISTRY = {
  INVALID_PAYLOAD: {
    httpStatus: 400,
    natsStatus: 400,
    retryable: false,
    surfaces: ["api", "edge", "nats-reply", "dead-letter"],
    description:
      "The body, a parameter or a message is not valid JSON, or does not match its schema: the message says which field and why. Fix the request; it will fail the same way again.",
  },
  MALFORMED_REQUEST: {
    httpStatus: 400,
    natsStatus: 400,
    retryable: false,
    surfaces: ["api", "edge"],
    description:
      "The HTTP request itself is malformed: an invalid percent-encoding in the URL, a Content-Length that does not match the body, or bytes the HTTP parser refuses.",
  },
  TOO_MANY_RECIPIENTS: {
    httpStatus: 400,
    natsStatus: 400,
    retryable: false,
    surfaces: ["nats-reply"],
    description:
      'More recipients than one request may carry (10,000), or a reply that would exceed the NATS server\'s max_payload: split the batch, or ask for a chunked reply (`"chunked": true`).',
  },
  INVALID_RECIPIENT: {
    httpStatus: 400,
    natsStatus: 400,
    retryable: false,
    surfaces: ["dead-letter"],
    description:
      "An inbound message's sender is not a phone number or an email address, so it names nobody to opt out. (In check and tag replies an unusable recipient is a per-recipient result, not an error.)",
  },
  UNAUTHORIZED: {
    httpStatus: 401,
    natsStatus: 401,
    retryable: false,
    surfaces: ["api"],
    description:
      "No bearer token, or a malformed, unknown or revoked one: send `Authorization: Bearer <token>`.",
  },
  FORBIDDEN: {
    httpStatus: 403,
    natsStatus: 403,
    retryable: false,
    surfaces: ["api"],
    description:
      "The token is valid but may not do this: another account's path, a channel not among its types, a permission it lacks, or an admin-only route.",
  },
  NOT_FOUND: {
    httpStatus: 404,
    natsStatus: 404,
    retryable: false,
    surfaces: ["api", "edge", "dead-letter"],
    description:
      "No such route, or the thing asked for does not exist (a token id, a group, a contact, a dead letter, an unknown or malformed link on the edge).",
  },
  UNKNOWN_ACCOUNT: {
    httpStatus: 404,
    natsStatus: 404,
    retryable: false,
    surfaces: ["api", "nats-reply", "dead-letter"],
    description: "The account named does not exist: create it with `PUT /v1/accounts/{accountId}`.",
  },
  UNKNOWN_ORGANIZATION: {
    httpStatus: 404,
    natsStatus: 404,
    retryable: false,
    surfaces: ["api"],
    description:
      "The organization named does not exist: create it with `PUT /v1/organizations/{orgId}` first.",
  },
  UNKNOWN_TOPIC: {
    httpStatus: 404,
    natsStatus: 404,
    retryable: false,
    surfaces: ["api", "nats-reply"],
    description:
      "A check or a filtered group list names a `topic` the account does not define: add it to the account's `topics` setting (`PATCH /v1/accounts/{accountId}`), or leave `topic` out to ask about the whole channel.",
  },
  UNKNOWN_TOKEN: {
    httpStatus: 404,
    natsStatus: 404,
    retryable: false,
    surfaces: ["dead-letter"],
    description:
      "A link click names a token that resolves to no link (expired, mistyped or forged). The dead letter keeps the click; the reason shows the token masked.",
  },
  METHOD_NOT_ALLOWED: {
    httpStatus: 405,
    natsStatus: 405,
    retryable: false,
    surfaces: ["api", "edge"],
    description: "The path exists but not with this method: the `Allow` header lists the methods it takes.",
  },
  NOT_ACCEPTABLE: {
    httpStatus: 406,
    natsStatus: 406,
    retryable: false,
    surfaces: ["api"],
    description:
      "The route cannot answer in a media type the `Accept` header allows: the evidence export answers `text/csv` or `application/x-ndjson`, one identifier's evidence `application/json` or `text/html`.",
  },
  REQUEST_TIMEOUT: {
    httpStatus: 408,
    natsStatus: 408,
    retryable: true,
    surfaces: ["api", "edge"],
    description: "The request was not received completely in time: send it again.",
  },
  CONFLICT: {
    httpStatus: 409,
    natsStatus: 409,
    retryable: false,
    surfaces: ["api"],
    description:
      "The request conflicts with the current state (the message says how); read the state and decide again.",
  },
  ERASED_IDENTIFIER: {
    httpStatus: 409,
    natsStatus: 409,
    retryable: false,
    surfaces: ["api"],
    description:
      "An opt-in for a person whose data was erased at their request (`POST /v1/accounts/{accountId}/erasures`): they stay suppressed, and only they can opt back in, by sending an opt-in keyword (START) from their own number. The API and imports cannot opt them in.",
  },
  CHANGE_FEED_GAP: {
    httpStatus: 410,
    natsStatus: 410,
    retryable: false,
    surfaces: ["client"],
    description:
      "A change-feed follower's saved position is older than the events stream still holds (it was away longer than the stream's max age) or newer than the stream (the stream was created again): events would be missed. Resync from `GET /v1/accounts/{accountId}/optouts`, then follow again.",
  },
  DELIVERY_PENDING: {
    httpStatus: 409,
    natsStatus: 409,
    retryable: true,
    surfaces: ["api"],
    description:
      "The webhook job is still pending: its message is in the stream and the dispatcher tries it (see `nextAttemptAt`). Redeliver a job once it is delivered, dead-lettered or skipped.",
  },
  PAYLOAD_TOO_LARGE: {
    httpStatus: 413,
    natsStatus: 413,
    retryable: false,
    surfaces: ["api", "edge"],
    description:
      "The body is larger than the route accepts (the API: 1 MiB, imports 1 GiB; the edge: 16 KiB). Split it, or use the import routes for bulk data.",
  },
  URI_TOO_LONG: {
    httpStatus: 414,
    natsStatus: 414,
    retryable: false,
    surfaces: ["api", "edge"],
    description: "A path segment is longer than the route accepts. The answer never repeats the URL.",
  },
  UNSUPPORTED_MEDIA_TYPE: {
    httpStatus: 415,
    natsStatus: 415,
    retryable: false,
    surfaces: ["api", "edge"],
    description:
      "The body's Content-Type is not one this route reads: the API takes `application/json` (imports: `text/csv` or `application/x-ndjson`), the edge takes forms.",
  },
  RATE_LIMITED: {
    httpStatus: 429,
    natsStatus: 429,
    retryable: true,
    surfaces: ["edge"],
    description: "Too many requests from one client address: come back after the `Retry-After` seconds.",
  },
  HEADERS_TOO_LARGE: {
    httpStatus: 431,
    natsStatus: 431,
    retryable: false,
    surfaces: ["api", "edge"],
    description:
      "The request line and headers together exceed the server's limit (16 KiB): send fewer or smaller headers, or a shorter URL.",
  },
  INTERNAL: {
    httpStatus: 500,
    natsStatus: 500,
    retryable: true,
    surfaces: ["api", "edge", "nats-reply", "dead-letter"],
    description: "Anything unexpected. The answer says nothing more; the service logs it. Retrying may work.",
  },
  DEPENDENCY_UNAVAILABLE: {
    httpStatus: 503,
    natsStatus: 503,
    retryable: true,
    surfaces: ["api", "edge", "nats-reply"],
    description: "Postgres, Redis or NATS cannot be reached: retry later (with backoff).",
  },
  CONFIG_INVALID: {
    httpStatus: 500,
    natsStatus: 500,
    retryable: false,
    surfaces: ["startup"],
    description:
      "Configuration is missing or malformed; the process does not start. The message lists every bad variable.",
  },
} as const satisfies Record<string, ErrorCodeSpec>;

export type ErrorCode = keyof typeof ERROR_REGISTRY;

/** The registry as rows, in its order. */
export const ERROR_TABLE: readonly (ErrorCodeSpec & { readonly code: ErrorCode })[] = Object.freeze(
  (Object.keys(ERROR_REGISTRY) as ErrorCode[]).map((code) =>
    Object.freeze({ code, ...ERROR_REGISTRY[code] }),
  ),
);

/** Every code, in the registry's order (the OpenAPI and AsyncAPI enums). */
export const ERROR_CODE_LIST: readonly ErrorCode[] = Object.freeze(ERROR_TABLE.map((row) => row.code));

/** `ERROR_CODES.NOT_FOUND === "NOT_FOUND"`: the code names as constants. */
export const ERROR_CODES = Object.freeze(Object.fromEntries(ERROR_CODE_LIST.map((code) => [code, code]))) as {
  readonly [C in ErrorCode]: C;
};

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_REGISTRY, value);
}

export function errorSpec(code: ErrorCode): ErrorCodeSpec {
  return ERROR_REGISTRY[code];
}

export function httpStatusOf(code: ErrorCode): number {
  return ERROR_REGISTRY[code].httpStatus;
}

export function natsStatusOf(code: ErrorCode): number {
  return ERROR_REGISTRY[code].natsStatus;
}

/**
 * The code for an error that carries only an HTTP status (a fastify plugin's 4xx): the first
 * code of the registry with that status, else INVALID_PAYLOAD for a 4xx and INTERNAL otherwise.
 */
export function codeForHttpStatus(status: number): ErrorCode {
  const row = ERROR_TABLE.find((r) => r.httpStatus === status);
  if (row) return row.code;
  return status >= 400 && status < 500 ? ERROR_CODES.INVALID_PAYLOAD : ERROR_CODES.INTERNAL;
}
