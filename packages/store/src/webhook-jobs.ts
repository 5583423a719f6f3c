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
  /**
   * The receiver's status on this attempt; null: no answer. Left out: the stored one is kept (a
   * job dead-lettered after its last attempt keeps that attempt's status in the delivery log).
   */
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
    `UPDATE webhook_jobs SET status = $2, last_status = CASE WHEN $6 THEN last_status ELSE $3 END,
            last_error = $4, next_attempt_at = $5, updated_at = now()
     WHERE event_id = $1`,
    [
      eventId,
      result.status,
      result.httpStatus ?? null,
      result.error?.slice(0, 500) ?? null,
      result.nextAttemptAt ?? null,
      result.httpStatus === undefined,
    ],
  );
}

// ---- the delivery log (GET .../webhooks/deliveries) and redelivery ----------------------------

export interface WebhookDelivery {
  /** The event's id: one job per event. */
  id: string;
  channel: string;
  identifier: string;
  action: "opt_out" | "opt_in";
  status: WebhookJobStatus;
  attempts: number;
  /** The receiver's HTTP status on the last attempt (null: no answer, or not tried yet). */
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  redeliveries: number;
  lastRedeliveredAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Position in the log (the event's position in the history): the page cursor. */
  seq: number;
}

export interface WebhookDeliveryQuery {
  accountId: string;
  channels: readonly string[];
  /** Entries before this position (the cursor: newest first). */
  before?: number;
  limit: number;
  status?: WebhookJobStatus;
  identifier?: string;
  /** created_at >= from */
  from?: string;
  /** created_at < to */
  to?: string;
}

interface DeliveryRow {
  event_id: string;
  event_seq: number;
  channel: string;
  identifier: string;
  action: "opt_out" | "opt_in";
  status: WebhookJobStatus;
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_attempt_at: Date | null;
  redeliveries: number;
  last_redelivered_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

const DELIVERY_COLUMNS = `j.event_id, j.event_seq, j.channel, j.identifier, e.action, j.status, j.attempts, j.last_status,
  j.last_error, j.next_attempt_at, j.redeliveries, j.last_redelivered_at, j.created_at, j.updated_at`;

const toDelivery = (r: DeliveryRow): WebhookDelivery => ({
  id: r.event_id,
  channel: r.channel,
  identifier: r.identifier,
  action: r.action,
  status: r.status,
  attempts: r.attempts,
  lastStatus: r.last_status,
  lastError: r.last_error,
  nextAttemptAt: r.next_attempt_at?.toISOString() ?? null,
  redeliveries: r.redeliveries,
  lastRedeliveredAt: r.last_redelivered_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  seq: r.event_seq,
});

/** One page of an account's webhook jobs, newest first (keyset on (account_id, event_seq), migration 009). */
export async function listWebhookDeliveries(
  pool: Pool,
  query: WebhookDeliveryQuery,
): Promise<WebhookDelivery[]> {
  const { rows } = await pool.query<DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS}
     FROM webhook_jobs j JOIN optout_events e ON e.event_id = j.event_id
     WHERE j.account_id = $1 AND j.channel = ANY($2::text[])
       AND ($3::bigint IS NULL OR j.event_seq < $3)
       AND ($4::text IS NULL OR j.status = $4)
       AND ($5::text IS NULL OR j.identifier = $5)
       AND ($6::timestamptz IS NULL OR j.created_at >= $6)
       AND ($7::timestamptz IS NULL OR j.created_at < $7)
     ORDER BY j.event_seq DESC LIMIT $8`,
    [
      query.accountId,
      query.channels,
      query.before ?? null,
      query.status ?? null,
      query.identifier ?? null,
      query.from ?? null,
      query.to ?? null,
      query.limit,
    ],
  );
  return rows.map(toDelivery);
}

/** An account's job of one event, or null. */
export async function getWebhookDelivery(
  pool: Pool,
  accountId: string,
  eventId: string,
): Promise<WebhookDelivery | null> {
  const { rows } = await pool.query<DeliveryRow>(
    `SELECT ${DELIVERY_COLUMNS}
     FROM webhook_jobs j JOIN optout_events e ON e.event_id = j.event_id
     WHERE j.account_id = $1 AND j.event_id = $2`,
    [accountId, eventId],
  );
  return rows[0] ? toDelivery(rows[0]) : null;
}

/**
 * Make a finished job (delivered, dead or skipped) pending again for a redelivery, its attempts
 * starting anew (the dispatcher's limit applies to each redelivery). Returns the new redelivery
 * count (part of the new message's id) and the status it had, or null when the job is still
 * pending: its message is in the stream and will be tried, a second one would only race it.
 */
export async function reopenWebhookJob(
  db: Pool | PoolClient,
  eventId: string,
): Promise<{ redelivery: number; previousStatus: WebhookJobStatus } | null> {
  const { rows } = await db.query<{ redeliveries: number; previous_status: WebhookJobStatus }>(
    `WITH old AS (SELECT event_id, status FROM webhook_jobs WHERE event_id = $1 AND status <> 'pending' FOR UPDATE)
     UPDATE webhook_jobs j SET status = 'pending', attempts = 0, next_attempt_at = NULL,
            redeliveries = j.redeliveries + 1, last_redelivered_at = now(), updated_at = now()
     FROM old WHERE j.event_id = old.event_id
     RETURNING j.redeliveries, old.status AS previous_status`,
    [eventId],
  );
  const row = rows[0];
  return row ? { redelivery: row.redeliveries, previousStatus: row.previous_status } : null;
}

/** Undo `reopenWebhookJob` when its message could not be published: the job is finished as it was. */
export async function abandonRedelivery(
  db: Pool | PoolClient,
  eventId: string,
  previousStatus: WebhookJobStatus,
  error: string,
): Promise<void> {
  await db.query(
    `UPDATE webhook_jobs SET status = $2, last_error = $3, updated_at = now() WHERE event_id = $1 AND status = 'pending'`,
    [eventId, previousStatus, error.slice(0, 500)],
  );
}
