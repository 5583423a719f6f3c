/**
 * GET /v1/accounts/{accountId}/groups/{groupId}/contacts: the members of a group for a
 * campaign, without those opted out of the channel (a bypass group comes back whole) and, with
 * `topic`, without those opted out of that topic. Pages of `{items, next, hasMore}` by a keyset cursor on the contact id, or with `Accept:
 * application/x-ndjson` the whole list, streamed with backpressure.
 */
import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import {
  InvalidPayloadError,
  NotFoundError,
  OptoutError,
  UnknownTopicError,
  ERROR_CODES,
  type Logger,
} from "@optout/core";
import { erasedIdentifier, findTopic, resolveScope, type Channel } from "@optout/domain";
import { ID_PATTERN } from "@optout/schemas";
import {
  getGroup,
  listGroupContacts,
  streamGroupContactLines,
  typed,
  type AccountDirectory,
  type GroupListQuery,
  type Pool,
} from "@optout/store";
import { channelsFor } from "../auth.js";
import { decodeIdCursor, encodeIdCursor, ID_CURSOR_PARAM } from "../cursor.js";
import { requireAccountOf } from "./account-of.js";
import { NDJSON_TYPE, wantsNdjson } from "./imports.js";
import { ACCOUNT_ID_PARAM, CHANNEL_PARAM, GROUP_ID_PARAM, limitParam } from "./schemas.js";
import { errorResponse, media } from "../openapi/responses.js";
import { ADDRESS_BOOK_TYPES } from "../openapi/texts.js";

export const GROUP_LIST_LIMITS = { default: 1000, max: 10_000 } as const;
/** Members per database round trip of the NDJSON stream. */
export const GROUP_STREAM_PAGE = 20_000;

interface Query {
  channel?: Channel;
  excludeOptedOut?: "true" | "false";
  topic?: string;
  after?: string;
  limit?: string;
}

export function groupContactRoutes(
  app: FastifyInstance,
  deps: { pool: Pool; accounts: AccountDirectory; logger: Logger; erasureHashSecret: string },
): void {
  app.get<{ Params: { accountId: string; groupId: string }; Querystring: Query }>(
    "/v1/accounts/:accountId/groups/:groupId/contacts",
    {
      config: { access: { kind: "account-read", channelFrom: "query" } },
      schema: {
        operationId: "listGroupContacts",
        tags: ["Address book"],
        summary: "A group's members for a campaign, without those opted out",
        description:
          "With `channel`, members without an identifier for it are left out and, unless `excludeOptedOut=false`, so are those opted out on the account's list, except those the bypass rule lets through: a contact of the account with that identifier in any `bypassOptOut` group (the rule `optout.check` answers `bypass_group` by; a bypass group comes back whole). Paged by contact id (`after` = the previous `next`), or with `Accept: application/x-ndjson` the whole list streamed. " +
          ADDRESS_BOOK_TYPES +
          " That holds with or without `channel`, in JSON and NDJSON: an `sms` token gets `{id, phone}` items.",
        response: {
          200: media("A page (JSON) or every member (NDJSON, one `{id, phone, email}` per line).", {
            "application/json": { $ref: "GroupContactPage#" },
            "application/x-ndjson": { type: "object", description: "One member per line." },
          }),
          404: errorResponse("NOT_FOUND (group), UNKNOWN_ACCOUNT or UNKNOWN_TOPIC."),
        },
        params: {
          type: "object",
          required: ["accountId", "groupId"],
          properties: { accountId: ACCOUNT_ID_PARAM, groupId: GROUP_ID_PARAM },
        },
        // Strings: the API's ajv does not coerce query values.
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            channel: CHANNEL_PARAM,
            excludeOptedOut: {
              type: "string",
              enum: ["true", "false"],
              description:
                "`true` (the default when `channel` is given): leave out members opted out of the channel. Needs `channel`.",
            },
            topic: {
              type: "string",
              pattern: ID_PATTERN,
              description:
                "One of the account's topics: also leave out members opted out of it (those opted out of the whole channel are left out whatever the topic). Needs the filter on.",
            },
            after: {
              ...ID_CURSOR_PARAM,
              description:
                "Cursor: the `next` of the previous page; leave it out to start from the first member.",
            },
            limit: limitParam(GROUP_LIST_LIMITS, " Ignored for NDJSON."),
          },
        },
      },
    },
    async (request, reply) => {
      const { accountId, groupId } = request.params;
      const { channel } = request.query;
      // Filtering needs a channel; without one it is off unless asked for (then: 400).
      const exclude =
        request.query.excludeOptedOut === undefined
          ? channel !== undefined
          : request.query.excludeOptedOut === "true";
      if (exclude && channel === undefined) {
        throw new InvalidPayloadError(
          "excludeOptedOut=true needs a channel: add channel=sms or channel=email",
        );
      }
      const { topic } = request.query;
      if (topic !== undefined && !exclude)
        throw new InvalidPayloadError("topic filters opt-outs: add channel (and leave excludeOptedOut on)");
      const account = await requireAccountOf(deps.accounts, accountId);
      if (topic !== undefined && !findTopic(account.settings.topics, topic))
        throw new UnknownTopicError(accountId, topic);
      const group = await typed(() => getGroup(deps.pool, accountId, groupId));
      if (!group) throw new NotFoundError(`group "${groupId}" does not exist in account "${accountId}"`);
      const query: GroupListQuery = {
        accountId,
        groupId,
        after: decodeIdCursor(request.query.after ?? ""),
        ...(channel === undefined ? {} : { channel }),
        // A typed token sees its types' identifiers only (with `channel` too: an sms token
        // asking for channel=sms gets no email addresses).
        identifiers: channelsFor(request),
        // A bypass group is sent to whatever its members' opt-out state.
        ...(exclude && !group.bypassOptOut
          ? {
              exclude: {
                scope: resolveScope(account),
                erasedForm: (identifier: string) => erasedIdentifier(deps.erasureHashSecret, identifier),
                ...(topic === undefined ? {} : { topic }),
              },
            }
          : {}),
      };

      if (wantsNdjson(request)) {
        const logger = deps.logger;
        const lines = async function* () {
          try {
            for await (const page of streamGroupContactLines(deps.pool, query, GROUP_STREAM_PAGE))
              yield `${page.lines}\n`;
          } catch (err) {
            // The status line is long gone: end the stream with the error as its last line.
            const error =
              err instanceof OptoutError
                ? { code: err.code, message: err.message }
                : {
                    code: ERROR_CODES.DEPENDENCY_UNAVAILABLE,
                    message: "the list could not be read to the end",
                  };
            logger.error({ err: (err as Error).message, groupId }, "group list stream failed");
            yield `${JSON.stringify({ error })}\n`;
          }
        };
        // Byte mode with a small buffer: the next page is read only when the client has taken this one.
        return reply
          .type(NDJSON_TYPE)
          .send(Readable.from(lines(), { objectMode: false, highWaterMark: 64 * 1024 }));
      }

      const limit =
        request.query.limit === undefined ? GROUP_LIST_LIMITS.default : Number(request.query.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > GROUP_LIST_LIMITS.max) {
        throw new InvalidPayloadError(`"limit" must be an integer from 1 to ${GROUP_LIST_LIMITS.max}`);
      }
      const rows = await typed(() => listGroupContacts(deps.pool, query, limit + 1));
      const hasMore = rows.length > limit;
      const items = hasMore ? rows.slice(0, limit) : rows;
      const last = items.length > 0 ? items[items.length - 1]!.id : query.after;
      return { items, next: encodeIdCursor(last), hasMore };
    },
  );
}
