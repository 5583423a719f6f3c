import type { Channel } from "@optout/schemas";
import type { Pool } from "./pool.js";
import { findOptedOutForCheck } from "./state.js";

/**
 * Erased recipients in the filtered group lists. An erasure deletes the contacts that held the
 * identifier, but the address book can get the number back (an import, a PUT); the list knows
 * the person only under the keyed hash of the identifier (./erasure.ts), which SQL cannot
 * compute (the key is the process's). So the lists hash their members here, in the process,
 * and only for a list that had an erasure: every other list pays one indexed EXISTS.
 */

/** Whether an identifier of this list was ever erased. */
export async function listHasErasures(pool: Pool, scope: string, channel: string): Promise<boolean> {
  const { rows } = await pool.query<{ erased: boolean }>(
    "SELECT EXISTS (SELECT 1 FROM erasures WHERE scope = $1 AND channel = $2) AS erased",
    [scope, channel],
  );
  return rows[0]?.erased === true;
}

/**
 * Among these identifiers (not opted out under themselves), those suppressed under their erased
 * form: the hash's row is opted out and newer than the identifier's own row (as the check
 * decides, findOptedOutForCheck), and no bypass group lets them through (./bypass.ts).
 */
export async function findErasedSuppressed(
  pool: Pool,
  list: { accountId: string; scope: string; channel: Channel },
  identifiers: readonly string[],
  erasedForm: (identifier: string) => string,
): Promise<Set<string>> {
  if (identifiers.length === 0) return new Set();
  const unique = [...new Set(identifiers)];
  const found = await findOptedOutForCheck(
    pool,
    list.scope,
    list.accountId,
    list.channel,
    unique,
    unique.map(erasedForm),
  );
  return new Set([...found].filter(([, f]) => !f.bypass).map(([id]) => id));
}
