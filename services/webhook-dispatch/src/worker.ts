import { DependencyUnavailableError, TRACEPARENT_HEADER } from "@optout/core";
import type { Outcome } from "@optout/bus";
import { onceStop, startConsumerWorker, type Infrastructure, type ServiceHandle } from "@optout/runtime";
import { decodePayload } from "@optout/schemas";
import type { Resolver } from "@optout/ssrf-guard";
import { finishWebhookAttempt, typed } from "@optout/store";
import { createDispatcher, type AttemptResult, type Settlement } from "./dispatcher.js";
import { startRetention, type RetentionOptions } from "./retention.js";
import { webhookDispatchMetrics } from "./metrics.js";
import { WEBHOOK_DISPATCH_WORKER } from "./definition.js";

const WORKER_NAME = WEBHOOK_DISPATCH_WORKER.name;

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
  /**
   * The periodic pruning of finished webhook jobs and old confirmation records (./retention.ts);
   * default: every hour with 30 days for both (the config defaults); false: none.
   */
  retention?: RetentionOptions | false;
}

/** WEBHOOK_JOBS_RETENTION_DAYS and CONFIRMATIONS_RETENTION_DAYS defaults (@optout/config). */
const DEFAULT_RETENTION: RetentionOptions = { webhookJobsDays: 30, confirmationsDays: 30 };

/**
 * JetStream may deliver a job more often than it is attempted (a replica stopping hands its
 * waiting jobs back, a crash loses an ack): attempts are counted in Postgres, and the
 * consumer's max_deliver is only the backstop for a job that crashes the worker every time.
 */
export const MAX_DELIVER_PER_ATTEMPT = 2;

/** Consume `<ns>.outbound.webhook`: POST each change-feed event, signed, to its account's webhook, in order per identifier. */
export async function startWebhookDispatch(
  infra: Infrastructure,
  options: WebhookDispatchOptions,
): Promise<ServiceHandle> {
  const { names, metrics } = infra;
  const logger = infra.logger.child({ worker: WORKER_NAME });
  logger.info({ allowPrivateNetworks: options.allowPrivateNetworks }, "webhook-dispatch starting");
  const maxDeliver = options.maxAttempts * MAX_DELIVER_PER_ATTEMPT + 5;
  const { attempts } = webhookDispatchMetrics(metrics.registry);

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
    onAttempt: (result: AttemptResult) => attempts.inc({ worker: WORKER_NAME, result }),
  });
  // One message at a time per slot: a job may wait minutes for an earlier job of its
  // identifier, and must not hold a batch (and every other account's deliveries) back meanwhile.
  const handle = await startConsumerWorker(infra, {
    worker: WORKER_NAME,
    stream: names.streams[WEBHOOK_DISPATCH_WORKER.stream],
    subject: names.subjects[WEBHOOK_DISPATCH_WORKER.subject],
    schema: "outboundWebhook",
    handle: async (items) =>
      Promise.all(
        items.map(async ({ payload, msg }) =>
          toOutcome(
            await dispatcher.process(payload, msg.info.deliveryCount, msg.headers?.get(TRACEPARENT_HEADER)),
          ),
        ),
      ),
    options: {
      maxDeliveries: maxDeliver,
      ackWaitMs: Math.max(options.ackWaitMs, options.timeoutMs * 2),
      maxInFlight: options.maxInFlight,
      batchSize: 1,
      concurrency: options.maxInFlight,
    },
    logger,
    // Deliveries need Postgres (order, attempts) and NATS; Redis is not used.
    needs: ["postgres", "nats"],
    // A job the engine gave up on must stop holding back the later jobs of its identifier.
    onDeadLettered: async (_subject, data, reason) => {
      const job = decodePayload("outboundWebhook", data);
      await typed(() =>
        finishWebhookAttempt(infra.pool, job.event.eventId, { status: "dead", error: reason }),
      );
    },
    beforeStop: () => dispatcher.stop(),
  });
  const retention =
    options.retention === false
      ? undefined
      : startRetention(
          { pool: infra.pool, logger, registry: metrics.registry },
          options.retention ?? DEFAULT_RETENTION,
        );
  return {
    ...handle,
    // A retention run ends after its current batch, before the pool closes.
    stop: onceStop(async () => {
      await retention?.stop();
      await handle.stop();
    }),
  };
}

/** The receiver asked for a retry (or it is not our turn yet): not an outage of ours. */
function toOutcome(settlement: Settlement): Outcome {
  if (settlement.kind !== "nak") return settlement;
  return {
    kind: "retry",
    error: new DependencyUnavailableError("http", "webhook delivery to be retried"),
    delayMs: settlement.delayMs,
  };
}
