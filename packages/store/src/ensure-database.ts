import pg from "pg";
import { DependencyUnavailableError } from "@optout/core";
import { DEFAULT_CONNECTION_TIMEOUT_MS } from "./pool.js";
import { withDefaultUser } from "./connection-url.js";

const INVALID_CATALOG_NAME = "3D000";
const DUPLICATE_DATABASE = "42P04";
const UNIQUE_VIOLATION = "23505";

/**
 * Create the database named in the URL if it does not exist and the role may create it.
 * Connects to the `postgres` maintenance database to do so.
 */
export async function ensureDatabase(rawUrl: string): Promise<{ created: boolean }> {
  const url = withDefaultUser(rawUrl);
  const probe = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: DEFAULT_CONNECTION_TIMEOUT_MS,
  });
  try {
    await probe.connect();
    return { created: false };
  } catch (err) {
    if ((err as { code?: string }).code !== INVALID_CATALOG_NAME) {
      throw new DependencyUnavailableError(
        "postgres",
        `cannot connect to ${redactUrl(url)}: ${(err as Error).message}`,
        {
          cause: err,
        },
      );
    }
  } finally {
    await probe.end().catch(() => undefined);
  }
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ""));
  target.pathname = "/postgres";
  const admin = new pg.Client({
    connectionString: target.toString(),
    connectionTimeoutMillis: DEFAULT_CONNECTION_TIMEOUT_MS,
  });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
    return { created: true };
  } catch (err) {
    // Processes starting at once (a rollout): another one created it. Postgres says so as
    // duplicate_database, or, when both inserts raced in the catalog, as a unique violation
    // on pg_database_datname_index.
    const code = (err as { code?: string }).code;
    if (code === DUPLICATE_DATABASE || code === UNIQUE_VIOLATION) return { created: false };
    throw new DependencyUnavailableError(
      "postgres",
      `database "${name}" does not exist and could not be created (${(err as Error).message}): create it or grant CREATEDB`,
      { cause: err },
    );
  } finally {
    await admin.end().catch(() => undefined);
  }
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "<invalid url>";
  }
}
