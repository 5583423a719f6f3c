import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import pg from "pg";
import type { Logger } from "@optout/core";
import type { Pool } from "./pool.js";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../migrations/", import.meta.url));

// Any fixed 64-bit number works; it only has to be the same in every process of the system.
const MIGRATION_LOCK_KEY = 4_242_001;

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{3,}_[a-z0-9_]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => ({
      version: Number(file.slice(0, file.indexOf("_"))),
      name: file.replace(/\.sql$/, ""),
      sql: await readFile(new URL(file, `file://${dir}`), "utf8"),
    })),
  );
}

/** The newest migration this code knows: the schema version it needs (it runs on any newer one). */
export async function requiredSchemaVersion(dir = MIGRATIONS_DIR): Promise<number> {
  const migrations = await loadMigrations(dir);
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

/** The newest migration applied in the schema; 0 when none (or no migrations table yet). */
export async function appliedSchemaVersion(pool: Pool, schema = "public"): Promise<number> {
  try {
    const { rows } = await pool.query<{ version: number | null }>(
      `SELECT max(version) AS version FROM ${pg.escapeIdentifier(schema)}.schema_migrations`,
    );
    return rows[0]?.version ?? 0;
  } catch (err) {
    if (
      (err as { code?: string }).code === UNDEFINED_TABLE ||
      (err as { code?: string }).code === INVALID_SCHEMA
    )
      return 0;
    throw err;
  }
}

const UNDEFINED_TABLE = "42P01";
const INVALID_SCHEMA = "3F000";

/**
 * Apply pending migrations in order, each in its own transaction, under a session advisory lock
 * so that many processes starting together migrate once. Returns the versions applied.
 *
 * The session has no statement timeout: a migration may take longer than the pool's 30 s, and
 * waiting for another process's lock must not fail after 30 s either. Compatibility rule
 * (expand, deploy, contract): a migration only adds what the new code needs (tables, nullable
 * columns, indexes built concurrently when large); what the previous release reads is removed
 * only in a later release, so the previous release's workers keep running on the new schema.
 */
export async function migrate(
  pool: Pool,
  options: { schema?: string; logger?: Logger } = {},
): Promise<number[]> {
  const schema = options.schema ?? "public";
  const migrations = await loadMigrations();
  const client = await pool.connect();
  try {
    await client.query("SET statement_timeout TO 0");
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
    await client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Set(
      (await client.query<{ version: number }>("SELECT version FROM schema_migrations")).rows.map(
        (r) => r.version,
      ),
    );
    const applied: number[] = [];
    for (const m of migrations) {
      if (done.has(m.version)) continue;
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [
          m.version,
          m.name,
        ]);
        await client.query("COMMIT");
      } catch (err) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      applied.push(m.version);
      options.logger?.info({ migration: m.name, schema }, "migration applied");
    }
    return applied;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => undefined);
    // The connection goes back to the pool: give it back its settings (timeout, search_path).
    await client.query("RESET statement_timeout; RESET search_path").catch(() => undefined);
    client.release();
  }
}
