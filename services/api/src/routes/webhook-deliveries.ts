/**
 * The webhook delivery log: GET /v1/accounts/{accountId}/webhooks/deliveries lists the
 * account's webhook jobs (one per announced event) newest first, with their attempts, the
 * receiver's last status, the last error and the times; POST .../{id}/redeliver sends a
 * finished one (delivered, dead-lettered, skipped) again through the dispatcher
 * (@optout/recorder redeliverWebhookJob: the recorder's message, a new message id).
 */
import type { FastifyInstance } from "fastify";
import { DeliveryPendingError, DependencyUnavailableError, NotFoundError } from "@optout/core";
import type { DeadLetterBus } from "@optout/bus";
import type { Channel } from "@optout/domain";
import { redeliverWebhookJob } from "@optout/recorder";
import {
  getWebhookDelivery,
  listWebhookDeliveries,
  typed,
  type Pool,
  type WebhookDelivery,
  type WebhookJobStatus,
} from "@optout/store";
import { assertChannelAllowed, channelsFor } from "../auth.js";
import { audit } from "../audit.js";
import { CURSOR_PARAM, decodeCursor, encodeCursor, LIMIT_PARAM, parseLimit } from "../cursor.js";
import { AUDIT_READ, checkTimeRange, requireAccount, TIME_RANGE_PARAMS } from "./audit-log.js";
import { ACCOUNT_ID_PARAM, CHANNEL_PARAM } from "./schemas.js";
import { UNKNOWN_ACCOUNT, errorResponse, json } from "../openapi/responses.js";

export const DELIVERY_PAGE_LIMITS = { default: 50, max: 500 } as const;
export const DELIVERY_STATUSES: readonly WebhookJobStatus[] = ["pending", "delivered", "dead", "skipped"];
const EVENT_ID_PARAM = {
  type: "string",
  pattern: "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
} as const;

const present = ({ seq: _seq, ...delivery }: WebhookDelivery) => delivery;

export function webhookDeliveryRoutes(
  app: FastifyInstance,
  deps: { pool: Pool; bus?: DeadLetterBus | undefined },
): void {
  app.get<{
    Params: { accountId: string };
    Querystring: {
      channel?: Channel;
      status?: WebhookJobStatus;
      identifier?: string;
      from?: string;
      to?: string;
      before?: string;
      limit?: string;
    };
  }>(
    "/v1/accounts/:accountId/webhooks/deliveries",
    {
      config: { access: { ...AUDIT_READ.access, channelFrom: "query" } },
      schema: {
        operationId: "listWebhookDeliveries",
        tags: ["Compliance"],
        summary: "The webhook delivery log, newest first",
        description:
          "One job per announced event of the account: its status (`pending`, `delivered`, `dead` — dead-lettered —, `skipped` — the account had no webhook), attempts, the receiver's last HTTP status, the last error and the times. Filter by `channel` (without it: the token's types), `status`, `identifier` and creation time; page older with `before` = the previous page's `next`.",
        response: {
          200: json("A page of jobs.", "WebhookDeliveryPage"),
          404: UNKNOWN_ACCOUNT,
        },
        params: { type: "object", properties: { accountId: ACCOUNT_ID_PARAM }, required: ["accountId"] },
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            channel: CHANNEL_PARAM,
            status: { type: "string", enum: [...DELIVERY_STATUSES] },
            identifier: {
              type: "string",
              minLength: 1,
              maxLength: 320,
              description: "Normalized identifier.",
            },
            ...TIME_RANGE_PARAMS,
            before: CURSOR_PARAM,
            limit: LIMIT_PARAM,
          },
        },
      },
    },
    async (request, reply) => {
      const { channel, status, identifier, from, to, before } = request.query;
      checkTimeRange({ from, to });
      const limit = parseLimit(request.query.limit, DELIVERY_PAGE_LIMITS);
      const position = before === undefined ? undefined : decodeCursor(before, "before");
      await requireAccount(deps.pool, request.params.accountId);
      const rows = await typed(() =>
        listWebhookDeliveries(deps.pool, {
          accountId: request.params.accountId,
          // Without a channel: every channel this token may read.
          channels: channelsFor(request, channel),
          limit: limit + 1,
          ...(position ? { before: position.seq } : {}),
          ...(status === undefined ? {} : { status }),
          ...(identifier === undefined ? {} : { identifier }),
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
        }),
      );
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return reply.header("cache-control", "no-store").send({
        items: items.map(present),
        next: last ? encodeCursor({ seq: last.seq }) : (before ?? null),
        hasMore: rows.length > limit,
      });
    },
  );

  app.post<{ Params: { accountId: string; deliveryId: string } }>(
    "/v1/accounts/:accountId/webhooks/deliveries/:deliveryId/redeliver",
    {
      // The job's channel is checked against the token's types once the job is read.
      config: { access: { kind: "account-write" } },
      schema: {
        operationId: "redeliverWebhook",
        tags: ["Compliance"],
        summary: "Deliver a finished webhook job again",
        description:
          "For a job that is `delivered`, `dead` or `skipped` (e.g. after fixing the receiver): the job becomes `pending` with its attempts starting anew and its message is published again to the dispatcher, which delivers it with the usual retries, in order with the recipient's other jobs. Receivers de-duplicate on `Optout-Event-Id` as for any redelivery. A token needs the `write` permission and the job's channel type.",
        response: {
          202: json("Republished: the job as it is now (`pending`).", "WebhookDelivery"),
          404: errorResponse("NOT_FOUND: the account has no such job."),
          409: errorResponse("DELIVERY_PENDING: the job is still pending; its message will be tried."),
          503: errorResponse("DEPENDENCY_UNAVAILABLE: NATS could not take the message; ask again."),
        },
        params: {
          type: "object",
          required: ["accountId", "deliveryId"],
          properties: { accountId: ACCOUNT_ID_PARAM, deliveryId: EVENT_ID_PARAM },
        },
      },
    },
    async (request, reply) => {
      const { accountId, deliveryId } = request.params;
      const job = await typed(() => getWebhookDelivery(deps.pool, accountId, deliveryId));
      if (!job) throw new NotFoundError(`account "${accountId}" has no webhook delivery "${deliveryId}"`);
      assertChannelAllowed(request, job.channel);
      if (!deps.bus)
        throw new DependencyUnavailableError(
          "nats",
          "this API process has no NATS connection to publish with",
        );
      const outcome = await redeliverWebhookJob(
        { pool: deps.pool, js: deps.bus.js, names: deps.bus.names },
        deliveryId,
      );
      if (outcome.kind === "not_found")
        throw new NotFoundError(`account "${accountId}" has no webhook delivery "${deliveryId}"`);
      if (outcome.kind === "pending")
        throw new DeliveryPendingError(
          `webhook delivery "${deliveryId}" is still pending (attempt ${job.attempts}, next at ${job.nextAttemptAt ?? "once its turn comes"}): it will be tried without a redelivery`,
        );
      await typed(() =>
        audit(deps.pool, request, {
          accountId,
          action: "webhook.redeliver",
          target: deliveryId,
          details: { previousStatus: job.status, redelivery: outcome.redelivery },
        }),
      );
      const updated = await typed(() => getWebhookDelivery(deps.pool, accountId, deliveryId));
      return reply.status(202).send(present(updated ?? job));
    },
  );
}
