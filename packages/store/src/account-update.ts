/**
 * Changing an account, and what a change of its list scope does to the opt-outs.
 *
 * An account's list is `org:<organizationId>` or `account:<id>` (resolveScope). When a change
 * moves it to another list (`listScope` switched, or another organization), every recipient
 * opted out on the old list must stay suppressed: in the same transaction as the account change,
 * each identifier opted out on the old list and not on the new one gets an `opt_out` event on
 * the new list with source `scope_change` (evidence: the old list, the original event, its
 * time and source; reason: the original reason). The event is dated at the change, later than
 * anything already on the new list, so it wins over an older opt-in there: an opted-out
 * recipient never becomes reachable by a scope change. Opt-ins are not carried (the new list
 * keeps its own), and the old list is left as it is. Topic opt-outs are carried the same way,
 * per topic (./topic-carry.ts); `carried` counts the channel-wide ones.
 *
 * Carried events are history and state, not announcements: no change-feed message and no
 * webhook, since for the account nothing changed (the recipient was suppressed before and is
 * after). List sync (`GET .../optouts`) shows them, as their change_seq moves.
 *
 * Workers cache accounts for a few seconds. Recording takes a shared per-account advisory lock
 * and reads the scope from the table (events.ts); the change takes it exclusively, so an
 * opt-out recorded by a worker that still has the old scope in its cache is either committed
 * before the change (and carried) or recorded in the new list.
 */
import { randomUUID } from "node:crypto";
import { resolveScope } from "@optout/domain";
import type { Channel } from "@optout/schemas";
import { lockAccount, writeAccount, type Account, type AccountInput } from "./accounts.js";
import { ACCOUNT_SCOPE_LOCK_CLASS, recordEventsInTransaction, type NewEvent } from "./events.js";
import { carryTopicOptOuts } from "./topic-carry.js";
import type { Pool, PoolClient } from "./pool.js";

/** Identifiers carried per statement (and per filter write). */
export const SCOPE_CHANGE_PAGE_SIZE = 5_000;

export interface ScopeCarry {
  fromScope: string;
  toScope: string;
  /** Identifiers (all channels) opted out on the old list and now on the new one. */
  carried: number;
}

export interface AccountUpdate {
  account: Account;
  created: boolean;
  /** The account before the change; null when it was created. */
  previous: Account | null;
  /** Set when the change moved the account to another list. */
  scopeChange: ScopeCarry | null;
}

export interface UpdateAccountOptions {
  /**
   * Called for each page of carried opt-outs, before the commit: set their bits in the new
   * list's Redis filter (a failure rolls the whole change back). Without it the filter of the
   * new list may miss them until it is rebuilt.
   */
  onCarried?: (scope: string, channel: Channel, identifiers: readonly string[]) => Promise<void>;
  /** Page size of the carry-over (tests use small pages). */
  pageSize?: number;
  /** More writes that must commit with the change (the API's audit entry). */
  beforeCommit?: (client: PoolClient, update: AccountUpdate) => Promise<void>;
}

/**
 * Read-modify-write one account in one transaction: `change` gets the account as stored
 * (locked; null when it does not exist yet) and returns what to store. A list scope change
 * carries the opt-outs over, as the file comment says. `change` may throw to refuse: nothing
 * is written.
 */
export async function updateAccount(
  pool: Pool,
  id: string,
  change: (current: Account | null) => AccountInput | Promise<AccountInput>,
  options: UpdateAccountOptions = {},
): Promise<AccountUpdate> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // Exclusive: waits for recorders of this account that are mid-transaction (they hold it
    // shared), and makes later ones wait until this change has committed.
    await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [ACCOUNT_SCOPE_LOCK_CLASS, id]);
    const previous = await lockAccount(client, id);
    const input = await change(previous);
    if (input.id !== id)
      throw new Error(`updateAccount: the change returned account "${input.id}" for "${id}"`);
    const { account, created } = await writeAccount(client, input);
    let scopeChange: ScopeCarry | null = null;
    if (previous) {
      const fromScope = resolveScope(previous);
      const toScope = resolveScope(account);
      if (fromScope !== toScope) {
        const carried = await carryOptOuts(client, account, fromScope, toScope, options);
        scopeChange = { fromScope, toScope, carried };
      }
    }
    const update = { account, created, previous, scopeChange };
    if (options.beforeCommit) await options.beforeCommit(client, update);
    await client.query("COMMIT");
    return update;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** Create or replace an account (see `updateAccount`: a scope change carries the opt-outs over). */
