import type { JsMsg } from "@nats-io/jetstream";
import {
  ensureDurableConsumer,
  runConsumer,
  watchMaxDeliveries,
  type BatchItem,
  type OutageGate,
  type Outcome,
} from "@optout/bus";
import type { Logger } from "@optout/core";
import { decodePayload, type PayloadTypes, type SchemaName } from "@optout/schemas";
import type { Infrastructure } from "./infrastructure.js";
import { onceStop, type ServiceHandle } from "./service.js";
import type { DependencyName } from "./dependencies.js";
import { watchConsumerLag } from "./consumer-lag.js";

/** The knobs every JetStream-consuming worker takes from configuration. */
export interface ConsumerWorkerOptions {
  maxDeliveries: number;
  ackWaitMs: number;
  maxInFlight: number;
  batchSize?: number;
  /** Batches processed at once (with batchSize 1: messages handled at once, each settled on its own). */
  concurrency?: number;
  /** First and longest pause between dependency probes while waiting out an outage (tests shorten them). */
  outageProbeMs?: { first?: number; max?: number };
}

/** What a recording worker cannot work without: it pauses (and /readyz says 503) while one is down. */
export const RECORDING_DEPENDENCIES: readonly DependencyName[] = ["postgres", "redis", "nats"];

export interface ConsumerWorkerSpec<K extends SchemaName> {
  /** Worker name: consumer `<ns>-<worker>`, metric label, log field. */
  worker: string;
  stream: string;
  subject: string;
  /** The payload schema every message is decoded and validated with (failures are dead-lettered). */
  schema: K;
  handle: (items: BatchItem<PayloadTypes[K]>[]) => Promise<Outcome[]>;
  options: ConsumerWorkerOptions;
  logger: Logger;
  /** Dependencies the handler needs (default: Postgres, Redis, NATS). */
  needs?: readonly DependencyName[];
  /** After a message was dead-lettered, by the handler's verdict or after max deliveries. */
  onDeadLettered?: (subject: string, data: Uint8Array, reason: string) => Promise<void>;
  /** Called first when the worker stops, before the consumer drains (e.g. wake waiting work). */
  beforeStop?: () => void;
}

/**
 * The wiring every inbound worker shares: a durable consumer created or updated at start, the
 * batch consume loop with metrics, the consumer's lag and its dead letters sampled at scrape
 * time, the max-deliveries advisory watcher, readiness and an ordered stop. The worker itself
 * only provides its handler.
 */
export async function startConsumerWorker<K extends SchemaName>(
  infra: Infrastructure,
  spec: ConsumerWorkerSpec<K>,
): Promise<ServiceHandle> {
  const { names, metrics } = infra;
  const durable = names.consumer(spec.worker);
  const { stream, logger, options } = spec;
  const needs = spec.needs ?? RECORDING_DEPENDENCIES;
  const paused = metrics.consumerPaused;
  const gate: OutageGate = {
    down: () => infra.dependencies.probe(needs),
    onPause: (isPaused) => paused.set({ worker: spec.worker }, isPaused ? 1 : 0),
  };
  paused.set({ worker: spec.worker }, 0);
  await ensureDurableConsumer(infra.jsm, {
    stream,
    durable,
    filterSubject: spec.subject,
    ackWaitMs: options.ackWaitMs,
    maxDeliver: options.maxDeliveries,
  });
  const runner = runConsumer({
    js: infra.js,
    names,
    stream,
    durable,
    decode: (data) => decodePayload(spec.schema, data),
    handle: spec.handle,
    maxDeliver: options.maxDeliveries,
    maxInFlight: options.maxInFlight,
    ackWaitMs: options.ackWaitMs,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.outageProbeMs === undefined ? {} : { outageProbeMs: options.outageProbeMs }),
    gate,
    logger,
    onOutcome: (kind, n) => metrics.messages.inc({ worker: spec.worker, outcome: kind }, n),
    onBatch: (_size, ms) => metrics.batchSeconds.observe({ worker: spec.worker }, ms / 1000),
    ...(spec.onDeadLettered
      ? {
          onDeadLettered: (msg: JsMsg, reason: string) => spec.onDeadLettered!(msg.subject, msg.data, reason),
        }
      : {}),
  });
  const advisories = watchMaxDeliveries({
    nc: infra.nc,
    js: infra.js,
    jsm: infra.jsm,
    names,
    stream,
    durable,
    logger,
    ...(spec.onDeadLettered ? { onDeadLettered: spec.onDeadLettered } : {}),
  });
  const lag = watchConsumerLag({
    jsm: infra.jsm,
    metrics,
    names,
    logger,
    worker: spec.worker,
    stream,
    durable,
    subject: spec.subject,
  });
  logger.info({ stream, durable }, `${spec.worker} started`);
  return {
    name: spec.worker,
    isReady: () => runner.isRunning() && infra.dependencies.downReasons(needs).length === 0,
    notReadyReasons: () => {
      const reasons = infra.dependencies.downReasons(needs);
      const waiting = runner.waitingFor();
      if (waiting.length > 0)
        reasons.push(`${spec.worker} paused until ${waiting.join(", ")} answer(s) again`);
      return reasons;
    },
    stop: onceStop(async () => {
      spec.beforeStop?.();
      lag.close();
      advisories.unsubscribe();
      await runner.stop();
    }),
  };
}
