import { publishJson } from "@optout/bus";
import { getLink, typed } from "@optout/store";
import { startHttpWorker, type Infrastructure, type ServiceHandle } from "@optout/runtime";
import { buildEdge } from "./app.js";
import { EDGE_WORKER } from "./definition.js";

const WORKER_NAME = EDGE_WORKER.name;

/** Requests per client address and minute, across every replica. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 60;
const MINUTE_MS = 60_000;

export interface EdgeOptions {
  port: number;
  host: string;
  /** EMAIL_TOKEN_SECRET: verifies one-click email tokens. */
  emailTokenSecret: string;
  rateLimitPerMinute?: number;
  /**
   * Which counters the limit uses, under the namespace's Redis prefix: replicas with the same
   * scope share one limit (default "edge"). Tests give each edge its own.
   */
  rateLimitScope?: string;
  /** Reverse proxies in front of the edge whose X-Forwarded-For is believed (0: none). */
  trustedProxies?: number;
  /** Extra readiness: the local process passes "every other worker is ready". */
  isReady?: () => boolean;
}

/** The public link and email edge: landing pages, clicks to `<ns>.inbound.link`, one-click unsubscribes to `<ns>.inbound.email`. */
export function startEdge(
  infra: Infrastructure,
  options: EdgeOptions,
): Promise<ServiceHandle & { port: number }> {
  const { names, pool } = infra;
  const logger = infra.logger.child({ worker: WORKER_NAME });
  const perMinute = options.rateLimitPerMinute ?? DEFAULT_RATE_LIMIT_PER_MINUTE;
  return startHttpWorker({
    worker: WORKER_NAME,
    port: options.port,
    host: options.host,
    logger,
    metrics: infra.metrics,
    build: (isListening) =>
      buildEdge({
        getLink: (token) => typed(() => getLink(pool, token)),
        getAccount: (id) => infra.accounts.get(id),
        publishClick: async (click) => {
          await publishJson(infra.js, names.subjects.inboundLink, click, click.id);
        },
        publishEmail: async (message) => {
          await publishJson(infra.js, names.subjects.inboundEmail, message, message.id);
        },
        emailTokenSecret: options.emailTokenSecret,
        logger,
        isReady: () => isListening() && !infra.nc.isClosed() && (options.isReady?.() ?? true),
        // Every click and one-click POST is published to NATS: without it nothing can be taken.
        notReadyReasons: () => infra.dependencies.downReasons(["nats"]),
        rateLimit: {
          max: perMinute,
          windowMs: MINUTE_MS,
          redis: infra.redis,
          keyPrefix: `${names.redisPrefix}${options.rateLimitScope ?? "edge"}:rate:`,
        },
        trustedProxies: options.trustedProxies ?? 0,
      }),
  });
}
