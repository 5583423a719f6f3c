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
import { CURSOR_PARAM, decodeCursor, encodeCursor, parseLimit } from "../cursor.js";
import { ACCOUNT_ID_PARAM, CHANNEL_PARAM, limitParam } from "./schemas.js";
import { UNKNOWN_ACCOUNT, json, media } from "../openapi/responses.js";

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
  properties: { accountId: ACCOUNT_ID_PARAM },
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
        operationId: "syncList",
        tags: ["Opt-out lists"],
        summary: "Sync the list of one channel, in order of last change",
        description: [
          "The list of the account's scope (its organization's list, or its own when `listScope` is `account`) for one channel, ordered by last change and paged by an opaque cursor.",
          "",
          "- **First sync** (no `after`): only identifiers that are opted out now. Identifiers that are opted in were never on your list, so they are left out.",
          "- **Next pages and later syncs**: pass the `next` of the previous page as `after`. You get every identifier whose state changed after that point, including those that opted back in (`status: opted_in`): remove them from your copy.",
          "- `next` is on every page; on the last page (`hasMore: false`) it points after the last item (or is the `after` you sent when nothing changed). Keep it and come back later to get only what changed since.",
          "- The cursor is stable under concurrent writes: a change that commits after you read a page is never before your cursor.",
          "- `Accept: application/x-ndjson` streams the whole remainder (from `after`, or the whole list) as one JSON object per line, in the same order and with the same first-sync rule as paging; `limit` is ignored. The cursor to sync from next time is in the `Optout-Next-Cursor` response header.",
        ].join("\n"),
        response: {
          200: media(
            "A page (JSON), or the whole remainder (NDJSON: one ListItem per line).",
            {
              "application/json": { $ref: "ListPage#" },
              "application/x-ndjson": { $ref: "ListItem#" },
            },
            {
              "Optout-Next-Cursor": {
                type: "string",
                description: "NDJSON only: pass as `after` next time.",
              },
            },
          ),
          404: UNKNOWN_ACCOUNT,
        },
        params: ACCOUNT_PARAMS,
        querystring: {
          type: "object",
          additionalProperties: false,
          required: ["channel"],
          properties: {
            channel: CHANNEL_PARAM,
            after: {
              ...CURSOR_PARAM,
              description:
                "Cursor: the `next` of the previous page; leave it out to start from the beginning (a first sync).",
            },
            limit: limitParam(SYNC_PAGE_LIMITS, " Ignored for NDJSON."),
          },
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
        operationId: "recentEvents",
        tags: ["Opt-out lists"],
        summary: "Recent opt-outs and opt-ins, newest first",
        description:
          "The events of the account's list scope (on an organization list: from every account of the organization), newest first, with source and reason; the Unsubscribes page shows these. Without `channel`, every channel the token may read. Page older with `before` = the previous page's `next`. For keeping a copy of the list, use the sync endpoint: this one is a log for people.",
        response: { 200: json("A page of events.", "EventPage"), 404: UNKNOWN_ACCOUNT },

        params: ACCOUNT_PARAMS,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            channel: CHANNEL_PARAM,
            action: {
              type: "string",
              enum: ["opt_out", "opt_in"],
              description: "Only `opt_out` or only `opt_in` events.",
            },
            before: {
              ...CURSOR_PARAM,
              description: "Cursor: the `next` of the previous page, for older events.",
            },
            limit: limitParam(EVENTS_PAGE_LIMITS),
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
