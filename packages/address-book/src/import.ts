/**
 * Bulk imports shared by the API and the CLI: stream in, parse on the event loop, normalize on
 * the piscina pool, write in batches; every bad row is reported (line, value, reason) and the
 * rest is imported. Each batch commits on its own, so an import cut short keeps what it wrote
 * and running it again is harmless (upserts; events are idempotent on their source id).
 */
import type { Logger } from "@optout/core";
import type { NewEvent, Pool, RecordedEvent } from "@optout/store";
import { upsertContactBatch, typed } from "@optout/store";
import type { Normalizer } from "./normalizer.js";
import {
  DEFAULT_BATCH_SIZE,
  DEFAULT_MAX_ERRORS,
  DEFAULT_PROGRESS_EVERY_ROWS,
  ErrorReport,
  progressTicker,
  runBatches,
  type ImportProgress,
} from "./pipeline.js";
import { readRows, type Columns, type ImportFormat, type ImportInput } from "./readers.js";
import type { RawContactRow, RawOptoutRow, RowError } from "./rows.js";

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

/** Upsert contacts (and add their group memberships) from CSV `id,phone,email,groups` or NDJSON. */
export async function importContacts(
  deps: { pool: Pool; normalizer: Normalizer },
  accountId: string,
  options: ImportOptions,
): Promise<ContactImportSummary> {
  const report = new ErrorReport(options.maxErrors ?? DEFAULT_MAX_ERRORS);
  const progress: ImportProgress = { rows: 0, imported: 0, failed: 0 };
  const tick = progressReporter(options, "contacts");
  const started = performance.now();
  await runBatches({
    rows: readRows<RawContactRow>(options.input, options.format, CONTACT_COLUMNS, { maxBytes: options.maxBytes }),
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    maxInFlight: deps.normalizer.threads + 1,
    normalize: (rows) => deps.normalizer.contacts({ rows, defaultCountry: options.defaultCountry }),
    write: async (result, batch) => {
      await typed(() => upsertContactBatch(deps.pool, accountId, result.ok));
      report.add(result.errors);
      progress.rows += batch.length;
      progress.imported += result.ok.length;
      progress.failed += result.errors.length;
      tick(progress);
    },
  });
  options.logger?.info({ import: "contacts", ...progress, ms: Math.round(performance.now() - started) }, "import done");
  return { imported: progress.imported, failed: progress.failed, errors: report.errors, errorsOmitted: report.omitted };
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
  const tick = progressReporter(options, "optouts");
  await runBatches({
    rows: readRows<RawOptoutRow>(options.input, options.format, OPTOUT_COLUMNS, { maxBytes: options.maxBytes }),
    batchSize: options.batchSize ?? DEFAULT_BATCH_SIZE,
    maxInFlight: deps.normalizer.threads + 1,
    normalize: (rows) => deps.normalizer.optouts({ rows, defaultCountry: options.defaultCountry }),
    write: async (result, batch) => {
      // An undated row is dated by the import (its source id stays "undated").
      const now = new Date().toISOString();
      for (let i = 0; i < result.ok.length; i += OPTOUT_RECORD_CHUNK) {
        const events: NewEvent[] = result.ok.slice(i, i + OPTOUT_RECORD_CHUNK).map((r) => ({
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
        }));
        const recorded = await deps.record(events);
        for (const e of recorded) {
          if (e.duplicate) duplicates++;
          else progress.imported++;
        }
      }
      report.add(result.errors);
      progress.rows += batch.length;
      progress.failed += result.errors.length;
      tick(progress);
    },
  });
  return { imported: progress.imported, duplicates, failed: progress.failed, errors: report.errors, errorsOmitted: report.omitted };
}
