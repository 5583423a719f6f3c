import { ERROR_CODE_LIST } from "@optout/core";
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
    // One of the account's topics: suppressed when opted out of the channel or of this topic.
    topic: idString,
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
    // Set when the opt-out that suppresses is of the request's topic only (not channel-wide).
    topic: { type: "string" },
    detail: { type: "string" },
  },
} as const;

/**
 * A result of a compact reply: in the request's order, without `recipient`, and without
 * `identifier` where it equals the recipient as sent.
 */
export const compactCheckResultSchema = {
  $id: "https://optout.dev/schemas/compact-check-result.json",
  title: "CompactCheckResult",
  type: "object",
  required: ["suppressed", "reason"],
  properties: {
    identifier: checkResultSchema.properties.identifier,
    suppressed: checkResultSchema.properties.suppressed,
    reason: checkResultSchema.properties.reason,
    since: checkResultSchema.properties.since,
    topic: checkResultSchema.properties.topic,
    detail: checkResultSchema.properties.detail,
  },
} as const;

export const checkReplySchema = {
  $id: "https://optout.dev/schemas/check-reply.json",
  title: "CheckReply",
  type: "object",
  required: ["results"],
  properties: {
    // Set when a reply would not fit in one NATS message (10,000 long addresses) and the request
    // did not ask for parts: the results are then CompactCheckResults, in the request's order.
    compact: { type: "boolean" },
    results: { type: "array", items: { anyOf: [checkResultSchema, compactCheckResultSchema] } },
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
      properties: {
        // Every code of @optout/core's error registry (docs/errors.md); the registry's NATS status
        // is the reply's Nats-Service-Error-Code header.
        code: { type: "string", enum: ERROR_CODE_LIST },
        message: { type: "string" },
        details: {},
      },
    },
  },
} as const;

export const countryField = country;
