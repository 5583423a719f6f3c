/**
 * Where an account's opt-outs live. By default every account of an organization shares the
 * organization's list (an opt-out for one brand silences them all); an account with its own
 * list is isolated in both directions.
 */
export type ListScope = "organization" | "account";

export interface ScopedAccount {
  id: string;
  organizationId: string;
  listScope: ListScope;
}

export type ParsedScope =
  { listScope: "organization"; organizationId: string } | { listScope: "account"; accountId: string };

const ORG_PREFIX = "org:";
const ACCOUNT_PREFIX = "account:";

export function resolveScope(account: ScopedAccount): string {
  switch (account.listScope) {
    case "organization":
      return ORG_PREFIX + requireId(account.organizationId, "organizationId");
    case "account":
      return ACCOUNT_PREFIX + requireId(account.id, "id");
    default:
      // Reachable from untyped callers (JSON rows); a silent default would merge lists.
      throw new TypeError(
        `unknown listScope ${JSON.stringify(account.listScope)}: use "organization" or "account"`,
      );
  }
}

/** The inverse of `resolveScope`; undefined for anything it could not have produced. */
export function parseScope(scope: string): ParsedScope | undefined {
  if (scope.startsWith(ORG_PREFIX)) {
    const organizationId = scope.slice(ORG_PREFIX.length);
    return organizationId ? { listScope: "organization", organizationId } : undefined;
  }
  if (scope.startsWith(ACCOUNT_PREFIX)) {
    const accountId = scope.slice(ACCOUNT_PREFIX.length);
    return accountId ? { listScope: "account", accountId } : undefined;
  }
  return undefined;
}

function requireId(id: string, field: string): string {
  // An empty id would produce "org:", a scope shared by every broken row.
  if (typeof id !== "string" || id.length === 0) {
    throw new TypeError(`account.${field} is empty: a scope needs a non-empty id`);
  }
  return id;
}
