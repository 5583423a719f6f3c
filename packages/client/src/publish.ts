/**
 * The gateways' side: publish inbound SMS, link clicks and email unsubscribes to their
 * JetStream subjects, validated against the contract's schemas first (a payload the workers
 * would dead-letter is refused here, with the field at fault), with the message's own `id` as
 * `Nats-Msg-Id`: a gateway that publishes again after a lost ack is deduplicated by the stream
 * (within its duplicate window, 2 minutes by default) instead of recorded twice.
 */
import type { JetStreamClient, PubAck } from "@nats-io/jetstream";
import { publishJson } from "@optout/bus";
import type { Names } from "@optout/core";
import {
  validatePayload,
  type InboundEmail,
  type InboundLink,
  type InboundSms,
  type SchemaName,
} from "@optout/schemas";

export interface PublishContext {
  js: JetStreamClient;
  names: Names;
}

/** The stream's acknowledgement: `duplicate` is true when this id was already stored (nothing new was recorded). */
export type PublishAck = PubAck;

async function publishInbound(
  ctx: PublishContext,
  schema: SchemaName & ("inboundSms" | "inboundLink" | "inboundEmail"),
  subject: string,
  payload: InboundSms | InboundLink | InboundEmail,
): Promise<PublishAck> {
  // Throws InvalidPayloadError (INVALID_PAYLOAD) naming the fields; nothing is published.
  const valid = validatePayload(schema, payload);
  // Throws DependencyUnavailableError (retryable): publishing again with the same id is safe.
  return await publishJson(ctx.js, subject, valid, valid.id);
}

export function publishSms(ctx: PublishContext, sms: InboundSms): Promise<PublishAck> {
  return publishInbound(ctx, "inboundSms", ctx.names.subjects.inboundSms, sms);
}

export function publishLinkClick(ctx: PublishContext, click: InboundLink): Promise<PublishAck> {
  return publishInbound(ctx, "inboundLink", ctx.names.subjects.inboundLink, click);
}

export function publishEmailUnsubscribe(ctx: PublishContext, unsubscribe: InboundEmail): Promise<PublishAck> {
  return publishInbound(ctx, "inboundEmail", ctx.names.subjects.inboundEmail, unsubscribe);
}
