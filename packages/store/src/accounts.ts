import { UnknownAccountError, UnknownOrganizationError } from "@optout/core";
import type { AccountSettings } from "@optout/schemas";
import type { Pool, PoolClient } from "./pool.js";

/** Per-account settings kept as JSON: one schema, in @optout/schemas, for the API and the workers. */
export type { AccountSettings };

export type ListScope = "organization" | "account";

export interface Organization {
  id: string;
  name: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Account {
  id: string;
  organizationId: string;
  listScope: ListScope;
  defaultCountry: string | null;
  settings: AccountSettings;
  createdAt: string;
  updatedAt: string;
}

interface AccountRow {
  id: string;
  organization_id: string;
  list_scope: ListScope;
  default_country: string | null;
  settings: AccountSettings;
  created_at: Date;
  updated_at: Date;
}

function toAccount(row: AccountRow): Account {
  return {
    id: row.id,
    organizationId: row.organization_id,
    listScope: row.list_scope,
    defaultCountry: row.default_country,
    settings: row.settings,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function upsertOrganization(
  pool: Pool,
  org: { id: string; name?: string | null },
): Promise<{ organization: Organization; created: boolean }> {
  const { rows } = await pool.query<{
    id: string;
    name: string | null;
    created_at: Date;
    updated_at: Date;
    created: boolean;
  }>(
    `INSERT INTO organizations (id, name) VALUES ($1, $2)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, updated_at = now()
     RETURNING id, name, created_at, updated_at, (xmax = 0) AS created`,
    [org.id, org.name ?? null],
  );
  const row = rows[0]!;
  return {
    organization: {
      id: row.id,
      name: row.name,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    },
    created: row.created,
  };
}

export async function getOrganization(pool: Pool, id: string): Promise<Organization | null> {
  const { rows } = await pool.query<{ id: string; name: string | null; created_at: Date; updated_at: Date }>(
    "SELECT id, name, created_at, updated_at FROM organizations WHERE id = $1",
    [id],
  );
  const row = rows[0];
  return row
    ? {
        id: row.id,
        name: row.name,
        createdAt: row.created_at.toISOString(),
        updatedAt: row.updated_at.toISOString(),
      }
    : null;
}

export interface AccountInput {
  id: string;
  organizationId: string;
  listScope?: ListScope;
  defaultCountry?: string | null;
  settings?: AccountSettings;
}

/** The write of `upsertAccount`, on a client inside the caller's transaction. */
export async function writeAccount(
  client: Pool | PoolClient,
  input: AccountInput,
): Promise<{ account: Account; created: boolean }> {
  try {
    const { rows } = await client.query<AccountRow & { created: boolean }>(
      `INSERT INTO accounts (id, organization_id, list_scope, default_country, settings)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET organization_id = EXCLUDED.organization_id, list_scope = EXCLUDED.list_scope,
         default_country = EXCLUDED.default_country, settings = EXCLUDED.settings, updated_at = now()
       RETURNING *, (xmax = 0) AS created`,
      [
        input.id,
        input.organizationId,
        input.listScope ?? "organization",
        input.defaultCountry ?? null,
        input.settings ?? {},
      ],
    );
    const row = rows[0]!;
    return { account: toAccount(row), created: row.created };
  } catch (err) {
    // foreign_key_violation: the organization named does not exist.
    if ((err as { code?: string }).code === "23503") throw new UnknownOrganizationError(input.organizationId);
    throw err;
  }
}

/** The account row, locked until the caller's transaction ends. */
export async function lockAccount(client: PoolClient, id: string): Promise<Account | null> {
  const { rows } = await client.query<AccountRow>("SELECT * FROM accounts WHERE id = $1 FOR UPDATE", [id]);
  return rows[0] ? toAccount(rows[0]) : null;
}

export async function getAccount(pool: Pool, id: string): Promise<Account | null> {
  const { rows } = await pool.query<AccountRow>("SELECT * FROM accounts WHERE id = $1", [id]);
  return rows[0] ? toAccount(rows[0]) : null;
}

export async function requireAccount(pool: Pool, id: string): Promise<Account> {
  const account = await getAccount(pool, id);
  if (!account) throw new UnknownAccountError(id);
  return account;
}
