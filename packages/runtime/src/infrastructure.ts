import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import type { Redis } from "ioredis";
import { namesFor, type Logger, type Names } from "@optout/core";
import { FIELDS } from "@optout/config";
import { connectNats, ensureStreams, type NatsConnection, type NatsSecurityConfig } from "@optout/bus";
import { createRedis, SuppressionFilter } from "@optout/cache";
import {
  AccountDirectory,
  appliedSchemaVersion,
  createPool,
  ensureDatabase,
  migrate,
  requiredSchemaVersion,
  type Pool,
} from "@optout/store";
import { createMetrics, type Metrics } from "./metrics.js";
import { createDependencyMonitor, type DependencyMonitor } from "./dependencies.js";

/** Wait this long for Redis at start; after that the process starts anyway (checks use Postgres). */
const REDIS_READY_WAIT_MS = 2_000;

/** The connections of a process; NATS credentials and TLS from the `NATS_*` variables (NatsSecurityConfig). */
export interface InfrastructureConfig extends NatsSecurityConfig {
  natsUrl: string;
  databaseUrl: string;
  databaseSchema: string;
  databasePoolSize: number;
  redisUrl: string;
  namespace: string;
  bloomExpectedEntries: number;
  bloomFalsePositiveRate: number;
  /** BLOOM_BLOCKS_PER_ENTRY (1 or 2); default: the config default (2). The same in every process. */
  bloomBlocksPerEntry?: number;
}

/** Every connection a worker may use, opened once per process and shared by its workers. */
export interface Infrastructure {
  readonly names: Names;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly pool: Pool;
  readonly redis: Redis;
  readonly filter: SuppressionFilter;
  /** Accounts cached for a few seconds, shared by every worker of the process. */
  readonly accounts: AccountDirectory;
  /** Which of Postgres, Redis and NATS answer (readiness, outage waits, `optout_dependency_up`). */
  readonly dependencies: DependencyMonitor;
  /** Ordered: drain NATS (flushes publishes), end the pg pool, quit Redis. Idempotent. */
  close(): Promise<void>;
}

export async function openInfrastructure(
  config: InfrastructureConfig,
  options: { name: string; logger: Logger; metrics?: Metrics },
): Promise<Infrastructure> {
  const names = namesFor(config.namespace);
  const nc = await connectNats({
    servers: config.natsUrl,
    name: options.name,
    logger: options.logger,
    security: config,
  });
  const pool = createPool({
    url: config.databaseUrl,
    schema: config.databaseSchema,
    max: config.databasePoolSize,
    logger: options.logger,
    applicationName: options.name,
  });
  const redis = createRedis(config.redisUrl);
  // The filter gets a connection of its own with string integer replies: its one-read-per-item
  // path needs all 63 bits of BITFIELD replies, which JS numbers cannot hold (see @optout/cache).
  const filterRedis = createRedis(config.redisUrl, {
    stringNumbers: true,
    connectionName: `${options.name}-filter`,
  });
  // A Redis that is down must not stop the process: checks fall back to Postgres.
  for (const r of [redis, filterRedis])
    r.on("error", (err: Error) => options.logger.debug({ err: err.message }, "redis error"));
  await Promise.race([
    Promise.all([redis, filterRedis].map((r) => new Promise((resolve) => r.once("ready", resolve)))),
    new Promise((resolve) => setTimeout(resolve, REDIS_READY_WAIT_MS)),
  ]);
  const filter = new SuppressionFilter(filterRedis, {
    prefix: names.redisPrefix,
    expectedEntries: config.bloomExpectedEntries,
    falsePositiveRate: config.bloomFalsePositiveRate,
    blocksPerEntry: (config.bloomBlocksPerEntry ?? FIELDS.bloomBlocksPerEntry.default) === 1 ? 1 : 2,
    logger: options.logger,
  });
  let closing: Promise<void> | undefined;
  const metrics = options.metrics ?? createMetrics();
  const probePool = createPool({
    url: config.databaseUrl,
    schema: config.databaseSchema,
    max: 1,
    logger: options.logger,
    applicationName: `${options.name}-probe`,
  });
  const dependencies = createDependencyMonitor({
    pool,
    probePool,
    schema: config.databaseSchema,
    redis,
    nc,
    registry: metrics.registry,
  });
  return {
    names,
    logger: options.logger,
    metrics,
    nc,
    js: jetstream(nc),
    jsm: await jetstreamManager(nc),
    pool,
    redis,
    filter,
    accounts: new AccountDirectory(pool),
    dependencies,
    close() {
      closing ??= (async () => {
        dependencies.close();
        await nc.drain().catch(() => undefined);
        await pool.end().catch(() => undefined);
        await probePool.end().catch(() => undefined);
        for (const r of [redis, filterRedis]) await r.quit().catch(() => r.disconnect());
      })();
      return closing;
    },
  };
}

/**
 * Create the database if missing, apply migrations, create the missing streams with
 * STREAM_REPLICAS (existing streams keep their operator's replicas and retention). Idempotent.
 */
export async function prepareInfrastructure(
  infra: Infrastructure,
  config: Pick<InfrastructureConfig, "databaseUrl" | "databaseSchema"> & {
    streamReplicas?: number;
    migrateOnStart?: boolean;
  },
  options: { onWaiting?: (reason: string) => void } = {},
): Promise<void> {
  if (config.migrateOnStart === false) {
    await waitForSchema(infra, config.databaseSchema, options.onWaiting);
    return;
  }
  await ensureDatabase(config.databaseUrl);
  await migrate(infra.pool, { schema: config.databaseSchema, logger: infra.logger });
  await ensureStreams(infra.jsm, infra.names, {
    replicas: config.streamReplicas ?? FIELDS.streamReplicas.default,
    logger: infra.logger,
  });
}

/** How often a worker that does not migrate looks for the schema it needs. */
export const SCHEMA_POLL_MS = 2_000;

/**
 * Wait until the migrations this code needs are applied (by `optout migrate`, a Kubernetes Job).
 * A newer schema is fine: migrations only expand what the previous release reads.
 */
async function waitForSchema(
  infra: Infrastructure,
  schema: string,
  onWaiting?: (reason: string) => void,
): Promise<void> {
  const required = await requiredSchemaVersion();
  for (;;) {
    const applied = await appliedSchemaVersion(infra.pool, schema).catch((err: unknown) => {
      onWaiting?.(`postgres: ${(err as Error).message}`);
      return -1;
    });
    if (applied >= required) return;
    if (applied >= 0)
      onWaiting?.(`waiting for schema version ${required} (found ${applied}): run \`optout migrate\``);
    await new Promise((resolve) => setTimeout(resolve, SCHEMA_POLL_MS));
  }
}
