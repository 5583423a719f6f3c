import type { Channel } from "@optout/schemas";
import { bypassMemberSql } from "./bypass.js";
import { CONTACT_IDENTIFIER_COLUMN } from "./contact-columns.js";
import { streamCursor } from "./cursor.js";
import { findErasedSuppressed, listHasErasures } from "./erased-members.js";
import type { Pool } from "./pool.js";

/** Which opted-out members a filtered list leaves out. */
export interface GroupListExclusion {
  /** Contacts whose identifier for `channel` is opted out in this list scope. */
  scope: string;
  /**
   * The erased form of an identifier (`erasedIdentifier` with ERASURE_HASH_SECRET): an erased
   * person whose number came back into the address book is left out too.
   */
  erasedForm: (identifier: string) => string;
  /**
   * Also leave out contacts opted out of this topic of the list (the channel-wide opt-outs are
   * left out whatever the topic).
   */
  topic?: string;
}

export interface GroupListQuery {
  accountId: string;
  groupId: string;
  /** Leave out contacts without an identifier for this channel. */
  channel?: Channel;
  /** Leave out the opted-out members (needs `channel`). */
  exclude?: GroupListExclusion;
  /** Contact id to start after ("" = from the start). */
  after: string;
  /**
   * The channels whose identifiers the items carry (a typed token's types): the others' keys
   * are left out of every item, JSON and NDJSON alike. All channels when undefined.
   */
  identifiers?: readonly Channel[];
}

/** A member: its id and the identifiers of the channels asked for (`null` when it has none). */
export interface GroupListItem {
  id: string;
  phone?: string | null;
  email?: string | null;
}

/** The identifier columns of the channels asked for, in the table's order. */
function identifierColumns(q: GroupListQuery): string[] {
  return (Object.entries(CONTACT_IDENTIFIER_COLUMN) as [Channel, string][])
    .filter(([channel]) => q.identifiers === undefined || q.identifiers.includes(channel))
    .map(([, column]) => column);
}

/** The members part: contacts of the group after the cursor, with an identifier for the channel. */
function membersSql(
  q: GroupListQuery,
  values: unknown[],
  columns: readonly string[] = Object.values(CONTACT_IDENTIFIER_COLUMN),
): string {
  values.push(q.accountId, q.groupId, q.after);
  // `c.id > $3` repeats the keyset bound on the contacts side: the planner does not carry an
  // inequality across the join, and without it the merge join reads contacts from the start.
  const channelFilter =
    q.channel === undefined ? "" : `AND c.${CONTACT_IDENTIFIER_COLUMN[q.channel]} IS NOT NULL`;
  return `SELECT m.contact_id AS id${columns.map((c) => `, c.${c}`).join("")}
    FROM group_members m
    JOIN contacts c ON c.account_id = m.account_id AND c.id = m.contact_id
    WHERE m.account_id = $1 AND m.group_id = $2 AND m.contact_id > $3 AND c.id > $3 ${channelFilter}`;
}

/**
 * The anti-join condition on a row `x` of the members part, or "" when not filtering: leave out
 * members opted out on the list unless the bypass rule (./bypass.ts, as the check applies it)
 * lets them through. The rule is inside the anti-join, on the list's side: the opted-out
 * identifiers minus the bypass members, so the plans stay an anti-join on optout_state.
 */
function notOptedOutSql(q: GroupListQuery, values: unknown[], row: string): string {
  if (q.channel === undefined || q.exclude === undefined) return "";
  values.push(q.exclude.scope, q.channel);
  const scope = `$${values.length - 1}`;
  const channel = `$${values.length}`;
  const column = CONTACT_IDENTIFIER_COLUMN[q.channel];
  // $1 is the account (membersSql pushes it first).
  const channelWide = `NOT EXISTS (SELECT 1 FROM optout_state s
      WHERE s.scope = ${scope} AND s.channel = ${channel} AND s.identifier = ${row}.${column} AND s.status = 'opted_out'
        AND NOT ${bypassMemberSql("$1", column, "s.identifier")})`;
  if (q.exclude.topic === undefined) return channelWide;
  values.push(q.exclude.topic);
  return `${channelWide} AND NOT EXISTS (SELECT 1 FROM optout_topic_state ts
      WHERE ts.scope = ${scope} AND ts.channel = ${channel} AND ts.topic = $${values.length}
        AND ts.identifier = ${row}.${column} AND ts.status = 'opted_out'
        AND NOT ${bypassMemberSql("$1", column, "ts.identifier")})`;
}

/**
 * One page of a group's (filtered) members in contact id order: up to `limit` rows after
 * `q.after`, by keyset on the membership key (group_id, contact_id). Plan: merge join of the
 * two primary-key indexes from the cursor on, nested-loop anti-join on optout_state's primary
 * key, stopping after `limit` rows: the same cost for every page wherever it starts.
 */
