import type { Channel } from "@optout/schemas";
import type { Pool } from "./pool.js";

/** What opt-out statistics can be grouped by. */
export const STATS_DIMENSIONS = ["day", "channel", "source", "campaign"] as const;
export type StatsDimension = (typeof STATS_DIMENSIONS)[number];

/**
 * Each dimension's SQL over optout_events: a fixed table, never text from the request. `day` is
 * the UTC date, grouped as a timestamp and formatted once per group (formatting every row cost
 * more than the aggregate); `campaign` is the campaign of the link an opt-out came through
 * (link clicks only; NULL for every other source).
 */
const DIMENSION_SQL: Readonly<Record<StatsDimension, { group: string; output: string }>> = Object.freeze({
  day: { group: "date_trunc('day', occurred_at AT TIME ZONE 'UTC')", output: "to_char(day, 'YYYY-MM-DD')" },
  channel: { group: "channel", output: "channel" },
  source: { group: "source", output: "source" },
  campaign: { group: "evidence ->> 'campaignId'", output: "campaign" },
});

export interface OptoutStatsQuery {
  accountId: string;
  /** Inclusive start and exclusive end of `occurred_at`. */
  from: string;
  to: string;
  channels: readonly Channel[];
  groupBy: readonly StatsDimension[];
}

export type OptoutStatsRow = Partial<Record<StatsDimension, string | null>> & {
  /** Opt-outs that changed the state: people who opted out (a repeated STOP is not counted). */
  optOuts: number;
  /** Every opt-out request, repeats included. */
  requests: number;
};

/**
 * Opt-outs of an account's recipients over a time range, grouped, in dimension order. One
 * aggregate (hashed) over the account's opt-out events of the range, read from the covering
 * index optout_events_account_optouts_idx (migration 010) without the table unless grouped by
 * campaign (measured on 1M events, docs/performance.md). Carried copies (`scope_change`: an
 * account moving its list records its old opt-outs again) are not new opt-outs: not counted.
 */
export async function optoutStats(pool: Pool, q: OptoutStatsQuery): Promise<OptoutStatsRow[]> {
  const dimensions = STATS_DIMENSIONS.filter((d) => q.groupBy.includes(d));
  const positions = dimensions.map((_, i) => String(i + 1)).join(", ");
  const grouped = dimensions.map((d) => `${DIMENSION_SQL[d].group} AS ${d}, `).join("");
  const outputs = dimensions.map((d) => `${DIMENSION_SQL[d].output} AS ${d}, `).join("");
  const { rows } = await pool.query<Record<string, string | null> & { opt_outs: string; requests: string }>(
    `SELECT ${outputs}opt_outs, requests FROM (
       SELECT ${grouped}count(*) FILTER (WHERE state_changed) AS opt_outs, count(*) AS requests
         FROM optout_events
        WHERE account_id = $1 AND action = 'opt_out' AND occurred_at >= $2 AND occurred_at < $3
          AND channel = ANY($4::text[]) AND source <> 'scope_change'
        ${positions ? `GROUP BY ${positions}` : ""}
     ) AS groups
     ${positions ? `ORDER BY ${positions}` : ""}`,
    [q.accountId, q.from, q.to, q.channels],
  );
  return rows.map((r) => {
    const row: OptoutStatsRow = { optOuts: Number(r.opt_outs), requests: Number(r.requests) };
    for (const d of dimensions) row[d] = r[d] ?? null;
    return row;
  });
}

export interface CampaignStats {
  campaign: string;
  /** Per channel (those asked for): links issued for the campaign and opt-outs through them. */
  channels: { channel: Channel; linksIssued: number; optOuts: number; rate: number | null }[];
  linksIssued: number;
  /** Distinct links (so recipients) of the campaign that led to an opt-out. */
  optOuts: number;
  /** optOuts / linksIssued; null when no link was issued. */
  rate: number | null;
  firstLinkAt: string | null;
  lastOptOutAt: string | null;
}

/**
 * A campaign's opt-out rate: the links `optout.tag` issued for it (one per recipient and
 * channel, services/tag) against the distinct links an opt-out came through (link clicks carry
 * the link's token and campaign in their evidence). Keyword footers ("STOP au 36111") carry no
 * link, so an opt-out by SMS keyword is not attributed to a campaign. Two index reads: links by
 * (account, channel, campaign) and events by optout_events_campaign_idx (migration 010).
 */
export async function campaignStats(
  pool: Pool,
  accountId: string,
  campaign: string,
  channels: readonly Channel[],
): Promise<CampaignStats> {
  const [issued, optedOut] = await Promise.all([
    pool.query<{ channel: Channel; n: string; first: Date | null }>(
      `SELECT channel, count(*) AS n, min(created_at) AS first FROM links
        WHERE account_id = $1 AND channel = ANY($2::text[]) AND campaign_id = $3 GROUP BY channel`,
      [accountId, channels, campaign],
    ),
    pool.query<{ channel: Channel; n: string; last: Date | null }>(
      `SELECT channel, count(DISTINCT evidence ->> 'token') AS n, max(occurred_at) AS last FROM optout_events
        WHERE account_id = $1 AND (evidence ->> 'campaignId') = $3 AND source = 'link_click' AND action = 'opt_out'
          AND channel = ANY($2::text[])
        GROUP BY channel`,
      [accountId, channels, campaign],
    ),
  ]);
  const rate = (optOuts: number, links: number) => (links === 0 ? null : optOuts / links);
  const perChannel = channels.map((channel) => {
    const links = Number(issued.rows.find((r) => r.channel === channel)?.n ?? 0);
    const optOuts = Number(optedOut.rows.find((r) => r.channel === channel)?.n ?? 0);
    return { channel, linksIssued: links, optOuts, rate: rate(optOuts, links) };
  });
  const linksIssued = perChannel.reduce((sum, c) => sum + c.linksIssued, 0);
  const optOuts = perChannel.reduce((sum, c) => sum + c.optOuts, 0);
  const extreme = (values: (Date | null)[], newest: boolean): string | null => {
    const ms = values.filter((v): v is Date => v !== null).map((v) => v.getTime());
    return ms.length === 0 ? null : new Date(newest ? Math.max(...ms) : Math.min(...ms)).toISOString();
  };
  return {
    campaign,
    channels: perChannel.filter((c) => c.linksIssued > 0 || c.optOuts > 0),
    linksIssued,
    optOuts,
    rate: rate(optOuts, linksIssued),
    firstLinkAt: extreme(
      issued.rows.map((r) => r.first),
      false,
    ),
    lastOptOutAt: extreme(
      optedOut.rows.map((r) => r.last),
      true,
    ),
  };
}
