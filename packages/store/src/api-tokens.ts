import type { Pool } from "./pool.js";

export type TokenPermission = "read" | "write";

/** A token as listed: never its secret or hash. */
export interface ApiTokenInfo {
  id: string;
  accountId: string;
  name: string | null;
  types: string[];
  permissions: TokenPermission[];
  createdAt: string;
  lastUsedAt: string | null;
}

/** What authentication needs: the stored SHA-256 of the whole token, to compare in constant time. */
export interface ActiveApiToken extends ApiTokenInfo {
  secretHash: Buffer;
}

interface TokenRow {
  id: string;
  account_id: string;
  name: string | null;
  types: string[];
  permissions: TokenPermission[];
  created_at: Date;
  last_used_at: Date | null;
}

function toInfo(row: TokenRow): ApiTokenInfo {
  return {
    id: row.id,
    accountId: row.account_id,
    name: row.name,
    types: row.types,
    permissions: row.permissions,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at ? row.last_used_at.toISOString() : null,
  };
}

const COLUMNS = "id, account_id, name, types, permissions, created_at, last_used_at";

export async function insertApiToken(
  pool: Pool,
  token: { id: string; accountId: string; name: string | null; types: readonly string[]; permissions: readonly TokenPermission[]; secretHash: Buffer },
): Promise<ApiTokenInfo> {
  const { rows } = await pool.query<TokenRow>(
    `INSERT INTO api_tokens (id, account_id, name, types, permissions, secret_hash)
     VALUES ($1, $2, $3, $4::text[], $5::text[], $6) RETURNING ${COLUMNS}`,
    [token.id, token.accountId, token.name, token.types, token.permissions, token.secretHash],
  );
  return toInfo(rows[0]!);
}

/** The account's tokens that still work, oldest first. */
export async function listApiTokens(pool: Pool, accountId: string): Promise<ApiTokenInfo[]> {
  const { rows } = await pool.query<TokenRow>(
    `SELECT ${COLUMNS} FROM api_tokens WHERE account_id = $1 AND revoked_at IS NULL ORDER BY created_at, id`,
    [accountId],
  );
  return rows.map(toInfo);
}

/** Revoke at once; false when the account has no such working token. */
export async function revokeApiToken(pool: Pool, accountId: string, id: string): Promise<boolean> {
  const { rowCount } = await pool.query(
    "UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL",
    [id, accountId],
  );
  return (rowCount ?? 0) > 0;
}

/**
 * The working token with this id, read on every request (a primary-key lookup): nothing is
 * cached, so a revoke takes effect on the next request in every process.
 */
export async function findActiveApiToken(pool: Pool, id: string): Promise<ActiveApiToken | null> {
  const { rows } = await pool.query<TokenRow & { secret_hash: Buffer }>(
    `SELECT ${COLUMNS}, secret_hash FROM api_tokens WHERE id = $1 AND revoked_at IS NULL`,
    [id],
  );
  const row = rows[0];
  return row ? { ...toInfo(row), secretHash: row.secret_hash } : null;
}

/** Record use, at most once per `minIntervalSeconds` per token, so a busy token is not a write per request. */
export async function touchApiToken(pool: Pool, id: string, minIntervalSeconds: number): Promise<void> {
  await pool.query(
    `UPDATE api_tokens SET last_used_at = now()
     WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - make_interval(secs => $2))`,
    [id, minIntervalSeconds],
  );
}
