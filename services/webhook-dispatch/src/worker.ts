import type { JsMsg } from "@nats-io/jetstream";
import { Counter } from "prom-client";
import { ensureDurableConsumer, watchMaxDeliveries } from "@optout/bus";
import { onceStop, type Infrastructure, type ServiceHandle } from "@optout/runtime";
import { decodePayload, type OutboundWebhook } from "@optout/schemas";
import type { Resolver } from "@optout/ssrf-guard";
import { finishWebhookAttempt, typed } from "@optout/store";
import { createDispatcher, type AttemptResult } from "./dispatcher.js";
import { runJobLoop } from "./job-loop.js";

export const WORKER_NAME = "webhook-dispatch";

export interface WebhookDispatchOptions {
  /** Delivery attempts before a job is dead-lettered (WEBHOOK_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** Bound on one POST (WEBHOOK_TIMEOUT_MS). */
  timeoutMs: number;
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS. */
  allowPrivateNetworks: boolean;
  ackWaitMs: number;
  maxInFlight: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  orderPollMs?: number;
  resolver?: Resolver;
}

/**
 * JetStream may deliver a job more often than it is attempted (a replica stopping hands its
 * waiting jobs back, a crash loses an ack): attempts are counted in Postgres, and the
 * consumer's max_deliver is only the backstop for a job that crashes the worker every time.
 */
export const MAX_DELIVER_PER_ATTEMPT = 2;

const ATTEMPTS_METRIC = "optout_webhook_attempts_total";

/** Consume `<ns>.outbound.webhook`: POST each change-feed event, signed, to its account's webhook, in order per identifier. */
export async function startWebhookDispatch(
  infra: Infrastructure,
  options: WebhookDispatchOptions,
): Promise<ServiceHandle> {
  const { names, metrics } = infra;
  const logger = infra.logger.child({ worker: WORKER_NAME });
  const durable = names.consumer(WORKER_NAME);
  const stream = names.streams.outbound;
  const maxDeliver = options.maxAttempts * MAX_DELIVER_PER_ATTEMPT + 5;
  await ensureDurableConsumer(infra.jsm, {
    stream,
    durable,
    filterSubject: names.subjects.outboundWebhook,
    ackWaitMs: Math.max(options.ackWaitMs, options.timeoutMs * 2),
    maxDeliver,
  });
  const attempts =
    (metrics.registry.getSingleMetric(ATTEMPTS_METRIC) as Counter<"result"> | undefined) ??
    new Counter({
      name: ATTEMPTS_METRIC,
      help: "Webhook delivery attempts by result",
      labelNames: ["result"],
      registers: [metrics.registry],
    });

  const dispatcher = createDispatcher({
    pool: infra.pool,
    getAccount: (id) => infra.accounts.get(id),
    logger,
    maxAttempts: options.maxAttempts,
    timeoutMs: options.timeoutMs,
    allowPrivateNetworks: options.allowPrivateNetworks,
    ...(options.retryBaseMs === undefined ? {} : { retryBaseMs: options.retryBaseMs }),
    ...(options.retryMaxMs === undefined ? {} : { retryMaxMs: options.retryMaxMs }),
    ...(options.orderPollMs === undefined ? {} : { orderPollMs: options.orderPollMs }),
    ...(options.resolver ? { resolver: options.resolver } : {}),
    onAttempt: (result: AttemptResult) => attempts.inc({ result }),
  });
  const loop = runJobLoop<OutboundWebhook>({
    js: infra.js,
    names,
    stream,
    durable,
    decode: (data) => decodePayload("outboundWebhook", data),
    process: (job, msg: JsMsg) => dispatcher.process(job, msg.info.deliveryCount),
    maxInFlight: options.maxInFlight,
    ackWaitMs: options.ackWaitMs,
    maxDeliver,
    logger,
    onSettled: (kind) => metrics.messages.inc({ worker: WORKER_NAME, outcome: kind }),
  });

  // A job that crashed the worker on every delivery is dead-lettered from the advisory; its
  // row must stop holding back the later jobs of its identifier too.
  const advisories = watchMaxDeliveries({
    nc: infra.nc,
    js: infra.js,
    jsm: infra.jsm,
    names,
    stream,
    durable,
    logger,
  });
  const exhausted = infra.nc.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${stream}.${durable}`, {
    queue: `${durable}-jobs`,
  });
  void (async () => {
    for await (const m of exhausted) {
      try {
        const advisory = m.json<{ stream_seq: number; deliveries: number }>();
        const stored = await infra.jsm.streams.getMessage(stream, { seq: advisory.stream_seq });
        if (!stored) continue;
        const job = decodePayload("outboundWebhook", stored.data);
        const error = `max deliveries (${advisory.deliveries}) exhausted without a result`;
        await typed(() => finishWebhookAttempt(infra.pool, job.event.eventId, { status: "dead", error }));
      } catch (err) {
        logger.error({ err: (err as Error).message }, "max-deliveries advisory handling failed");
      }
    }
  })();

  logger.info(
    { stream, durable, allowPrivateNetworks: options.allowPrivateNetworks },
    "webhook-dispatch started",
  );
  return {
    name: WORKER_NAME,
    isReady: () => loop.isRunning(),
    stop: onceStop(async () => {
      advisories.unsubscribe();
      exhausted.unsubscribe();
      dispatcher.stop();
      await loop.stop();
    }),
  };
}
