import type { FastifyInstance } from "fastify";
import { NotFoundError, UnknownAccountError } from "@optout/core";
import { CHANNEL_NAMES, type Channel } from "@optout/domain";
import {
  getAccount,
  inTransaction,
  insertApiToken,
  listApiTokens,
  revokeApiToken,
  typed,
  publicTokenView,
  type Pool,
} from "@optout/store";
import { generateApiToken, PERMISSIONS, principalOf, type Permission } from "../auth.js";
import { ACCOUNT_ID_PARAM } from "./schemas.js";
import { UNKNOWN_ACCOUNT, errorResponse, json, noBody } from "../openapi/responses.js";
import { audit } from "../audit.js";

const ADMIN = { access: { kind: "admin" } } as const;
const ACCOUNT_PARAMS = {
  type: "object",
  properties: { accountId: ACCOUNT_ID_PARAM },
  required: ["accountId"],
} as const;

/** Token management: admin only. A token never manages tokens, not even its own account's. */
export function tokenRoutes(app: FastifyInstance, deps: { pool: Pool }): void {
  app.post<{
    Params: { accountId: string };
    Body: { types: Channel[]; permissions: Permission[]; name?: string };
  }>(
    "/v1/accounts/:accountId/tokens",
    {
      config: ADMIN,
      schema: {
        operationId: "createToken",
        tags: ["Tokens"],
        summary: "Create a typed API token",
        description:
          "`types`: the channels the token may touch (`sms`, `email`). `permissions`: `read` (lists, states, history, events, statistics), `write` (manual opt-outs/opt-ins, imports, address book changes), `audit:read` (the audit trail and the webhook delivery log) and/or `erasure:write` (GDPR erasures); they are independent, so a write-only token cannot read and only `erasure:write` erases. The token (`oo_<id>_<secret>`) is in the response only: the server keeps a SHA-256 hash. Each request looks the token up by id, so a revoke takes effect at once.",
        response: {
          201: json("Created. Store `token` now: it cannot be shown again.", "TokenCreated"),
          404: UNKNOWN_ACCOUNT,
        },
        params: ACCOUNT_PARAMS,
        body: {
          type: "object",
          additionalProperties: false,
          required: ["types", "permissions"],
          properties: {
            types: {
              type: "array",
              minItems: 1,
              uniqueItems: true,
              items: { type: "string", enum: [...CHANNEL_NAMES] },
            },
            permissions: {
              type: "array",
              minItems: 1,
              uniqueItems: true,
              items: { type: "string", enum: [...PERMISSIONS] },
            },
            name: { type: "string", minLength: 1, maxLength: 100 },
          },
        },
      },
    },
    async (request, reply) => {
      const { accountId } = request.params;
      const account = await typed(() => getAccount(deps.pool, accountId));
      if (!account) throw new UnknownAccountError(accountId);
      const { id, token, hash } = generateApiToken();
      const info = await typed(() =>
        inTransaction(deps.pool, async (client) => {
          const created = await insertApiToken(client, {
            id,
            accountId,
            name: request.body.name ?? null,
            // Stored in registry order, so equal grants look equal in listings.
            types: CHANNEL_NAMES.filter((c) => request.body.types.includes(c)),
            permissions: PERMISSIONS.filter((p) => request.body.permissions.includes(p)),
            secretHash: hash,
          });
          // The token's public id and grants; the token itself is never kept.
          await audit(client, request, {
            accountId,
            action: "token.create",
            target: created.id,
            details: { name: created.name, types: created.types, permissions: created.permissions },
          });
          return created;
        }),
      );
      // The only time the token is shown: it is not stored, only its hash.
      return reply
        .status(201)
        .header("cache-control", "no-store")
        .send({ ...publicTokenView(info), token });
    },
  );

  app.get<{ Params: { accountId: string } }>(
    "/v1/accounts/:accountId/tokens",
    {
      config: ADMIN,
      schema: {
        operationId: "listTokens",
        tags: ["Tokens"],
        summary: "List an account's working tokens",
        description:
          "Without secrets, oldest first; revoked tokens are left out. Not paged (an account has few tokens).",
        response: { 200: json("The tokens.", "TokenList"), 404: UNKNOWN_ACCOUNT },
        params: ACCOUNT_PARAMS,
      },
    },
    async (request) => {
      const { accountId } = request.params;
      const account = await typed(() => getAccount(deps.pool, accountId));
      if (!account) throw new UnknownAccountError(accountId);
      return { items: (await typed(() => listApiTokens(deps.pool, accountId))).map(publicTokenView) };
    },
  );

  app.delete<{ Params: { accountId: string; tokenId: string } }>(
    "/v1/accounts/:accountId/tokens/:tokenId",
    {
      config: ADMIN,
      schema: {
        operationId: "revokeToken",
        tags: ["Tokens"],
        summary: "Revoke a token",
        description: "The token stops working on the next request, in every API process.",
        response: {
          204: noBody("Revoked."),
          404: errorResponse("NOT_FOUND: the account has no working token with this id."),
        },
        params: {
          type: "object",
          required: ["accountId", "tokenId"],
          properties: {
            accountId: ACCOUNT_ID_PARAM,
            tokenId: {
              type: "string",
              pattern: "^[0-9A-Za-z]{1,64}$",
              description: "The token's id (see the token list).",
            },
          },
        },
      },
    },
    async (request, reply) => {
      const { accountId, tokenId } = request.params;
      const revoked = await typed(() =>
        inTransaction(deps.pool, async (client) => {
          const done = await revokeApiToken(client, accountId, tokenId);
          if (done) await audit(client, request, { accountId, action: "token.revoke", target: tokenId });
          return done;
        }),
      );
      if (!revoked) throw new NotFoundError(`account "${accountId}" has no working token "${tokenId}"`);
      return reply.status(204).send();
    },
  );

  app.get(
    "/v1/me",
    {
      schema: {
        operationId: "whoAmI",
        tags: ["Tokens"],
        summary: "Who the token is",
        description:
          "The caller's kind, and for an account token its account, types and permissions. Any valid token may call it.",
        response: { 200: json("The principal.", "Me") },
      },
      config: { access: { kind: "authenticated" } },
    },
    async (request) => {
      const principal = principalOf(request);
      if (principal.kind === "admin")
        return { kind: "admin", types: [...CHANNEL_NAMES], permissions: [...PERMISSIONS] };
      return {
        kind: "account",
        accountId: principal.accountId,
        tokenId: principal.tokenId,
        types: principal.types,
        permissions: principal.permissions,
      };
    },
  );
}
