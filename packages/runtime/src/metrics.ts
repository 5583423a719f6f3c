import { counterIn, gaugeIn, histogramIn, LATENCY_BUCKETS } from "@optout/metrics";
import { Registry, collectDefaultMetrics, type Counter, type Gauge, type Histogram } from "prom-client";

/**
 * One registry per process. Every worker's metrics carry a `worker` label so that the
 * all-in-one local process and a per-worker Deployment expose the same series. The metrics
 * here are the process wiring's (consume loop, request-reply, HTTP, dependencies); the recorder
 * and each service declare their own next to their code (`counterIn` of @optout/metrics).
 */
export interface Metrics {
  registry: Registry;
  messages: Counter<"worker" | "outcome">;
  batchSeconds: Histogram<"worker">;
  requests: Counter<"worker" | "outcome">;
  requestSeconds: Histogram<"worker">;
  consumerPaused: Gauge<"worker">;
  consumerPending: Gauge<"worker">;
  consumerAckPending: Gauge<"worker">;
  deadLetters: Gauge<"subject">;
  dependencyUp: Gauge<"dependency">;
  httpRequests: Counter<"worker" | "method" | "route" | "status">;
  httpSeconds: Histogram<"worker" | "method" | "route">;
  /**
   * Run before the scrape-time gauges (consumer lag, dead letters) are read: each worker adds
   * the sampler of its own consumer and removes it when it stops. Samplers cache their answers.
   */
  samplers: Set<() => Promise<void>>;
}

export const DEPENDENCY_UP = {
  name: "optout_dependency_up",
  help: "1 when the dependency answers its probe, 0 while it is down",
  labelNames: ["dependency"] as const,
};

/**
 * The process registry with Node's default metrics under their standard names
 * (`process_cpu_seconds_total`, `nodejs_eventloop_lag_seconds`...), so stock Node.js
 * dashboards work unchanged.
 */
export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  const samplers = new Set<() => Promise<void>>();
  // Each scrape-time gauge asks every sampler; a sampler shares one answer between the three.
  const collect = async () => {
    await Promise.all([...samplers].map((sample) => sample()));
  };
  return {
    registry,
    samplers,
    messages: counterIn(registry, {
      name: "optout_messages_total",
      help: "Consumed JetStream messages by outcome (acked, retried, dead_lettered, released)",
      labelNames: ["worker", "outcome"],
    }),
    batchSeconds: histogramIn(registry, {
      name: "optout_batch_seconds",
      help: "Time to process one batch of messages",
      labelNames: ["worker"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    }),
    requests: counterIn(registry, {
      name: "optout_requests_total",
      help: "Request-reply requests by outcome (ok, error)",
      labelNames: ["worker", "outcome"],
    }),
    requestSeconds: histogramIn(registry, {
      name: "optout_request_seconds",
      help: "Request-reply latency",
      labelNames: ["worker"],
      buckets: LATENCY_BUCKETS,
    }),
    consumerPaused: gaugeIn(registry, {
      name: "optout_consumer_paused",
      help: "1 while the worker's consumer waits out a dependency outage (messages held, pulling stopped)",
      labelNames: ["worker"],
    }),
    consumerPending: gaugeIn(registry, {
      name: "optout_consumer_pending_messages",
      help: "Messages of the worker's durable consumer not yet delivered (JetStream num_pending), sampled at scrape time",
      labelNames: ["worker"],
      collect,
    }),
    consumerAckPending: gaugeIn(registry, {
      name: "optout_consumer_ack_pending_messages",
      help: "Messages delivered to the worker's durable consumer and not yet acked (num_ack_pending), sampled at scrape time",
      labelNames: ["worker"],
      collect,
    }),
    deadLetters: gaugeIn(registry, {
      name: "optout_dead_letter_messages",
      help: "Messages in the dead-letter stream, by original subject without the namespace (e.g. inbound.sms)",
      labelNames: ["subject"],
      collect,
    }),
    dependencyUp: gaugeIn(registry, DEPENDENCY_UP),
    httpRequests: counterIn(registry, {
      name: "http_requests_total",
      help: "HTTP requests answered by the api and the edge, by route pattern (never the raw URL) and status",
      labelNames: ["worker", "method", "route", "status"],
    }),
    httpSeconds: histogramIn(registry, {
      name: "http_request_duration_seconds",
      help: "HTTP request duration, from the request to the response sent, by route pattern",
      labelNames: ["worker", "method", "route"],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    }),
  };
}
