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
    for await (const rows of options.rows) {
      for (const row of rows) {
        batch.push(row);
        if (batch.length < options.batchSize) continue;
        submit(batch);
        batch = [];
        while (pending.length >= options.maxInFlight) await pending.shift();
      }
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
export function progressTicker(every: number, emit: (p: ImportProgress) => void): (p: ImportProgress) => void {
  let next = every;
  return (p) => {
    if (p.rows < next) return;
    next = (Math.floor(p.rows / every) + 1) * every;
    emit(p);
  };
}
