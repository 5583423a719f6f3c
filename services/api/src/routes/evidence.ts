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
import { CHANNEL_PARAM, ID_PARAM } from "./schemas.js";
import type { Recorder } from "@optout/recorder";

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
        params: { type: "object", properties: { accountId: ID_PARAM }, required: ["accountId"] },
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
    { config: READ_BY_PARAMS, schema: { params: ITEM_PARAMS } },
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
