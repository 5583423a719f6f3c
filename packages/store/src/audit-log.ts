/**
 * The audit trail: who did what through the API (migration 009). Entries are written by the
 * API, in the transaction of the change when there is one (pass its client), and read by the
 * account's admin, oldest first, in pages by id.
 */
import type { Pool, PoolClient } from "./pool.js";

/** The admin token, or an API token by its public id (never the token itself). */
export type AuditActor = { kind: "admin" } | { kind: "token"; tokenId: string };

export interface NewAuditEntry {
  accountId: string;
  actor: AuditActor;
  /** What was done, e.g. `account.update`, `token.create`, `optout.record`. */
  action: string;
  /** What it was done to (a token id, an identifier), when not the account itself. */
  target?: string | null;
  requestId?: string | null;
  /** Names and counts, never secrets: callers pass what may be shown to the account's admin. */
  details?: Record<string, unknown>;
}

export interface AuditEntry {
  id: number;
  accountId: string;
  occurredAt: string;
  actor: AuditActor;
  action: string;
  target: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

export async function insertAuditEntry(db: Pool | PoolClient, entry: NewAuditEntry): Promise<void> {
  await db.query(
    `INSERT INTO audit_log (account_id, actor_kind, actor_token_id, action, target, request_id, details)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb)`,
    [
      entry.accountId,
      entry.actor.kind,
      entry.actor.kind === "token" ? entry.actor.tokenId : null,
      entry.action,
      entry.target ?? null,
      entry.requestId ?? null,
      JSON.stringify(entry.details ?? {}),
    ],
  );
}

export interface AuditQuery {
  accountId: string;
  /** Entries after this id (the cursor). */
  after: number;
  limit: number;
  /** `admin`, or an API token id. */
  actor?: string;
  action?: string;
  /** occurred_at >= from */
  from?: string;
  /** occurred_at < to */
  to?: string;
}

interface AuditRow {
  id: string;
  account_id: string;
  occurred_at: Date;
  actor_kind: "admin" | "token";
  actor_token_id: string | null;
  action: string;
  target: string | null;
  request_id: string | null;
  details: Record<string, unknown>;
}

/** One page of an account's entries, oldest first (keyset on the account's index). */
export async function listAuditEntries(pool: Pool, query: AuditQuery): Promise<AuditEntry[]> {
  const { rows } = await pool.query<AuditRow>(
    `SELECT id, account_id, occurred_at, actor_kind, actor_token_id, action, target, request_id, details
     FROM audit_log
     WHERE account_id = $1 AND id > $2
       AND ($3::text IS NULL OR ($3 = 'admin' AND actor_kind = 'admin') OR actor_token_id = $3)
       AND ($4::text IS NULL OR action = $4)
       AND ($5::timestamptz IS NULL OR occurred_at >= $5)
       AND ($6::timestamptz IS NULL OR occurred_at < $6)
     ORDER BY id LIMIT $7`,
    [
      query.accountId,
      query.after,
      query.actor ?? null,
      query.action ?? null,
      query.from ?? null,
      query.to ?? null,
      query.limit,
    ],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    accountId: r.account_id,
    occurredAt: r.occurred_at.toISOString(),
    actor: r.actor_kind === "admin" ? { kind: "admin" } : { kind: "token", tokenId: r.actor_token_id ?? "" },
    action: r.action,
    target: r.target,
    requestId: r.request_id,
    details: r.details,
  }));
}
