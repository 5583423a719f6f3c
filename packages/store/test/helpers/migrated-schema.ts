import t from "tap";
import { randomSuffix, dropSchema, TEST_DATABASE_URL } from "@optout/testkit";
import { createPool, ensureDatabase, migrate, type Pool } from "@optout/store";

/**
 * A schema of its own with every migration applied, dropped when the test file ends: what each
 * store test starts from, so that test files run in parallel without seeing each other.
 */
export async function migratedSchema(max = 3): Promise<{ pool: Pool; schema: string }> {
  const schema = `t_${randomSuffix()}`;
  await ensureDatabase(TEST_DATABASE_URL);
  const pool = createPool({ url: TEST_DATABASE_URL, schema, max });
  t.teardown(async () => {
    await pool.end();
    await dropSchema(TEST_DATABASE_URL, schema);
  });
  await migrate(pool, { schema });
  return { pool, schema };
}
