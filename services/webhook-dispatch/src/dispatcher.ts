import { childTraceparent, maskIdentifier, TRACEPARENT_HEADER, traceIdOf, type Logger } from "@optout/core";
import type { OutboundWebhook } from "@optout/schemas";
import { resolveTarget, UrlRefusedError, type Resolver, type ResolvedTarget } from "@optout/ssrf-guard";
import {
  finishWebhookAttempt,
  getWebhookJob,
  hasPendingPredecessor,
  startWebhookAttempt,
  typed,
  type Account,
  type Pool,
  type WebhookJob,
} from "@optout/store";
import { EVENT_ID_HEADER, SIGNATURE_HEADER, signWebhook } from "@optout/webhook-signature";
import { postToTarget } from "./http-post.js";
import { KeyWaiters } from "./key-waiters.js";
import {
  DEFAULT_WEBHOOK_RETRY_BASE_MS,
  DEFAULT_WEBHOOK_RETRY_MAX_MS,
  retryDelayAfter,
  type AttemptVerdict,
} from "./retry.js";

/** What the consumer loop does with the message once the dispatcher is done with it. */
export type Settlement =
  { kind: "ack" } | { kind: "nak"; delayMs: number } | { kind: "dead_letter"; reason: string };

export type AttemptResult = "delivered" | "retry" | "permanent" | "refused";

export interface DispatcherOptions {
  pool: Pool;
  getAccount(id: string): Promise<Account | null>;
  logger: Logger;
  maxAttempts: number;
  timeoutMs: number;
  allowPrivateNetworks: boolean;
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** How often a job waiting for an earlier job of its identifier on another replica re-checks. */
  orderPollMs?: number;
  resolver?: Resolver;
  /** Deliver to this instead of the network (tests of the decision logic). */
  post?: (
    target: ResolvedTarget,
    body: Buffer,
    headers: Record<string, string>,
    timeoutMs: number,
  ) => Promise<AttemptVerdict>;
  onAttempt?(result: AttemptResult): void;
}

export const DEFAULT_ORDER_POLL_MS = 2_000;
const USER_AGENT = "optout-webhook/1";

export interface Dispatcher {
  /**
   * Deliver one job (waiting for the identifier's earlier jobs first) and say how to settle it.
   * `traceparent`: the job message's header (the recorder copies the inbound message's); the POST
   * continues that trace, or starts one without it.
   */
  process(job: OutboundWebhook, deliveryCount: number, traceparent?: string): Promise<Settlement>;
  /** Wake every waiting job: they hand their message back (nak) instead of waiting on. */
  stop(): void;
}

