import { generateLinkTokens } from "@optout/domain";
import type { Pool } from "./pool.js";

/** What an opt-out link resolves to. */
export interface Link {
  token: string;
  accountId: string;
  channel: string;
  identifier: string;
  /** Absent when the tag request named no campaign. */
  campaignId?: string;
  createdAt: string;
}

export interface LinkTarget {
  accountId: string;
  channel: string;
  campaignId?: string;
}

/** Rounds of "select existing, insert the rest" before giving up; a second round is already rare (token collision or a concurrent request). */
export const MAX_LINK_ATTEMPTS = 5;

/**
 * The token of every identifier's link for this (account, channel, campaign), creating the
 * missing ones in bulk: existing links are reused (one link per target, so a campaign asking
 * again gets the same links), new ones are inserted in one statement. A row that is not
 * returned either lost a race with a concurrent request (found by the next select) or drew a
 * token already taken (gets a fresh one in the next round).
 */
export async function ensureLinks(
  pool: Pool,
  target: LinkTarget,
  identifiers: readonly string[],
  generate: (count: number) => string[] = generateLinkTokens,
): Promise<Map<string, string>> {
  const campaign = target.campaignId ?? "";
  const tokens = new Map<string, string>();
  // Sorted: concurrent requests for overlapping recipients then take the unique index's row
  // locks in the same order, and wait for each other instead of deadlocking.
  let missing = [...new Set(identifiers)].sort();
  for (let attempt = 1; missing.length > 0; attempt++) {
    if (attempt > MAX_LINK_ATTEMPTS) {
      throw new Error(`could not create ${missing.length} links in ${MAX_LINK_ATTEMPTS} attempts`);
    }
    const existing = await pool.query<{ identifier: string; token: string }>(
      `SELECT identifier, token FROM links
       WHERE account_id = $1 AND channel = $2 AND campaign_id = $3 AND identifier = ANY($4::text[])`,
      [target.accountId, target.channel, campaign, missing],
    );
    for (const row of existing.rows) tokens.set(row.identifier, row.token);
    missing = missing.filter((id) => !tokens.has(id));
    if (missing.length === 0) break;

    const inserted = await pool.query<{ identifier: string; token: string }>(
      `INSERT INTO links (token, account_id, channel, identifier, campaign_id)
       SELECT t.token, $1, $2, t.identifier, $3 FROM unnest($4::text[], $5::text[]) AS t(token, identifier)
       ON CONFLICT DO NOTHING
       RETURNING identifier, token`,
      [target.accountId, target.channel, campaign, generate(missing.length), missing],
    );
    for (const row of inserted.rows) tokens.set(row.identifier, row.token);
    missing = missing.filter((id) => !tokens.has(id));
  }
  return tokens;
}

interface LinkRow {
  token: string;
  account_id: string;
  channel: string;
  identifier: string;
  campaign_id: string;
  created_at: Date;
}

function toLink(row: LinkRow): Link {
  return {
    token: row.token,
    accountId: row.account_id,
    channel: row.channel,
    identifier: row.identifier,
    ...(row.campaign_id === "" ? {} : { campaignId: row.campaign_id }),
    createdAt: row.created_at.toISOString(),
  };
}

/** Links by token; tokens that resolve to nothing are absent from the map. */
export async function getLinks(pool: Pool, tokens: readonly string[]): Promise<Map<string, Link>> {
  const found = new Map<string, Link>();
  if (tokens.length === 0) return found;
  const { rows } = await pool.query<LinkRow>("SELECT * FROM links WHERE token = ANY($1::text[])", [
    [...new Set(tokens)],
  ]);
  for (const row of rows) found.set(row.token, toLink(row));
  return found;
}

export async function getLink(pool: Pool, token: string): Promise<Link | null> {
  return (await getLinks(pool, [token])).get(token) ?? null;
}
