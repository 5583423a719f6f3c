import pg from "pg";
import type { Redis } from "ioredis";
import { createTestEnv, type TestEnv } from "@optout/testkit";
import { filterKeys } from "@optout/cache";
import { FIELDS } from "@optout/config";
import {
  FIND_OPTED_OUT_SQL,
  streamOptedOut,
  upsertAccount,
  upsertOrganization,
  withDefaultUser,
  type AccountSettings,
  type Pool,
} from "@optout/store";
import type { InfrastructureConfig } from "@optout/runtime";
import type { BenchOptions } from "./options.js";

/** Bench environments log warnings only: a debug line per batch would be measured too. */
process.env.TEST_LOG_LEVEL ??= "warn";

/** An isolated installation (namespace, schema, Redis prefix) on the local servers. */
export async function openEnv(
  options: BenchOptions,
  name: string,
  overrides: Partial<InfrastructureConfig> = {},
): Promise<TestEnv> {
  return createTestEnv({
    name,
    overrides: {
      databaseUrl: options.databaseUrl,
      // The production defaults (DATABASE_POOL_SIZE, BLOOM_*), not the test kit's small ones.
      databasePoolSize: 5,
      bloomExpectedEntries: 1_000_000,
      bloomFalsePositiveRate: 0.001,
      bloomBlocksPerEntry: configuredLayout(),
      ...overrides,
    },
  });
}

/** BLOOM_BLOCKS_PER_ENTRY as the services read it (the config default unless set). */
export function configuredLayout(): 1 | 2 {
  const raw = process.env.BLOOM_BLOCKS_PER_ENTRY ?? String(FIELDS.bloomBlocksPerEntry.default);
  return raw === "2" ? 2 : 1;
}

/** The environment of a worker process spawned on this installation. */
export function serviceEnv(env: TestEnv, extra: Record<string, string> = {}): Record<string, string> {
  const c = env.config;
  return {
    NATS_URL: c.natsUrl,
    DATABASE_URL: c.databaseUrl,
    DATABASE_SCHEMA: c.databaseSchema,
    DATABASE_POOL_SIZE: String(c.databasePoolSize),
    REDIS_URL: c.redisUrl,
    OPTOUT_NAMESPACE: c.namespace,
    BLOOM_EXPECTED_ENTRIES: String(c.bloomExpectedEntries),
    BLOOM_FALSE_POSITIVE_RATE: String(c.bloomFalsePositiveRate),
    BLOOM_BLOCKS_PER_ENTRY: String(c.bloomBlocksPerEntry ?? 1),
    // suppression-check refuses to start without it (erased identifiers are found by it).
    ERASURE_HASH_SECRET: "bench-erasure-hash-secret-0123",
    ...extra,
  };
}

export async function createAccount(
  env: TestEnv,
  id: string,
  options: { listScope?: "organization" | "account"; settings?: AccountSettings } = {},
): Promise<string> {
  const org = `${id}-org`;
  await upsertOrganization(env.infra.pool, { id: org });
  await upsertAccount(env.infra.pool, {
    id,
    organizationId: org,
    listScope: options.listScope ?? "account",
    defaultCountry: "NL",
    settings: options.settings ?? {},
  });
  env.infra.accounts.forget(id);
  return options.listScope === "organization" ? `org:${org}` : `account:${id}`;
}

/**
 * The i-th member of a seeded list: a valid Dutch mobile number, `+316` followed by 8 digits
 * from 10000000 upwards (room for 50M).
 */
export function member(i: number): string {
  return `+316${10_000_000 + i}`;
}

/** A valid Dutch mobile number that is never a member (+3166/+3168 ranges). */
export function nonMember(random: () => number = Math.random): string {
  const prefix = random() < 0.5 ? "+3166" : "+3168";
  return `${prefix}${String(Math.floor(random() * 10_000_000)).padStart(7, "0")}`;
}

/** A small deterministic PRNG (mulberry32), so every run checks the same recipients. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Opt-outs written straight into the current-state table with generate_series (as an import
 * would leave them), in primary-key order so the index grows at its right edge. Much faster
 * than recording events, which the ingest scenario measures on its own.
 */
export async function seedOptOuts(
  env: TestEnv,
  scope: string,
  count: number,
  onProgress?: (done: number) => void,
  { analyze = true }: { analyze?: boolean } = {},
): Promise<void> {
  // One statement per million rows keeps each transaction (and its WAL burst) bounded.
  const step = 1_000_000;
  const client = new pg.Client({
    connectionString: withDefaultUser(env.config.databaseUrl),
    options: `-c search_path=${env.config.databaseSchema}`,
  });
  await client.connect();
  try {
    // Bulk-load mode when the role may (a superuser): no per-row foreign-key check and no
    // change_seq trigger (each takes an advisory lock). The rows are valid by construction.
    await client.query("SET session_replication_role = replica").catch(() => undefined);
    for (let from = 0; from < count; from += step) {
      const to = Math.min(count, from + step);
      await client.query(
        `INSERT INTO optout_state (scope, channel, identifier, status, since, last_event_id, source, change_seq)
         SELECT $1, 'sms', '+316' || (10000000 + i)::text, 'opted_out', '2026-01-01T00:00:00Z',
                '00000000-0000-0000-0000-000000000000', 'import', i
         FROM generate_series($2::bigint, $3::bigint - 1) AS i`,
        [scope, from, to],
      );
      onProgress?.(to);
    }
    // The fresh-list scenario measures the table as a bulk load leaves it: without statistics.
    if (analyze) await client.query("ANALYZE optout_state");
  } finally {
    await client.end();
  }
}

/** Rebuild the list's Redis filter from Postgres, as the check service does after a miss. */
export async function buildFilter(env: TestEnv, scope: string): Promise<{ entries: number; ms: number }> {
  const pool: Pool = env.infra.pool;
  const result = await env.infra.filter.rebuild(scope, "sms", () => streamOptedOut(pool, scope, "sms"));
  if (result.skipped)
    throw new Error(`filter rebuild of ${scope} was skipped: another rebuild holds the lock`);
  return result;
}

/** MEMORY USAGE of the list's live bitmap (the bytes Redis holds for it). */
export async function filterMemory(redis: Redis, prefix: string, scope: string): Promise<number> {
  return Number(await redis.call("MEMORY", "USAGE", filterKeys(prefix, scope, "sms").live, "SAMPLES", "0"));
}

/** A check request for these recipients, encoded once and sent many times. */
export function encodeCheck(accountId: string, recipients: readonly string[]): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ accountId, channel: "sms", recipients }));
}

/** EXPLAIN of the opt-out confirm (FIND_OPTED_OUT_SQL) for these identifiers of a list. */
export async function explainConfirm(
  env: TestEnv,
  scope: string,
  identifiers: readonly string[],
): Promise<string> {
  const { rows } = await env.infra.pool.query<{ "QUERY PLAN": string }>(`EXPLAIN ${FIND_OPTED_OUT_SQL}`, [
    scope,
    "sms",
    identifiers,
  ]);
  return rows.map((r) => r["QUERY PLAN"]).join("\n");
}

/** The plan the confirm must have whatever the statistics: a primary-key probe per identifier. */
export function probesPrimaryKey(plan: string): boolean {
  return (
    /Nested Loop/.test(plan) && /Index Scan using optout_state_pkey/.test(plan) && !/Seq Scan/.test(plan)
  );
}

/** Write dirty pages out now, so a checkpoint does not land in the next measurement. */
export async function checkpoint(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDefaultUser(databaseUrl) });
  await client.connect();
  try {
    await client.query("CHECKPOINT");
  } finally {
    await client.end();
  }
}
