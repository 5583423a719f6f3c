/**
 * Browsing: organizations, accounts, groups and contacts in id order, a page at a time (keyset on
 * the id: `after` is the last id of the previous page), optionally narrowed to ids (and, for
 * contacts, phone numbers or email addresses) that start with a prefix.
 *
 * Every comparison is in the "C" collation (byte order), so a prefix is one contiguous range of an
 * index whatever the database's collation (migration 012 adds the "C" indexes).
 */
import type { Channel } from "@optout/schemas";
import type { Organization } from "./accounts.js";
import { toContact, toGroup, type Contact, type ContactRow, type Group, type GroupRow } from "./contacts.js";
import { CONTACT_IDENTIFIER_COLUMN } from "./contact-columns.js";
import type { Pool } from "./pool.js";

export interface BrowseQuery {
  /** Only ids (identifiers) starting with this; absent or "" for all. */
  prefix?: string;
  /** Keyset: the last id of the previous page ("" or absent before the first). */
  after?: string;
  limit: number;
}

/** A LIKE pattern for "starts with `prefix`": the prefix's own `%`, `_` and `\` match themselves. */
export function prefixPattern(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listOrganizations(pool: Pool, query: BrowseQuery): Promise<Organization[]> {
  const { rows } = await pool.query<{ id: string; name: string | null; created_at: Date; updated_at: Date }>(
    `SELECT id, name, created_at, updated_at FROM organizations
     WHERE id COLLATE "C" > $1 AND ($2::text IS NULL OR id COLLATE "C" LIKE $2)
     ORDER BY id COLLATE "C" LIMIT $3`,
    [query.after ?? "", query.prefix ? prefixPattern(query.prefix) : null, query.limit],
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  }));
}

export async function listGroups(pool: Pool, accountId: string, query: BrowseQuery): Promise<Group[]> {
  const { rows } = await pool.query<GroupRow>(
    `SELECT * FROM groups
     WHERE account_id = $1 AND id > $2 AND ($3::text IS NULL OR id LIKE $3)
     ORDER BY id LIMIT $4`,
    [accountId, query.after ?? "", query.prefix ? prefixPattern(query.prefix) : null, query.limit],
  );
  return rows.map(toGroup);
}

export interface ContactSearch extends BrowseQuery {
  /**
   * The channels whose identifier the prefix may match besides the contact id (a typed token's
   * types: an sms token must not find contacts by their email address).
   */
  channels: readonly Channel[];
}

/**
 * Contacts in id order, with their groups; with a prefix, those whose id, phone number (E.164,
 * e.g. "+3161") or email address (as stored: lower-case, punycode domain) starts with it. The
 * prefix is matched against email addresses lower-cased, since they are stored so.
 */
export async function searchContacts(
  pool: Pool,
  accountId: string,
  query: ContactSearch,
): Promise<Contact[]> {
  const values: unknown[] = [accountId, query.after ?? "", query.limit];
  let match = "";
  if (query.prefix) {
    // One OR arm per column; each is a range of its own index (a BitmapOr), the rows then sorted by id.
    const arms = [`c.id LIKE $${values.push(prefixPattern(query.prefix))}`];
    for (const channel of query.channels) {
      const column = CONTACT_IDENTIFIER_COLUMN[channel];
      const pattern = prefixPattern(channel === "email" ? query.prefix.toLowerCase() : query.prefix);
      arms.push(`c.${column} COLLATE "C" LIKE $${values.push(pattern)}`);
    }
    match = `AND (${arms.join(" OR ")})`;
  }
  const { rows } = await pool.query<ContactRow & { groups: string[] }>(
    `SELECT c.*, ARRAY(SELECT m.group_id FROM group_members m
                       WHERE m.account_id = c.account_id AND m.contact_id = c.id
                       ORDER BY m.group_id) AS groups
     FROM contacts c
     WHERE c.account_id = $1 AND c.id > $2 ${match}
     ORDER BY c.id LIMIT $3`,
    values,
  );
  return rows.map((row) => toContact(row, row.groups));
}
