import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * One registry per process. Every worker's metrics carry a `worker` label so that the
 * all-in-one local process and a per-worker Deployment expose the same series.
 */
export interface Metrics {
  registry: Registry;
  messages: Counter<"worker" | "outcome">;
  batchSeconds: Histogram<"worker">;
  classified: Counter<"worker" | "action" | "rule">;
  events: Counter<"worker" | "channel" | "action" | "source">;
  requests: Counter<"worker" | "outcome">;
  requestSeconds: Histogram<"worker">;
  checkedRecipients: Counter<"worker" | "reason" | "path">;
  cacheFallbacks: Counter<"worker" | "cause">;
  ignored: Counter<"worker" | "reason">;
  consumerPaused: Gauge<"worker">;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: "optout_" });
  const registers = [registry];
  return {
    registry,
    messages: new Counter({
      name: "optout_messages_total",
      help: "Inbound messages by outcome (acked, retried, dead_lettered, released)",
      labelNames: ["worker", "outcome"],
      registers,
    }),
    batchSeconds: new Histogram({
      name: "optout_batch_seconds",
      help: "Time to process one batch of messages",
      labelNames: ["worker"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    classified: new Counter({
      name: "optout_sms_classified_total",
      help: "Inbound SMS by classification",
      labelNames: ["worker", "action", "rule"],
      registers,
    }),
    events: new Counter({
      name: "optout_events_total",
      help: "Opt-out/opt-in events recorded",
      labelNames: ["worker", "channel", "action", "source"],
      registers,
    }),
    requests: new Counter({
      name: "optout_requests_total",
      help: "Request-reply requests by outcome",
      labelNames: ["worker", "outcome"],
      registers,
    }),
    requestSeconds: new Histogram({
      name: "optout_request_seconds",
      help: "Request-reply latency",
      labelNames: ["worker"],
      buckets: [0.0002, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
      registers,
    }),
    checkedRecipients: new Counter({
      name: "optout_checked_recipients_total",
      help: "Recipients checked, by reason and by path (filter = answered by the Redis filter, database = Postgres)",
      labelNames: ["worker", "reason", "path"],
      registers,
    }),
    cacheFallbacks: new Counter({
      name: "optout_cache_fallbacks_total",
      help: "Checks answered by Postgres because the filter could not vouch (not_ready, error)",
      labelNames: ["worker", "cause"],
      registers,
    }),
    ignored: new Counter({
      name: "optout_inbound_ignored_total",
      help: "Inbound messages acked without an event, by reason (e.g. automatic_reply)",
      labelNames: ["worker", "reason"],
      registers,
    }),
    consumerPaused: new Gauge({
      name: "optout_consumer_paused",
      help: "1 while the worker's consumer waits out a dependency outage (messages held, pulling stopped)",
      labelNames: ["worker"],
      registers,
    }),
  };
}
