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
  },
} as const;

export const tagResultSchema = {
  $id: "https://optout.dev/schemas/tag-result.json",
  title: "TagResult",
  type: "object",
  required: ["recipient"],
  properties: {
    recipient: { type: "string" },
    text: { type: "string" },
    link: { type: "string" },
    token: { type: "string", pattern: "^[0-9A-Za-z]{6,10}$" },
    error: { type: "string", enum: ["invalid_recipient"] },
    detail: { type: "string" },
  },
  // A footer, or the reason there is none: never both, never neither.
  oneOf: [{ required: ["text"] }, { required: ["error"] }],
} as const;

export const tagReplySchema = {
  $id: "https://optout.dev/schemas/tag-reply.json",
  title: "TagReply",
  type: "object",
  required: ["tags"],
  properties: { tags: { type: "array", items: tagResultSchema } },
} as const;
