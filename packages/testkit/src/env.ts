import { randomBytes } from "node:crypto";
import { Writable } from "node:stream";
import pg from "pg";
import { withDefaultUser } from "@optout/store";
import { createLogger, type Logger } from "@optout/core";
import {
  openInfrastructure,
  prepareInfrastructure,
  type Infrastructure,
  type InfrastructureConfig,
} from "@optout/runtime";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://127.0.0.1:5432/optout_test";
export const TEST_NATS_URL = process.env.TEST_NATS_URL ?? process.env.NATS_URL ?? "nats://127.0.0.1:4222";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** A lower-case random suffix usable in subjects, stream names, schema names and Redis keys. */
export function randomSuffix(bytes = 5): string {
  return randomBytes(bytes).toString("hex");
}

/** A logger whose JSON lines are kept in memory, to assert on what was (not) logged. */
export function createCapturingLogger(name = "test"): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ name, level: process.env.TEST_LOG_LEVEL ?? "debug", destination }), lines };
}

/** The infrastructure settings of a test installation, plus STREAM_REPLICAS for the streams it creates. */
export type TestEnvConfig = InfrastructureConfig & { streamReplicas?: number };

export interface TestEnv {
  config: TestEnvConfig;
  infra: Infrastructure;
  logLines: string[];
  /** Stop everything the test opened and delete its streams, schema and keys. */
  teardown(): Promise<void>;
}

/**
 * An isolated installation on the shared servers: its own namespace (subjects, streams,
 * consumers, Redis keys) and its own Postgres schema, so test files run in parallel.
 */
export async function createTestEnv(
  options: { name?: string; overrides?: Partial<TestEnvConfig> } = {},
): Promise<TestEnv> {
  const suffix = randomSuffix();
  const config: TestEnvConfig = {
    natsUrl: TEST_NATS_URL,
    databaseUrl: TEST_DATABASE_URL,
    databaseSchema: `t_${suffix}`,
    databasePoolSize: 4,
    redisUrl: TEST_REDIS_URL,
    namespace: `t${suffix}`,
    bloomExpectedEntries: 20_000,
    bloomFalsePositiveRate: 0.001,
    ...options.overrides,
  };
  const { logger, lines } = createCapturingLogger(options.name ?? "test");
  const infra = await openInfrastructure(config, { name: options.name ?? "test", logger });
  await prepareInfrastructure(infra, config);
  let done: Promise<void> | undefined;
  return {
    config,
    infra,
    logLines: lines,
    teardown() {
      done ??= (async () => {
        for (const stream of Object.values(infra.names.streams))
          await infra.jsm.streams.delete(stream).catch(() => undefined);
        await deleteRedisKeys(infra, `${infra.names.redisPrefix}*`);
        await infra.close();
        await dropSchema(config.databaseUrl, config.databaseSchema);
      })();
      return done;
    },
  };
}

async function deleteRedisKeys(infra: Infrastructure, pattern: string): Promise<void> {
  try {
    let cursor = "0";
    do {
      const [next, keys] = await infra.redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await infra.redis.del(...keys);
    } while (cursor !== "0");
  } catch {
    // Tests that stop Redis on purpose leave nothing to clean.
  }
}

export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDefaultUser(databaseUrl) });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}
