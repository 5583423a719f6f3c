import { channel, country, idString } from "./common.js";

export const MAX_CHECK_RECIPIENTS = 10_000;

export const checkRequestSchema = {
  $id: "https://optout.dev/schemas/check-request.json",
  title: "CheckRequest",
  type: "object",
  required: ["accountId", "channel", "recipients"],
  properties: {
    accountId: idString,
    channel,
    // maxItems is checked in code first, so that 10,001 gets the TOO_MANY_RECIPIENTS code.
    recipients: { type: "array", minItems: 1, items: { type: "string", maxLength: 320 } },
    country,
    category: { type: "string", enum: ["promotional", "transactional"] },
    groupIds: { type: "array", maxItems: 100, items: idString },
    // A reply over the server's max_payload comes in parts (each with offset/total) when set.
    chunked: { type: "boolean" },
  },
} as const;

export const checkResultSchema = {
  $id: "https://optout.dev/schemas/check-result.json",
  title: "CheckResult",
  type: "object",
  required: ["recipient", "suppressed", "reason"],
  properties: {
    recipient: { type: "string" },
    identifier: { type: "string" },
    suppressed: { type: "boolean" },
    reason: {
      type: "string",
      enum: ["opted_out", "not_opted_out", "transactional", "bypass_group", "invalid_recipient"],
    },
    since: { type: "string", format: "date-time" },
    detail: { type: "string" },
  },
} as const;

export const checkReplySchema = {
  $id: "https://optout.dev/schemas/check-reply.json",
  title: "CheckReply",
  type: "object",
  required: ["results"],
  properties: {
    results: { type: "array", items: checkResultSchema },
    // Only in chunked replies: where this part's results start, and how many there are in all.
    offset: { type: "integer", minimum: 0 },
    total: { type: "integer", minimum: 0 },
  },
} as const;

export const errorReplySchema = {
  $id: "https://optout.dev/schemas/error-reply.json",
  title: "ErrorReply",
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: { code: { type: "string" }, message: { type: "string" }, details: {} },
    },
  },
} as const;

export const countryField = country;
