/**
 * Admin-only dead-letter routes: list with filters, show one, replay (by sequence or filter).
 * The same library as `optout dlq` (@optout/bus dead-letters.ts / dead-letter-replay.ts).
 */
import type { FastifyInstance } from "fastify";
import { DependencyUnavailableError, InvalidPayloadError, NotFoundError } from "@optout/core";
import {
  getDeadLetter,
  listDeadLetters,
  replayDeadLetters,
  type DeadLetterBus,
  type DeadLetterFilter,
} from "@optout/bus";
import { CURSOR_PARAM, decodeCursor, encodeCursor, LIMIT_PARAM, parseLimit } from "../cursor.js";
import { errorResponse, json } from "../openapi/responses.js";

export const DEAD_LETTER_PAGE_LIMITS = { default: 100, max: 1000 } as const;
/** Dead letters one list request examines at most: a filter that matches little answers a short page with hasMore instead of reading the whole stream. */
export const DEAD_LETTERS_SCANNED_PER_PAGE = 10_000;
/** Dead letters one replay request handles at most (a filter replay): repeat the request for more. */
export const MAX_REPLAY_PER_REQUEST = 10_000;
export const MAX_REPLAY_SEQS = 1000;

const ADMIN = { access: { kind: "admin" } } as const;

const FILTER_PROPERTIES = {
  subject: {
    type: "string",
    minLength: 1,
    maxLength: 200,
    description: "Original subject, with or without the namespace (`inbound.sms`); NATS wildcards allowed.",
  },
  reason: {
    type: "string",
    minLength: 1,
    maxLength: 200,
    description: "The reason contains this text (case-insensitive), e.g. `UNKNOWN_ACCOUNT`.",
  },
  accountId: {
    type: "string",
    minLength: 1,
    maxLength: 128,
    description: "The body's `accountId` (link clicks carry none).",
  },
  since: { type: "string", format: "date-time", description: "Dead-lettered at or after." },
  until: { type: "string", format: "date-time", description: "Dead-lettered at or before." },
} as const;

type FilterInput = { subject?: string; reason?: string; accountId?: string; since?: string; until?: string };

function toFilter(input: FilterInput): DeadLetterFilter {
  const filter: DeadLetterFilter = {};
  if (input.subject !== undefined) filter.subject = input.subject;
  if (input.reason !== undefined) filter.reason = input.reason;
  if (input.accountId !== undefined) filter.accountId = input.accountId;
  if (input.since !== undefined) filter.since = new Date(input.since);
  if (input.until !== undefined) filter.until = new Date(input.until);
  return filter;
}

function busOf(deps: { bus?: DeadLetterBus | undefined }): DeadLetterBus {
  if (!deps.bus)
    throw new DependencyUnavailableError("nats", "this API process has no NATS connection for dead letters");
  return deps.bus;
}