export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { pool, logger } = options;
  const waiters = new KeyWaiters();
  const pollMs = options.orderPollMs ?? DEFAULT_ORDER_POLL_MS;
  const post = options.post ?? postToTarget;
  let stopping = false;
  const keyOf = (j: WebhookJob) => `${j.accountId}\u0000${j.channel}\u0000${j.identifier}`;

  /**
   * Order per identifier: a job goes only when no earlier job of the same (account, channel,
   * identifier) is pending in Postgres, wherever that job is (this replica, another one, or
   * back in the stream after a nak). A job finishing here wakes its followers at once; a job
   * finished elsewhere is noticed by polling. False when the worker is stopping.
   */
  async function waitForTurn(job: WebhookJob): Promise<boolean> {
    for (;;) {
      if (stopping) return false;
      const wake = waiters.next(keyOf(job), pollMs);
      if (!(await typed(() => hasPendingPredecessor(pool, job)))) {
        wake.cancel();
        return true;
      }
      await wake.promise;
    }
  }

  async function deliver(
    job: OutboundWebhook,
    webhook: { url: string; secret: string },
    traceparent: string,
  ): Promise<AttemptVerdict> {
    let target: ResolvedTarget;
    try {
      target = await resolveTarget(webhook.url, {
        allowPrivateNetworks: options.allowPrivateNetworks,
        ...(options.resolver ? { resolver: options.resolver } : {}),
      });
    } catch (err) {
      if (err instanceof UrlRefusedError)
        return { kind: "permanent", reason: `webhook URL refused: ${err.message}`, refused: true };
      return { kind: "retry", reason: err instanceof Error ? err.message : String(err) };
    }
    const body = Buffer.from(JSON.stringify(job.event));
    const headers = {
      "content-type": "application/json",
      "user-agent": USER_AGENT,
      [EVENT_ID_HEADER]: job.event.eventId,
      [SIGNATURE_HEADER]: signWebhook(webhook.secret, body, Math.floor(Date.now() / 1000)),
      [TRACEPARENT_HEADER]: traceparent,
    };
    return post(target, body, headers, options.timeoutMs);
  }

  async function process(
    payload: OutboundWebhook,
    deliveryCount: number,
    parent?: string,
  ): Promise<Settlement> {
    const eventId = payload.event.eventId;
    const job = await typed(() => getWebhookJob(pool, eventId));
    if (!job) return { kind: "dead_letter", reason: `NOT_FOUND: event ${eventId} is not recorded` };
    // One span id per delivery attempt, in the trace of the event's inbound message.
    const traceparent = childTraceparent(parent);
    const log = logger.child({
      traceId: traceIdOf(traceparent),
      eventId,
      accountId: job.accountId,
      identifier: maskIdentifier(job.identifier),
    });
    try {
      // A redelivery of a job finished before (the ack was lost, or a republished copy).
      if (job.status === "delivered" || job.status === "skipped") return { kind: "ack" };
      if (job.status === "dead") return { kind: "dead_letter", reason: job.lastError ?? "dead-lettered" };

      if (!(await waitForTurn(job))) return { kind: "nak", delayMs: 0 };

      // The account as it is now: a changed URL or secret applies to pending deliveries too.
      const account = await options.getAccount(job.accountId);
      const webhook = account?.settings.webhook;
      if (!webhook?.url || !webhook.secret) {
        await typed(() =>
          finishWebhookAttempt(pool, eventId, { status: "skipped", error: "account has no webhook" }),
        );
        log.info("webhook job skipped: the account no longer has a webhook");
        return { kind: "ack" };
      }
      const attempt = await typed(() => startWebhookAttempt(pool, eventId));
      if (attempt === null) return { kind: "ack" }; // finished by another replica meanwhile

      const verdict = await deliver(payload, webhook, traceparent);
      const status = "status" in verdict ? (verdict.status ?? null) : null;
      if (verdict.kind === "delivered") {
        await typed(() => finishWebhookAttempt(pool, eventId, { status: "delivered", httpStatus: status }));
        options.onAttempt?.("delivered");
        log.debug({ attempt, status }, "webhook delivered");
        return { kind: "ack" };
      }
      options.onAttempt?.(verdict.kind === "permanent" && verdict.refused ? "refused" : verdict.kind);
      if (verdict.kind === "permanent" || attempt >= options.maxAttempts) {
        const reason =
          verdict.kind === "permanent"
            ? `webhook delivery failed permanently: ${verdict.reason}`
            : `webhook delivery failed ${attempt} times (the limit): ${verdict.reason}`;
        await typed(() =>
          finishWebhookAttempt(pool, eventId, { status: "dead", httpStatus: status, error: reason }),
        );
        log.warn({ attempt, status, reason }, "webhook dead-lettered");
        return { kind: "dead_letter", reason };
      }
      const delayMs = retryDelayAfter(
        attempt,
        verdict,
        options.retryBaseMs ?? DEFAULT_WEBHOOK_RETRY_BASE_MS,
        options.retryMaxMs ?? DEFAULT_WEBHOOK_RETRY_MAX_MS,
      );
      await typed(() =>
        finishWebhookAttempt(pool, eventId, {
          status: "pending",
          httpStatus: status,
          error: verdict.reason,
          nextAttemptAt: new Date(Date.now() + delayMs),
        }),
      );
      log.info(
        { attempt, status, delayMs, reason: verdict.reason, deliveryCount },
        "webhook delivery failed; retrying",
      );
      return { kind: "nak", delayMs };
    } finally {
      // Whatever happened, followers of this identifier may re-check now.
      waiters.wake(keyOf(job));
    }
  }

  return {
    process,
    stop() {
      stopping = true;
      waiters.wakeAll();
    },
  };
}
