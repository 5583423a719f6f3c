import type { JetStreamClient } from "@nats-io/jetstream";
import { publishJsonBatch } from "@optout/bus";
import { childTraceparent, type Names } from "@optout/core";
import { abandonRedelivery, getRecordedEvent, reopenWebhookJob, typed, type Pool } from "@optout/store";
import { webhookJobMessage } from "./outbound.js";

export type RedeliverOutcome =
  | { kind: "republished"; redelivery: number }
  /** The job is still pending: its message is in the stream and will be tried. */
  | { kind: "pending" }
  | { kind: "not_found" };

/**
 * Deliver an event's webhook job again (POST .../webhooks/deliveries/{id}/redeliver): the job
 * is made pending with its attempts starting anew (committed first, so the dispatcher that gets
 * the message finds it pending), then its message is published as the recorder publishes it
 * (same payload, a message id of its own). A publish that fails puts the job back as it was and
 * throws (DEPENDENCY_UNAVAILABLE): asking again is safe.
 */
export async function redeliverWebhookJob(
  deps: { pool: Pool; js: JetStreamClient; names: Names },
  eventId: string,
): Promise<RedeliverOutcome> {
  const event = await typed(() => getRecordedEvent(deps.pool, eventId));
  if (!event) return { kind: "not_found" };
  const reopened = await typed(() => reopenWebhookJob(deps.pool, eventId));
  if (reopened === null) return { kind: "pending" };
  const message = webhookJobMessage(
    deps.names.subjects.outboundWebhook,
    event,
    { traceparent: childTraceparent() },
    reopened.redelivery,
  );
  try {
    await publishJsonBatch(deps.js, [message]);
  } catch (err) {
    await typed(() =>
      abandonRedelivery(
        deps.pool,
        eventId,
        reopened.previousStatus,
        `redelivery not published: ${(err as Error).message}`,
      ),
    );
    throw err;
  }
  return { kind: "republished", redelivery: reopened.redelivery };
}
