import { resolveScope } from "@optout/domain";
import type { Channel, EventSource, OptAction } from "@optout/schemas";
import type { ListScope } from "./accounts.js";
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
  /**
   * The account's topic this event is about (an email unsubscribe for a topic's List-Id); absent
   * for a channel-wide event. A topic event moves the topic's state (optout_topic_state), never
   * the channel-wide one (optout_state): a channel-wide opt-out suppresses every topic and a
   * topic opt-in does not undo it (migration 011).
   */
  topic?: string;
}

export interface RecordedEvent extends NewEvent {
  eventId: string;
  /** True when this (scope, source, sourceId) was already recorded: a redelivery. */
  duplicate: boolean;
  /**
   * True when this event changed the current state (a first opt-out, an opt-in after an
   * opt-out), as decided when it was first recorded: a redelivery reports the stored decision.
   * Only such events are announced (change feed, webhooks); a repeated STOP is history only.
   */
  stateChanged: boolean;
}

/** Two-int advisory lock namespace of accounts' list scopes (migration 006). */
export const ACCOUNT_SCOPE_LOCK_CLASS = 4_242_006;

const key = (e: { scope: string; source: string; sourceId: string }) =>
  `${e.scope}\u0000${e.source}\u0000${e.sourceId}`;
const stateKey = (e: { scope: string; channel: string; identifier: string; topic?: string }) =>
  `${e.scope}\u0000${e.channel}\u0000${e.identifier}\u0000${e.topic ?? ""}`;

/**
 * Record a batch of events in one transaction: append to the history (idempotent on the source
 * id), then move the current state forward for events newer than it. Returns one result per
 * input, in input order, with the stable event id (the existing one for a redelivery) and the
 * scope it was recorded in (the account's current one, see `recordEventsInTransaction`).
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

/**
 * The scope each account's events belong in, read under a shared advisory lock per account that
 * holds until commit. A list scope change (`updateAccount`) takes it exclusively while it
 * carries the old list's opt-outs over: an event is either committed before (and carried) or
 * recorded after, in the new scope. A worker whose cached account still names the old scope
 * therefore never records into a list the account has left. Recorders never wait for each
 * other (shared), only for a scope change of the same account.
 */
async function currentScopes(client: PoolClient, events: readonly NewEvent[]): Promise<Map<string, string>> {
  const ids = [...new Set(events.map((e) => e.accountId))].sort();
  // A statement of its own: the read below takes its snapshot after the locks are held, so it
  // sees the scope a change that held the lock committed.
  await client.query("SELECT pg_advisory_xact_lock_shared($1, hashtext(id)) FROM unnest($2::text[]) AS id", [
    ACCOUNT_SCOPE_LOCK_CLASS,
    ids,
  ]);
  const { rows } = await client.query<{ id: string; organization_id: string; list_scope: ListScope }>(
    "SELECT id, organization_id, list_scope FROM accounts WHERE id = ANY($1::text[])",
    [ids],
  );
  return new Map(
    rows.map((r) => [
      r.id,
      resolveScope({ id: r.id, organizationId: r.organization_id, listScope: r.list_scope }),
    ]),
  );
}

/**
 * `recordEvents` inside a transaction the caller holds (a list scope change records its carried
 * opt-outs with the account change). Each event goes to its account's current scope (an
 * event for an account that does not exist keeps the scope it names).
 *
 * The state decides what an event announces: `stateChanged` is stored with the event, set
 * from the current state as it is inserted and corrected, in the rare case a concurrent
 * writer moved the state in between, after the state upsert (which is the authority).
 */
