/**
 * Postgres and the Redis filter for the commands that need them, opened on first use from the
 * environment (validated by @optout/config like the services) and closed once by the runner.
 * Opening checks that the store answers, so an operator reads "postgres: cannot connect ..."
 * rather than a stack trace from the first query.
 */
import { once } from "node:events";
import { loadConfig } from "@optout/config";
import { createLogger, DependencyUnavailableError, namesFor, type Logger } from "@optout/core";
import { createRedis, SuppressionFilter } from "@optout/cache";
import { appliedSchemaVersion, createPool, redactUrl, type Pool } from "@optout/store";

export const CLI_APPLICATION_NAME = "optout-cli";
/** Connections of the CLI's pool: an export's cursor, an import's writes, and a query beside. */
export const CLI_POOL_SIZE = 4;
/** An operator waits this long for Redis before being told what is wrong. */
export const CLI_REDIS_CONNECT_TIMEOUT_MS = 5_000;

export interface Stores {
  pool(): Promise<Pool>;
  filter(): Promise<SuppressionFilter>;
  /** Close whatever was opened. Idempotent. */
  close(): Promise<void>;
}

/** Warnings and errors of the libraries, on stderr (stdout is the result a script reads). */
export function cliLogger(env: NodeJS.ProcessEnv): Logger {
  const { logLevel } = loadConfig(["logLevel"], env);
  return createLogger({
    name: CLI_APPLICATION_NAME,
    level: logLevel === "info" ? "warn" : logLevel,
    destination: process.stderr,
  });
}

export function lazyStores(env: NodeJS.ProcessEnv): Stores {
  let pool: Promise<Pool> | undefined;
  let redis: ReturnType<typeof createRedis> | undefined;
  let filter: Promise<SuppressionFilter> | undefined;
  let closing: Promise<void> | undefined;
  let opened: Pool | undefined;
  return {
    pool() {
      pool ??= (async () => {
        const config = loadConfig(["databaseUrl", "databaseSchema"], env);
        const where = `${redactUrl(config.databaseUrl)} (schema ${config.databaseSchema})`;
        opened = createPool({
          url: config.databaseUrl,
          schema: config.databaseSchema,
          max: CLI_POOL_SIZE,
          logger: cliLogger(env),
          applicationName: CLI_APPLICATION_NAME,
        });
        let version: number;
        try {
          version = await appliedSchemaVersion(opened, config.databaseSchema);
        } catch (err) {
          throw new DependencyUnavailableError("postgres", `cannot use ${where}: ${(err as Error).message}`, {
            cause: err,
          });
        }
        if (version === 0)
          throw new DependencyUnavailableError(
            "postgres",
            `${where} has no optout tables: check DATABASE_URL and DATABASE_SCHEMA, or run "optout migrate"`,
          );
        return opened;
      })();
      return pool;
    },
    filter() {
      filter ??= (async () => {
        const config = loadConfig(
          ["redisUrl", "namespace", "bloomExpectedEntries", "bloomFalsePositiveRate", "bloomBlocksPerEntry"],
          env,
        );
        // The filter's own connection kind: integer replies as strings (see @optout/cache).
        redis = createRedis(config.redisUrl, {
          stringNumbers: true,
          connectionName: `${CLI_APPLICATION_NAME}-filter`,
        });
        const ready = once(redis, "ready").then(
          () => true,
          () => false,
        );
        const timeout = new Promise<false>((resolve) =>
          setTimeout(resolve, CLI_REDIS_CONNECT_TIMEOUT_MS, false).unref(),
        );
        if (!(await Promise.race([ready, timeout])))
          throw new DependencyUnavailableError(
            "redis",
            `cannot connect to ${redactUrl(config.redisUrl)} within ${CLI_REDIS_CONNECT_TIMEOUT_MS / 1000} s: check REDIS_URL`,
          );
        return new SuppressionFilter(redis, {
          prefix: namesFor(config.namespace).redisPrefix,
          expectedEntries: config.bloomExpectedEntries,
          falsePositiveRate: config.bloomFalsePositiveRate,
          blocksPerEntry: config.bloomBlocksPerEntry === 1 ? 1 : 2,
          logger: cliLogger(env),
        });
      })();
      return filter;
    },
    close() {
      closing ??= (async () => {
        await opened?.end().catch(() => undefined);
        if (redis) await redis.quit().catch(() => redis?.disconnect());
      })();
      return closing;
    },
  };
}
