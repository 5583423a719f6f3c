import { decodePayload } from "@optout/schemas";
import { ensureDurableConsumer, runConsumer, watchMaxDeliveries } from "@optout/bus";
import { createRecorder } from "@optout/recorder";
import { getLinks, typed } from "@optout/store";
import { onceStop, type Infrastructure, type ServiceHandle } from "@optout/runtime";
import { createLinkClickHandler } from "./handler.js";

export const WORKER_NAME = "link-click";

export interface LinkClickOptions {
  maxDeliveries: number;
  ackWaitMs: number;
  maxInFlight: number;
  batchSize?: number;
}

/** Consume `<ns>.inbound.link`, resolve tokens to links, record the opt-outs, publish the change feed. */
export async function startLinkClick(
  infra: Infrastructure,
  options: LinkClickOptions,
): Promise<ServiceHandle> {
  const { names, metrics, pool } = infra;
  const logger = infra.logger.child({ worker: WORKER_NAME });
  const durable = names.consumer(WORKER_NAME);
  const stream = names.streams.inboundLink;
  await ensureDurableConsumer(infra.jsm, {
    stream,
    durable,
    filterSubject: names.subjects.inboundLink,
    ackWaitMs: options.ackWaitMs,
    maxDeliver: options.maxDeliveries,
  });
  const recorder = createRecorder({
    pool,
    filter: infra.filter,
    js: infra.js,
    names,
    logger,
    getAccount: (id) => infra.accounts.get(id),
  });
  const handle = createLinkClickHandler({
    getLinks: (tokens) => typed(() => getLinks(pool, tokens)),
    getAccount: (id) => infra.accounts.get(id),
    recorder,
    logger,
  });
  const runner = runConsumer({
    js: infra.js,
    names,
    stream,
    durable,
    decode: (data) => decodePayload("inboundLink", data),
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
  logger.info({ stream, durable }, "link-click started");
  return {
    name: WORKER_NAME,
    isReady: () => runner.isRunning(),
    stop: onceStop(async () => {
      advisories.unsubscribe();
      await runner.stop();
    }),
  };
}
