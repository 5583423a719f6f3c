import type { Pool, PoolClient } from "./pool.js";

/**
 * Run `work` in one transaction on a pooled connection: commit when it resolves, roll back when
 * it throws. For a change and its audit entry.
 */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}
