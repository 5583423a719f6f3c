import type { NatsConnection, Subscription } from "@nats-io/nats-core";
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import type { Logger, Names } from "@optout/core";
import { publishDeadLetter } from "./dead-letter.js";

interface MaxDeliveriesAdvisory {
  stream: string;
  consumer: string;
  stream_seq: number;
  deliveries: number;
}

/**
 * Dead-letter messages that ran out of deliveries without the handler seeing their last one
 * (the worker crashed on it every time). nats-server 2.9 has no server-side dead letters: it
 * announces the exhaustion on an advisory subject, and the message stays in the (limits)
 * stream, so it can be copied to the dead-letter stream. A queue group makes one replica do it;
 * the dead letter's Nats-Msg-Id makes a second copy harmless anyway.
 */
export function watchMaxDeliveries(options: {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  names: Names;
  stream: string;
  durable: string;
  logger: Logger;
  /** After the dead letter was published (e.g. to release state kept for the message elsewhere). */
  onDeadLettered?: (subject: string, data: Uint8Array, reason: string) => Promise<void>;
}): Subscription {
  const subject = `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${options.stream}.${options.durable}`;
  const sub = options.nc.subscribe(subject, { queue: `${options.durable}-advisories` });
  void (async () => {
    for await (const m of sub) {
      try {
        const advisory = m.json<MaxDeliveriesAdvisory>();
        const stored = await options.jsm.streams.getMessage(advisory.stream, { seq: advisory.stream_seq });
        if (!stored) continue;
        const reason = `max deliveries (${advisory.deliveries}) exhausted without a result (worker crashed or timed out)`;
        await publishDeadLetter(options.js, options.names, {
          subject: stored.subject,
          data: stored.data,
          headers: stored.header,
          reason,
          stream: advisory.stream,
          streamSeq: advisory.stream_seq,
        });
        await options.onDeadLettered?.(stored.subject, stored.data, reason);
        options.logger.warn(
          { stream: advisory.stream, seq: advisory.stream_seq },
          "message dead-lettered after max deliveries",
        );
      } catch (err) {
        options.logger.error({ err: (err as Error).message }, "max-deliveries advisory handling failed");
      }
    }
  })();
  return sub;
}
