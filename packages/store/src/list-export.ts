/**
 * Whole-list reads for operators: every opt-out of a list (an export), and which lists exist
 * (the cache commands' `--all`). The API's paged, incremental reads are in list-changes.ts.
 */
import type { Pool } from "./pool.js";
import { streamCursor } from "./cursor.js";

export interface ListedOptout {
  identifier: string;
  since: string;
  reason: string | null;
}

/** Longest pause between two reads of the consumer before the export's transaction is ended. */
export const LIST_EXPORT_IDLE_TIMEOUT_MS = 60_000;

/**
 * The opt-outs of one list (scope, channel) in identifier order, `fetchSize` per chunk, from
 * one server-side cursor on the primary key: one snapshot for the whole list however long the
 * consumer takes (a slow writer slows the fetches; one idle for LIST_EXPORT_IDLE_TIMEOUT_MS has
 * its transaction ended by Postgres and the stream fails).
 */
export async function* streamOptoutList(
  pool: Pool,
  list: { scope: string; channel: string },
  fetchSize = 10_000,
): AsyncGenerator<ListedOptout[]> {
  const rows = streamCursor<{ identifier: string; since: Date; reason: string | null }>(pool, {
    sql: `SELECT identifier, since, reason FROM optout_state
           WHERE scope = $1 AND channel = $2 AND status = 'opted_out' ORDER BY identifier`,
    values: [list.scope, list.channel],
    fetchSize,
    idleTimeoutMs: LIST_EXPORT_IDLE_TIMEOUT_MS,
  });
  for await (const chunk of rows) {
    yield chunk.map((r) => ({ identifier: r.identifier, since: r.since.toISOString(), reason: r.reason }));
  }
}

/** Opt-outs (opted_out rows) of one list: for a progress bar's total. Reads the list's index. */
export async function countOptouts(pool: Pool, list: { scope: string; channel: string }): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    "SELECT count(*)::bigint AS n FROM optout_state WHERE scope = $1 AND channel = $2 AND status = 'opted_out'",
    [list.scope, list.channel],
  );
  return rows[0]?.n ?? 0;
}

/**
 * Every (scope, channel) with a list, in order: a skip scan of the primary key (one index
 * probe per list, not a read of every row), so it stays fast on a billion rows.
 */
export async function listLists(pool: Pool): Promise<{ scope: string; channel: string }[]> {
  const { rows } = await pool.query<{ scope: string; channel: string }>(
    `WITH RECURSIVE lists AS (
       (SELECT scope, channel FROM optout_state ORDER BY scope, channel LIMIT 1)
       UNION ALL
       SELECT next.scope, next.channel FROM lists,
         LATERAL (SELECT scope, channel FROM optout_state
                  WHERE (scope, channel) > (lists.scope, lists.channel)
                  ORDER BY scope, channel LIMIT 1) next
     )
     SELECT scope, channel FROM lists`,
  );
  return rows;
}
