import type { Account } from "./accounts.js";
import { getAccount } from "./accounts.js";
import type { Pool } from "./pool.js";
import { typed } from "./errors.js";

export const DEFAULT_ACCOUNT_CACHE_TTL_MS = 5_000;

/**
 * Accounts are read on every message and every check but change rarely: keep them in memory
 * for a few seconds. A changed list scope or setting is seen by every worker within the TTL;
 * the API that changes it calls `forget` so its own process sees it at once.
 */
export class AccountDirectory {
  readonly #pool: Pool;
  readonly #ttlMs: number;
  readonly #entries = new Map<
    string,
    { account: Account | null; expires: number; loading?: Promise<Account | null> }
  >();

  constructor(pool: Pool, ttlMs = DEFAULT_ACCOUNT_CACHE_TTL_MS) {
    this.#pool = pool;
    this.#ttlMs = ttlMs;
  }

  async get(id: string): Promise<Account | null> {
    const now = Date.now();
    const entry = this.#entries.get(id);
    if (entry && entry.expires > now) return entry.account;
    if (entry?.loading) return entry.loading;
    const loading = typed(() => getAccount(this.#pool, id));
    this.#entries.set(id, { account: entry?.account ?? null, expires: 0, loading });
    try {
      const account = await loading;
      this.#entries.set(id, { account, expires: Date.now() + this.#ttlMs });
      return account;
    } catch (err) {
      this.#entries.delete(id);
      throw err;
    }
  }

  forget(id: string): void {
    this.#entries.delete(id);
  }
}
