import { Ajv, type ValidateFunction } from "ajv";
import { InvalidPayloadError } from "@optout/core";
import { ID_PATTERN } from "./json/common.js";
import { inboundEmailSchema, inboundLinkSchema, inboundSmsSchema } from "./json/inbound.js";
import { changeEventSchema, outboundSmsSchema, outboundWebhookSchema } from "./json/outbound.js";
import { checkReplySchema, checkRequestSchema, errorReplySchema } from "./json/check.js";
import { tagReplySchema, tagRequestSchema } from "./json/tag.js";
import { controlCharacterProblem, findStorableViolation, NO_CONTROL_PATTERN } from "./storable.js";
import { timestampViolation } from "./timestamp.js";
import type {
  ChangeEvent,
  CheckReply,
  CheckRequest,
  ErrorReply,
  InboundEmail,
  InboundLink,
  InboundSms,
  OutboundSms,
  OutboundWebhook,
  TagReply,
  TagRequest,
} from "./types.js";

/** Every payload schema of the wire contract, by name. One ajv instance compiles them once. */
export const SCHEMAS = {
  inboundSms: inboundSmsSchema,
  inboundLink: inboundLinkSchema,
  inboundEmail: inboundEmailSchema,
  changeEvent: changeEventSchema,
  outboundSms: outboundSmsSchema,
  outboundWebhook: outboundWebhookSchema,
  checkRequest: checkRequestSchema,
  checkReply: checkReplySchema,
  tagRequest: tagRequestSchema,
  tagReply: tagReplySchema,
  errorReply: errorReplySchema,
} as const;

export interface PayloadTypes {
  inboundSms: InboundSms;
  inboundLink: InboundLink;
  inboundEmail: InboundEmail;
  changeEvent: ChangeEvent;
  outboundSms: OutboundSms;
  outboundWebhook: OutboundWebhook;
  checkRequest: CheckRequest;
  checkReply: CheckReply;
  tagRequest: TagRequest;
  tagReply: TagReply;
  errorReply: ErrorReply;
}

export type SchemaName = keyof typeof SCHEMAS;

const ajv = new Ajv({ allErrors: true, strict: true, coerceTypes: false, removeAdditional: false });
// `date-time` is the contract's timestamp: strict RFC 3339 that Postgres stores as the same
// instant, and plausible (timestamp.ts). Not ajv-formats' rule, which lets -23:59 through.
ajv.addFormat("date-time", {
  type: "string",
  validate: (value: string) => timestampViolation(value) === null,
});

const compiled = Object.fromEntries(
  Object.entries(SCHEMAS).map(([name, schema]) => [name, ajv.compile(schema)]),
) as { [K in SchemaName]: ValidateFunction<PayloadTypes[K]> };

/** The value at an ajv instancePath (a JSON pointer) of `root`. */
function valueAt(root: unknown, pointer: string): unknown {
  let value = root;
  for (const raw of pointer.split("/").slice(1)) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<string, unknown>)[raw.replace(/~1/g, "/").replace(/~0/g, "~")];
  }
  return value;
}

/** What describeValidationError reads of an ajv error (fastify's validation errors have the same shape). */
export interface ValidationErrorLike {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/**
 * One ajv error as a sentence naming the field and the problem. The shared rules (timestamps,
 * ids, control characters) say precisely what is wrong instead of "must match pattern ...".
 * The API uses it for its own (fastify) ajv errors, so both give the same messages.
 */
export function describeValidationError(error: ValidationErrorLike, root: unknown, prefix = ""): string {
  const path = `${prefix}${error.instancePath}` || "/";
  const value = valueAt(root, error.instancePath);
  if (typeof value === "string") {
    if (error.keyword === "format" && error.params.format === "date-time") {
      const problem = timestampViolation(value);
      if (problem !== null) return `${path} ${problem}`;
    }
    if (error.keyword === "pattern" && error.params.pattern === NO_CONTROL_PATTERN) {
      const problem = controlCharacterProblem(value);
      if (problem !== null) return `${path} ${problem}`;
    }
    if (error.keyword === "pattern" && error.params.pattern === ID_PATTERN) {
      return `${path} is not an id: 1-128 letters, digits or ._:- starting with a letter or digit`;
    }
  }
  return `${path} ${error.message ?? "is invalid"}`;
}

function describeErrors(validate: ValidateFunction, root: unknown): string {
  return (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => describeValidationError(e, root))
    .join("; ");
}

/**
 * Validate an already-parsed value; throws InvalidPayloadError naming the failing fields.
 * The storable rule (storable.ts) runs first, over everything, unknown properties included:
 * a NUL or a lone surrogate is named as such, wherever it is.
 */
export function validatePayload<K extends SchemaName>(name: K, value: unknown): PayloadTypes[K] {
  const unstorable = findStorableViolation(value);
  if (unstorable !== null) {
    throw new InvalidPayloadError(
      `${name} payload is invalid: ${unstorable.path || "/"} ${unstorable.problem}`,
      {
        details: [{ instancePath: unstorable.path, keyword: "storable", message: unstorable.problem }],
      },
    );
  }
  const validate = compiled[name];
  if (!validate(value)) {
    throw new InvalidPayloadError(`${name} payload is invalid: ${describeErrors(validate, value)}`, {
      details: validate.errors,
    });
  }
  return value;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Decode UTF-8 JSON bytes and validate; invalid UTF-8, invalid JSON and schema violations all throw InvalidPayloadError. */
export function decodePayload<K extends SchemaName>(name: K, bytes: Uint8Array): PayloadTypes[K] {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch (err) {
    throw new InvalidPayloadError(`${name} payload is not valid UTF-8`, { cause: err });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    // Not the parser's message: it quotes the payload, which may hold a number or an address.
    throw new InvalidPayloadError(`${name} payload is not valid JSON`, { cause: err });
  }
  return validatePayload(name, value);
}

/** Check without throwing: used by tests and by producers that want to verify what they send. */
export function isValidPayload(name: SchemaName, value: unknown): boolean {
  return findStorableViolation(value) === null && compiled[name](value);
}
