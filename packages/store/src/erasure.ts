import { parseScope, resolveScope } from "@optout/domain";
import type { Channel } from "@optout/schemas";
import type { ListScope } from "./accounts.js";
import { ACCOUNT_SCOPE_LOCK_CLASS } from "./events.js";
import { CONTACT_IDENTIFIER_COLUMN } from "./contact-columns.js";
import type { Pool, PoolClient } from "./pool.js";

export interface ErasureRequest {
  accountId: string;
  channel: Channel;
  /** The normalized identifier to erase. */
  identifier: string;
  /** Its keyed hash (`erasedIdentifier` of @optout/domain): what the list keeps instead. */
  erased: string;
  /** "admin" or the API token id that asked: the audit row says who. */
  requestedBy: string;
}

/** The audit row of one erasure: the list and the keyed hash, never the identifier. */
export interface Erasure {
  id: string;
  accountId: string;
  scope: string;
  channel: Channel;
  identifierHash: string;
  requestedBy: string;
  /** History events whose identifier, reason and personal evidence were replaced or removed. */
  eventsErased: number;
  /** Contacts (with their group memberships) deleted from the address books of the list. */
  contactsDeleted: number;
  /** Opt-out links whose identifier was replaced by the hash (kept: campaign statistics count them). */
  linksErased: number;
  /** Whether the identifier was opted out when it was erased (it is afterwards in any case). */
  wasOptedOut: boolean;
  erasedAt: string;
}

/** What the API and the CLI show of an erasure: no scope (internal), never an identifier. */
export function publicErasureView(e: Erasure) {
  return {
    id: e.id,
    channel: e.channel,
    identifierHash: e.identifierHash,
    eventsErased: e.eventsErased,
    contactsDeleted: e.contactsDeleted,
    linksErased: e.linksErased,
    wasOptedOut: e.wasOptedOut,
    erasedAt: e.erasedAt,
  };
}

/**
 * Evidence keys an erasure keeps: they name a link and a campaign, not the person (the link's
 * identifier is replaced too). Everything else (an SMS text, a user agent, an IP prefix, a mail
 * subject) goes.
 */
export const ERASURE_KEPT_EVIDENCE = ["token", "campaignId"] as const;

/**
 * Erase one identifier from an account's list scope, in one transaction, and keep the person
 * suppressed under the keyed hash:
 * - the history: every event of the identifier in the list gets the hash as identifier, no
 *   reason and only ERASURE_KEPT_EVIDENCE (confirmation SMS payloads, which hold the number,
 *   are dropped; the event rows, their times and sources stay for the statistics);
 * - the state: the identifier's row goes; the hash's row says opted_out, since the identifier's
 *   opt-out when it had one, else now (an erasure request is also an objection to messages);
 *   its topic states go (the channel-wide opt-out wins over every topic);
 * - the address books of every account using the list: contacts with the identifier are deleted;
 * - links, webhook jobs: the identifier is replaced by the hash; confirmation records deleted.
 * The audit row names the hash, never the identifier. The Redis filter is the caller's: add
 * the hash to it after this returns (`Erasure.identifierHash`).
 */
export async function eraseIdentifier(
  pool: Pool,
  request: ErasureRequest,
  options: {
    /** More writes that must commit with the erasure (the API's audit entry). */
    beforeCommit?: (client: PoolClient, erasure: Erasure) => Promise<void>;
  } = {},
): Promise<Erasure | null> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const erasure = await eraseInTransaction(client, request);
    if (erasure !== null) await options.beforeCommit?.(client, erasure);
    await client.query(erasure === null ? "ROLLBACK" : "COMMIT");
    return erasure;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** The account's list, read under the shared scope lock (a scope change cannot move it meanwhile). */
