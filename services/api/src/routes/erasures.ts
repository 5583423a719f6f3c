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
import { erasedIdentifier, normalizeIdentifier, resolveScope } from "@optout/domain";
import { eraseKeepingSuppressed, type FilterWriter } from "@optout/recorder";
import type { Channel } from "@optout/schemas";
import { publicErasureView, typed, type AccountDirectory, type Pool } from "@optout/store";
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
      const filter = deps.filter;
      if (!filter) throw new DependencyUnavailableError("redis", "this API has no suppression filter");
      const erasure = await typed(() =>
        eraseKeepingSuppressed(
          { pool: deps.pool, filter },
          {
            accountId,
            scope: resolveScope(account),
            channel,
            identifier: n.identifier,
            erased: erasedIdentifier(deps.erasureHashSecret, n.identifier),
            requestedBy: principal.kind === "admin" ? "admin" : `token:${principal.tokenId}`,
          },
        ),
      );
      if (erasure === null) throw new UnknownAccountError(accountId);
      deps.logger.info(
        { erasureId: erasure.id, accountId, channel, events: erasure.eventsErased },
        "identifier erased",
      );
      return reply.status(200).send(publicErasureView(erasure));
    },
  );
}
