/**
 * Bulk imports shared by the API and the CLI: stream in, parse on the event loop, normalize on
 * the piscina pool, write in batches.
 *
 * The model is a precise report, never all-or-nothing: every bad row is reported (line, value,
 * reason) and every good row is committed, whether the row was refused by the checks here or,
 * failing those, by Postgres itself (the batch is split down to the row at fault, see
 * writeIsolating). Batches commit on their own, in file order; an import that cannot go on (a
 * malformed file, Postgres down) stops with an ImportInterruptedError naming the last line
 * processed. Posting the same file again is idempotent (contacts are upserts, opt-out events
 * have a source id derived from the row), so "fix and post again" is always the way on.
 */
import { OptoutError, type Logger } from "@optout/core";
import type { Channel } from "@optout/domain";
import type { NewEvent, Pool, RecordedEvent } from "@optout/store";
import { upsertContactBatch, typed } from "@optout/store";
import type { Normalizer } from "./normalizer.js";
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_MAX_ERRORS,
  DEFAULT_PROGRESS_EVERY_ROWS,
  ErrorReport,
  ImportInterruptedError,
  progressTicker,
  runBatches,
  writeIsolating,
  type ImportProgress,
} from "./pipeline.js";
import { readRows, type Columns, type ImportFormat, type ImportInput } from "./readers.js";
import type { NormalizedOptout, RawContactRow, RawOptoutRow, RowError } from "./rows.js";

export interface ImportOptions {
  input: ImportInput;
  format: ImportFormat;
  /** For national phone numbers. */
  defaultCountry: string | undefined;
  batchSize?: number;
  /** Errors listed in the summary; the rest are only counted. */
  maxErrors?: number;
  progressEveryRows?: number;
  onProgress?(progress: ImportProgress): void;
  /** Refuse inputs larger than this many bytes. */
  maxBytes?: number;
  logger?: Logger;
  /**
   * Contacts: the channels whose identifiers the caller may write (a typed token's types; all
   * when undefined). A row with another channel's identifier is that row's error, and the
   * stored identifiers of other channels are kept.
   */
  channels?: readonly Channel[];
}

export interface ContactImportSummary {
  imported: number;
  failed: number;
  errors: RowError[];
  /** Errors beyond `maxErrors`, counted in `failed` but not listed. */
  errorsOmitted: number;
}

export interface OptoutImportSummary extends ContactImportSummary {
  /** Rows already recorded by an earlier import (same channel, identifier and date). */
  duplicates: number;
}

export const CONTACT_COLUMNS: Columns = {
  known: ["id", "phone", "email", "groups"],
  required: ["id"],
  oneOf: ["phone", "email"],
  extra: "fields",
  ndjsonKnown: ["fields"],
};

export const OPTOUT_COLUMNS: Columns = {
  known: ["channel", "identifier", "date", "reason"],
  required: ["channel", "identifier"],
  extra: "refuse",
};

function progressReporter(options: ImportOptions, kind: string): (p: ImportProgress) => void {
  return progressTicker(options.progressEveryRows ?? DEFAULT_PROGRESS_EVERY_ROWS, (p) => {
    options.logger?.info({ import: kind, ...p }, "import progress");
    options.onProgress?.(p);
  });
}

/** Row errors in line order (the checks' and the store's, found at different times). */
function byRow(errors: RowError[]): RowError[] {
  return errors.sort((a, b) => a.row - b.row);
}

/** Rethrow what stops an import with the report of what it had done (a typed failure only). */
function interrupted(err: unknown, report: ConstructorParameters<typeof ImportInterruptedError>[1]): unknown {
  return err instanceof OptoutError && !(err instanceof ImportInterruptedError)
    ? new ImportInterruptedError(err, report)
    : err;
}

