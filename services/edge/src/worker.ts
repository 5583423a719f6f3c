import { publishJson } from "@optout/bus";
import { getLink, typed } from "@optout/store";
import { startHttpWorker, type Infrastructure, type ServiceHandle } from "@optout/runtime";
import { buildEdge } from "./app.js";
import { EDGE_WORKER } from "./definition.js";

const WORKER_NAME = EDGE_WORKER.name;

/** Per client address: a burst of this many requests, refilled at this many per minute. */
export const DEFAULT_RATE_LIMIT_PER_MINUTE = 60;

export interface EdgeOptions {
  port: number;
  host: string;
  /** EMAIL_TOKEN_SECRET: verifies one-click email tokens. */
  emailTokenSecret: string;
  rateLimitPerMinute?: number;
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
        rateLimit: { capacity: perMinute, refillPerSecond: perMinute / 60 },
        trustedProxies: options.trustedProxies ?? 0,
      }),
  });
}
