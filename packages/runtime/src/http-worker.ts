import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import type { Logger } from "@optout/core";
import { onceStop, type ServiceHandle } from "./service.js";

/**
 * The wiring every HTTP worker shares (api, edge): build the app with a readiness function that
 * turns false the moment stop begins, listen, report the port (0 = any free port), close on stop.
 */
export async function startHttpWorker(spec: {
  worker: string;
  port: number;
  host: string;
  logger: Logger;
  build: (isListening: () => boolean) => Promise<FastifyInstance>;
}): Promise<ServiceHandle & { port: number }> {
  let listening = false;
  const app = await spec.build(() => listening);
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
