import { Counter } from "prom-client";
import { decodePayload } from "@optout/schemas";
import { ensureDurableConsumer, runConsumer, watchMaxDeliveries } from "@optout/bus";
import { createRecorder } from "@optout/recorder";
import { onceStop, type Infrastructure, type Metrics, type ServiceHandle } from "@optout/runtime";
import { createEmailUnsubscribeHandler } from "./handler.js";

export const WORKER_NAME = "email-unsubscribe";

export interface EmailUnsubscribeOptions {
  maxDeliveries: number;
  ackWaitMs: number;
  maxInFlight: number;
  /** Verifies the `unsubscribe-<token>` a mailto subject may carry (EMAIL_TOKEN_SECRET). */
  emailTokenSecret: string;
  batchSize?: number;
}

const IGNORED_METRIC = "optout_email_ignored_total";

/** One counter per registry: the local process and tests may start this worker more than once. */
function ignoredCounter(metrics: Metrics): Counter<"worker" | "reason"> {
  const existing = metrics.registry.getSingleMetric(IGNORED_METRIC);
  if (existing) return existing as Counter<"worker" | "reason">;
  return new Counter({
    name: IGNORED_METRIC,
    help: "Inbound emails acked without an event, by reason (automatic_reply)",
    labelNames: ["worker", "reason"],
    registers: [metrics.registry],
  });
}

/** Consume `<ns>.inbound.email`, record opt-outs, publish the change feed. */
export async function startEmailUnsubscribe(
  infra: Infrastructure,
  options: EmailUnsubscribeOptions,
): Promise<ServiceHandle> {
  const { names, metrics } = infra;
  const logger = infra.logger.child({ worker: WORKER_NAME });
  const durable = names.consumer(WORKER_NAME);
  const stream = names.streams.inboundEmail;
  await ensureDurableConsumer(infra.jsm, {
    stream,
    durable,
    filterSubject: names.subjects.inboundEmail,
    ackWaitMs: options.ackWaitMs,
    maxDeliver: options.maxDeliveries,
  });
  const ignored = ignoredCounter(metrics);
  const handle = createEmailUnsubscribeHandler({
    getAccount: (id) => infra.accounts.get(id),
    recorder: createRecorder({
      pool: infra.pool,
      filter: infra.filter,
      js: infra.js,
      names,
      logger,
      getAccount: (id) => infra.accounts.get(id),
    }),
    emailTokenSecret: options.emailTokenSecret,
    logger,
    onIgnored: (reason) => ignored.inc({ worker: WORKER_NAME, reason }),
    onRecorded: (events) => {
      for (const e of events) {
        if (!e.duplicate)
          metrics.events.inc({ worker: WORKER_NAME, channel: e.channel, action: e.action, source: e.source });
      }
    },
  });
  const runner = runConsumer({
    js: infra.js,
    names,
    stream,
    durable,
    decode: (data) => decodePayload("inboundEmail", data),
    handle,
    maxDeliver: options.maxDeliveries,
    maxInFlight: options.maxInFlight,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    logger,
    onOutcome: (kind, n) => metrics.messages.inc({ worker: WORKER_NAME, outcome: kind }, n),
    onBatch: (_size, ms) => metrics.batchSeconds.observe({ worker: WORKER_NAME }, ms / 1000),
  });
  const advisories = watchMaxDeliveries({
    nc: infra.nc,
    js: infra.js,
    jsm: infra.jsm,
    names,
    stream,
    durable,
    logger,
  });
  logger.info({ stream, durable }, "email-unsubscribe started");
  return {
    name: WORKER_NAME,
    isReady: () => runner.isRunning(),
    stop: onceStop(async () => {
      advisories.unsubscribe();
      await runner.stop();
    }),
  };
}
