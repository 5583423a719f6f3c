import type { Pool, PoolClient } from "./pool.js";

export type WebhookJobStatus = "pending" | "delivered" | "dead" | "skipped";

export interface WebhookJob {
  eventId: string;
  /** The event's position in the history: orders the jobs of one identifier. */
  eventSeq: number;
  accountId: string;
  channel: string;
  identifier: string;
  status: WebhookJobStatus;
  attempts: number;
  lastError: string | null;
}

/**
 * A pending job older than this no longer holds back the jobs after it: its message was lost
 * (stream purged or expired). Far longer than any retry schedule of the dispatcher.
 */
export const WEBHOOK_ORDER_WAIT_MAX_HOURS = 24;

/**
 * Record a webhook job per event (idempotent). The recorder calls it inside the events'
 * transaction, so a job's predecessors have their row as soon as their events are visible.
 */
export async function insertWebhookJobs(pool: Pool | PoolClient, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length === 0) return;
  await pool.query(
    `INSERT INTO webhook_jobs (event_id, event_seq, account_id, channel, identifier)
     SELECT e.event_id, e.id, e.account_id, e.channel, e.identifier
     FROM optout_events e WHERE e.event_id = ANY($1::uuid[])
     ORDER BY e.id
     ON CONFLICT (event_id) DO NOTHING`,
    [eventIds],
  );
}

interface JobRow {
  event_id: string;
  event_seq: number;
  account_id: string;
  channel: string;
  identifier: string;
  status: WebhookJobStatus;
  attempts: number;
  last_error: string | null;
}

const toJob = (r: JobRow): WebhookJob => ({
  eventId: r.event_id,
  eventSeq: r.event_seq,
  accountId: r.account_id,
  channel: r.channel,
  identifier: r.identifier,
  status: r.status,
  attempts: r.attempts,
  lastError: r.last_error,
});

/** The job of an event; created from the event when missing. Null when the event does not exist. */
export async function getWebhookJob(pool: Pool, eventId: string): Promise<WebhookJob | null> {
  const select = () =>
    pool.query<JobRow>(
      "SELECT event_id, event_seq, account_id, channel, identifier, status, attempts, last_error FROM webhook_jobs WHERE event_id = $1",
      [eventId],
    );
  let { rows } = await select();
  if (!rows[0]) {
    await insertWebhookJobs(pool, [eventId]);
    ({ rows } = await select());
  }
  return rows[0] ? toJob(rows[0]) : null;
}

/** True while an earlier job of the same (account, channel, identifier) is still pending. */
export async function hasPendingPredecessor(pool: Pool, job: WebhookJob): Promise<boolean> {
  const { rows } = await pool.query<{ waiting: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM webhook_jobs
       WHERE account_id = $1 AND channel = $2 AND identifier = $3 AND event_seq < $4 AND status = 'pending'
         AND created_at > now() - make_interval(hours => $5)
     ) AS waiting`,
    [job.accountId, job.channel, job.identifier, job.eventSeq, WEBHOOK_ORDER_WAIT_MAX_HOURS],
  );
  return rows[0]?.waiting === true;
}

/** Count one delivery attempt; null when the job is no longer pending (another replica finished it). */
export async function startWebhookAttempt(pool: Pool, eventId: string): Promise<number | null> {
  const { rows } = await pool.query<{ attempts: number }>(
    `UPDATE webhook_jobs SET attempts = attempts + 1, updated_at = now()
     WHERE event_id = $1 AND status = 'pending' RETURNING attempts`,
    [eventId],
  );
  return rows[0]?.attempts ?? null;
}

export interface WebhookAttemptResult {
  status: WebhookJobStatus;
  httpStatus?: number | null;
  error?: string | null;
  nextAttemptAt?: Date | null;
}

/** Store the outcome of an attempt: still pending (retry later), delivered, dead or skipped. */
export async function finishWebhookAttempt(
  pool: Pool,
  eventId: string,
  result: WebhookAttemptResult,
): Promise<void> {
  await pool.query(
    `UPDATE webhook_jobs SET status = $2, last_status = $3, last_error = $4, next_attempt_at = $5, updated_at = now()
     WHERE event_id = $1`,
    [
      eventId,
      result.status,
      result.httpStatus ?? null,
      result.error?.slice(0, 500) ?? null,
      result.nextAttemptAt ?? null,
    ],
  );
}
