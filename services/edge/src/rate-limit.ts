/**
 * The edge's rate limit per client address, with @fastify/rate-limit: `max` requests per
 * window, counted in Redis so that the limit holds across every edge replica (one counter per
 * address and window, IPv6 per /64). It keeps link guessing and form floods off the database
 * and the bus.
 *
 * Fails open: when Redis is down or does not answer within the shared client's command
 * timeout, the request is served unlimited. The edge is where people unsubscribe; refusing an
 * unsubscribe because a counter cannot be read would break the one promise this page makes,
 * while an unlimited minute costs at most some token guessing, which the token space absorbs.
 */
import type { FastifyInstance, preHandlerAsyncHookHandler } from "fastify";
import fastifyRateLimit from "@fastify/rate-limit";
import { ERROR_CODES, OptoutError } from "@optout/core";
import type { Infrastructure } from "@optout/runtime";

export interface EdgeRateLimit {
  /** Requests per client address and window. */
  max: number;
  windowMs: number;
  /**
   * Where the counters live, shared by every replica: a fail-fast client (no offline queue,
   * a command timeout), such as the infrastructure's. Without it they live in this process
   * only, which is for tests.
   */
  redis?: Infrastructure["redis"];
  /** Key prefix of the counters in Redis, under the installation's namespace. */
  keyPrefix?: string;
}

/** The 429 the error handler answers (its page, the registry's status); Retry-After is already set. */
function rateLimited(): OptoutError {
  return new OptoutError(
    ERROR_CODES.RATE_LIMITED,
    "too many requests from this address: come back after the Retry-After seconds",
    true,
  );
}

/**
 * Limit every route registered after this call, except those with `config: { rateLimit: false }`;
 * returns the hook for what no route matches (the not-found handler's preHandler).
 */
export async function installRateLimit(
  app: FastifyInstance,
  limit: EdgeRateLimit,
): Promise<preHandlerAsyncHookHandler> {
  await app.register(fastifyRateLimit, {
    max: limit.max,
    timeWindow: limit.windowMs,
    ...(limit.redis ? { redis: limit.redis, nameSpace: limit.keyPrefix ?? "edge:rate:" } : {}),
    // Fail open (see above): a store error lets the request through.
    skipOnError: true,
    // Retry-After on a 429 and nothing else: the counters are nobody's business.
    addHeaders: {
      "x-ratelimit-limit": false,
      "x-ratelimit-remaining": false,
      "x-ratelimit-reset": false,
      "retry-after": true,
    },
    addHeadersOnExceeding: {
      "x-ratelimit-limit": false,
      "x-ratelimit-remaining": false,
      "x-ratelimit-reset": false,
    },
    errorResponseBuilder: rateLimited,
  });
  return app.rateLimit();
}
