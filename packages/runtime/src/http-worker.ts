import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import type { Logger } from "@optout/core";
import type { Metrics } from "./metrics.js";
import { onceStop, type ServiceHandle } from "./service.js";

/** The route label of a request no route matched (404s, fastify's own early errors). */
export const UNMATCHED_ROUTE = "unmatched";

/**
 * `http_requests_total` and `http_request_duration_seconds` for every answered request, by the
 * route's pattern (`/v1/accounts/:accountId`): never the raw URL, which carries phone numbers
 * and addresses and would make one series per identifier. A hook added after the routes still
 * runs for all of them (fastify builds each route's hooks when the app gets ready).
 */
export function instrumentHttp(app: FastifyInstance, metrics: Metrics, worker: string): void {
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? UNMATCHED_ROUTE;
    const method = request.method;
    metrics.httpRequests.inc({ worker, method, route, status: String(reply.statusCode) });
    metrics.httpSeconds.observe({ worker, method, route }, reply.elapsedTime / 1000);
  });
}

/**
 * The wiring every HTTP worker shares (api, edge): build the app with a readiness function that
 * turns false the moment stop begins, count requests, listen, report the port (0 = any free
 * port), close on stop.
 */
export async function startHttpWorker(spec: {
  worker: string;
  port: number;
  host: string;
  logger: Logger;
  metrics: Metrics;
  build: (isListening: () => boolean) => Promise<FastifyInstance>;
}): Promise<ServiceHandle & { port: number }> {
  let listening = false;
  const app = await spec.build(() => listening);
  instrumentHttp(app, spec.metrics, spec.worker);
  await app.listen({ port: spec.port, host: spec.host });
  listening = true;
  const port = (app.server.address() as AddressInfo).port;
  spec.logger.info({ port }, `${spec.worker} listening`);
  return {
    name: spec.worker,
    port,
    isReady: () => listening,
    stop: onceStop(async () => {
      // /readyz answers 503 from here on, while in-flight requests finish.
      listening = false;
      await app.close();
    }),
  };
}
