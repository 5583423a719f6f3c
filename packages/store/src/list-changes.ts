/**
 * Reading a list in order of last change (optout_state.change_seq), for incremental sync.
 *
 * Migration 005 makes writers take their change_seq under a shared advisory lock on the list's
 * bucket, held until commit. `readListChanges` takes that lock exclusively around its queries,
 * so every change_seq it can see has no uncommitted smaller one: a cursor at the last row read
 * never skips a change that commits later.
 */
import type { OptStatus } from "./state.js";
import type { Pool, PoolClient } from "./pool.js";

/** Two-int advisory lock namespace of list buckets (migration 005). */
const LIST_LOCK_CLASS = 4_242_005;
/** A sync read waits at most this long for writers of its bucket that are mid-transaction. */
export const LIST_LOCK_TIMEOUT_MS = 5_000;

export interface ListChange {
  identifier: string;
  status: OptStatus;
  since: string;
  changeSeq: number;
}

export interface ListChangeQuery {
  scope: string;
  channel: string;
  /** Rows with change_seq greater than this (0 for the start). */
  after: number;
  /**
   * First-sync boundary: rows at or below it that are opted_in are left out (they were already
   * opted in when the client's first sync began, so they were never on its list). "horizon":
   * the list's highest change_seq as this read sees it (a first sync's first page).
   */
  excludeOptedInUpTo?: number | "horizon" | null;
  /** Rows with change_seq at or below this only (an NDJSON export's horizon). */
  upTo?: number | null;
  limit: number;
}

interface ChangeRow {
  identifier: string;
  status: OptStatus;
  since: Date;
  change_seq: number;
}

async function selectChanges(
  db: Pool | PoolClient,
  q: ListChangeQuery & { excludeOptedInUpTo?: number | null },
): Promise<ListChange[]> {
  const { rows } = await db.query<ChangeRow>(
    `SELECT identifier, status, since, change_seq FROM optout_state
     WHERE (scope || '|' || channel) = ($1 || '|' || $2) AND change_seq > $3
       AND ($4::bigint IS NULL OR change_seq <= $4)
       AND ($5::bigint IS NULL OR change_seq > $5 OR status = 'opted_out')
     ORDER BY change_seq LIMIT $6`,
    [q.scope, q.channel, q.after, q.upTo ?? null, q.excludeOptedInUpTo ?? null, q.limit],
  );
  return rows.map((r) => ({
    identifier: r.identifier,
    status: r.status,
    since: r.since.toISOString(),
    changeSeq: r.change_seq,
  }));
}

/**
 * One page of changes, read while no writer of the list is mid-transaction. With `withHorizon`
 * it also returns the list's highest change_seq at that moment (everything at or below it is
 * committed): the first-sync boundary, or the end of an export.
 */
export async function readListChanges(
  pool: Pool,
  query: ListChangeQuery,
  options: { withHorizon?: boolean } = {},
): Promise<{ rows: ListChange[]; horizon: number | null }> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query(`SET LOCAL lock_timeout = ${LIST_LOCK_TIMEOUT_MS}`);
    await client.query("SELECT pg_advisory_xact_lock($1, optout_list_lock_bucket($2, $3))", [
      LIST_LOCK_CLASS,
      query.scope,
      query.channel,
    ]);
    let horizon: number | null = null;
    if (options.withHorizon || query.excludeOptedInUpTo === "horizon") {
      const { rows } = await client.query<{ change_seq: number }>(
        "SELECT change_seq FROM optout_state WHERE (scope || '|' || channel) = ($1 || '|' || $2) ORDER BY change_seq DESC LIMIT 1",
        [query.scope, query.channel],
      );
      horizon = rows[0]?.change_seq ?? 0;
    }
    const excludeOptedInUpTo = query.excludeOptedInUpTo === "horizon" ? horizon : query.excludeOptedInUpTo;
    const rows = query.limit > 0 ? await selectChanges(client, { ...query, excludeOptedInUpTo }) : [];
    await client.query("COMMIT");
    return { rows, horizon };
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Every change after `after` up to `upTo` (a horizon from `readListChanges`), in keyset pages.
 * No lock is needed: everything at or below the horizon was committed when it was taken, and
 * rows that change meanwhile move above it (the next sync gets them).
 */
export async function* streamListChanges(
  pool: Pool,
  query: Omit<ListChangeQuery, "limit" | "upTo" | "excludeOptedInUpTo"> & {
    upTo: number;
    excludeOptedInUpTo: number | null;
  },
  pageSize = 5_000,
): AsyncGenerator<ListChange[]> {
  let after = query.after;
  for (;;) {
    const page = await selectChanges(pool, { ...query, after, limit: pageSize });
    if (page.length === 0) return;
    yield page;
    if (page.length < pageSize) return;
    after = page[page.length - 1]!.changeSeq;
  }
}

export interface RecentEvent {
  /** Position for `before` paging (newest first). */
  seq: number;
  eventId: string;
  channel: string;
  identifier: string;
  action: "opt_out" | "opt_in";
  source: string;
  reason: string | null;
  accountId: string;
  occurredAt: string;
  recordedAt: string;
  /** The account's topic of a topic event; absent when channel-wide. */
  topic?: string;
}

/** The newest events of a list scope first, optionally of some channels or one action only. */
export async function listRecentEvents(
  pool: Pool,
  query: {
    scope: string;
    channels: readonly string[];
    action?: "opt_out" | "opt_in";
    before?: number;
    limit: number;
  },
): Promise<RecentEvent[]> {
  const { rows } = await pool.query<{
    id: number;
    event_id: string;
    channel: string;
    identifier: string;
    action: "opt_out" | "opt_in";
    source: string;
    reason: string | null;
    account_id: string;
    occurred_at: Date;
    recorded_at: Date;
    topic: string | null;
  }>(
    `SELECT id, event_id, channel, identifier, action, source, reason, account_id, occurred_at, recorded_at, topic
     FROM optout_events
     WHERE scope = $1 AND channel = ANY($2::text[]) AND ($3::text IS NULL OR action = $3) AND ($4::bigint IS NULL OR id < $4)
     ORDER BY id DESC LIMIT $5`,
    [query.scope, query.channels, query.action ?? null, query.before ?? null, query.limit],
  );
  return rows.map((r) => ({
    seq: r.id,
    eventId: r.event_id,
    channel: r.channel,
    identifier: r.identifier,
    action: r.action,
    source: r.source,
    reason: r.reason,
    accountId: r.account_id,
    occurredAt: r.occurred_at.toISOString(),
    recordedAt: r.recorded_at.toISOString(),
    ...(r.topic === null ? {} : { topic: r.topic }),
  }));
}