export async function listGroupContacts(
  pool: Pool,
  q: GroupListQuery,
  limit: number,
): Promise<GroupListItem[]> {
  const dropErased = await erasedFilter(pool, q);
  if (dropErased === null) return listPage(pool, q, limit);
  // Erased members are left out after the page is read: read on until the page is full.
  const kept: GroupListItem[] = [];
  let after = q.after;
  for (;;) {
    const rows = await listPage(pool, { ...q, after }, limit);
    const erased = await dropErased(rows.map((r) => r[CONTACT_IDENTIFIER_COLUMN[q.channel!]] ?? null));
    kept.push(...rows.filter((_, i) => !erased[i]));
    if (rows.length < limit || kept.length >= limit) return kept.slice(0, limit);
    after = rows[rows.length - 1]!.id;
  }
}

async function listPage(pool: Pool, q: GroupListQuery, limit: number): Promise<GroupListItem[]> {
  const values: unknown[] = [];
  // The filter reads the table's column (c.), so only the identifiers asked for are selected
  // (and the filter's channel, which a token may only ask for with its type: it is among them).
  const members = membersSql(q, values, identifierColumns(q));
  const filter = notOptedOutSql(q, values, "c");
  values.push(limit);
  const { rows } = await pool.query<GroupListItem>(
    `${members} ${filter ? `AND ${filter}` : ""} ORDER BY m.contact_id LIMIT $${values.length}`,
    values,
  );
  return rows;
}

/**
 * For a filtered list whose scope had an erasure: a function marking the identifiers (null: the
 * member has none) an erasure still suppresses (./erased-members.ts). Null otherwise.
 */
async function erasedFilter(
  pool: Pool,
  q: GroupListQuery,
): Promise<((identifiers: readonly (string | null)[]) => Promise<boolean[]>) | null> {
  if (q.exclude === undefined || q.channel === undefined) return null;
  const list = { accountId: q.accountId, scope: q.exclude.scope, channel: q.channel };
  if (!(await listHasErasures(pool, list.scope, list.channel))) return null;
  const { erasedForm } = q.exclude;
  return async (identifiers) => {
    const present = identifiers.filter((i): i is string => i !== null);
    const erased = await findErasedSuppressed(pool, list, present, erasedForm);
    return identifiers.map((i) => i !== null && erased.has(i));
  };
}

/** Longest pause between two reads of the client before the export's transaction is ended. */
export const GROUP_STREAM_IDLE_TIMEOUT_MS = 60_000;

/**
 * The whole (filtered) group as NDJSON text, `fetchSize` lines per chunk, from one server-side
 * cursor: one plan and one snapshot for the whole list. The plan is chosen for the whole set
 * (cursor_tuple_fraction = 1): the members come from a merge join of the two primary-key
 * indexes (in contact id order, no sort), fenced (OFFSET 0) so that the opt-outs are removed
 * by one hash anti-join (the scope's opt-outs hashed once) instead of an index probe per
 * member. Postgres formats the JSON lines; the process only joins strings. Lines come in
 * contact id order in practice, which is not promised (a hash anti-join that spills to
 * disk reorders).
 *
 * The cursor holds a connection and a transaction while the client reads; backpressure means
 * a slow client slows the fetches, and a client that stops reading for longer than
 * GROUP_STREAM_IDLE_TIMEOUT_MS gets its transaction ended by Postgres (the stream then fails).
 */
export async function* streamGroupContactLines(
  pool: Pool,
  q: GroupListQuery,
  fetchSize = 20_000,
): AsyncGenerator<{ lines: string; count: number }> {
  const values: unknown[] = [];
  // Every identifier inside (the filter reads x.<column>); the line has only those asked for.
  const members = membersSql(q, values);
  const filter = notOptedOutSql(q, values, "x");
  const dropErased = await erasedFilter(pool, q);
  // With erased members to leave out, each line comes with the identifier they are found by.
  const identifier = dropErased === null ? "" : `, x.${CONTACT_IDENTIFIER_COLUMN[q.channel!]}`;
  const rows = streamCursor<[string, (string | null)?]>(pool, {
    sql: `SELECT json_build_object('id', x.id${identifierColumns(q)
      .map((c) => `, '${c}', x.${c}`)
      .join("")})::text${identifier}
        FROM (${members} ORDER BY m.contact_id OFFSET 0) x
        ${filter ? `WHERE ${filter}` : ""}`,
    values,
    fetchSize,
    idleTimeoutMs: GROUP_STREAM_IDLE_TIMEOUT_MS,
    rowMode: "array",
  });
  for await (const fetched of rows) {
    let chunk = fetched;
    if (dropErased !== null) {
      const erased = await dropErased(fetched.map((r) => r[1] ?? null));
      chunk = fetched.filter((_, i) => !erased[i]);
      if (chunk.length === 0) continue;
    }
    let lines = chunk[0]![0];
    for (let i = 1; i < chunk.length; i++) lines += `\n${chunk[i]![0]}`;
    yield { lines, count: chunk.length };
  }
}
