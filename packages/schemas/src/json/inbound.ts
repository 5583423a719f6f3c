import { channel, country, idString, timestamp } from "./common.js";

/**
 * Inbound payloads accept unknown properties: gateways add their own fields and the contract
 * is extended compatibly (new optional fields), so an extra field must never dead-letter a STOP.
 */

export const inboundSmsSchema = {
  $id: "https://optout.dev/schemas/inbound-sms.json",
  title: "InboundSms",
  type: "object",
  required: ["id", "accountId", "from", "to", "text", "receivedAt"],
  properties: {
    id: { type: "string", minLength: 1, maxLength: 256 },
    accountId: idString,
    from: { type: "string", minLength: 1, maxLength: 64 },
    to: { type: "string", minLength: 1, maxLength: 64 },
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
    id: { type: "string", minLength: 1, maxLength: 256 },
    token: { type: "string", pattern: "^[0-9A-Za-z]{6,10}$" },
    clickedAt: timestamp,
    userAgent: { type: "string", maxLength: 1024 },
    ip: { type: "string", maxLength: 64 },
    reason: { type: "string", maxLength: 500 },
  },
} as const;

export const inboundEmailSchema = {
  $id: "https://optout.dev/schemas/inbound-email.json",
  title: "InboundEmail",
  type: "object",
  required: ["id", "accountId", "email", "method", "receivedAt"],
  properties: {
    id: { type: "string", minLength: 1, maxLength: 256 },
    accountId: idString,
    email: { type: "string", minLength: 3, maxLength: 320 },
    method: { type: "string", enum: ["one_click", "link", "mailto"] },
    receivedAt: timestamp,
    listId: { type: "string", maxLength: 256 },
    reason: { type: "string", maxLength: 500 },
    subject: { type: "string", maxLength: 1000 },
    body: { type: "string", maxLength: 100000 },
    autoSubmitted: { type: "string", maxLength: 100 },
  },
} as const;

export const channelField = channel;
