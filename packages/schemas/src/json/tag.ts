import { country, idString } from "./common.js";

export const MAX_TAG_RECIPIENTS = 10_000;

/** `optout.tag`: the opt-out footer for each recipient of an SMS campaign. */
export const tagRequestSchema = {
  $id: "https://optout.dev/schemas/tag-request.json",
  title: "TagRequest",
  type: "object",
  required: ["accountId", "recipients"],
  properties: {
    accountId: idString,
    // maxItems is checked in code first, so that 10,001 gets the TOO_MANY_RECIPIENTS code.
    recipients: { type: "array", minItems: 1, items: { type: "string", maxLength: 64 } },
    // Links resolve to (account, channel, identifier, campaign): the same campaign asking again gets the same links.
    campaignId: { type: "string", minLength: 1, maxLength: 128 },
    // Only SMS carries a footer; email has List-Unsubscribe headers instead.
    channel: { type: "string", enum: ["sms"] },
    // Default country for recipients in national format (else the account's default country).
    country,
    // A reply bigger than the NATS server's max_payload (10,000 link tags take ~1.3 MB; the
    // default max_payload is 1 MiB) is refused unless the caller accepts it in parts: several
    // reply messages, each with `offset` and `total`, the last one ending at `total`.
    chunked: { type: "boolean" },
  },
} as const;

const recipient = { type: "string" } as const;

/** A footer (`text`, with `link` and `token` when it is a link), or why there is none: never both, never neither. */
export const tagResultSchema = {
  $id: "https://optout.dev/schemas/tag-result.json",
  title: "TagResult",
  type: "object",
  oneOf: [
    {
      required: ["recipient", "text"],
      properties: {
        recipient,
        text: { type: "string" },
        link: { type: "string" },
        token: { type: "string", pattern: "^[0-9A-Za-z]{6,10}$" },
      },
    },
    {
      required: ["recipient", "error"],
      properties: {
        recipient,
        error: { type: "string", enum: ["invalid_recipient"] },
        detail: { type: "string" },
      },
    },
  ],
} as const;

/**
 * A tag of a compact reply: in the request's order, without `recipient`; without `link` when
 * the reply's `linkBase` + `token` makes it.
 */
export const compactTagResultSchema = {
  $id: "https://optout.dev/schemas/compact-tag-result.json",
  title: "CompactTagResult",
  type: "object",
  oneOf: [
    {
      required: ["text"],
      properties: {
        text: { type: "string" },
        link: { type: "string" },
        token: { type: "string", pattern: "^[0-9A-Za-z]{6,10}$" },
      },
    },
    {
      required: ["error"],
      properties: { error: { type: "string", enum: ["invalid_recipient"] }, detail: { type: "string" } },
    },
  ],
} as const;

export const tagReplySchema = {
  $id: "https://optout.dev/schemas/tag-reply.json",
  title: "TagReply",
  type: "object",
  required: ["tags"],
  properties: {
    // Set when the full reply would not fit in one NATS message (10,000 link tags) and the
    // request did not ask for parts: the tags are then CompactTagResults, in the request's order.
    compact: { type: "boolean" },
    // In a compact reply: every link is linkBase + token.
    linkBase: { type: "string" },
    tags: { type: "array", items: { anyOf: [tagResultSchema, compactTagResultSchema] } },
    // Only in chunked replies: where this part's tags start among the request's recipients, and how many there are.
    offset: { type: "integer", minimum: 0 },
    total: { type: "integer", minimum: 1 },
  },
} as const;
