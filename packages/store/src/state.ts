import { ERASURES_FILTER_MARKER, isErasedIdentifier } from "@optout/domain";
import type { Channel } from "@optout/schemas";
import type { Pool } from "./pool.js";
import { bypassMemberSql } from "./bypass.js";
import { CONTACT_IDENTIFIER_COLUMN } from "./contact-columns.js";

export type OptStatus = "opted_out" | "opted_in";

export interface OptState {
  scope: string;
  channel: Channel;
  identifier: string;
  status: OptStatus;
  since: string;
  lastEventId: string;
  source: string;
  reason: string | null;
}

export interface HistoryEntry {
  eventId: string;
  action: "opt_out" | "opt_in";
  source: string;
  sourceId: string;
  reason: string | null;
  evidence: Record<string, unknown>;
  accountId: string;
  occurredAt: string;
  recordedAt: string;
  /** The topic of a topic event (an unsubscribe from one of the account's topics); absent when channel-wide. */
  topic?: string;
}

/**
 * Opted-out identifiers among those given, with the time they opted out.
 *
 * One primary-key probe per identifier, whatever the statistics say. `identifier = ANY($3)`
 * left the planner free to walk the list-sync index `(scope, channel, change_seq)` and filter the
 * whole list, and it did on a table not analyzed yet (after a STOP wave or a big import: 22 ms
 * per check at 50,000 opt-outs). Now the list-sync index leads with an expression (migration
 * 007), so no other index matches (scope, channel), and this LATERAL lookup, kept a subquery by
 * its LIMIT (else flattened into a join that may scan the list), is a nested loop of primary-key
 * probes (test: packages/store/test/plans.test.ts, on a never-analyzed table).
 */
const OPTED_OUT_PROBES = `FROM unnest($3::text[]) AS q(identifier)
   CROSS JOIN LATERAL (
     SELECT since, status FROM optout_state
      WHERE scope = $1 AND channel = $2 AND identifier = q.identifier
      LIMIT 1
   ) AS s
  WHERE s.status = 'opted_out'`;

/**
 * OPTED_OUT_PROBES for a list that had an erasure: each identifier comes with its erased form
 * (the parameter `erasedParam`, `erasedIdentifier`, or NULL): an erasure replaced the identifier
 * by it in the state (./erasure.ts), and the person must stay suppressed. Each form is its own
 * equality probe (`identifier IN (a, b)` was planned, on a never-analyzed table, as a scan of
 * the whole list filtered by the pair); a NULL form finds nothing without reading the index.
 * The newer row decides (a START from the number after the erasure writes a newer row of the
 * number itself), an opt-out on a tie.
 */
function optedOutProbesWithErased(erasedParam: string): string {
  return `FROM unnest($3::text[], ${erasedParam}::text[]) AS q(identifier, erased)
   CROSS JOIN LATERAL (
     SELECT since, status FROM (
       (SELECT since, status FROM optout_state
         WHERE scope = $1 AND channel = $2 AND identifier = q.identifier LIMIT 1)
       UNION ALL
       (SELECT since, status FROM optout_state
         WHERE scope = $1 AND channel = $2 AND identifier = q.erased LIMIT 1)
     ) AS both_forms
     ORDER BY since DESC, status = 'opted_out' DESC
     LIMIT 1
   ) AS s
  WHERE s.status = 'opted_out'`;
}

export const FIND_OPTED_OUT_SQL = `SELECT q.identifier, s.since
   ${OPTED_OUT_PROBES}`;

/** FIND_OPTED_OUT_SQL with the erased forms as $4. */
export const FIND_OPTED_OUT_WITH_ERASED_SQL = `SELECT q.identifier, s.since
   ${optedOutProbesWithErased("$4")}`;

/**
 * `erased[i]`, when given, is the erased form of `identifiers[i]` (`erasedIdentifier` of
 * @optout/domain, or null); without it only the identifiers themselves are looked up.
 */
