import { createHash, randomBytes } from "node:crypto";
import type { Pool, PoolClient } from "./pool.js";

/**
 * What a token may do: read and write its types' lists (independent: a write-only token cannot
 * read), read its account's audit trail and webhook delivery log (`audit:read`), and erase a
 * person's data (`erasure:write`, GDPR: never implied by write, an erasure cannot be undone).
 */
export const TOKEN_PERMISSIONS = ["read", "write", "audit:read", "erasure:write"] as const;
export type TokenPermission = (typeof TOKEN_PERMISSIONS)[number];

// ---- token format: `oo_<16 base62 id>_<32 base62 secret>`; only its SHA-256 is stored ----------

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const TOKEN_ID_LENGTH = 16;
export const TOKEN_SECRET_LENGTH = 32;
/** A well-formed token; group 1 is its id. */
export const API_TOKEN_PATTERN = new RegExp(
  `^oo_([0-9A-Za-z]{${TOKEN_ID_LENGTH}})_[0-9A-Za-z]{${TOKEN_SECRET_LENGTH}}$`,
);

function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 * 62: rejecting the rest keeps every character equally likely.
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

/** What is stored of a token, and compared in constant time on every request. */
export function hashApiToken(token: string): Buffer {
  return createHash("sha256").update(token).digest();
}

/**
 * A new token (~190 bits of secret) and the hash to store. One generator for the API's
 * `POST .../tokens` and `optout tokens create`.
 */
export function generateApiToken(): { id: string; token: string; hash: Buffer } {
  const id = randomBase62(TOKEN_ID_LENGTH);
  const token = `oo_${id}_${randomBase62(TOKEN_SECRET_LENGTH)}`;
  return { id, token, hash: hashApiToken(token) };
}

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

/** A token as its owner may see it (API and CLI alike): no account id, never a secret or its hash. */
export function publicTokenView(info: ApiTokenInfo) {
  return {
    id: info.id,
    name: info.name,
    types: info.types,
    permissions: info.permissions,
    createdAt: info.createdAt,
    lastUsedAt: info.lastUsedAt,
  };
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
  pool: Pool | PoolClient,
  token: {
    id: string;
    accountId: string;
    name: string | null;
    types: readonly string[];
    permissions: readonly TokenPermission[];
    secretHash: Buffer;
  },
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
export async function revokeApiToken(
  pool: Pool | PoolClient,
  accountId: string,
  id: string,
): Promise<boolean> {
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
