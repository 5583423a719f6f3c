/**
 * Bulk imports over HTTP: POST .../contacts/import and POST .../optouts/import. The request
 * body is streamed (never buffered) into @optout/address-book; with `Accept:
 * application/x-ndjson` the response streams `{"progress": {...}}` lines and then the summary.
 */
import { PassThrough } from "node:stream";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { ERROR_CODES, OptoutError, UnsupportedMediaTypeError, type Logger } from "@optout/core";
import {
  importContacts,
  importOptouts,
  type ImportFormat,
  type ImportInput,
  type ImportProgress,
  type Normalizer,
} from "@optout/address-book";
import { resolveScope } from "@optout/domain";
import type { Recorder } from "@optout/recorder";
import type { AccountDirectory, Pool } from "@optout/store";
import { channelsFor } from "../auth.js";
import { audit } from "../audit.js";
import { requireAccountOf } from "./account-of.js";
import { ACCOUNT_ID_PARAM } from "./schemas.js";
import { UNKNOWN_ACCOUNT, errorResponse, json } from "../openapi/responses.js";
import { ADDRESS_BOOK_TYPES, IMPORT_REPORT } from "../openapi/texts.js";

/** The largest import body accepted (a million contacts is ~50 MB of CSV). */
export const IMPORT_MAX_BYTES = 1024 * 1024 * 1024;
export const NDJSON_TYPE = "application/x-ndjson";
const CSV_TYPE = "text/csv";

/** Hand the raw body stream to the route: the importer reads it at its own pace. */
export function registerStreamingParsers(app: FastifyInstance): void {
  app.addContentTypeParser([CSV_TYPE, NDJSON_TYPE], (_request, payload, done) => done(null, payload));
}

function formatOf(request: FastifyRequest, allowed: readonly ImportFormat[]): ImportFormat {
  const type = (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  const format: ImportFormat | undefined =
    type === CSV_TYPE ? "csv" : type === NDJSON_TYPE ? "ndjson" : undefined;
  if (format === undefined || !allowed.includes(format)) {
    const types = allowed.map((f) => (f === "csv" ? CSV_TYPE : NDJSON_TYPE)).join(" or ");
    throw new UnsupportedMediaTypeError(`send the import as ${types} (got "${type || "no content-type"}")`);
  }
  return format;
}

export function wantsNdjson(request: FastifyRequest): boolean {
  return (request.headers.accept ?? "")
    .split(",")
    .some((part) => part.split(";")[0]!.trim().toLowerCase() === NDJSON_TYPE);
}

/**
 * Run an import and answer: one JSON summary, or (Accept: NDJSON) progress lines then the
 * summary. The stream starts at the first progress line, so a bad header still gets a plain
 * 4xx; a failure after that ends the stream with an `{"error": ...}` line.
 */
async function answer<S>(
  request: FastifyRequest,
  reply: FastifyReply,
  logger: Logger,
  done: (summary: ImportProgressTotals) => Promise<void>,
  runImport: (onProgress: ((p: ImportProgress) => void) | undefined) => Promise<S & ImportProgressTotals>,
): Promise<unknown> {
  const run = async (onProgress: ((p: ImportProgress) => void) | undefined) => {
    const summary = await runImport(onProgress);
    await done(summary);
    return summary;
  };
  if (!wantsNdjson(request)) return run(undefined);
  const out = new PassThrough();
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    void reply.status(200).type(NDJSON_TYPE).send(out);
  };
  let last: ImportProgress | undefined;
  const line = (value: unknown) => out.write(`${JSON.stringify(value)}\n`);
  try {
    const summary = await run((p) => {
      start();
      last = { ...p };
      line({ progress: last });
    });
    start();
    const rows = summary.imported + summary.failed + (summary.duplicates ?? 0);
    if (last?.rows !== rows) line({ progress: { rows, imported: summary.imported, failed: summary.failed } });
    out.end(`${JSON.stringify(summary)}\n`);
  } catch (err) {
    if (!started) throw err;
    const error =
      err instanceof OptoutError
        ? { code: err.code, message: err.message }
        : { code: ERROR_CODES.INTERNAL, message: "internal error" };
    if (!(err instanceof OptoutError) || err.retryable)
      logger.error({ err: (err as Error).message }, "import failed");
    out.end(`${JSON.stringify({ error })}\n`);
  }
  return reply;
}

interface ImportProgressTotals {
  imported: number;
  failed: number;
  duplicates?: number;
}

/**
 * The audit entry of an import, written when it ends: an import commits batch by batch, so
 * it is recorded with its counts once they are known, not with each batch.
 */
