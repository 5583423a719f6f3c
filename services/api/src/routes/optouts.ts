import { randomUUID } from "node:crypto";
import type { FastifyInstance } from "fastify";
import {
  ErasedIdentifierError,
  InvalidPayloadError,
  UnknownAccountError,
  UnknownTopicError,
} from "@optout/core";
import { erasedIdentifier, findTopic, normalizeIdentifier, resolveScope } from "@optout/domain";
import type { Recorder } from "@optout/recorder";
import { ID_PATTERN, type Channel, type OptAction } from "@optout/schemas";
import {
  getHistory,
  getState,
  isErased,
  typed,
  type AccountDirectory,
  type OptState,
  type Pool,
} from "@optout/store";
import { ACCOUNT_ID_PARAM, CHANNEL_PARAM, IDENTIFIER_PARAM } from "./schemas.js";
import { UNKNOWN_ACCOUNT, errorResponse, json } from "../openapi/responses.js";
import { INVALID_IDENTIFIER } from "../openapi/texts.js";
import { actorOf, audit } from "../audit.js";

interface Deps {
  pool: Pool;
  accounts: AccountDirectory;
  recorder: Recorder;
  erasureHashSecret: string;
}

export async function resolveTarget(
  deps: Pick<Deps, "accounts">,
  accountId: string,
  channel: Channel,
  rawIdentifier: string,
) {
  const account = await deps.accounts.get(accountId);
  if (!account) throw new UnknownAccountError(accountId);
  const n = normalizeIdentifier(channel, rawIdentifier, account.defaultCountry ?? undefined);
  if (!n.ok)
    throw new InvalidPayloadError(
      `"${rawIdentifier}" is not a valid ${channel === "sms" ? "phone number" : "email address"}: ${n.reason}`,
    );
  return { account, scope: resolveScope(account), identifier: n.identifier };
}

/** The erased row decides over the identifier's when newer, or as old and opted out (FIND_OPTED_OUT_SQL's order). */
function newerOrSuppressing(erased: OptState, own: OptState): boolean {
  const a = Date.parse(erased.since);
  const b = Date.parse(own.since);
  return a > b || (a === b && erased.status === "opted_out");
}

export const READ_BY_PARAMS = { access: { kind: "account-read", channelFrom: "params" } } as const;

export const ITEM_PARAMS = {
  type: "object",
  required: ["accountId", "channel", "identifier"],
  properties: {
    accountId: ACCOUNT_ID_PARAM,
    channel: CHANNEL_PARAM,
    identifier: IDENTIFIER_PARAM,
  },
} as const;
export type ItemParams = { accountId: string; channel: Channel; identifier: string };

