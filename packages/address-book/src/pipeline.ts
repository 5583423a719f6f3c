import { OptoutError } from "@optout/core";
import type { RowError } from "./rows.js";

export const DEFAULT_BATCH_SIZE = 5_000;
export const DEFAULT_MAX_ERRORS = 1_000;
export const DEFAULT_PROGRESS_EVERY_ROWS = 50_000;

export interface ImportProgress {
  /** Rows read and finished (written or failed). */
  rows: number;
  imported: number;
  failed: number;
}

/** What an import reports per row it could not take, capped; `failed` counts them all. */
export class ErrorReport {
  readonly errors: RowError[] = [];
  omitted = 0;
  constructor(readonly max: number) {}

  add(errors: readonly RowError[]): void {
    for (const e of errors) {
      if (this.errors.length < this.max) this.errors.push(e);
      else this.omitted++;
    }
  }
}

/**
 * Batches through normalize (parallel, on the pool) then write (one at a time, in input order,
 * so a later row for the same key wins as it would one by one). At most `maxInFlight`
 * batches are read ahead: the reader waits, the socket buffers fill and TCP slows the client —
 * memory stays constant whatever the file size.
 */
export async function runBatches<Raw, Normalized>(options: {
  rows: AsyncIterable<Raw[]>;
  batchSize: number;
  maxInFlight: number;
  normalize(batch: Raw[]): Promise<Normalized>;
  write(normalized: Normalized, batch: Raw[]): Promise<void>;
}): Promise<void> {
  const pending: Promise<void>[] = [];
  let chain: Promise<void> = Promise.resolve();
  const submit = (batch: Raw[]) => {
    const normalized = options.normalize(batch);
    // Its failure surfaces through the chain; do not let it count as unhandled meanwhile.
    normalized.catch(() => undefined);
    chain = chain.then(async () => options.write(await normalized, batch));
    const done = chain;
    done.catch(() => undefined);
    pending.push(done);
  };
  try {
    let batch: Raw[] = [];
    try {
      for await (const rows of options.rows) {
        for (const row of rows) {
          batch.push(row);
          if (batch.length < options.batchSize) continue;
          submit(batch);
          batch = [];
          while (pending.length >= options.maxInFlight) await pending.shift();
        }
      }
    } catch (err) {
      // The input broke off (a malformed record, too large): what was read before it is
      // still written, so that "everything before the line named" is what the caller reports.
      if (batch.length > 0) submit(batch);
      await chain;
      throw err;
    }
    if (batch.length > 0) submit(batch);
    await chain;
  } catch (err) {
    // Let the batches already handed out finish (or fail) before reporting: nothing keeps
    // writing after the caller has answered.
    await Promise.allSettled(pending);
    throw err;
  }
}

/** Calls `emit` each time the row count passes another multiple of `every`. */
export function progressTicker(
  every: number,
  emit: (p: ImportProgress) => void,
): (p: ImportProgress) => void {
  let next = every;
  return (p) => {
    if (p.rows < next) return;
    next = (Math.floor(p.rows / every) + 1) * every;
    emit(p);
  };
}

/** SQLSTATE classes of a statement refused for its data (a value, a constraint, a limit). */
const ROW_DATA_CLASSES = new Set(["22", "23", "54"]);

/** The store refused the data of a write (not: the store is down, or the SQL is wrong). */
export function isRowDataError(err: unknown): err is OptoutError {
  if (!(err instanceof OptoutError) || err.retryable) return false;
  const sqlstate = (err.details as { sqlstate?: unknown } | null | undefined)?.sqlstate;
  return typeof sqlstate === "string" && ROW_DATA_CLASSES.has(sqlstate.slice(0, 2));
}

/**
 * Write `rows` (one transaction per call); when the store refuses their data, split them in
 * halves, in order, down to the rows at fault, and return those with the store's error: every
 * other row is written. The rows are checked before (the storable rule, timestamps), so this
 * is for what no check foresaw: a constraint, a limit of the store. Any other failure (the
 * store is down, a bug) is thrown: it is no row's fault.
 */
export async function writeIsolating<T>(
  rows: readonly T[],
  write: (rows: readonly T[]) => Promise<void>,
): Promise<{ row: T; error: OptoutError }[]> {
  if (rows.length === 0) return [];
  try {
    await write(rows);
    return [];
  } catch (err) {
    if (!isRowDataError(err)) throw err;
    if (rows.length === 1) return [{ row: rows[0]!, error: err }];
    const half = rows.length >>> 1;
    const first = await writeIsolating(rows.slice(0, half), write);
    return [...first, ...(await writeIsolating(rows.slice(half), write))];
  }
}

/** What an import had done when it stopped: counted rows are committed (or reported failed). */
export interface ImportStopReport {
  /** The last line processed: every row up to it is committed or listed in `errors`; none after it was written. */
  processedThroughRow: number;
  imported: number;
  failed: number;
  duplicates?: number;
  errors: RowError[];
  errorsOmitted: number;
}

/**
 * An import that could not go on (the input broke off, the store went away): the cause's code
 * and retryability, and a message that says what was committed and what to do. The rows before
 * `processedThroughRow` stay committed; posting the same file again is idempotent.
 */
export class ImportInterruptedError extends OptoutError {
  readonly report: ImportStopReport;
  constructor(cause: OptoutError, report: ImportStopReport) {
    const done =
      report.processedThroughRow === 0
        ? "nothing was written"
        : `every row up to line ${report.processedThroughRow} was processed (${report.imported} imported${report.duplicates ? `, ${report.duplicates} already there` : ""}, ${report.failed} failed), the rows after it were not, or not completely`;
    super(
      cause.code,
      `${cause.message}. The import stopped: ${done}. Post the file again once this is fixed: rows already imported are not imported twice`,
      cause.retryable,
      { cause, details: report },
    );
    this.report = report;
  }
}
