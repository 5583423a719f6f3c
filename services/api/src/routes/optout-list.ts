/**
 * GET /v1/accounts/{accountId}/optouts: an account's list in order of last change, for
 * incremental sync, and GET .../events: the newest events of the list (the Unsubscribes page).
 */
import { Readable } from "node:stream";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { ERROR_CODES, UnknownAccountError, type Logger } from "@optout/core";
import { resolveScope, type Channel } from "@optout/domain";
import {
  listRecentEvents,
  readListChanges,
  streamListChanges,
  typed,
  type AccountDirectory,
  type ListChange,
  type Pool,
} from "@optout/store";
import { channelsFor } from "../auth.js";
import { CURSOR_PARAM, decodeCursor, encodeCursor, LIMIT_PARAM, parseLimit } from "../cursor.js";
import { CHANNEL_PARAM, ID_PARAM } from "./schemas.js";

export const SYNC_PAGE_LIMITS = { default: 1000, max: 5000 } as const;
export const EVENTS_PAGE_LIMITS = { default: 50, max: 500 } as const;
export const NDJSON = "application/x-ndjson";
/** Response header of an NDJSON export: the cursor to sync from next time. */
export const NEXT_CURSOR_HEADER = "optout-next-cursor";

interface Deps {
  pool: Pool;
  accounts: AccountDirectory;
  logger: Logger;
}

const ACCOUNT_PARAMS = {
  type: "object",
  properties: { accountId: ID_PARAM },
  required: ["accountId"],
} as const;

function wantsNdjson(request: FastifyRequest): boolean {
  const accept = request.headers.accept ?? "";
  return accept.split(",").some((part) => {
    const [type, ...params] = part.trim().toLowerCase().split(";");
    return type?.trim() === NDJSON && !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p));
  });
}

function toItem(channel: Channel, row: ListChange) {
  return { channel, identifier: row.identifier, status: row.status, since: row.since };
}

async function scopeOf(deps: Deps, accountId: string): Promise<string> {
  const account = await deps.accounts.get(accountId);
  if (!account) throw new UnknownAccountError(accountId);
  return resolveScope(account);
}

export function optoutListRoutes(app: FastifyInstance, deps: Deps): void {
  app.get<{
    Params: { accountId: string };
    Querystring: { channel: Channel; after?: string; limit?: string };
  }>(
    "/v1/accounts/:accountId/optouts",
    {
      config: { access: { kind: "account-read", channelFrom: "query" } },
      schema: {
        params: ACCOUNT_PARAMS,
        querystring: {
          type: "object",
          additionalProperties: false,
          required: ["channel"],
          properties: { channel: CHANNEL_PARAM, after: CURSOR_PARAM, limit: LIMIT_PARAM },
        },
      },
    },
    async (request, reply) => {
      const { channel, after } = request.query;
      const limit = parseLimit(request.query.limit, SYNC_PAGE_LIMITS);
      const scope = await scopeOf(deps, request.params.accountId);
      const position = after === undefined ? undefined : decodeCursor(after);
      const start = position?.seq ?? 0;

      if (wantsNdjson(request)) {
        // Everything up to the list's current horizon, in keyset pages; the client continues
        // from the horizon next time (changes made while it streams come then).
        const { horizon } = await typed(() =>
          readListChanges(deps.pool, { scope, channel, after: start, limit: 0 }, { withHorizon: true }),
        );
        const upTo = horizon ?? 0;
        const excludeOptedInUpTo = position === undefined ? upTo : (position.boundary ?? null);
        const logger = deps.logger;
        async function* lines(): AsyncGenerator<string> {
          try {
            for await (const page of streamListChanges(deps.pool, {
              scope,
              channel,
              after: start,
              upTo,
              excludeOptedInUpTo,
            })) {
              yield `${page.map((row) => JSON.stringify(toItem(channel, row))).join("\n")}\n`;
            }
          } catch (err) {
            // The status line is long gone: the last line says the export is incomplete.
            logger.error(
              { err: (err as Error).message, accountId: request.params.accountId },
              "list export failed",
            );
            yield `${JSON.stringify({ error: { code: ERROR_CODES.DEPENDENCY_UNAVAILABLE, message: "the list could not be read to the end: retry from the same cursor" } })}\n`;
          }
        }
        return (
          reply
            .type(`${NDJSON}; charset=utf-8`)
            .header("cache-control", "no-store")
            .header(NEXT_CURSOR_HEADER, encodeCursor({ seq: Math.max(start, upTo) }))
            // objectMode false: the stream buffers by bytes, so at most about one page waits for a slow client.
            .send(Readable.from(lines(), { objectMode: false }))
        );
      }

      const { rows, horizon } = await typed(() =>
        readListChanges(deps.pool, {
          scope,
          channel,
          after: start,
          // A first sync (no cursor) leaves out what is opted in: the client never had it.
          excludeOptedInUpTo: position === undefined ? "horizon" : (position.boundary ?? null),
          limit: limit + 1,
        }),
      );
      const items = rows.slice(0, limit);
      const boundary = position === undefined ? (horizon ?? undefined) : position.boundary;
      const last = items.length > 0 ? items[items.length - 1]!.changeSeq : start;
      return reply.header("cache-control", "no-store").send({
        items: items.map((row) => toItem(channel, row)),
        next: encodeCursor(boundary === undefined ? { seq: last } : { seq: last, boundary }),
        hasMore: rows.length > limit,
      });
    },
  );

  app.get<{
    Params: { accountId: string };
    Querystring: { channel?: Channel; action?: "opt_out" | "opt_in"; before?: string; limit?: string };
  }>(
    "/v1/accounts/:accountId/events",
    {
      config: { access: { kind: "account-read", channelFrom: "query" } },
      schema: {
        params: ACCOUNT_PARAMS,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            channel: CHANNEL_PARAM,
            action: { type: "string", enum: ["opt_out", "opt_in"] },
            before: CURSOR_PARAM,
            limit: LIMIT_PARAM,
          },
        },
      },
    },
    async (request, reply) => {
      const { channel, action, before } = request.query;
      const limit = parseLimit(request.query.limit, EVENTS_PAGE_LIMITS);
      // Without a channel: every channel this token may read.
      const channels = channelsFor(request, channel);
      const scope = await scopeOf(deps, request.params.accountId);
      const position = before === undefined ? undefined : decodeCursor(before, "before");
      const rows = await typed(() =>
        listRecentEvents(deps.pool, {
          scope,
          channels,
          limit: limit + 1,
          ...(action ? { action } : {}),
          ...(position ? { before: position.seq } : {}),
        }),
      );
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return reply.header("cache-control", "no-store").send({
        items: items.map(({ seq: _seq, ...event }) => event),
        next: last ? encodeCursor({ seq: last.seq }) : (before ?? null),
        hasMore: rows.length > limit,
      });
    },
  );
}