export async function recordEventsInTransaction(
  client: PoolClient,
  input: readonly NewEvent[],
): Promise<RecordedEvent[]> {
  if (input.length === 0) return [];
  const scopes = await currentScopes(client, input);
  const events = input.map((e) => {
    const scope = scopes.get(e.accountId);
    return scope === undefined || scope === e.scope ? e : { ...e, scope };
  });

  // The event of each state key that would move the state if every event were new: the latest
  // (by occurredAt, later in the batch on a tie) first occurrence of a source id.
  const predictedWinner = new Map<string, number>();
  const firstOccurrence = new Set<string>();
  events.forEach((e, i) => {
    const k = key(e);
    if (firstOccurrence.has(k)) return;
    firstOccurrence.add(k);
    const sk = stateKey(e);
    const current = predictedWinner.get(sk);
    if (current === undefined || Date.parse(events[current]!.occurredAt) <= Date.parse(e.occurredAt))
      predictedWinner.set(sk, i);
  });
  const winners = new Set(predictedWinner.values());

  const inserted = await client.query<{
    event_id: string;
    scope: string;
    source: string;
    source_id: string;
    state_changed: boolean;
  }>(
    // A channel-wide event (topic NULL) is compared with optout_state, a topic event with its
    // topic's state: the join that does not apply finds nothing by its topic condition.
    `INSERT INTO optout_events (scope, channel, identifier, action, source, source_id, reason, evidence, account_id, occurred_at, state_changed, topic)
     SELECT t.scope, t.channel, t.identifier, t.action, t.source, t.source_id, t.reason, t.evidence::jsonb, t.account_id, t.occurred_at::timestamptz,
            t.winner AND (COALESCE(s.status, ts.status) IS NULL
                          OR (COALESCE(s.status, ts.status) <> CASE WHEN t.action = 'opt_out' THEN 'opted_out' ELSE 'opted_in' END
                              AND COALESCE(s.since, ts.since) <= t.occurred_at::timestamptz)),
            t.topic
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::boolean[], $12::text[])
       AS t(scope, channel, identifier, action, source, source_id, reason, evidence, account_id, occurred_at, winner, topic)
     LEFT JOIN optout_state s ON t.topic IS NULL AND s.scope = t.scope AND s.channel = t.channel AND s.identifier = t.identifier
     LEFT JOIN optout_topic_state ts ON t.topic IS NOT NULL AND ts.scope = t.scope AND ts.channel = t.channel
                                    AND ts.topic = t.topic AND ts.identifier = t.identifier
     ON CONFLICT (scope, source, source_id) DO NOTHING
     RETURNING event_id, scope, source, source_id, state_changed`,
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
      events.map((_, i) => winners.has(i)),
      events.map((e) => e.topic ?? null),
    ],
  );
  const newIds = new Map<string, string>();
  const predicted = new Map<string, boolean>();
  for (const row of inserted.rows) {
    newIds.set(key({ scope: row.scope, source: row.source, sourceId: row.source_id }), row.event_id);
    predicted.set(row.event_id, row.state_changed);
  }

  const existingIds = new Map<string, string>();
  const existingChanged = new Map<string, boolean>();
  const missing = events.filter((e) => !newIds.has(key(e)));
  if (missing.length > 0) {
    const existing = await client.query<{
      event_id: string;
      scope: string;
      source: string;
      source_id: string;
      state_changed: boolean;
    }>(
      `SELECT e.event_id, e.scope, e.source, e.source_id, e.state_changed FROM optout_events e
       JOIN unnest($1::text[], $2::text[], $3::text[]) AS t(scope, source, source_id)
         ON e.scope = t.scope AND e.source = t.source AND e.source_id = t.source_id`,
      [missing.map((e) => e.scope), missing.map((e) => e.source), missing.map((e) => e.sourceId)],
    );
    for (const row of existing.rows) {
      existingIds.set(key({ scope: row.scope, source: row.source, sourceId: row.source_id }), row.event_id);
      existingChanged.set(row.event_id, row.state_changed);
    }
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
    if (!current || Date.parse(current.event.occurredAt) <= Date.parse(e.occurredAt))
      latest.set(sk, { event: e, eventId });
  }
  const changed = new Set<string>();
  const channelRows = [...latest.values()].filter((r) => r.event.topic === undefined);
  const topicRows = [...latest.values()].filter((r) => r.event.topic !== undefined);
  for (const eventId of await upsertTopicStates(client, topicRows)) changed.add(eventId);
  for (const eventId of await upsertChannelStates(client, channelRows)) changed.add(eventId);
  // The upsert decided; store its decision where the prediction was wrong (a concurrent writer
  // moved the state, or a predicted winner was a redelivery).
  const wrong = [...predicted]
    .filter(([eventId, flag]) => flag !== changed.has(eventId))
    .map(([eventId]) => eventId);
  if (wrong.length > 0) {
    await client.query(
      "UPDATE optout_events SET state_changed = NOT state_changed WHERE event_id = ANY($1::uuid[])",
      [wrong],
    );
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
    const stateChanged = fresh !== undefined ? changed.has(eventId) : (existingChanged.get(eventId) ?? false);
    return { ...e, eventId, duplicate: !isFirst, stateChanged };
  });
}

/**
 * Move topics' states forward (optout_topic_state), as the channel-wide upsert does for
 * optout_state: an event newer than the state with another status wins. Returns the event ids
 * that changed a state.
 */