export async function findOptedOut(
  pool: Pool,
  scope: string,
  channel: string,
  identifiers: readonly string[],
  erased?: readonly (string | null)[],
): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  if (identifiers.length === 0) return found;
  // Named: each pooled connection parses and plans it once (about 20% off the confirm
  // latency of a single check, docs/performance.md).
  const { rows } = await pool.query<{ identifier: string; since: Date }>(
    erased === undefined
      ? { name: "optout-find-opted-out", text: FIND_OPTED_OUT_SQL, values: [scope, channel, identifiers] }
      : {
          name: "optout-find-opted-out-with-erased",
          text: FIND_OPTED_OUT_WITH_ERASED_SQL,
          values: [scope, channel, identifiers, erased],
        },
  );
  for (const row of rows) found.set(row.identifier, row.since.toISOString());
  return found;
}

/** An opted-out identifier as the check needs it: since when, and whether a bypass group lets it through. */
export interface OptedOutForCheck {
  since: string;
  bypass: boolean;
}

/**
 * The check's confirm in one round trip: FIND_OPTED_OUT_SQL's primary-key probes, and for the
 * opted-out rows only (the select list is evaluated after the WHERE) the bypass rule
 * (./bypass.ts). Two queries in sequence cost an opted-out single check a second Postgres round
 * trip (docs/performance.md). With `erased` (see findOptedOut) the erased forms are probed too:
 * the check passes them only for a list that had an erasure.
 */
export async function findOptedOutForCheck(
  pool: Pool,
  scope: string,
  accountId: string,
  channel: Channel,
  identifiers: readonly string[],
  erased?: readonly (string | null)[],
): Promise<Map<string, OptedOutForCheck>> {
  const found = new Map<string, OptedOutForCheck>();
  if (identifiers.length === 0) return found;
  const bypass = bypassMemberSql("$4", CONTACT_IDENTIFIER_COLUMN[channel], "q.identifier");
  const { rows } = await pool.query<{ identifier: string; since: Date; bypass: boolean }>(
    erased === undefined
      ? {
          name: `optout-find-opted-out-for-check-${channel}`,
          text: `SELECT q.identifier, s.since, ${bypass} AS bypass
   ${OPTED_OUT_PROBES}`,
          values: [scope, channel, identifiers, accountId],
        }
      : {
          name: `optout-find-opted-out-for-check-with-erased-${channel}`,
          text: `SELECT q.identifier, s.since, ${bypass} AS bypass
   ${optedOutProbesWithErased("$5")}`,
          values: [scope, channel, identifiers, accountId, erased],
        },
  );
  for (const row of rows) found.set(row.identifier, { since: row.since.toISOString(), bypass: row.bypass });
  return found;
}

/**
 * The check's topic lookup, asked only when a check names a topic: the identifiers among these
 * opted out of `topic` (optout_topic_state), with since when and the bypass rule, as
 * findOptedOutForCheck answers for the channel-wide list. Topic opt-outs are not in the Redis
 * filter: every identifier of the request is probed here (primary-key probes, one round trip,
 * run beside the channel-wide lookup), so a topic check costs one Postgres round trip more than
 * a check without one, and a check without one costs nothing more (docs/topics.md).
 */
export async function findTopicOptedOutForCheck(
  pool: Pool,
  scope: string,
  accountId: string,
  channel: Channel,
  topic: string,
  identifiers: readonly string[],
): Promise<Map<string, OptedOutForCheck>> {
  const found = new Map<string, OptedOutForCheck>();
  if (identifiers.length === 0) return found;
  const { rows } = await pool.query<{ identifier: string; since: Date; bypass: boolean }>({
    name: `optout-find-topic-opted-out-for-check-${channel}`,
    text: `SELECT q.identifier, s.since, ${bypassMemberSql("$5", CONTACT_IDENTIFIER_COLUMN[channel], "q.identifier")} AS bypass
   FROM unnest($4::text[]) AS q(identifier)
   CROSS JOIN LATERAL (
     SELECT since, status FROM optout_topic_state
      WHERE scope = $1 AND channel = $2 AND topic = $3 AND identifier = q.identifier
      LIMIT 1
   ) AS s
  WHERE s.status = 'opted_out'`,
    values: [scope, channel, topic, identifiers, accountId],
  });
  for (const row of rows) found.set(row.identifier, { since: row.since.toISOString(), bypass: row.bypass });
  return found;
}

