/**
 * POST /v1/accounts/{accountId}/erasures: GDPR erasure of one recipient of the account's list
 * (@optout/store eraseIdentifier), keeping them suppressed under a keyed hash of the identifier.
 */
import type { FastifyInstance } from "fastify";
import {
  DependencyUnavailableError,
  InvalidPayloadError,
  UnknownAccountError,
  type Logger,
} from "@optout/core";
import { erasedIdentifier, normalizeIdentifier } from "@optout/domain";
import type { FilterWriter } from "@optout/recorder";
import type { Channel } from "@optout/schemas";
import { eraseIdentifier, publicErasureView, typed, type AccountDirectory, type Pool } from "@optout/store";
import { principalOf } from "../auth.js";
import { CHANNEL_PARAM, ID_PARAM } from "./schemas.js";

interface Deps {
  pool: Pool;
  accounts: AccountDirectory;
  logger: Logger;
  erasureHashSecret: string;
  filter?: FilterWriter;
}

export function erasureRoutes(app: FastifyInstance, deps: Deps): void {
  app.post<{ Params: { accountId: string }; Body: { channel: Channel; identifier: string } }>(
    "/v1/accounts/:accountId/erasures",
    {
      config: { access: { kind: "account-erasure", channelFrom: "body" } },
      schema: {
        params: { type: "object", properties: { accountId: ID_PARAM }, required: ["accountId"] },
        body: {
          type: "object",
          additionalProperties: false,
          required: ["channel", "identifier"],
          properties: {
            channel: CHANNEL_PARAM,
            identifier: { type: "string", minLength: 1, maxLength: 320 },
          },
        },
      },
    },
    async (request, reply) => {
      const { accountId } = request.params;
      const { channel, identifier: raw } = request.body;
      const account = await deps.accounts.get(accountId);
      if (!account) throw new UnknownAccountError(accountId);
      const n = normalizeIdentifier(channel, raw, account.defaultCountry ?? undefined);
      if (!n.ok) throw new InvalidPayloadError(`"${raw}" is not a valid ${channel} identifier: ${n.reason}`);
      const principal = principalOf(request);
      const erased = erasedIdentifier(deps.erasureHashSecret, n.identifier);
      const erasure = await typed(() =>
        eraseIdentifier(deps.pool, {
          accountId,
          channel,
          identifier: n.identifier,
          erased,
          requestedBy: principal.kind === "admin" ? "admin" : `token:${principal.tokenId}`,
        }),
      );
      if (erasure === null) throw new UnknownAccountError(accountId);
      // The check probes the hash through the filter too: a recipient who was not opted out has
      // no bits there, so until the hash's bits are set the check could answer "certainly not".
      // A failure answers 503: the erasure is committed, and repeating it is safe.
      if (deps.filter) {
        const filter = deps.filter;
        await filter.add(erasure.scope, channel, [erasure.identifierHash]).catch((err: Error) => {
          throw new DependencyUnavailableError(
            "redis",
            `the erasure ${erasure.id} is recorded but the suppression filter could not be updated: send the request again`,
            { cause: err },
          );
        });
      }
      deps.logger.info(
        { erasureId: erasure.id, accountId, channel, events: erasure.eventsErased },
        "identifier erased",
      );
      return reply.status(200).send(publicErasureView(erasure));
    },
  );
}