export function optoutRoutes(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: ItemParams }>(
    "/v1/accounts/:accountId/optouts/:channel/:identifier",
    {
      config: READ_BY_PARAMS,
      schema: {
        operationId: "getState",
        tags: ["Opt-out lists"],
        summary: "Current state of one recipient",
        description:
          "The identifier may be in any format the channel accepts (national phone numbers use the account's default country); the answer names the normalized form. `status: none` when nothing was ever recorded.",
        response: {
          200: json("The state.", "State"),
          400: errorResponse(INVALID_IDENTIFIER),
          404: UNKNOWN_ACCOUNT,
        },
        params: ITEM_PARAMS,
      },
    },
    async (request) => {
      const { accountId, channel, identifier: raw } = request.params;
      const { scope, identifier } = await resolveTarget(deps, accountId, channel, raw);
      const erasedForm = erasedIdentifier(deps.erasureHashSecret, identifier);
      const [state, erased] = await Promise.all([
        typed(() => getState(deps.pool, scope, channel, identifier)),
        typed(() => getState(deps.pool, scope, channel, erasedForm)),
      ]);
      // The newer row decides, as in the check: an erasure keeps the person opted out under the
      // hash (without the source or reason, which were the person's); a START since then wins.
      if (erased && (!state || newerOrSuppressing(erased, state)))
        return { channel, identifier, status: erased.status, since: erased.since, erased: true };
      if (!state) return { channel, identifier, status: "none" };
      return {
        channel,
        identifier,
        status: state.status,
        since: state.since,
        source: state.source,
        reason: state.reason,
      };
    },
  );

  app.get<{ Params: ItemParams }>(
    "/v1/accounts/:accountId/optouts/:channel/:identifier/history",
    {
      config: READ_BY_PARAMS,
      schema: {
        operationId: "getHistory",
        tags: ["Opt-out lists"],
        summary: "Every event of one recipient, oldest first",
        description: "With source, reason and raw evidence (the SMS text, the user agent of a click, ...).",
        response: {
          200: json("The history.", "History"),
          400: errorResponse(INVALID_IDENTIFIER),
          404: UNKNOWN_ACCOUNT,
        },
        params: ITEM_PARAMS,
      },
    },
    async (request) => {
      const { accountId, channel, identifier: raw } = request.params;
      const { scope, identifier } = await resolveTarget(deps, accountId, channel, raw);
      const events = await typed(() => getHistory(deps.pool, scope, channel, identifier));
      return { channel, identifier, items: events };
    },
  );

  app.post<{
    Params: { accountId: string };
    Body: { channel: Channel; identifier: string; action: OptAction; reason?: string; topic?: string };
  }>(
    "/v1/accounts/:accountId/optouts",
    {
      config: { access: { kind: "account-write", channelFrom: "body" } },
      schema: {
        operationId: "recordOptout",
        tags: ["Opt-out lists"],
        summary: "Opt a recipient out (or back in) manually",
        description:
          "Recorded as source `api`. Send an `Idempotency-Key` header to make retries safe: the same key records one event (200 with `duplicate: true` the second time). With `topic` (one of the account's topics) it changes that topic only: an opt-in to a topic does not undo an opt-out of the whole channel.",
        response: {
          200: json("Already recorded under this Idempotency-Key.", "RecordedEvent"),
          201: json("Recorded.", "RecordedEvent"),
          400: errorResponse(INVALID_IDENTIFIER),
          404: errorResponse("UNKNOWN_ACCOUNT, or UNKNOWN_TOPIC for a topic the account does not define."),
          409: errorResponse(
            "ERASED_IDENTIFIER: an opt-in for a recipient whose data was erased at their request; only they can opt back in (START from their number).",
          ),
        },
        params: { type: "object", properties: { accountId: ACCOUNT_ID_PARAM }, required: ["accountId"] },
        headers: {
          type: "object",
          properties: {
            "idempotency-key": {
              type: "string",
              minLength: 1,
              maxLength: 200,
              description: "Retries with the same key record one event.",
            },
          },
        },
        body: {
          type: "object",
          additionalProperties: false,
          required: ["channel", "identifier", "action"],
          properties: {
            channel: CHANNEL_PARAM,
            identifier: { type: "string", minLength: 1, maxLength: 320 },
            action: { type: "string", enum: ["opt_out", "opt_in"] },
            reason: { type: "string", maxLength: 500 },
            topic: {
              type: "string",
              pattern: ID_PATTERN,
              description: "One of the account's topics: opt out of (or back into) that topic only.",
            },
          },
        },
      },
    },
    async (request, reply) => {
      const { channel, identifier: raw, action, reason, topic } = request.body;
      const { account, scope, identifier } = await resolveTarget(
        deps,
        request.params.accountId,
        channel,
        raw,
      );
      if (topic !== undefined && !findTopic(account.settings.topics, topic))
        throw new UnknownTopicError(account.id, topic);
      // The person asked for erasure: only they can opt back in, by START from their number (the
      // SMS worker records it; the check then finds the newer row of the number itself).
      if (
        action === "opt_in" &&
        (await typed(() =>
          isErased(
            deps.pool,
            scope,
            channel,
            identifier,
            erasedIdentifier(deps.erasureHashSecret, identifier),
          ),
        ))
      )
        throw new ErasedIdentifierError(
          "this recipient's data was erased at their request: they stay opted out, and only they can opt back in (an opt-in keyword such as START sent from their own number)",
        );
      // A retried request with the same Idempotency-Key records one event.
      const key = request.headers["idempotency-key"];
      const sourceId = typeof key === "string" ? `key:${key}` : `req:${randomUUID()}`;
      const [event] = await deps.recorder.record(
        [
          {
            scope,
            channel,
            identifier,
            action,
            source: "api",
            sourceId,
            accountId: account.id,
            occurredAt: new Date().toISOString(),
            ...(reason === undefined ? {} : { reason }),
            ...(topic === undefined ? {} : { topic }),
            // Who asked: the evidence of a manual change names its actor (the audit trail has the rest).
            evidence: { userAgent: request.headers["user-agent"] ?? null, recordedBy: actorOf(request) },
          },
        ],
        {
          // With the event, in its transaction; a retried request (same key) is not a new change.
          beforeCommit: async (client, [recorded]) => {
            if (!recorded || recorded.duplicate) return;
            await audit(client, request, {
              accountId: account.id,
              action: "optout.record",
              target: `${channel}:${identifier}`,
              details: {
                action,
                eventId: recorded.eventId,
                stateChanged: recorded.stateChanged,
                ...(topic === undefined ? {} : { topic }),
              },
            });
          },
        },
      );
      const e = event!;
      return reply.status(e.duplicate ? 200 : 201).send({
        eventId: e.eventId,
        channel,
        identifier,
        action,
        source: e.source,
        reason: e.reason ?? null,
        occurredAt: e.occurredAt,
        ...(e.topic === undefined ? {} : { topic: e.topic }),
        duplicate: e.duplicate,
      });
    },
  );
}
