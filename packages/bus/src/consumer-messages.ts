import type { ConsumerMessages, JetStreamClient } from "@nats-io/jetstream";
import type { Logger } from "@optout/core";

/**
 * How long one pull request waits at the server. Short, because a closed subscription's pull
 * stays at the server until it expires, and a message handed back (nak) meanwhile would be
 * delivered to it and lost in transit until ACK_WAIT: see RELEASE_DELAY_MS.
 */
export const PULL_EXPIRES_MS = 5_000;
/** A message handed back on stop is redelivered after this: when the stopped pulls have expired. */
export const RELEASE_DELAY_MS = PULL_EXPIRES_MS + 1_000;

/** Missed server heartbeats after which the pull subscription is recreated (TRAPS: stale pulls). */
const HEARTBEATS_MISSED_RESTART = 2;

/**
 * Open a pull subscription on a durable consumer with at most `maxInFlight` messages buffered,
 * closing it when the server's heartbeats stop arriving, so the caller's loop ends and opens a
 * fresh one instead of waiting forever on a dead pull.
 */
export async function openConsumerMessages(
  js: JetStreamClient,
  stream: string,
  durable: string,
  maxInFlight: number,
  log: Logger,
): Promise<ConsumerMessages> {
  const consumer = await js.consumers.get(stream, durable);
  const messages = await consumer.consume({ max_messages: maxInFlight, expires: PULL_EXPIRES_MS });
  void (async () => {
    for await (const s of messages.status()) {
      if (s.type === "heartbeats_missed" && s.count >= HEARTBEATS_MISSED_RESTART) {
        log.warn({ count: s.count }, "heartbeats missed; recreating the consumer subscription");
        await messages.close();
      }
    }
  })().catch(() => undefined);
  return messages;
}
