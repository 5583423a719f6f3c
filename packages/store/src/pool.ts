import pg from "pg";
import type { Logger } from "@optout/core";
import { withDefaultUser } from "./connection-url.js";

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;

export interface CreatePoolOptions {
  url: string;
  /** Postgres schema for every table; tests use one per run so they never see each other. */
  schema?: string;
  max?: number;
  logger?: Logger;
  applicationName?: string;
}

export const DEFAULT_CONNECTION_TIMEOUT_MS = 5_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30_000;

// timestamptz comes back as an ISO string we format ourselves; parsing to Date and back loses
// nothing but costs time on the hot path, so keep pg's text and convert where it is used.
pg.types.setTypeParser(pg.types.builtins.INT8, (v: string) => Number(v));

export function createPool(options: CreatePoolOptions): Pool {
  const schema = options.schema ?? "public";
  const pool = new pg.Pool({
    connectionString: withDefaultUser(options.url),
    max: options.max ?? 5,
    // The pg default waits forever for a connection; a dead database must surface as an error.
    connectionTimeoutMillis: DEFAULT_CONNECTION_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    statement_timeout: DEFAULT_STATEMENT_TIMEOUT_MS,
    application_name: options.applicationName ?? "optout",
    options: `-c search_path=${schema}`,
  });
  // An idle client losing its connection emits 'error' on the pool; unhandled it kills the process.
  pool.on("error", (err) => options.logger?.warn({ err: err.message }, "postgres idle client error"));
  // A client checked out between two statements of a transaction (no query running) emits
  // 'error' on itself when the connection drops, and the pool listens only to idle ones: without
  // this a Postgres outage during ingest kills the worker. The failure still reaches the caller
  // through its next query, which rejects.
  pool.on("connect", (client) => {
    client.on("error", (err) => options.logger?.warn({ err: err.message }, "postgres connection lost"));
  });
  return pool;
}
