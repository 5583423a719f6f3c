import { ensureDurableConsumer, runConsumer, watchMaxDeliveries, type BatchItem, type Outcome } from "@optout/bus";
import type { Logger } from "@optout/core";
import { createRecorder, type Recorder } from "@optout/recorder";
import { decodePayload, type PayloadTypes, type SchemaName } from "@optout/schemas";
import type { Infrastructure } from "./infrastructure.js";
import { onceStop, type ServiceHandle } from "./service.js";

/** The knobs every JetStream-consuming worker takes from configuration. */
export interface ConsumerWorkerOptions {
  maxDeliveries: number;
  ackWaitMs: number;
  maxInFlight: number;
  batchSize?: number;
}

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
}

/**
 * The wiring every inbound worker shares: a durable consumer created or updated at start, the
 * batch consume loop with metrics, the max-deliveries advisory watcher, readiness and an
 * ordered stop. The worker itself only provides its handler.
 */
export async function startConsumerWorker<K extends SchemaName>(
  infra: Infrastructure,
  spec: ConsumerWorkerSpec<K>,
): Promise<ServiceHandle> {
  const { names, metrics } = infra;
  const durable = names.consumer(spec.worker);
  const { stream, logger, options } = spec;
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
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    logger,
    onOutcome: (kind, n) => metrics.messages.inc({ worker: spec.worker, outcome: kind }, n),
    onBatch: (_size, ms) => metrics.batchSeconds.observe({ worker: spec.worker }, ms / 1000),
  });
  const advisories = watchMaxDeliveries({ nc: infra.nc, js: infra.js, jsm: infra.jsm, names, stream, durable, logger });
  logger.info({ stream, durable }, `${spec.worker} started`);
  return {
    name: spec.worker,
    isReady: () => runner.isRunning(),
    stop: onceStop(async () => {
      advisories.unsubscribe();
      await runner.stop();
    }),
  };
}

/** The recorder on this process's connections, counting new events in `optout_events_total`. */
export function recorderFor(infra: Infrastructure, worker: string, logger: Logger): Recorder {
  const recorder = createRecorder({
    pool: infra.pool,
    filter: infra.filter,
    js: infra.js,
    names: infra.names,
    logger,
    getAccount: (id) => infra.accounts.get(id),
  });
  return {
    async record(events) {
      const recorded = await recorder.record(events);
      for (const e of recorded) {
        if (!e.duplicate) infra.metrics.events.inc({ worker, channel: e.channel, action: e.action, source: e.source });
      }
      return recorded;
    },
  };
}
