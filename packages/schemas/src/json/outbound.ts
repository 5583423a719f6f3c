import { action, channel, idString, source, timestamp } from "./common.js";

export const changeEventSchema = {
  $id: "https://optout.dev/schemas/change-event.json",
  title: "ChangeEvent",
  type: "object",
  required: ["eventId", "accountId", "scope", "channel", "identifier", "action", "source", "occurredAt"],
  properties: {
    eventId: { type: "string" },
    accountId: idString,
    scope: { type: "string", pattern: "^(org|account):.+$" },
    channel,
    identifier: { type: "string" },
    action,
    source,
    reason: { type: "string" },
    occurredAt: timestamp,
  },
} as const;

export const outboundSmsSchema = {
  $id: "https://optout.dev/schemas/outbound-sms.json",
  title: "OutboundSms",
  type: "object",
  required: ["id", "accountId", "to", "from", "text", "inReplyTo"],
  properties: {
    id: { type: "string" },
    accountId: idString,
    to: { type: "string" },
    from: { type: "string" },
    text: { type: "string" },
    inReplyTo: { type: "string" },
    kind: { type: "string", enum: ["confirmation", "help"] },
  },
} as const;

export const outboundWebhookSchema = {
  $id: "https://optout.dev/schemas/outbound-webhook.json",
  title: "OutboundWebhook",
  type: "object",
  required: ["id", "accountId", "event"],
  properties: {
    id: { type: "string" },
    accountId: idString,
    event: changeEventSchema,
  },
} as const;
