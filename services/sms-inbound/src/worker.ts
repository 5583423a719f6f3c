import { decodePayload } from "@optout/schemas";
import { ensureDurableConsumer, publishJson, runConsumer, watchMaxDeliveries } from "@optout/bus";
import { createRecorder } from "@optout/recorder";
import { onceStop, type Infrastructure, type ServiceHandle } from "@optout/runtime";
import { createSmsInboundHandler } from "./handler.js";

export const WORKER_NAME = "sms-inbound";

export interface SmsInboundOptions {
  maxDeliveries: number;
  ackWaitMs: number;
  maxInFlight: number;
  batchSize?: number;
}

/** Consume `<ns>.inbound.sms`, classify, record opt-outs/opt-ins, publish the change feed. */
export async function startSmsInbound(infra: Infrastructure, options: SmsInboundOptions): Promise<ServiceHandle> {
  const { names, metrics } = infra;
  const logger = infra.logger.child({ worker: WORKER_NAME });
  const durable = names.consumer(WORKER_NAME);
  const stream = names.streams.inboundSms;
  await ensureDurableConsumer(infra.jsm, {
    stream,
    durable,
    filterSubject: names.subjects.inboundSms,
    ackWaitMs: options.ackWaitMs,
    maxDeliver: options.maxDeliveries,
  });
  const recorder = createRecorder({ pool: infra.pool, filter: infra.filter, js: infra.js, names, logger, getAccount: (id) => infra.accounts.get(id) });
  const handle = createSmsInboundHandler({
    getAccount: (id) => infra.accounts.get(id),
    recorder,
    publishSms: async (sms, msgId) => {
      await publishJson(infra.js, names.subjects.outboundSms, sms, msgId);
    },
    logger,
    onClassified: (c) => metrics.classified.inc({ worker: WORKER_NAME, action: c.action, rule: c.rule ?? "none" }),
  });
  const runner = runConsumer({
    js: infra.js,
    names,
    stream,
    durable,
    decode: (data) => decodePayload("inboundSms", data),
    handle,
    maxDeliver: options.maxDeliveries,
    maxInFlight: options.maxInFlight,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    logger,
    onOutcome: (kind, n) => metrics.messages.inc({ worker: WORKER_NAME, outcome: kind }, n),
    onBatch: (_size, ms) => metrics.batchSeconds.observe({ worker: WORKER_NAME }, ms / 1000),
  });
  const advisories = watchMaxDeliveries({ nc: infra.nc, js: infra.js, jsm: infra.jsm, names, stream, durable, logger });
  logger.info({ stream, durable }, "sms-inbound started");
  return {
    name: WORKER_NAME,
    isReady: () => runner.isRunning(),
    stop: onceStop(async () => {
      advisories.unsubscribe();
      await runner.stop();
    }),
  };
}
