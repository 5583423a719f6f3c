/**
 * Compliance evidence (issue 12, item 3):
 * - GET /v1/accounts/{accountId}/evidence?channel=&from=&to= — every opt-out and opt-in of the
 *   account's list in a time range, with how it came and the evidence kept, as CSV or NDJSON,
 *   streamed from one snapshot (@optout/store streamEvidence, the list export's cursor);
 * - GET /v1/accounts/{accountId}/optouts/{channel}/{identifier}/evidence — one recipient's
 *   evidence as JSON or a printable HTML page: when and how they opted out, and from when the
 *   list suppressed them.
 * Evidence is what the history route already shows a reader: the `read` permission and the
 * channel's type, like the rest of the list.
 */
import { Readable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { ERROR_CODES, NotAcceptableError, UnknownAccountError, type Logger } from "@optout/core";
import { resolveScope, type Channel } from "@optout/domain";
import {
  EVIDENCE_CSV_HEADER,
  evidenceCsvLine,
  evidenceNdjsonLine,
  getIdentifierEvidence,
  getState,
  streamEvidence,
  typed,
  type AccountDirectory,
  type Pool,
} from "@optout/store";
import { renderEvidencePage, type IdentifierEvidence } from "../evidence-page.js";
import { negotiate } from "../media.js";
import { checkTimeRange, TIME_RANGE_PARAMS } from "./audit-log.js";
import { ITEM_PARAMS, READ_BY_PARAMS, resolveTarget, type ItemParams } from "./optouts.js";
import { ACCOUNT_ID_PARAM, CHANNEL_PARAM } from "./schemas.js";
import type { Recorder } from "@optout/recorder";
import { UNKNOWN_ACCOUNT, errorResponse, media } from "../openapi/responses.js";
import { INVALID_IDENTIFIER } from "../openapi/texts.js";

export const CSV = "text/csv";
export const NDJSON = "application/x-ndjson";
const JSON_TYPE = "application/json";
const HTML = "text/html";
/** The printable page embeds its stylesheet and runs no script. */
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

interface Deps {
  pool: Pool;
  accounts: AccountDirectory;
  recorder: Recorder;
  logger: Logger;
}

export function evidenceRoutes(app: FastifyInstance, deps: Deps): void {
  app.get<{ Params: { accountId: string }; Querystring: { channel: Channel; from?: string; to?: string } }>(
    "/v1/accounts/:accountId/evidence",
    {
      config: { access: { kind: "account-read", channelFrom: "query" } },
      schema: {
        operationId: "exportEvidence",
        tags: ["Compliance"],
        summary: "Every opt-out and opt-in of a channel in a time range, with its evidence (CSV or NDJSON)",
        description: [
          "The events of the account's list (on an organization list: from every account of it, named in `accountId`) with `occurredAt` in [`from`, `to`), oldest first: when, how (`source`, the keyword or `reason`, the source's message id) and the raw `evidence` kept. Repeats (`stateChanged: false`) are included: they are evidence too.",
          "",
          '`Accept: text/csv` (header line, then one row per event; `evidence` is a JSON object in one field) or `Accept: application/x-ndjson` (one EvidenceRecord per line). Streamed from one database snapshot, whatever the size; a failure after the first line ends the stream with an error line (`# error ...` in CSV, `{"error": ...}` in NDJSON). Any other Accept: 406 NOT_ACCEPTABLE.',
        ].join("\n"),
        response: {
          200: media("The export.", {
            "text/csv": { type: "string", description: "RFC 4180 CSV with a header line." },
            "application/x-ndjson": { $ref: "EvidenceRecord#", description: "One EvidenceRecord per line." },
          }),
          404: UNKNOWN_ACCOUNT,
          406: errorResponse("NOT_ACCEPTABLE: ask for text/csv or application/x-ndjson."),
        },
        params: { type: "object", properties: { accountId: ACCOUNT_ID_PARAM }, required: ["accountId"] },
        querystring: {
          type: "object",
          additionalProperties: false,
          required: ["channel"],
          properties: { channel: CHANNEL_PARAM, ...TIME_RANGE_PARAMS },
        },
      },
    },
    async (request, reply) => {
      const { channel, from, to } = request.query;
      checkTimeRange({ from, to });
      const type = negotiate(request, [CSV, NDJSON]);
      if (type === undefined)
        throw new NotAcceptableError(
          `the evidence export is ${CSV} or ${NDJSON}: send one of them in Accept`,
        );
      const { accountId } = request.params;
      const account = await deps.accounts.get(accountId);
      if (!account) throw new UnknownAccountError(accountId);
      const query = {
        scope: resolveScope(account),
        channel,
        ...(from === undefined ? {} : { from }),
        ...(to === undefined ? {} : { to }),
      };
      const logger = deps.logger;
      const csv = type === CSV;
      async function* lines(): AsyncGenerator<string> {
        if (csv) yield EVIDENCE_CSV_HEADER;
        try {
          for await (const chunk of streamEvidence(deps.pool, query)) {
            yield chunk.map(csv ? evidenceCsvLine : evidenceNdjsonLine).join("");
          }
        } catch (err) {
          // The status line is long gone: the last line says the export is incomplete.
          logger.error({ err: (err as Error).message, accountId }, "evidence export failed");
          const error = {
            code: ERROR_CODES.DEPENDENCY_UNAVAILABLE,
            message: "the evidence could not be read to the end: export the range again",
          };
          yield csv ? `# error ${error.code}: ${error.message}\n` : `${JSON.stringify({ error })}\n`;
        }
      }
      return (
        reply
          .type(`${type}; charset=utf-8`)
          .header("cache-control", "no-store")
          .header(
            "content-disposition",
            `attachment; filename="evidence-${accountId.replace(/[^A-Za-z0-9._-]/g, "_")}-${channel}.${csv ? "csv" : "ndjson"}"`,
          )
          // objectMode false: buffered by bytes, so about one chunk waits for a slow client.
          .send(Readable.from(lines(), { objectMode: false }))
      );
    },
  );

  app.get<{ Params: ItemParams }>(
    "/v1/accounts/:accountId/optouts/:channel/:identifier/evidence",
    {
      config: READ_BY_PARAMS,
      schema: {
        operationId: "getEvidence",
        tags: ["Compliance"],
        summary: "One recipient's evidence: when and how they opted out, and from when they were suppressed",
        description:
          'Every event of the recipient on the account\'s list with its evidence, the current state, and `suppressedFrom` (the recording time of the opt-out behind the current state: every check from then on answered "suppressed"). `Accept: text/html` answers a printable page of the same; otherwise JSON.',
        response: {
          200: media("The evidence.", {
            "application/json": { $ref: "IdentifierEvidence#" },
            "text/html": { type: "string", description: "A printable page." },
          }),
          400: errorResponse(INVALID_IDENTIFIER),
          404: UNKNOWN_ACCOUNT,
          406: errorResponse("NOT_ACCEPTABLE: ask for application/json or text/html."),
        },
        params: ITEM_PARAMS,
      },
    },
    async (request, reply) => {
      const type = negotiate(request, [JSON_TYPE, HTML]);
      if (type === undefined)
        throw new NotAcceptableError(
          `one recipient's evidence is ${JSON_TYPE} or ${HTML}: send one of them in Accept`,
        );
      const { accountId, channel, identifier: raw } = request.params;
      const { scope, identifier } = await resolveTarget(deps, accountId, channel, raw);
      const [state, events] = await typed(() =>
        Promise.all([
          getState(deps.pool, scope, channel, identifier),
          getIdentifierEvidence(deps.pool, { scope, channel, identifier }),
        ]),
      );
      const deciding = state ? events.find((e) => e.eventId === state.lastEventId) : undefined;
      const doc: IdentifierEvidence = {
        accountId,
        scope,
        channel,
        identifier,
        status: state?.status ?? "none",
        since: state?.since ?? null,
        suppressedFrom: state?.status === "opted_out" ? (deciding?.recordedAt ?? state.since) : null,
        decidingEventId: state?.lastEventId ?? null,
        generatedAt: new Date().toISOString(),
        events,
      };
      reply.header("cache-control", "no-store").header("vary", "accept");
      if (type === HTML)
        return reply
          .type("text/html; charset=utf-8")
          .header("content-security-policy", PAGE_CSP)
          .send(renderEvidencePage(doc));
      return reply.send(doc);
    },
  );
}