export function deadLetterRoutes(app: FastifyInstance, deps: { bus?: DeadLetterBus | undefined }): void {
  app.get<{ Querystring: FilterInput & { after?: string; limit?: string } }>(
    "/v1/admin/dead-letters",
    {
      config: ADMIN,
      schema: {
        operationId: "listDeadLetters",
        tags: ["Dead letters"],
        summary: "List dead letters, oldest first",
        description:
          "With their original subject, account (the JSON body's `accountId`; link clicks have none), reason and the time they were dead-lettered. Filters combine with AND. One request examines at most 10,000 dead letters: a filter that matches little may answer a short (even empty) page with `hasMore: true`; go on with `after` = `next`.",
        response: {
          200: json("A page.", "DeadLetterPage"),
          404: errorResponse("NOT_FOUND: this installation has no dead-letter stream."),
        },
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            ...FILTER_PROPERTIES,
            after: { ...CURSOR_PARAM, description: "Cursor: the `next` of the previous page." },
            limit: {
              ...LIMIT_PARAM,
              description: `Page size, 1 to ${DEAD_LETTER_PAGE_LIMITS.max} (default ${DEAD_LETTER_PAGE_LIMITS.default}).`,
            },
          },
        },
      },
    },
    async (request) => {
      const { after, limit, ...filter } = request.query;
      const page = await listDeadLetters(busOf(deps), {
        ...toFilter(filter),
        after: after === undefined ? 0 : decodeCursor(after).seq,
        limit: parseLimit(limit, DEAD_LETTER_PAGE_LIMITS),
        maxScanned: DEAD_LETTERS_SCANNED_PER_PAGE,
      });
      return { items: page.items, next: encodeCursor({ seq: page.last }), hasMore: page.hasMore };
    },
  );

  app.get<{ Params: { seq: string } }>(
    "/v1/admin/dead-letters/:seq",
    {
      config: ADMIN,
      schema: {
        operationId: "getDeadLetter",
        tags: ["Dead letters"],
        summary: "One dead letter: headers, reason, body",
        response: {
          200: json("The dead letter.", "DeadLetterDetail"),
          404: errorResponse("NOT_FOUND: no dead letter with this sequence (replayed, deleted or expired)."),
        },
        params: {
          type: "object",
          required: ["seq"],
          properties: {
            seq: {
              type: "string",
              pattern: "^[1-9][0-9]{0,14}$",
              description: "Sequence in the dead-letter stream.",
            },
          },
        },
      },
    },
    async (request) => {
      const letter = await getDeadLetter(busOf(deps), Number(request.params.seq));
      if (!letter)
        throw new NotFoundError(
          `no dead letter with sequence ${request.params.seq} (replayed, deleted or expired)`,
        );
      return letter;
    },
  );

  app.post<{
    Body: { seqs?: number[]; filter?: FilterInput; limit?: number; dryRun?: boolean; keep?: boolean };
  }>(
    "/v1/admin/dead-letters/replay",
    {
      config: ADMIN,
      schema: {
        operationId: "replayDeadLetters",
        tags: ["Dead letters"],
        summary: "Replay dead letters to their original subject",
        description: [
          "Send `seqs` or `filter` (`{}`: every dead letter). Each dead letter's body is published to the subject it was first published to, with its original headers (without the `Optout-Dlq-*` ones) plus `Optout-Replay-Of: <seq>`, then deleted from the dead-letter stream once the publish is stored (unless `keep`). Fix the cause first: a message that fails again is dead-lettered again under a new sequence.",
          "",
          "Repeating a replay is harmless: the replay's `Nats-Msg-Id` is `replay:<dlq stream>:<seq>` (one message per dead letter within the duplicate window) and the workers record each source message id once. A filter replay handles at most `limit` (10,000) dead letters per request: repeat it until `matched` is 0.",
        ].join("\n"),
        response: { 200: json("What was done (`failed` dead letters stay).", "ReplayReport") },

        body: {
          type: "object",
          additionalProperties: false,
          properties: {
            seqs: {
              type: "array",
              minItems: 1,
              maxItems: MAX_REPLAY_SEQS,
              items: { type: "integer", minimum: 1 },
              description: "Dead-letter sequences to replay.",
            },
            filter: {
              type: "object",
              additionalProperties: false,
              properties: FILTER_PROPERTIES,
              description: "Replay every dead letter passing it (`{}`: all of them).",
            },
            limit: {
              type: "integer",
              minimum: 1,
              maximum: MAX_REPLAY_PER_REQUEST,
              description: `With \`filter\`: at most this many (default and maximum ${MAX_REPLAY_PER_REQUEST}).`,
            },
            dryRun: {
              type: "boolean",
              description: "Report what would be replayed; publish and delete nothing.",
            },
            keep: { type: "boolean", description: "Keep the dead letters after replaying them." },
          },
        },
      },
    },
    async (request) => {
      const { seqs, filter, limit, dryRun, keep } = request.body;
      if ((seqs === undefined) === (filter === undefined))
        throw new InvalidPayloadError('send either "seqs" or "filter"');
      if (seqs !== undefined && limit !== undefined)
        throw new InvalidPayloadError('"limit" goes with "filter"');
      const selection =
        seqs !== undefined ? { seqs } : { filter: toFilter(filter!), limit: limit ?? MAX_REPLAY_PER_REQUEST };
      return replayDeadLetters(busOf(deps), selection, { dryRun: dryRun ?? false, keep: keep ?? false });
    },
  );
}
