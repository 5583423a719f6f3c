import type { Pool } from "./pool.js";

/**
 * Stream a query's rows, `fetchSize` at a time, from one server-side cursor in one read-only
 * REPEATABLE READ transaction: one snapshot however long the consumer takes. Backpressure: a slow
 * consumer slows the fetches; one that stops reading for longer than `idleTimeoutMs` has its
 * transaction ended by Postgres and the stream fails. `cursor_tuple_fraction = 1` plans for the
 * whole result, not the first rows.
 */
export async function* streamCursor<R>(
  pool: Pool,
  query: { sql: string; values: unknown[]; fetchSize: number; idleTimeoutMs: number; rowMode?: "array" },
): AsyncGenerator<R[]> {
  const client = await pool.connect();
  let open = false;
  let failed = false;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    open = true;
    await client.query("SET LOCAL cursor_tuple_fraction = 1");
    await client.query(`SET LOCAL idle_in_transaction_session_timeout = ${query.idleTimeoutMs}`);
    await client.query({
      text: `DECLARE stream_cursor NO SCROLL CURSOR FOR ${query.sql}`,
      values: query.values,
    });
    for (;;) {
      const { rows } = await client.query<R & object>({
        text: `FETCH ${query.fetchSize} FROM stream_cursor`,
        ...(query.rowMode ? { rowMode: query.rowMode } : {}),
      });
      if (rows.length === 0) break;
      yield rows;
      if (rows.length < query.fetchSize) break;
    }
    await client.query("COMMIT");
    open = false;
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    // Also reached when the consumer stops early (client gone): end the transaction first. A
    // failed connection (e.g. ended by the idle timeout) is discarded, not returned to the pool.
    if (open && !failed) await client.query("ROLLBACK").catch(() => undefined);
    client.release(failed);
  }
}