async function upsertTopicStates(client: PoolClient, rows: readonly StateRow[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const upserted = await client.query<{ last_event_id: string }>(
    `INSERT INTO optout_topic_state (scope, channel, topic, identifier, status, since, last_event_id, source, reason)
     SELECT scope, channel, topic, identifier, CASE WHEN action = 'opt_out' THEN 'opted_out' ELSE 'opted_in' END,
            occurred_at::timestamptz, event_id::uuid, source, reason
     FROM unnest(${STATE_UNNEST}, $9::text[])
       AS t(${STATE_COLUMNS}, topic)
     ON CONFLICT (scope, channel, topic, identifier) DO UPDATE SET
       status = EXCLUDED.status, since = EXCLUDED.since, last_event_id = EXCLUDED.last_event_id,
       source = EXCLUDED.source, reason = EXCLUDED.reason, updated_at = now()
     WHERE optout_topic_state.status <> EXCLUDED.status AND optout_topic_state.since <= EXCLUDED.since
     RETURNING last_event_id`,
    [...stateParams(rows), rows.map((r) => r.event.topic)],
  );
  return upserted.rows.map((r) => r.last_event_id);
}

/** The channel-wide twin of upsertTopicStates (optout_state, which also numbers list changes). */
async function upsertChannelStates(client: PoolClient, rows: readonly StateRow[]): Promise<string[]> {
  if (rows.length === 0) return [];
  const upserted = await client.query<{ last_event_id: string }>(
    `INSERT INTO optout_state (scope, channel, identifier, status, since, last_event_id, source, reason)
     SELECT scope, channel, identifier, CASE WHEN action = 'opt_out' THEN 'opted_out' ELSE 'opted_in' END,
            occurred_at::timestamptz, event_id::uuid, source, reason
     FROM unnest(${STATE_UNNEST})
       AS t(${STATE_COLUMNS})
     ON CONFLICT (scope, channel, identifier) DO UPDATE SET
       status = EXCLUDED.status, since = EXCLUDED.since, last_event_id = EXCLUDED.last_event_id,
       source = EXCLUDED.source, reason = EXCLUDED.reason,
       change_seq = nextval('optout_change_seq'), updated_at = now()
     WHERE optout_state.status <> EXCLUDED.status AND optout_state.since <= EXCLUDED.since
     RETURNING last_event_id`,
    stateParams(rows),
  );
  return upserted.rows.map((r) => r.last_event_id);
}

/** An event that moves a state, with its id. */
interface StateRow {
  event: NewEvent;
  eventId: string;
}

/** The columns both state upserts read, as $1..$8 (stateParams gives them in this order). */
const STATE_COLUMNS = "scope, channel, identifier, action, occurred_at, event_id, source, reason";
const STATE_UNNEST =
  "$1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]";

function stateParams(rows: readonly StateRow[]): (string | null)[][] {
  return [
    rows.map((r) => r.event.scope),
    rows.map((r) => r.event.channel),
    rows.map((r) => r.event.identifier),
    rows.map((r) => r.event.action),
    rows.map((r) => r.event.occurredAt),
    rows.map((r) => r.eventId),
    rows.map((r) => r.event.source),
    rows.map((r) => r.event.reason ?? null),
  ];
}

/** A recorded event by its id, as `recordEvents` returned it (`duplicate: true`: it is not new). */
export async function getRecordedEvent(pool: Pool, eventId: string): Promise<RecordedEvent | null> {
  const { rows } = await pool.query<{
    scope: string;
    channel: Channel;
    identifier: string;
    action: OptAction;
    source: EventSource;
    source_id: string;
    reason: string | null;
    evidence: Record<string, unknown>;
    account_id: string;
    occurred_at: Date;
    state_changed: boolean;
    topic: string | null;
  }>(
    `SELECT scope, channel, identifier, action, source, source_id, reason, evidence, account_id, occurred_at, state_changed, topic
     FROM optout_events WHERE event_id = $1`,
    [eventId],
  );
  const r = rows[0];
  if (!r) return null;
  return {
    eventId,
    scope: r.scope,
    channel: r.channel,
    identifier: r.identifier,
    action: r.action,
    source: r.source,
    sourceId: r.source_id,
    ...(r.reason === null ? {} : { reason: r.reason }),
    evidence: r.evidence,
    accountId: r.account_id,
    occurredAt: r.occurred_at.toISOString(),
    ...(r.topic === null ? {} : { topic: r.topic }),
    duplicate: true,
    stateChanged: r.state_changed,
  };
}