/** Upsert contacts (and add their group memberships) from CSV `id,phone,email,groups` or NDJSON. */
export async function importContacts(
  deps: { pool: Pool; normalizer: Normalizer },
  accountId: string,
  options: ImportOptions,
): Promise<ContactImportSummary> {
  const report = new ErrorReport(options.maxErrors ?? DEFAULT_MAX_ERRORS);
  const progress: ImportProgress = { rows: 0, imported: 0, failed: 0 };
  let processedThroughRow = 0;
  const tick = progressReporter(options, "contacts");
  const started = performance.now();
  const channels = options.channels;
  try {
    await runBatches({
      rows: readRows<RawContactRow>(options.input, options.format, CONTACT_COLUMNS, {
        maxBytes: options.maxBytes,
      }),
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
      maxInFlight: deps.normalizer.threads + 1,
      normalize: (rows) =>
        deps.normalizer.contacts({
          rows,
          defaultCountry: options.defaultCountry,
          ...(channels ? { channels } : {}),
        }),
      write: async (result, batch) => {
        const refused = await writeIsolating(result.ok, (rows) =>
          typed(() => upsertContactBatch(deps.pool, accountId, rows, channels ? { channels } : {})).then(
            () => undefined,
          ),
        );
        const errors = [
          ...result.errors,
          ...refused.map(({ row, error }) => ({ row: row.row, value: row.id, reason: error.message })),
        ];
        report.add(byRow(errors));
        progress.rows += batch.length;
        progress.imported += result.ok.length - refused.length;
        progress.failed += errors.length;
        processedThroughRow = batch[batch.length - 1]!.row;
        tick(progress);
      },
    });
  } catch (err) {
    throw interrupted(err, {
      processedThroughRow,
      imported: progress.imported,
      failed: progress.failed,
      errors: report.errors,
      errorsOmitted: report.omitted,
    });
  }
  options.logger?.info(
    { import: "contacts", ...progress, ms: Math.round(performance.now() - started) },
    "import done",
  );
  return {
    imported: progress.imported,
    failed: progress.failed,
    errors: report.errors,
    errorsOmitted: report.omitted,
  };
}

/** Events are recorded (and published) this many at a time. */
export const OPTOUT_RECORD_CHUNK = 1_000;

/**
 * Record an existing suppression list (`channel,identifier,date,reason`) as `import` opt-out
 * events in the account's list. The source id is derived from (channel, identifier, date), so
 * importing the same list again records nothing new (`duplicates`).
 */
export async function importOptouts(
  deps: { normalizer: Normalizer; record(events: readonly NewEvent[]): Promise<RecordedEvent[]> },
  target: { accountId: string; scope: string },
  options: ImportOptions,
): Promise<OptoutImportSummary> {
  const report = new ErrorReport(options.maxErrors ?? DEFAULT_MAX_ERRORS);
  const progress: ImportProgress = { rows: 0, imported: 0, failed: 0 };
  let duplicates = 0;
  let processedThroughRow = 0;
  const tick = progressReporter(options, "optouts");
  try {
    await runBatches({
      rows: readRows<RawOptoutRow>(options.input, options.format, OPTOUT_COLUMNS, {
        maxBytes: options.maxBytes,
      }),
      batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
      maxInFlight: deps.normalizer.threads + 1,
      normalize: (rows) => deps.normalizer.optouts({ rows, defaultCountry: options.defaultCountry }),
      write: async (result, batch) => {
        // An undated row is dated by the import (its source id stays "undated").
        const now = new Date().toISOString();
        // Chunks commit one by one: the report follows them, so that when a later chunk fails
        // it lists exactly the errors of the rows up to the last committed one.
        const settle = (through: number, refused: RowError[]) => {
          const checked = result.errors.filter((e) => e.row > processedThroughRow && e.row <= through);
          const errors = byRow([...checked, ...refused]);
          report.add(errors);
          progress.failed += errors.length;
          processedThroughRow = through;
        };
        for (let i = 0; i < result.ok.length; i += OPTOUT_RECORD_CHUNK) {
          const chunk = result.ok.slice(i, i + OPTOUT_RECORD_CHUNK);
          const refused = await writeIsolating(chunk, async (rows) => {
            const recorded = await deps.record(rows.map((r) => toImportEvent(r, target, now)));
            for (const e of recorded) {
              if (e.duplicate) duplicates++;
              else progress.imported++;
            }
          });
          settle(
            chunk[chunk.length - 1]!.row,
            refused.map(({ row, error }) => ({ row: row.row, value: row.identifier, reason: error.message })),
          );
        }
        settle(batch[batch.length - 1]!.row, []);
        progress.rows += batch.length;
        tick(progress);
      },
    });
  } catch (err) {
    throw interrupted(err, {
      processedThroughRow,
      imported: progress.imported,
      duplicates,
      failed: progress.failed,
      errors: report.errors,
      errorsOmitted: report.omitted,
    });
  }
  return {
    imported: progress.imported,
    duplicates,
    failed: progress.failed,
    errors: report.errors,
    errorsOmitted: report.omitted,
  };
}

function toImportEvent(
  r: NormalizedOptout,
  target: { accountId: string; scope: string },
  now: string,
): NewEvent {
  return {
    scope: target.scope,
    channel: r.channel,
    identifier: r.identifier,
    action: "opt_out",
    source: "import",
    sourceId: r.sourceId,
    accountId: target.accountId,
    occurredAt: r.occurredAt ?? now,
    ...(r.reason === undefined ? {} : { reason: r.reason }),
    evidence: { row: r.row },
  };
}
