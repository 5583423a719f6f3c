import type { ConsumerMessages, JetStreamClient } from "@nats-io/jetstream";
import type { Logger } from "@optout/core";

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
  const messages = await consumer.consume({ max_messages: maxInFlight });
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

/** Pause before opening a new subscription after one failed or closed. */
const RESTART_DELAY_MS = 1_000;

/**
 * Run one subscription's loop after another until stopped: a loop that ends (heartbeats missed,
 * consumer recreated) or fails (server away) is replaced after a short pause.
 */
export async function consumeWithRestarts(
  consumeOnce: () => Promise<void>,
  isStopping: () => boolean,
  onFailure: (err: unknown) => void,
): Promise<void> {
  while (!isStopping()) {
    try {
      await consumeOnce();
    } catch (err) {
      if (isStopping()) break;
      onFailure(err);
    }
    if (!isStopping()) await new Promise((r) => setTimeout(r, RESTART_DELAY_MS));
  }
}
