/**
 * Retention: what may be forgotten, and when. Opt-out events and states are never pruned (they
 * are the list and its evidence); the outbound bookkeeping is, once it can no longer change
 * anything:
 *
 * - webhook_jobs that are finished (delivered, skipped, dead) and untouched for
 *   `webhookJobsDays`. A job only orders the later jobs of its identifier while it is pending.
 *   A message of the job that comes back after its row is gone (a dead letter replayed, an
 *   inbound message redelivered) recreates the job and delivers it again: receivers already
 *   de-duplicate on Optout-Event-Id (webhooks are at least once).
 * - sms_confirmations, the last confirmation sent per (account, channel, identifier, action):
 *   the row that stops a repeated STOP from being confirmed again within the account's window.
 *   Pruned only when older than `confirmationsDays` *and* than that window (the account's
 *   `confirmationSms.windowHours`, else the default): outside its window a row decides nothing
 *   for a new event, so pruning it changes no answer.
 * - sms_confirmation_decisions, the decision per event, read again only when a message of the
 *   event comes back. Kept at least DECISION_MIN_RETENTION_DAYS whatever `confirmationsDays`
 *   says: a redelivered STOP whose decision is gone could be confirmed a second time.
 *
 * Deletes go in batches (`ctid = ANY(ARRAY(SELECT ctid ... LIMIT n))`, one short transaction
 * each) so that a large backlog never holds locks or bloats WAL in one statement; each batch
 * re-checks its conditions on the row it deletes, so a row changed meanwhile stays.
 */
import type { Pool } from "./pool.js";

export const RETENTION_BATCH_SIZE = 10_000;
/**
 * The longest a message of a recorded event can come back: the inbound streams keep messages 7
 * days (DEFAULT_INBOUND_MAX_AGE_MS) and the dead-letter stream 30 (DEFAULT_DLQ_MAX_AGE_MS).
 */
export const DECISION_MIN_RETENTION_DAYS = 37;
/**
 * Class of the session advisory lock one pruning run holds, with hashtext(current_schema()):
 * one run at a time per installation (installations may share a database in several schemas).
 */
export const RETENTION_LOCK_CLASS = 4_242_007;

export interface RetentionPolicy {
  /** WEBHOOK_JOBS_RETENTION_DAYS. */
  webhookJobsDays: number;
  /** CONFIRMATIONS_RETENTION_DAYS. */
  confirmationsDays: number;
  /** The confirmation window of accounts that set none (the recorder's default), in hours. */
  defaultWindowHours: number;
}

export type RetentionTable = "webhook_jobs" | "sms_confirmations" | "sms_confirmation_decisions";

export const RETENTION_TABLES: readonly RetentionTable[] = [
  "webhook_jobs",
  "sms_confirmations",
  "sms_confirmation_decisions",
];

export interface PruneReport {
  /** Rows deleted (or, with dryRun, that would be) per table. */
  deleted: Record<RetentionTable, number>;
  batches: number;
  dryRun: boolean;
  /** False when another process held the retention lock: nothing was done. */
  ran: boolean;
  ms: number;
}

export interface PruneOptions {
  batchSize?: number;
  /** Count what would be deleted, delete nothing. */
  dryRun?: boolean;
  /** Pause between two batches (a periodic run leaves the database to its real work). */
  pauseMs?: number;
  /** Stop between two batches (the report says what was done until then). */
  signal?: AbortSignal;
  onBatch?(table: RetentionTable, deleted: number): void;
}

/**
 * The rows of a table that may go, as `SELECT ctid ...` on `params`, and the conditions the
 * delete re-checks on the row it deletes (also on `params`; the batch size comes after them).
 */
interface Candidates {
  select: string;
  recheck: string;
  params(p: RetentionPolicy): unknown[];
}

