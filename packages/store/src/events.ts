import type { Channel, EventSource, OptAction } from "@optout/schemas";
import type { Pool, PoolClient } from "./pool.js";

export interface NewEvent {
  scope: string;
  channel: Channel;
  identifier: string;
  action: OptAction;
  source: EventSource;
  /** The source's own id (gateway message id, click id, request id): the idempotency key. */
  sourceId: string;
  accountId: string;
  occurredAt: string;
  reason?: string;
  evidence?: Record<string, unknown>;
}

export interface RecordedEvent extends NewEvent {
  eventId: string;
  /** True when this (scope, source, sourceId) was already recorded: a redelivery. */
  duplicate: boolean;
  /** True when this event changed the current state (a first opt-out, an opt-in after an opt-out). */
  stateChanged: boolean;
}

const key = (e: { scope: string; source: string; sourceId: string }) => `${e.scope}\u0000${e.source}\u0000${e.sourceId}`;
const stateKey = (e: { scope: string; channel: string; identifier: string }) =>
  `${e.scope}\u0000${e.channel}\u0000${e.identifier}`;

/**
 * Record a batch of events in one transaction: append to the history (idempotent on the source
 * id), then move the current state forward for events newer than it. Returns one result per
 * input, in input order, with the stable event id (the existing one for a redelivery).
 */
export async function recordEvents(
  pool: Pool,
  events: readonly NewEvent[],
  options: {
    /** More writes that must commit with the events (the recorder's webhook jobs). */
    beforeCommit?: (client: PoolClient, results: readonly RecordedEvent[]) => Promise<void>;
  } = {},
): Promise<RecordedEvent[]> {
  if (events.length === 0) return [];
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const results = await recordEventsInTransaction(client, events);
    if (options.beforeCommit) await options.beforeCommit(client, results);
    await client.query("COMMIT");
    return results;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

async function recordEventsInTransaction(client: PoolClient, events: readonly NewEvent[]): Promise<RecordedEvent[]> {
  const inserted = await client.query<{ event_id: string; scope: string; source: string; source_id: string }>(
    `INSERT INTO optout_events (scope, channel, identifier, action, source, source_id, reason, evidence, account_id, occurred_at)
     SELECT scope, channel, identifier, action, source, source_id, reason, evidence::jsonb, account_id, occurred_at::timestamptz
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
       AS t(scope, channel, identifier, action, source, source_id, reason, evidence, account_id, occurred_at)
     ON CONFLICT (scope, source, source_id) DO NOTHING
     RETURNING event_id, scope, source, source_id`,
    [
      events.map((e) => e.scope),
      events.map((e) => e.channel),
      events.map((e) => e.identifier),
      events.map((e) => e.action),
      events.map((e) => e.source),
      events.map((e) => e.sourceId),
      events.map((e) => e.reason ?? null),
      events.map((e) => JSON.stringify(e.evidence ?? {})),
      events.map((e) => e.accountId),
      events.map((e) => e.occurredAt),
    ],
  );
  const newIds = new Map<string, string>();
  for (const row of inserted.rows) newIds.set(key({ scope: row.scope, source: row.source, sourceId: row.source_id }), row.event_id);

  const existingIds = new Map<string, string>();
  const missing = events.filter((e) => !newIds.has(key(e)));
  if (missing.length > 0) {
    const existing = await client.query<{ event_id: string; scope: string; source: string; source_id: string }>(
      `SELECT e.event_id, e.scope, e.source, e.source_id FROM optout_events e
       JOIN unnest($1::text[], $2::text[], $3::text[]) AS t(scope, source, source_id)
         ON e.scope = t.scope AND e.source = t.source AND e.source_id = t.source_id`,
      [missing.map((e) => e.scope), missing.map((e) => e.source), missing.map((e) => e.sourceId)],
    );
    for (const row of existing.rows) existingIds.set(key({ scope: row.scope, source: row.source, sourceId: row.source_id }), row.event_id);
  }

  // Only first-time events move the state. Within the batch, the latest event per identifier
  // wins (ON CONFLICT cannot touch one row twice in a statement).
  const latest = new Map<string, { event: NewEvent; eventId: string }>();
  const claimed = new Set<string>();
  for (const e of events) {
    const k = key(e);
    const eventId = newIds.get(k);
    if (eventId === undefined || claimed.has(k)) continue;
    claimed.add(k);
    const sk = stateKey(e);
    const current = latest.get(sk);
    if (!current || Date.parse(current.event.occurredAt) <= Date.parse(e.occurredAt)) latest.set(sk, { event: e, eventId });
  }
  const changed = new Set<string>();
  if (latest.size > 0) {
    const rows = [...latest.values()];
    const upserted = await client.query<{ last_event_id: string }>(
      `INSERT INTO optout_state (scope, channel, identifier, status, since, last_event_id, source, reason)
       SELECT scope, channel, identifier, CASE WHEN action = 'opt_out' THEN 'opted_out' ELSE 'opted_in' END,
              occurred_at::timestamptz, event_id::uuid, source, reason
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
         AS t(scope, channel, identifier, action, occurred_at, event_id, source, reason)
       ON CONFLICT (scope, channel, identifier) DO UPDATE SET
         status = EXCLUDED.status, since = EXCLUDED.since, last_event_id = EXCLUDED.last_event_id,
         source = EXCLUDED.source, reason = EXCLUDED.reason,
         change_seq = nextval('optout_change_seq'), updated_at = now()
       WHERE optout_state.status <> EXCLUDED.status AND optout_state.since <= EXCLUDED.since
       RETURNING last_event_id`,
      [
        rows.map((r) => r.event.scope),
        rows.map((r) => r.event.channel),
        rows.map((r) => r.event.identifier),
        rows.map((r) => r.event.action),
        rows.map((r) => r.event.occurredAt),
        rows.map((r) => r.eventId),
        rows.map((r) => r.event.source),
        rows.map((r) => r.event.reason ?? null),
      ],
    );
    for (const row of upserted.rows) changed.add(row.last_event_id);
  }

  const firstSeen = new Set<string>();
  return events.map((e) => {
    const k = key(e);
    const fresh = newIds.get(k);
    // The same source id twice in one batch: the second is a duplicate of the first.
    const isFirst = fresh !== undefined && !firstSeen.has(k);
    if (fresh !== undefined) firstSeen.add(k);
    const eventId = fresh ?? existingIds.get(k);
    if (eventId === undefined) throw new Error(`event ${e.source}/${e.sourceId} neither inserted nor found`);
    return { ...e, eventId, duplicate: !isFirst, stateChanged: isFirst && changed.has(eventId) };
  });
}
