/** Shared schema fragments. `$id`s are stable URIs so the AsyncAPI document can reference them. */
import { NO_CONTROL_PATTERN } from "../storable.js";
import { EVENT_SOURCES } from "../sources.js";

export const ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$";

export const idString = { type: "string", pattern: ID_PATTERN } as const;
/**
 * An RFC 3339 timestamp that Postgres stores as the same instant: ajv's `date-time` format is
 * replaced by timestampViolation on the shared instance (see timestamp.ts for the rules).
 */
export const timestamp = {
  type: "string",
  format: "date-time",
  description:
    "RFC 3339 with Z or an offset within ±14:00, a real calendar date, no leap second, not before 1970-01-01T00:00:00Z and at most 24 hours in the future.",
} as const;
/** A sender's own id (gateway message id, click id): any text without control characters. */
export const opaqueId = {
  type: "string",
  minLength: 1,
  maxLength: 256,
  pattern: NO_CONTROL_PATTERN,
} as const;
/** A phone number, a short code, an address or a header value: bounded, no control characters. */
export const singleLine = (maxLength: number, minLength = 0) =>
  ({
    type: "string",
    ...(minLength > 0 ? { minLength } : {}),
    maxLength,
    pattern: NO_CONTROL_PATTERN,
  }) as const;
export const channel = { type: "string", enum: ["sms", "email"] } as const;
export const action = { type: "string", enum: ["opt_out", "opt_in"] } as const;
export const source = { type: "string", enum: [...EVENT_SOURCES] } as const;
export const country = { type: "string", pattern: "^[A-Z]{2}$" } as const;
