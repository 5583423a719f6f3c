import Fastify, { type FastifyInstance } from "fastify";
import { fastifyOptions } from "@optout/runtime";
import type { Logger } from "@optout/core";
import type { Recorder } from "@optout/recorder";
import type { AccountDirectory, Pool } from "@optout/store";
import { createAuthenticator } from "./auth.js";
import { createErrorHandler } from "./errors.js";
import { accountRoutes } from "./routes/accounts.js";
import { optoutRoutes } from "./routes/optouts.js";
import { organizationRoutes } from "./routes/organizations.js";

export interface ApiDeps {
  pool: Pool;
  accounts: AccountDirectory;
  recorder: Recorder;
  logger: Logger;
  adminToken: string;
  /** /readyz answers 200 only when this says so (in the local process: every worker is ready). */
  isReady: () => boolean;
}

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify(fastifyOptions(deps.logger, DEFAULT_BODY_LIMIT_BYTES));
  app.setErrorHandler(createErrorHandler(deps.logger));
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: { code: "NOT_FOUND", message: `no route ${request.method} ${request.url.split("?")[0]}` } }),
  );

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_request, reply) => {
    const ready = deps.isReady();
    return reply.status(ready ? 200 : 503).send({ status: ready ? "ready" : "not_ready" });
  });

  const authenticate = createAuthenticator(deps.adminToken);
  await app.register(async (v1) => {
    v1.addHook("onRequest", async (request) => {
      authenticate(request);
    });
    organizationRoutes(v1, deps);
    accountRoutes(v1, deps);
    optoutRoutes(v1, deps);
  });
  return app;
}