async function scopeOf(client: PoolClient, accountId: string): Promise<string | null> {
  await client.query("SELECT pg_advisory_xact_lock_shared($1, hashtext($2))", [
    ACCOUNT_SCOPE_LOCK_CLASS,
    accountId,
  ]);
  const { rows } = await client.query<{ organization_id: string; list_scope: ListScope }>(
    "SELECT organization_id, list_scope FROM accounts WHERE id = $1",
    [accountId],
  );
  const row = rows[0];
  if (!row) return null;
  return resolveScope({ id: accountId, organizationId: row.organization_id, listScope: row.list_scope });
}

/** Every account whose list is `scope`: their address books and links hold the identifier too. */
async function accountsOfScope(client: PoolClient, scope: string): Promise<string[]> {
  const parsed = parseScope(scope);
  if (parsed === undefined) return [];
  const { rows } =
    parsed.listScope === "account"
      ? await client.query<{ id: string }>("SELECT id FROM accounts WHERE id = $1", [parsed.accountId])
      : await client.query<{ id: string }>(
          "SELECT id FROM accounts WHERE organization_id = $1 AND list_scope = 'organization'",
          [parsed.organizationId],
        );
  return rows.map((r) => r.id);
}

async function eraseInTransaction(client: PoolClient, request: ErasureRequest): Promise<Erasure | null> {
  const { channel, identifier, erased } = request;
  const scope = await scopeOf(client, request.accountId);
  if (scope === null) return null;
  const accounts = await accountsOfScope(client, scope);

  const events = await client.query<{ event_id: string }>(
    `UPDATE optout_events
        SET identifier = $4, reason = NULL,
            evidence = (SELECT coalesce(jsonb_object_agg(key, value), '{}'::jsonb)
                          FROM jsonb_each(evidence) WHERE key = ANY($5::text[]))
      WHERE scope = $1 AND channel = $2 AND identifier = $3
      RETURNING event_id`,
    [scope, channel, identifier, erased, ERASURE_KEPT_EVIDENCE],
  );
  const eventIds = events.rows.map((r) => r.event_id);
  if (eventIds.length > 0) {
    await client.query(
      "UPDATE sms_confirmation_decisions SET payload = NULL WHERE event_id = ANY($1::uuid[]) AND payload IS NOT NULL",
      [eventIds],
    );
  }

  const removed = await client.query<{ status: string; since: Date; last_event_id: string; source: string }>(
    `DELETE FROM optout_state WHERE scope = $1 AND channel = $2 AND identifier = $3
     RETURNING status, since, last_event_id, source`,
    [scope, channel, identifier],
  );
  const previous = removed.rows[0];
  const wasOptedOut = previous?.status === "opted_out";
  const { rows: audit } = await client.query<{ id: string; erased_at: Date }>(
    `INSERT INTO erasures (account_id, scope, channel, identifier_hash, requested_by, events_erased,
                           contacts_deleted, links_erased, was_opted_out)
     VALUES ($1, $2, $3, $4, $5, $6, 0, 0, $7) RETURNING id, erased_at`,
    [request.accountId, scope, channel, erased, request.requestedBy, eventIds.length, wasOptedOut],
  );
  const erasureId = audit[0]!.id;
  // The hash's row: opted out since the identifier's opt-out, else since now. Its last event is
  // the identifier's (now hashed) one, or the erasure itself when it had none.
  await client.query(
    `INSERT INTO optout_state (scope, channel, identifier, status, since, last_event_id, source)
     VALUES ($1, $2, $3, 'opted_out', $4, $5, $6)
     ON CONFLICT (scope, channel, identifier) DO UPDATE SET
       status = 'opted_out', since = EXCLUDED.since, last_event_id = EXCLUDED.last_event_id,
       source = EXCLUDED.source, reason = NULL,
       change_seq = nextval('optout_change_seq'), updated_at = now()`,
    [
      scope,
      channel,
      erased,
      wasOptedOut ? previous.since : new Date(),
      wasOptedOut ? previous.last_event_id : erasureId,
      wasOptedOut ? previous.source : "erasure",
    ],
  );

  // Topic states (migration 011) hold the identifier too: they go. Nothing is lost for the
  // suppression, the hash's channel-wide opt-out above wins over every topic.
  await client.query("DELETE FROM optout_topic_state WHERE scope = $1 AND channel = $2 AND identifier = $3", [
    scope,
    channel,
    identifier,
  ]);

  const column = CONTACT_IDENTIFIER_COLUMN[channel];
  // Memberships first (no foreign key to contacts, see migration 004), then the contacts.
  await client.query(
    `DELETE FROM group_members m USING contacts c
      WHERE c.account_id = ANY($1::text[]) AND c.${column} = $2
        AND m.account_id = c.account_id AND m.contact_id = c.id`,
    [accounts, identifier],
  );
  const contacts = await client.query(
    `DELETE FROM contacts WHERE account_id = ANY($1::text[]) AND ${column} = $2`,
    [accounts, identifier],
  );

  // A link of the same campaign may already carry the hash (a tag issued after an earlier
  // erasure): the identifier's twin goes, the unique target allows one.
  await client.query(
    `DELETE FROM links l WHERE l.account_id = ANY($1::text[]) AND l.channel = $2 AND l.identifier = $3
        AND EXISTS (SELECT 1 FROM links h WHERE h.account_id = l.account_id AND h.channel = l.channel
                      AND h.campaign_id = l.campaign_id AND h.identifier = $4)`,
    [accounts, channel, identifier, erased],
  );
  const links = await client.query(
    "UPDATE links SET identifier = $4 WHERE account_id = ANY($1::text[]) AND channel = $2 AND identifier = $3",
    [accounts, channel, identifier, erased],
  );
  await client.query(
    "UPDATE webhook_jobs SET identifier = $4 WHERE account_id = ANY($1::text[]) AND channel = $2 AND identifier = $3",
    [accounts, channel, identifier, erased],
  );
  await client.query(
    "DELETE FROM sms_confirmations WHERE account_id = ANY($1::text[]) AND channel = $2 AND identifier = $3",
    [accounts, channel, identifier],
  );

  const contactsDeleted = contacts.rowCount ?? 0;
  const linksErased = links.rowCount ?? 0;
  await client.query("UPDATE erasures SET contacts_deleted = $2, links_erased = $3 WHERE id = $1", [
    erasureId,
    contactsDeleted,
    linksErased,
  ]);
  return {
    id: erasureId,
    accountId: request.accountId,
    scope,
    channel,
    identifierHash: erased,
    requestedBy: request.requestedBy,
    eventsErased: eventIds.length,
    contactsDeleted,
    linksErased,
    wasOptedOut,
    erasedAt: audit[0]!.erased_at.toISOString(),
  };
}

/**
 * Whether the person behind `identifier` asked for erasure and has not opted back in since:
 * the hash's row is opted out and newer than any row of the identifier itself. An opt-in for
 * them from anyone else than the person (API, import) is refused then (see services/api).
 */
export async function isErased(
  pool: Pool,
  scope: string,
  channel: string,
  identifier: string,
  erased: string,
): Promise<boolean> {
  const { rows } = await pool.query<{ identifier: string; status: string }>(
    // Two equality probes, as in FIND_OPTED_OUT_SQL (./state.ts): a plan that cannot scan the list.
    `SELECT identifier, status FROM (
       (SELECT identifier, status, since FROM optout_state WHERE scope = $1 AND channel = $2 AND identifier = $3)
       UNION ALL
       (SELECT identifier, status, since FROM optout_state WHERE scope = $1 AND channel = $2 AND identifier = $4)
     ) AS both_forms
     ORDER BY since DESC, status = 'opted_out' DESC LIMIT 1`,
    [scope, channel, identifier, erased],
  );
  const latest = rows[0];
  return latest !== undefined && latest.identifier === erased && latest.status === "opted_out";
}
