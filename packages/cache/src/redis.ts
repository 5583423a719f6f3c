import { Redis } from "ioredis";
import type { Logger } from "@optout/core";

/** A dead Redis must turn into a Postgres fallback within a check's budget, not a queue. */
export const DEFAULT_REDIS_CONNECT_TIMEOUT_MS = 2_000;
/** Long enough for a 4 MiB staging upload or a BITOP over a large filter. */
export const DEFAULT_REDIS_COMMAND_TIMEOUT_MS = 2_000;
/** Reconnect backoff cap while Redis is down. */
export const DEFAULT_REDIS_MAX_RECONNECT_DELAY_MS = 2_000;
/** At most one connection-error log line per this many ms (a dead Redis errors every retry). */
const ERROR_LOG_INTERVAL_MS = 10_000;

export interface CreateRedisOptions {
  /** Do not connect until `await redis.connect()`. Default false. */
  lazyConnect?: boolean;
  /**
   * Integer replies as decimal strings. Lets SuppressionFilter read a block with one
   * `GET u63` (about 1.6x faster checks) instead of `GET u32` + `GET u31`; only for a
   * connection used by SuppressionFilter, since every integer reply becomes a string.
   */
  stringNumbers?: boolean;
  /** Logs connection errors (throttled) instead of ioredis' console warning. */
  logger?: Logger;
  /** Shown in CLIENT LIST, e.g. the service name. */
  connectionName?: string;
}

/**
 * A Redis client that fails fast: with no offline queue, a command on a disconnected client
 * rejects at once instead of waiting for a reconnect, each command is tried once more at most,
 * and a command without a reply within the timeout rejects. Callers treat a rejection as "the
 * cache cannot vouch" and fall back to Postgres.
 *
 * Because nothing is queued, wait until the client is ready before the first command:
 * `await redis.connect()` with `lazyConnect`, or `await once(redis, "ready")`.
 */
export function createRedis(url: string, options: CreateRedisOptions = {}): Redis {
  const redis = new Redis(url, {
    lazyConnect: options.lazyConnect ?? false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: DEFAULT_REDIS_CONNECT_TIMEOUT_MS,
    commandTimeout: DEFAULT_REDIS_COMMAND_TIMEOUT_MS,
    retryStrategy: (times) => Math.min(times * 100, DEFAULT_REDIS_MAX_RECONNECT_DELAY_MS),
    stringNumbers: options.stringNumbers ?? false,
    ...(options.connectionName === undefined ? {} : { connectionName: options.connectionName }),
  });
  const logger = options.logger;
  let lastLogAt = 0;
  let suppressed = 0;
  // Without a listener ioredis prints every connection error to the console.
  redis.on("error", (err: Error) => {
    const now = Date.now();
    if (now - lastLogAt < ERROR_LOG_INTERVAL_MS) {
      suppressed++;
      return;
    }
    lastLogAt = now;
    logger?.warn({ err, suppressed }, "redis connection error");
    suppressed = 0;
  });
  return redis;
}