const CANDIDATES: Record<RetentionTable, Candidates> = {
  webhook_jobs: {
    select: `SELECT ctid FROM webhook_jobs
      WHERE status IN ('delivered', 'skipped', 'dead') AND updated_at < now() - make_interval(days => $1::int)`,
    recheck:
      "status IN ('delivered', 'skipped', 'dead') AND updated_at < now() - make_interval(days => $1::int)",
    params: (p) => [p.webhookJobsDays],
  },
  sms_confirmations: {
    // The window is the account's as configured now; an account that is gone has the default.
    select: `SELECT c.ctid FROM sms_confirmations c LEFT JOIN accounts a ON a.id = c.account_id
      WHERE c.last_sent_at < now() - make_interval(days => $1::int)
        AND c.last_sent_at < now() - make_interval(secs => 3600 * COALESCE(
          CASE WHEN jsonb_typeof(a.settings #> '{confirmationSms,windowHours}') = 'number'
               THEN (a.settings #>> '{confirmationSms,windowHours}')::float8 END, $2::float8))`,
    recheck: "last_sent_at < now() - make_interval(days => $1::int)",
    params: (p) => [p.confirmationsDays, p.defaultWindowHours],
  },
  sms_confirmation_decisions: {
    select:
      "SELECT ctid FROM sms_confirmation_decisions WHERE decided_at < now() - make_interval(days => $1::int)",
    recheck: "decided_at < now() - make_interval(days => $1::int)",
    params: (p) => [Math.max(p.confirmationsDays, DECISION_MIN_RETENTION_DAYS)],
  },
};

function checkPolicy(policy: RetentionPolicy): void {
  for (const [name, value] of Object.entries(policy))
    if (!Number.isFinite(value) || value < 0)
      throw new RangeError(`retention ${name} must be a number >= 0, not ${value}`);
  if (!Number.isInteger(policy.webhookJobsDays) || !Number.isInteger(policy.confirmationsDays))
    throw new RangeError("retention days must be whole numbers");
  if (policy.webhookJobsDays < 1 || policy.confirmationsDays < 1)
    throw new RangeError("retention days must be at least 1");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Delete (or count) what the policy lets go, table by table, in batches, under a session
 * advisory lock so that the replicas of webhook-dispatch and an operator's `optout prune` never
 * prune at the same time (a second caller returns at once with `ran: false`).
 */
export async function pruneExpired(
  pool: Pool,
  policy: RetentionPolicy,
  options: PruneOptions = {},
): Promise<PruneReport> {
  checkPolicy(policy);
  const started = performance.now();
  const batchSize = options.batchSize ?? RETENTION_BATCH_SIZE;
  const dryRun = options.dryRun === true;
  const report: PruneReport = {
    deleted: { webhook_jobs: 0, sms_confirmations: 0, sms_confirmation_decisions: 0 },
    batches: 0,
    dryRun,
    ran: false,
    ms: 0,
  };
  const client = await pool.connect();
  let locked = false;
  try {
    locked =
      (
        await client.query<{ locked: boolean }>(
          "SELECT pg_try_advisory_lock($1, hashtext(current_schema())) AS locked",
          [RETENTION_LOCK_CLASS],
        )
      ).rows[0]?.locked === true;
    if (!locked) return report;
    report.ran = true;
    for (const table of RETENTION_TABLES) {
      const candidates = CANDIDATES[table];
      const params = candidates.params(policy);
      if (dryRun) {
        const { rows } = await client.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM (${candidates.select}) c`,
          params,
        );
        report.deleted[table] = rows[0]?.n ?? 0;
        continue;
      }
      for (;;) {
        if (options.signal?.aborted) return report;
        const { rowCount } = await client.query(
          `DELETE FROM ${table}
           WHERE ctid = ANY(ARRAY(${candidates.select} LIMIT $${params.length + 1}::int)) AND ${candidates.recheck}`,
          [...params, batchSize],
        );
        const deleted = rowCount ?? 0;
        report.batches++;
        report.deleted[table] += deleted;
        if (deleted > 0) options.onBatch?.(table, deleted);
        if (deleted < batchSize) break;
        if (options.pauseMs) await sleep(options.pauseMs);
      }
    }
    return report;
  } finally {
    report.ms = Math.round(performance.now() - started);
    if (locked)
      await client
        .query("SELECT pg_advisory_unlock($1, hashtext(current_schema()))", [RETENTION_LOCK_CLASS])
        .catch(() => undefined);
    client.release();
  }
}
