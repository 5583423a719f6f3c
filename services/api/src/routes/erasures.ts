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
import { ACCOUNT_ID_PARAM, CHANNEL_PARAM, IDENTIFIER_PARAM } from "./schemas.js";
import { UNKNOWN_ACCOUNT, errorResponse, json } from "../openapi/responses.js";
import { INVALID_IDENTIFIER } from "../openapi/texts.js";
import { audit } from "../audit.js";

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
      config: { access: { kind: "account-write", permission: "erasure:write", channelFrom: "body" } },
      schema: {
        operationId: "eraseIdentifier",
        tags: ["Erasure"],
        summary: "Erase one recipient's data (GDPR) and keep them suppressed",
        description: [
          "For an erasure request of the person behind `identifier` (normalized like everywhere else). In one transaction, on the account's list (an organization list: every account of the organization that uses it):",
          "",
          "- **history**: each event of the identifier keeps its action, source and times (statistics still count it), but its identifier becomes the keyed hash `identifierHash` (HMAC-SHA256 with `ERASURE_HASH_SECRET`), its reason is removed and its evidence keeps only the link `token` and `campaignId` (SMS texts, user agents, IP prefixes go);",
          "- **state**: the identifier's row is replaced by the hash's, **opted out** (since the original opt-out, else since now: an erasure request is an objection too), so `optout.check`, list sync/export (which show the hash) and filtered group lists keep suppressing the person;",
          "- **address book**: every contact with the identifier is deleted with its group memberships;",
          "- links and webhook jobs carry the hash instead; confirmation-SMS records are deleted.",
          "",
          "The erasure is recorded (id, hash, counts, who asked), never the identifier. Afterwards only the person can opt back in, by sending an opt-in keyword (START) from their number (hashed to match); an opt-in through the API answers 409 `ERASED_IDENTIFIER`. Repeating an erasure is safe. Needs the `erasure:write` permission (not implied by `write`).",
        ].join("\n"),
        response: {
          200: json("Erased.", "Erasure"),
          400: errorResponse(INVALID_IDENTIFIER),
          404: UNKNOWN_ACCOUNT,
          503: errorResponse(
            "DEPENDENCY_UNAVAILABLE: the suppression filter (Redis) or Postgres could not be written; nothing was erased, send the request again.",
          ),
        },
        params: { type: "object", properties: { accountId: ACCOUNT_ID_PARAM }, required: ["accountId"] },
        body: {
          type: "object",
          additionalProperties: false,
          required: ["channel", "identifier"],
          properties: {
            channel: CHANNEL_PARAM,
            identifier: IDENTIFIER_PARAM,
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
          {
            // In the erasure's transaction, and like the erasure itself never with the identifier.
            beforeCommit: (client, done) =>
              audit(client, request, {
                accountId,
                action: "erasure.request",
                target: done.identifierHash,
                details: { erasureId: done.id, channel, eventsErased: done.eventsErased },
              }),
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
