import { action, channel, idString, source, timestamp } from "./common.js";

// Outbound payloads are written by the recording workers from validated input; the bounds say
// what a consumer can rely on (and keep a job that could not be stored out of the stream).

export const changeEventSchema = {
  $id: "https://optout.dev/schemas/change-event.json",
  title: "ChangeEvent",
  type: "object",
  required: ["eventId", "accountId", "scope", "channel", "identifier", "action", "source", "occurredAt"],
  properties: {
    eventId: { type: "string", maxLength: 64 },
    accountId: idString,
    scope: { type: "string", pattern: "^(org|account):.+$", maxLength: 140 },
    channel,
    identifier: { type: "string", maxLength: 320 },
    action,
    source,
    reason: { type: "string", maxLength: 1000 },
    occurredAt: timestamp,
    // The account's topic this change is about; absent for a channel-wide change (docs/topics.md).
    topic: idString,
  },
} as const;

export const outboundSmsSchema = {
  $id: "https://optout.dev/schemas/outbound-sms.json",
  title: "OutboundSms",
  type: "object",
  required: ["id", "accountId", "to", "from", "text", "inReplyTo"],
  properties: {
    id: { type: "string", maxLength: 300 },
    accountId: idString,
    to: { type: "string", maxLength: 64 },
    from: { type: "string", maxLength: 64 },
    text: { type: "string", maxLength: 1600 },
    inReplyTo: { type: "string", maxLength: 256 },
    kind: { type: "string", enum: ["confirmation", "help"] },
  },
} as const;

export const outboundWebhookSchema = {
  $id: "https://optout.dev/schemas/outbound-webhook.json",
  title: "OutboundWebhook",
  type: "object",
  required: ["id", "accountId", "event"],
  properties: {
    id: { type: "string", maxLength: 300 },
    accountId: idString,
    event: changeEventSchema,
  },
} as const;
