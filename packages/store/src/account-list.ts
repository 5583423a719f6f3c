import type { ListScope } from "./accounts.js";
import { prefixPattern } from "./browse.js";
import type { Pool } from "./pool.js";

/** An account as listed: what identifies it, never its settings (they hold the webhook secret). */
export interface AccountSummary {
  id: string;
  organizationId: string;
  listScope: ListScope;
  defaultCountry: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * Accounts in id order ("C" collation, like the other browsing lists in ./browse.ts) after
 * `after` (keyset), optionally of one organization and with ids starting with `prefix`.
 */
export async function listAccounts(
  pool: Pool,
  query: { after?: string; limit: number; organizationId?: string; prefix?: string },
): Promise<AccountSummary[]> {
  const { rows } = await pool.query<{
    id: string;
    organization_id: string;
    list_scope: ListScope;
    default_country: string | null;
    created_at: Date;
    updated_at: Date;
  }>(
    `SELECT id, organization_id, list_scope, default_country, created_at, updated_at FROM accounts
     WHERE id COLLATE "C" > $1 AND ($2::text IS NULL OR organization_id = $2)
       AND ($4::text IS NULL OR id COLLATE "C" LIKE $4)
     ORDER BY id COLLATE "C" LIMIT $3`,
    [
      query.after ?? "",
      query.organizationId ?? null,
      query.limit,
      query.prefix ? prefixPattern(query.prefix) : null,
    ],
  );
  return rows.map((r) => ({
    id: r.id,
    organizationId: r.organization_id,
    listScope: r.list_scope,
    defaultCountry: r.default_country,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  }));
}
