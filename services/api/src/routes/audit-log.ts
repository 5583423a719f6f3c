/**
 * GET /v1/accounts/{accountId}/audit: who did what to the account through the API (the admin
 * token or an API token's id), oldest first, in pages like the other list routes. For the
 * admin token and tokens with the `audit:read` permission.
 */
import type { FastifyInstance } from "fastify";
import { InvalidPayloadError, UnknownAccountError } from "@optout/core";
import { getAccount, listAuditEntries, typed, type Pool } from "@optout/store";
import { AUDIT_ACTIONS } from "../audit.js";
import { CURSOR_PARAM, decodeCursor, encodeCursor, LIMIT_PARAM, parseLimit } from "../cursor.js";
import { ACCOUNT_ID_PARAM } from "./schemas.js";
import { UNKNOWN_ACCOUNT, json } from "../openapi/responses.js";

export const AUDIT_PAGE_LIMITS = { default: 100, max: 1000 } as const;
export const AUDIT_READ = { access: { kind: "account-read", permission: "audit:read" } } as const;

/** `from`/`to` of the filters: RFC 3339 instants, `from` inclusive, `to` exclusive. */
export const TIME_RANGE_PARAMS = {
  from: { type: "string", format: "date-time", description: "At or after this instant (RFC 3339)." },
  to: { type: "string", format: "date-time", description: "Before this instant (RFC 3339)." },
} as const;

export function checkTimeRange(range: { from?: string | undefined; to?: string | undefined }): void {
  if (range.from !== undefined && range.to !== undefined && Date.parse(range.from) >= Date.parse(range.to))
    throw new InvalidPayloadError(`"from" (${range.from}) must be before "to" (${range.to})`);
}

/** 404 UNKNOWN_ACCOUNT for an account that does not exist (only the admin token gets this far). */
export async function requireAccount(pool: Pool, accountId: string): Promise<void> {
  if (!(await typed(() => getAccount(pool, accountId)))) throw new UnknownAccountError(accountId);
}

export function auditRoutes(app: FastifyInstance, deps: { pool: Pool }): void {
  app.get<{
    Params: { accountId: string };
    Querystring: {
      actor?: string;
      action?: string;
      from?: string;
      to?: string;
      after?: string;
      limit?: string;
    };
  }>(
    "/v1/accounts/:accountId/audit",
    {
      config: AUDIT_READ,
      schema: {
        operationId: "listAudit",
        tags: ["Compliance"],
        summary: "Who changed what through the API, oldest first",
        description:
          "Settings (PUT/PATCH of the account, with the names of the settings changed; write-only ones such as `webhook.secret` by name only), list scope changes, tokens created and revoked, manual opt-outs and opt-ins, imports (with their counts), webhook redeliveries and erasures (by the identifier's hash, never the identifier). The actor is `admin` or the id of the API token (never the token). Entries are written in the transaction of the change (an import's when it ends). Filter by `actor` (`admin` or a token id), `action` and time; page with `after` = the previous page's `next`.",
        response: {
          200: json("A page of entries.", "AuditPage"),
          404: UNKNOWN_ACCOUNT,
        },
        params: { type: "object", properties: { accountId: ACCOUNT_ID_PARAM }, required: ["accountId"] },
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            actor: {
              type: "string",
              pattern: "^(admin|[0-9A-Za-z]{1,64})$",
              description: "`admin`, or an API token's id.",
            },
            action: { type: "string", enum: [...AUDIT_ACTIONS] },
            ...TIME_RANGE_PARAMS,
            after: CURSOR_PARAM,
            limit: LIMIT_PARAM,
          },
        },
      },
    },
    async (request, reply) => {
      const { actor, action, from, to, after } = request.query;
      checkTimeRange({ from, to });
      const limit = parseLimit(request.query.limit, AUDIT_PAGE_LIMITS);
      const start = after === undefined ? 0 : decodeCursor(after).seq;
      await requireAccount(deps.pool, request.params.accountId);
      const rows = await typed(() =>
        listAuditEntries(deps.pool, {
          accountId: request.params.accountId,
          after: start,
          limit: limit + 1,
          ...(actor === undefined ? {} : { actor }),
          ...(action === undefined ? {} : { action }),
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
        }),
      );
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return reply.header("cache-control", "no-store").send({
        items: items.map(({ accountId: _account, ...entry }) => entry),
        // Present on every page, the last included: a client comes back later for what is new.
        next: encodeCursor({ seq: last ? last.id : start }),
        hasMore: rows.length > limit,
      });
    },
  );
}