export async function upsertAccount(
  pool: Pool,
  input: AccountInput,
): Promise<{ account: Account; created: boolean }> {
  const { account, created } = await updateAccount(pool, input.id, () => input);
  return { account, created };
}

interface CarryRow {
  channel: Channel;
  identifier: string;
  since: Date;
  last_event_id: string;
  source: string;
  reason: string | null;
  new_status: string | null;
  new_since: Date | null;
}

/** Record the old list's opt-outs on the new list, page by page (keyset on the primary key). */
async function carryOptOuts(
  client: PoolClient,
  account: Account,
  fromScope: string,
  toScope: string,
  options: UpdateAccountOptions,
): Promise<number> {
  const pageSize = options.pageSize ?? SCOPE_CHANGE_PAGE_SIZE;
  // One id for this change: the source ids of its events, unique per change (an account that
  // moves back and forth carries again each time).
  const changeId = randomUUID();
  const changedAt = Date.parse(account.updatedAt);
  let after: [string, string] = ["", ""];
  let carried = 0;
  for (;;) {
    const { rows } = await client.query<CarryRow>(
      `SELECT o.channel, o.identifier, o.since, o.last_event_id, o.source, o.reason, n.status AS new_status, n.since AS new_since
       FROM optout_state o
       LEFT JOIN optout_state n ON n.scope = $2 AND n.channel = o.channel AND n.identifier = o.identifier
       WHERE o.scope = $1 AND (o.channel, o.identifier) > ($3, $4) AND o.status = 'opted_out'
       ORDER BY o.channel, o.identifier
       LIMIT $5`,
      [fromScope, toScope, after[0], after[1], pageSize],
    );
    if (rows.length === 0) break;
    const last = rows[rows.length - 1]!;
    after = [last.channel, last.identifier];
    const events: NewEvent[] = rows
      .filter((r) => r.new_status !== "opted_out")
      .map((r) => ({
        scope: toScope,
        channel: r.channel,
        identifier: r.identifier,
        action: "opt_out",
        source: "scope_change",
        sourceId: `${changeId}:${r.channel}:${r.identifier}`,
        accountId: account.id,
        // After anything on the new list (an opt-in there dated later than the change, up to
        // the 24 h of clock skew the boundary allows, must not win).
        occurredAt: new Date(Math.max(changedAt, (r.new_since?.getTime() ?? 0) + 1)).toISOString(),
        ...(r.reason === null ? {} : { reason: r.reason }),
        evidence: {
          fromScope,
          originalEventId: r.last_event_id,
          originalSince: r.since.toISOString(),
          originalSource: r.source,
        },
      }));
    if (events.length > 0) {
      await recordEventsInTransaction(client, events);
      carried += events.length;
      if (options.onCarried) {
        const byChannel = new Map<Channel, string[]>();
        for (const e of events) {
          let list = byChannel.get(e.channel);
          if (!list) byChannel.set(e.channel, (list = []));
          list.push(e.identifier);
        }
        for (const [channel, identifiers] of byChannel)
          await options.onCarried(toScope, channel, identifiers);
      }
    }
    if (rows.length < pageSize) break;
  }
  // Topic opt-outs go along under the same change id (counted apart: `carried` is the list's).
  await carryTopicOptOuts(client, account, fromScope, toScope, { id: changeId, at: changedAt, pageSize });
  return carried;
}
