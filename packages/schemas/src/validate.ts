import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import { InvalidPayloadError } from "@optout/core";
import { inboundEmailSchema, inboundLinkSchema, inboundSmsSchema } from "./json/inbound.js";
import { changeEventSchema, outboundSmsSchema, outboundWebhookSchema } from "./json/outbound.js";
import { checkReplySchema, checkRequestSchema, errorReplySchema } from "./json/check.js";
import { tagReplySchema, tagRequestSchema } from "./json/tag.js";
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

// ajv-formats is CommonJS with a default export; under NodeNext its default lands on .default.
type AddFormats = (ajv: Ajv, formats: string[]) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  addFormatsModule) as unknown as AddFormats;

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
addFormats(ajv, ["date-time"]);

const compiled = Object.fromEntries(
  Object.entries(SCHEMAS).map(([name, schema]) => [name, ajv.compile(schema)]),
) as { [K in SchemaName]: ValidateFunction<PayloadTypes[K]> };

function describeErrors(validate: ValidateFunction): string {
  return (validate.errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`)
    .join("; ");
}

/** Validate an already-parsed value; throws InvalidPayloadError naming the failing fields. */
export function validatePayload<K extends SchemaName>(name: K, value: unknown): PayloadTypes[K] {
  const validate = compiled[name];
  if (!validate(value)) {
    throw new InvalidPayloadError(`${name} payload is invalid: ${describeErrors(validate)}`, {
      details: validate.errors,
    });
  }
  return value;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/** Decode UTF-8 JSON bytes and validate; invalid UTF-8, invalid JSON and schema violations all throw InvalidPayloadError. */
export function decodePayload<K extends SchemaName>(name: K, bytes: Uint8Array): PayloadTypes[K] {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(bytes));
  } catch (err) {
    throw new InvalidPayloadError(`${name} payload is not valid UTF-8 JSON`, { cause: err });
  }
  return validatePayload(name, value);
}

/** Check without throwing: used by tests and by producers that want to verify what they send. */
export function isValidPayload(name: SchemaName, value: unknown): boolean {
  return compiled[name](value);
}
