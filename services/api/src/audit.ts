/**
 * The audit trail of API changes (@optout/store audit_log): who (the admin token or an API
 * token's id, from the request's principal) did what to which account. Handlers call `audit`
 * with the client of the change's transaction, so the entry commits with the change or not at
 * all. Entries hold names and counts only: never a token, a secret or a setting's value.
 */
import type { FastifyRequest } from "fastify";
import { insertAuditEntry, type AuditActor, type Pool, type PoolClient } from "@optout/store";
import { principalOf } from "./auth.js";

/** Every action the audit trail records (the `action` filter of GET .../audit). */
export const AUDIT_ACTIONS = [
  "account.create",
  "account.update",
  "account.scope_change",
  "token.create",
  "token.revoke",
  "optout.record",
  "optout.import",
  "contact.import",
  "webhook.redeliver",
  "erasure.request",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function actorOf(request: FastifyRequest): AuditActor {
  const principal = principalOf(request);
  return principal.kind === "admin" ? { kind: "admin" } : { kind: "token", tokenId: principal.tokenId };
}

export async function audit(
  db: Pool | PoolClient,
  request: FastifyRequest,
  entry: {
    accountId: string;
    action: AuditAction;
    target?: string | null;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await insertAuditEntry(db, { ...entry, actor: actorOf(request), requestId: request.id });
}

/**
 * The settings a change touched, by name: top-level fields whose shown value differs, plus the
 * write-only ones (`webhook.secret`) that were set or changed. Values are never kept.
 */
export function changedFields(
  before: Record<string, unknown> | null,
  after: Record<string, unknown>,
  writeOnly: { before: unknown; after: unknown; name: string }[],
): string[] {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after)])].filter(
    (k) => k !== "updatedAt" && k !== "createdAt",
  );
  const changed = keys.filter((k) => JSON.stringify(before?.[k]) !== JSON.stringify(after[k]));
  for (const w of writeOnly) if (w.before !== w.after) changed.push(w.name);
  return changed.sort();
}