/** An identifier's state per topic of a list (only the topics it has an event for). */
export async function getTopicStates(
  pool: Pool,
  scope: string,
  channel: string,
  identifier: string,
): Promise<{ topic: string; status: OptStatus; since: string }[]> {
  const { rows } = await pool.query<{ topic: string; status: OptStatus; since: Date }>(
    `SELECT topic, status, since FROM optout_topic_state
     WHERE scope = $1 AND channel = $2 AND identifier = $3 ORDER BY topic`,
    [scope, channel, identifier],
  );
  return rows.map((r) => ({ topic: r.topic, status: r.status, since: r.since.toISOString() }));
}

export async function getState(
  pool: Pool,
  scope: string,
  channel: string,
  identifier: string,
): Promise<OptState | null> {
  const { rows } = await pool.query<{
    scope: string;
    channel: Channel;
    identifier: string;
    status: OptStatus;
    since: Date;
    last_event_id: string;
    source: string;
    reason: string | null;
  }>("SELECT * FROM optout_state WHERE scope = $1 AND channel = $2 AND identifier = $3", [
    scope,
    channel,
    identifier,
  ]);
  const row = rows[0];
  if (!row) return null;
  return {
    scope: row.scope,
    channel: row.channel,
    identifier: row.identifier,
    status: row.status,
    since: row.since.toISOString(),
    lastEventId: row.last_event_id,
    source: row.source,
    reason: row.reason,
  };
}

/** Every event of one identifier in a scope, oldest first. */
export async function getHistory(
  pool: Pool,
  scope: string,
  channel: string,
  identifier: string,
): Promise<HistoryEntry[]> {
  const { rows } = await pool.query<{
    event_id: string;
    action: "opt_out" | "opt_in";
    source: string;
    source_id: string;
    reason: string | null;
    evidence: Record<string, unknown>;
    account_id: string;
    occurred_at: Date;
    recorded_at: Date;
    topic: string | null;
  }>(
    `SELECT event_id, action, source, source_id, reason, evidence, account_id, occurred_at, recorded_at, topic
     FROM optout_events WHERE scope = $1 AND channel = $2 AND identifier = $3
     ORDER BY occurred_at, id`,
    [scope, channel, identifier],
  );
  return rows.map((r) => ({
    eventId: r.event_id,
    action: r.action,
    source: r.source,
    sourceId: r.source_id,
    reason: r.reason,
    evidence: r.evidence,
    accountId: r.account_id,
    occurredAt: r.occurred_at.toISOString(),
    recordedAt: r.recorded_at.toISOString(),
    ...(r.topic === null ? {} : { topic: r.topic }),
  }));
}

/**
 * Every opted-out identifier of a list, in pages, by keyset on the primary key (no server-side
 * cursor to hold open): the source for rebuilding the Redis filter. A page holding an erased
 * form also carries ERASURES_FILTER_MARKER (@optout/domain), so every rebuilt filter tells the
 * check that the list had an erasure, whoever rebuilds it.
 */
export async function* streamOptedOut(
  pool: Pool,
  scope: string,
  channel: string,
  pageSize = 50_000,
): AsyncGenerator<string[]> {
  let after = "";
  for (;;) {
    const { rows } = await pool.query<{ identifier: string }>(
      `SELECT identifier FROM optout_state
       WHERE scope = $1 AND channel = $2 AND identifier > $3 AND status = 'opted_out'
       ORDER BY identifier LIMIT $4`,
      [scope, channel, after, pageSize],
    );
    if (rows.length === 0) return;
    const page = rows.map((r) => r.identifier);
    yield page.some(isErasedIdentifier) ? [...page, ERASURES_FILTER_MARKER] : page;
    if (rows.length < pageSize) return;
    after = page[page.length - 1]!;
  }
}
