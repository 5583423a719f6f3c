import { channel, country, idString, opaqueId, singleLine, timestamp } from "./common.js";

/**
 * Inbound payloads accept unknown properties: gateways add their own fields and the contract
 * is extended compatibly (new optional fields), so an extra field must never dead-letter a STOP.
 * What every payload must also be (validatePayload): storable (storable.ts: no NUL, no lone
 * surrogate, nesting at most 32 deep, unknown properties included); ids, numbers, addresses
 * and header values carry no control characters; free text (`text`, `reason`, `subject`,
 * `body`, `userAgent`) may.
 */

export const inboundSmsSchema = {
  $id: "https://optout.dev/schemas/inbound-sms.json",
  title: "InboundSms",
  type: "object",
  required: ["id", "accountId", "from", "to", "text", "receivedAt"],
  properties: {
    id: opaqueId,
    accountId: idString,
    from: singleLine(64, 1),
    to: singleLine(64, 1),
    text: { type: "string", maxLength: 10000 },
    receivedAt: timestamp,
    country,
  },
} as const;

export const inboundLinkSchema = {
  $id: "https://optout.dev/schemas/inbound-link.json",
  title: "InboundLink",
  type: "object",
  required: ["id", "token", "clickedAt"],
  properties: {
    id: opaqueId,
    token: { type: "string", pattern: "^[0-9A-Za-z]{6,10}$" },
    clickedAt: timestamp,
    userAgent: { type: "string", maxLength: 1024 },
    ip: singleLine(64),
    reason: { type: "string", maxLength: 500 },
  },
} as const;

export const inboundEmailSchema = {
  $id: "https://optout.dev/schemas/inbound-email.json",
  title: "InboundEmail",
  type: "object",
  required: ["id", "accountId", "email", "method", "receivedAt"],
  properties: {
    id: opaqueId,
    accountId: idString,
    email: singleLine(320, 3),
    method: { type: "string", enum: ["one_click", "link", "mailto"] },
    receivedAt: timestamp,
    listId: singleLine(256),
    // The preference page's choice: one of the account's topics, or all of them (channel-wide)
    // whatever the List-Id says. Without either, a listId that is a topic's id is that topic.
    topic: idString,
    all: { type: "boolean" },
    reason: { type: "string", maxLength: 500 },
    subject: { type: "string", maxLength: 1000 },
    body: { type: "string", maxLength: 100000 },
    autoSubmitted: singleLine(100),
  },
} as const;

export const channelField = channel;
