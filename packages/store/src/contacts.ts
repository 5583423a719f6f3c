import type { Channel } from "@optout/schemas";
import { CONTACT_IDENTIFIER_COLUMN } from "./contact-columns.js";
import type { Pool, PoolClient } from "./pool.js";
import { inTransaction } from "./transaction.js";

/** A named set of contacts. Members of a `bypassOptOut` group are sent to even when opted out. */
export interface Group {
  accountId: string;
  id: string;
  name: string;
  bypassOptOut: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A contact as written: normalized identifiers beside what the client sent. */
export interface ContactInput {
  id: string;
  phoneRaw: string | null;
  /** E.164, or null. */
  phone: string | null;
  emailRaw: string | null;
  /** The normalized address, or null. */
  email: string | null;
  fields: Record<string, unknown>;
}

export interface Contact extends ContactInput {
  accountId: string;
  /** Ids of the groups the contact is in, in id order. */
  groups: string[];
  createdAt: string;
  updatedAt: string;
}

/** One row of a bulk import: groups are added to the contact's memberships, fields merged. */
export interface ContactBatchRow extends ContactInput {
  groups: readonly string[];
}

export interface GroupRow {
  account_id: string;
  id: string;
  name: string;
  bypass_opt_out: boolean;
  created_at: Date;
  updated_at: Date;
}

export function toGroup(row: GroupRow): Group {
  return {
    accountId: row.account_id,
    id: row.id,
    name: row.name,
    bypassOptOut: row.bypass_opt_out,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function upsertGroup(
  pool: Pool,
  group: { accountId: string; id: string; name: string; bypassOptOut: boolean },
): Promise<{ group: Group; created: boolean }> {
  const { rows } = await pool.query<GroupRow & { created: boolean }>(
    `INSERT INTO groups (account_id, id, name, bypass_opt_out) VALUES ($1, $2, $3, $4)
     ON CONFLICT (account_id, id) DO UPDATE SET name = EXCLUDED.name, bypass_opt_out = EXCLUDED.bypass_opt_out, updated_at = now()
     RETURNING *, (xmax = 0) AS created`,
    [group.accountId, group.id, group.name, group.bypassOptOut],
  );
  const row = rows[0]!;
  return { group: toGroup(row), created: row.created };
}

export async function getGroup(pool: Pool, accountId: string, id: string): Promise<Group | null> {
  const { rows } = await pool.query<GroupRow>("SELECT * FROM groups WHERE account_id = $1 AND id = $2", [
    accountId,
    id,
  ]);
  return rows[0] ? toGroup(rows[0]) : null;
}

/** Delete a group and its memberships (not the contacts). False when there was none. */
export async function deleteGroup(pool: Pool, accountId: string, id: string): Promise<boolean> {
  const { rowCount } = await pool.query("DELETE FROM groups WHERE account_id = $1 AND id = $2", [
    accountId,
    id,
  ]);
  return (rowCount ?? 0) > 0;
}

/**
 * Create the groups named that do not exist yet, named after their id and never bypassing
 * opt-outs (only an explicit `PUT .../groups/{id}` can make a group bypass). Returns the ids
 * created.
 */
export async function ensureGroups(
  client: PoolClient | Pool,
  accountId: string,
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const { rows } = await client.query<{ id: string }>(
    `INSERT INTO groups (account_id, id, name)
     SELECT $1, g, g FROM unnest($2::text[]) AS g ORDER BY g
     ON CONFLICT (account_id, id) DO NOTHING
     RETURNING id`,
    [accountId, [...new Set(ids)]],
  );
  return rows.map((r) => r.id);
}

export interface ContactRow {
  account_id: string;
  id: string;
  phone_raw: string | null;
  phone: string | null;
  email_raw: string | null;
  email: string | null;
  fields: Record<string, unknown>;
  created_at: Date;
  updated_at: Date;
}

export function toContact(row: ContactRow, groups: string[]): Contact {
  return {
    accountId: row.account_id,
    id: row.id,
    phoneRaw: row.phone_raw,
    phone: row.phone,
    emailRaw: row.email_raw,
    email: row.email,
    fields: row.fields,
    groups,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Options of the contact writers: which channels' identifier columns the caller writes. */
export interface ContactWriteOptions {
  /**
   * A typed token's channels: only their identifier columns (and `*_raw`) are written; those of
   * other channels keep their stored values (null on a new contact). All channels by default.
   */
  channels?: readonly Channel[];
}

/** `phone_raw = EXCLUDED.phone_raw, phone = EXCLUDED.phone, ...` for the channels written (column names from the table, never from input). */
function identifierUpdates(channels: readonly Channel[] | undefined): string {
  return (Object.entries(CONTACT_IDENTIFIER_COLUMN) as [Channel, string][])
    .filter(([channel]) => channels === undefined || channels.includes(channel))
    .map(([, column]) => `${column}_raw = EXCLUDED.${column}_raw, ${column} = EXCLUDED.${column},`)
    .join(" ");
}

async function groupsOf(client: PoolClient | Pool, accountId: string, contactId: string): Promise<string[]> {
  const { rows } = await client.query<{ group_id: string }>(
    "SELECT group_id FROM group_members WHERE account_id = $1 AND contact_id = $2 ORDER BY group_id",
    [accountId, contactId],
  );
  return rows.map((r) => r.group_id);
}

/**
 * Create or replace a contact. `groups`, when given, becomes its exact set of memberships
 * (unknown groups are created, see `ensureGroups`); when undefined the memberships stay.
 */
export async function putContact(
  pool: Pool,
  accountId: string,
  input: ContactInput,
  groups?: readonly string[],
  options: ContactWriteOptions = {},
): Promise<{ contact: Contact; created: boolean; groupsCreated: string[] }> {
  return inTransaction(pool, async (client) => {
    const { rows } = await client.query<ContactRow & { created: boolean }>(
      `INSERT INTO contacts (account_id, id, phone_raw, phone, email_raw, email, fields)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (account_id, id) DO UPDATE SET ${identifierUpdates(options.channels)}
         fields = EXCLUDED.fields, updated_at = now()
       RETURNING *, (xmax = 0) AS created`,
      [
        accountId,
        input.id,
        input.phoneRaw,
        input.phone,
        input.emailRaw,
        input.email,
        JSON.stringify(input.fields),
      ],
    );
    let groupsCreated: string[] = [];
    if (groups !== undefined) {
      const wanted = [...new Set(groups)].sort();
      groupsCreated = await ensureGroups(client, accountId, wanted);
      await client.query(
        "DELETE FROM group_members WHERE account_id = $1 AND contact_id = $2 AND group_id <> ALL($3::text[])",
        [accountId, input.id, wanted],
      );
      await client.query(
        `INSERT INTO group_members (account_id, group_id, contact_id)
         SELECT $1, g, $2 FROM unnest($3::text[]) AS g ON CONFLICT DO NOTHING`,
        [accountId, input.id, wanted],
      );
    }
    const row = rows[0]!;
    return {
      contact: toContact(row, await groupsOf(client, accountId, input.id)),
      created: row.created,
      groupsCreated,
    };
  });
}

export async function getContact(pool: Pool, accountId: string, id: string): Promise<Contact | null> {
  const { rows } = await pool.query<ContactRow>("SELECT * FROM contacts WHERE account_id = $1 AND id = $2", [
    accountId,
    id,
  ]);
  const row = rows[0];
  return row ? toContact(row, await groupsOf(pool, accountId, id)) : null;
}

/**
 * Delete a contact and its memberships: `deleted` false when there was none. With `channels`
 * (a typed token's), a contact that has an identifier of another channel is kept and that
 * channel returned as `keptFor`: the caller may not remove what it cannot write.
 */
export async function deleteContact(
  pool: Pool,
  accountId: string,
  id: string,
  options: ContactWriteOptions = {},
): Promise<{ deleted: boolean; keptFor?: Channel }> {
  const others = (Object.entries(CONTACT_IDENTIFIER_COLUMN) as [Channel, string][]).filter(
    ([channel]) => options.channels !== undefined && !options.channels.includes(channel),
  );
  return inTransaction(pool, async (client) => {
    // Memberships have no foreign key to contacts (see migration 004): remove them here,
    // after the contact: that delete waits for an import writing the same contact, and the
    // next statement then sees the memberships that import committed.
    const { rowCount } = await client.query(
      `DELETE FROM contacts WHERE account_id = $1 AND id = $2 ${others.map(([, column]) => `AND ${column} IS NULL`).join(" ")}`,
      [accountId, id],
    );
    if ((rowCount ?? 0) === 0) {
      if (others.length === 0) return { deleted: false };
      const { rows } = await client.query<Record<string, string | null>>(
        `SELECT ${others.map(([, column]) => column).join(", ")} FROM contacts WHERE account_id = $1 AND id = $2`,
        [accountId, id],
      );
      const row = rows[0];
      const keptFor = row === undefined ? undefined : others.find(([, column]) => row[column] !== null)?.[0];
      return keptFor === undefined ? { deleted: false } : { deleted: false, keptFor };
    }
    await client.query("DELETE FROM group_members WHERE account_id = $1 AND contact_id = $2", [
      accountId,
      id,
    ]);
    return { deleted: true };
  });
}

/**
 * Write one batch of an import in one transaction: create missing groups, upsert the contacts
 * (only the identifier columns of `options.channels`), add the memberships. The result is the same as applying the rows one by one: a contact id
 * seen twice keeps the later identifiers, the union of the groups and the merged fields (ON
 * CONFLICT cannot touch a row twice in one statement, so the batch is folded first). Rows are
 * written in key order, which keeps B-tree inserts local and concurrent imports deadlock-free.
 */
export async function upsertContactBatch(
  pool: Pool,
  accountId: string,
  rows: readonly ContactBatchRow[],
  options: ContactWriteOptions = {},
): Promise<{ contacts: number; memberships: number; groupsCreated: string[] }> {
  if (rows.length === 0) return { contacts: 0, memberships: 0, groupsCreated: [] };
  const byId = new Map<string, ContactBatchRow & { groupSet: Set<string> }>();
  for (const row of rows) {
    const seen = byId.get(row.id);
    if (!seen) {
      byId.set(row.id, { ...row, fields: { ...row.fields }, groupSet: new Set(row.groups) });
      continue;
    }
    seen.phoneRaw = row.phoneRaw;
    seen.phone = row.phone;
    seen.emailRaw = row.emailRaw;
    seen.email = row.email;
    Object.assign(seen.fields, row.fields);
    for (const g of row.groups) seen.groupSet.add(g);
  }
  const ids = [...byId.keys()].sort();
  const contacts = ids.map((id) => byId.get(id)!);
  const memberGroups: string[] = [];
  const memberContacts: string[] = [];
  const allGroups = new Set<string>();
  for (const c of contacts) {
    for (const g of c.groupSet) {
      allGroups.add(g);
      memberGroups.push(g);
      memberContacts.push(c.id);
    }
  }
  // Group-major order for the membership index: (group, contact) with contacts already sorted.
  const order = memberGroups
    .map((_, i) => i)
    .sort((a, b) =>
      memberGroups[a]! < memberGroups[b]! ? -1 : memberGroups[a]! > memberGroups[b]! ? 1 : a - b,
    );

  return inTransaction(pool, async (client) => {
    const groupsCreated = await ensureGroups(client, accountId, [...allGroups]);
    // Fields merge (`||`): a CSV import carries none and leaves those set by the API alone.
    await client.query(
      `INSERT INTO contacts (account_id, id, phone_raw, phone, email_raw, email, fields)
       SELECT $1, id, phone_raw, phone, email_raw, email, fields::jsonb
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
         AS t(id, phone_raw, phone, email_raw, email, fields)
       ON CONFLICT (account_id, id) DO UPDATE SET ${identifierUpdates(options.channels)}
         fields = contacts.fields || EXCLUDED.fields, updated_at = now()`,
      [
        accountId,
        ids,
        contacts.map((c) => c.phoneRaw),
        contacts.map((c) => c.phone),
        contacts.map((c) => c.emailRaw),
        contacts.map((c) => c.email),
        contacts.map((c) => JSON.stringify(c.fields)),
      ],
    );
    if (order.length > 0) {
      await client.query(
        `INSERT INTO group_members (account_id, group_id, contact_id)
         SELECT $1, g, c FROM unnest($2::text[], $3::text[]) AS t(g, c)
         ON CONFLICT DO NOTHING`,
        [accountId, order.map((i) => memberGroups[i]!), order.map((i) => memberContacts[i]!)],
      );
    }
    return { contacts: ids.length, memberships: order.length, groupsCreated };
  });
}