function audited(
  pool: Pool,
  request: FastifyRequest,
  accountId: string,
  action: "optout.import" | "contact.import",
) {
  return async (summary: ImportProgressTotals) => {
    await audit(pool, request, {
      accountId,
      action,
      details: {
        imported: summary.imported,
        failed: summary.failed,
        ...(summary.duplicates === undefined ? {} : { duplicates: summary.duplicates }),
      },
    });
  };
}

export function importRoutes(
  app: FastifyInstance,
  deps: {
    pool: Pool;
    accounts: AccountDirectory;
    recorder: Recorder;
    logger: Logger;
    normalizer: Normalizer;
  },
): void {
  const params = {
    type: "object",
    required: ["accountId"],
    properties: { accountId: ACCOUNT_ID_PARAM },
  } as const;
  const logger = deps.logger.child({ route: "import" });

  app.post<{ Params: { accountId: string } }>(
    "/v1/accounts/:accountId/contacts/import",
    {
      bodyLimit: IMPORT_MAX_BYTES,
      config: { access: { kind: "account-write" } },
      schema: {
        operationId: "importContacts",
        tags: ["Address book"],
        summary: "Import contacts (CSV or NDJSON)",
        description:
          '`text/csv` with a header row `id,phone,email,groups` (groups separated by `;`, other columns become `fields`), or `application/x-ndjson`. Streamed, normalized in worker threads; a row that does not normalize is reported, never silently dropped. With `Accept: application/x-ndjson` the answer streams `{"progress": {rows, imported, failed}}` lines, then the summary.\n\n' +
          IMPORT_REPORT +
          "\n\n" +
          ADDRESS_BOOK_TYPES +
          " A row with another type's identifier (a non-empty CSV cell; an NDJSON key, even `null`) is that row's error; the stored identifiers of the types the token lacks are kept.",
        consumes: ["text/csv", "application/x-ndjson"],
        response: {
          200: json("The summary.", "ImportSummary"),
          404: UNKNOWN_ACCOUNT,
          415: errorResponse("UNSUPPORTED_MEDIA_TYPE: send text/csv or application/x-ndjson."),
        },
        params,
      },
    },
    async (request, reply) => {
      const format = formatOf(request, ["csv", "ndjson"]);
      const account = await requireAccountOf(deps.accounts, request.params.accountId);
      return answer(
        request,
        reply,
        logger,
        audited(deps.pool, request, account.id, "contact.import"),
        (onProgress) =>
          importContacts({ pool: deps.pool, normalizer: deps.normalizer }, account.id, {
            input: request.body as ImportInput,
            format,
            defaultCountry: account.defaultCountry ?? undefined,
            maxBytes: IMPORT_MAX_BYTES,
            logger: logger.child({ accountId: account.id }),
            // A typed token imports its types' identifiers only: another's is a row error.
            channels: channelsFor(request),
            ...(onProgress ? { onProgress } : {}),
          }),
      );
    },
  );

  app.post<{ Params: { accountId: string } }>(
    "/v1/accounts/:accountId/optouts/import",
    // Rows may be of any channel, and a stream cannot be checked before rows are recorded.
    {
      bodyLimit: IMPORT_MAX_BYTES,
      config: { access: { kind: "account-write", allChannels: true } },
      schema: {
        operationId: "importOptouts",
        tags: ["Opt-out lists"],
        summary: "Import an existing suppression list (CSV or NDJSON)",
        description:
          "`text/csv` with header `channel,identifier,date,reason`, or NDJSON with the same fields. Each row is recorded as an `opt_out` event with source `import`; importing the same file again records nothing new (`duplicates`). Rows may be of any channel, so an account token needs every type. With `Accept: application/x-ndjson` the answer streams progress lines, then the summary.\n\n" +
          IMPORT_REPORT,
        consumes: ["text/csv", "application/x-ndjson"],
        response: {
          200: json("The summary.", "ImportSummary"),
          404: UNKNOWN_ACCOUNT,
          415: errorResponse("UNSUPPORTED_MEDIA_TYPE: send text/csv or application/x-ndjson."),
        },
        params,
      },
    },
    async (request, reply) => {
      const format = formatOf(request, ["csv", "ndjson"]);
      const account = await requireAccountOf(deps.accounts, request.params.accountId);
      return answer(
        request,
        reply,
        logger,
        audited(deps.pool, request, account.id, "optout.import"),
        (onProgress) =>
          importOptouts(
            { normalizer: deps.normalizer, record: (events) => deps.recorder.record(events) },
            { accountId: account.id, scope: resolveScope(account) },
            {
              input: request.body as ImportInput,
              format,
              defaultCountry: account.defaultCountry ?? undefined,
              maxBytes: IMPORT_MAX_BYTES,
              logger: logger.child({ accountId: account.id }),
              ...(onProgress ? { onProgress } : {}),
            },
          ),
      );
    },
  );
}
