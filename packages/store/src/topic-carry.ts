import type { Channel } from "@optout/schemas";
import type { Account } from "./accounts.js";
import { recordEventsInTransaction, type NewEvent } from "./events.js";
import type { PoolClient } from "./pool.js";

interface TopicCarryRow {
  channel: Channel;
  topic: string;
  identifier: string;
  since: Date;
  last_event_id: string;
  source: string;
  reason: string | null;
  new_since: Date | null;
}

/**
 * A list scope change carries the old list's topic opt-outs too (docs/contract-notes/topics.md),
 * as `carryOptOuts` (account-update.ts) carries the channel-wide ones: an `opt_out` of the same
 * topic on the new list, source `scope_change`, where the new list does not already have the
 * identifier opted out of that topic. Topic opt-outs are not in the Redis filter: nothing to set.
 * Page by page, keyset on the topic state's key; returns how many were carried.
 */
export async function carryTopicOptOuts(
  client: PoolClient,
  account: Account,
  fromScope: string,
  toScope: string,
  change: { id: string; at: number; pageSize: number },
): Promise<number> {
  let after: [string, string, string] = ["", "", ""];
  let carried = 0;
  for (;;) {
    const { rows } = await client.query<TopicCarryRow>(
      `SELECT o.channel, o.topic, o.identifier, o.since, o.last_event_id, o.source, o.reason, n.since AS new_since
       FROM optout_topic_state o
       LEFT JOIN optout_topic_state n ON n.scope = $2 AND n.channel = o.channel AND n.topic = o.topic AND n.identifier = o.identifier
       WHERE o.scope = $1 AND (o.channel, o.topic, o.identifier) > ($3, $4, $5) AND o.status = 'opted_out'
         AND (n.status IS NULL OR n.status <> 'opted_out')
       ORDER BY o.channel, o.topic, o.identifier
       LIMIT $6`,
      [fromScope, toScope, after[0], after[1], after[2], change.pageSize],
    );
    if (rows.length === 0) break;
    const last = rows[rows.length - 1]!;
    after = [last.channel, last.topic, last.identifier];
    const events: NewEvent[] = rows.map((r) => ({
      scope: toScope,
      channel: r.channel,
      identifier: r.identifier,
      topic: r.topic,
      action: "opt_out",
      source: "scope_change",
      sourceId: `${change.id}:${r.channel}:${r.topic}:${r.identifier}`,
      accountId: account.id,
      // After anything on the new list, as for the channel-wide carry.
      occurredAt: new Date(Math.max(change.at, (r.new_since?.getTime() ?? 0) + 1)).toISOString(),
      ...(r.reason === null ? {} : { reason: r.reason }),
      evidence: {
        fromScope,
        originalEventId: r.last_event_id,
        originalSince: r.since.toISOString(),
        originalSource: r.source,
      },
    }));
    await recordEventsInTransaction(client, events);
    carried += events.length;
    if (rows.length < change.pageSize) break;
  }
  return carried;
}
