import type { JetStreamManager } from "@nats-io/jetstream";
import type { Logger, Names } from "@optout/core";
import { withTimeout } from "./dependencies.js";
import type { Metrics } from "./metrics.js";

/** A scrape within this of the last sample reuses it: every replica asking NATS each scrape adds up. */
export const DEFAULT_LAG_CACHE_MS = 5_000;
/** A scrape must not wait on a slow JetStream API: the series are left out instead. */
export const DEFAULT_LAG_TIMEOUT_MS = 1_000;

export interface ConsumerLagOptions {
  jsm: JetStreamManager;
  metrics: Metrics;
  names: Names;
  logger: Logger;
  worker: string;
  stream: string;
  durable: string;
  /** The subject the worker consumes: its dead letters are on `dlqFor(subject)`. */
  subject: string;
  cacheMs?: number;
  timeoutMs?: number;
}

/**
 * Sample, at scrape time, the worker's durable consumer (num_pending, num_ack_pending) and the
 * dead letters of its subject (the DLQ stream's count for `<ns>.dlq.<subject>`: STREAM.INFO
 * with subjects_filter, which nats-server 2.9 has). A sample that fails or times out removes
 * the series rather than report a stale number; `optout_dependency_up{dependency="nats"}` says why.
 */
export function watchConsumerLag(options: ConsumerLagOptions): { close(): void } {
  const { jsm, metrics, names, worker } = options;
  const cacheMs = options.cacheMs ?? DEFAULT_LAG_CACHE_MS;
  const timeoutMs = options.timeoutMs ?? DEFAULT_LAG_TIMEOUT_MS;
  const dlqSubject = names.subjects.dlqFor(options.subject);
  const subject = dlqSubject.slice(`${names.namespace}.dlq.`.length);
  let sampledAt = Number.NEGATIVE_INFINITY;
  let running: Promise<void> | undefined;
  let closed = false;

  async function sampleOnce(): Promise<void> {
    const [consumer, dlq] = await Promise.allSettled([
      withTimeout(jsm.consumers.info(options.stream, options.durable), timeoutMs, "consumer info"),
      withTimeout(
        jsm.streams.info(names.streams.dlq, { subjects_filter: dlqSubject }),
        timeoutMs,
        "dead-letter stream info",
      ),
    ]);
    if (closed) return;
    if (consumer.status === "fulfilled") {
      metrics.consumerPending.set({ worker }, consumer.value.num_pending);
      metrics.consumerAckPending.set({ worker }, consumer.value.num_ack_pending);
    } else {
      metrics.consumerPending.remove({ worker });
      metrics.consumerAckPending.remove({ worker });
      options.logger.debug({ err: (consumer.reason as Error).message }, "consumer lag not sampled");
    }
    if (dlq.status === "fulfilled") {
      metrics.deadLetters.set({ subject }, dlq.value.state.subjects?.[dlqSubject] ?? 0);
    } else {
      metrics.deadLetters.remove({ subject });
      options.logger.debug({ err: (dlq.reason as Error).message }, "dead-letter depth not sampled");
    }
  }

  const sampler = (): Promise<void> => {
    if (running) return running;
    if (Date.now() - sampledAt < cacheMs) return Promise.resolve();
    running = sampleOnce().finally(() => {
      sampledAt = Date.now();
      running = undefined;
    });
    return running;
  };
  metrics.samplers.add(sampler);
  return {
    close() {
      closed = true;
      metrics.samplers.delete(sampler);
      metrics.consumerPending.remove({ worker });
      metrics.consumerAckPending.remove({ worker });
      metrics.deadLetters.remove({ subject });
    },
  };
}
