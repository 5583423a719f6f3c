import Fastify, { type FastifyInstance } from "fastify";
import fastifyHelmet from "@fastify/helmet";
import { fastifyOptions } from "@optout/runtime";
import type { Logger } from "@optout/core";
import type { FilterWriter, Recorder } from "@optout/recorder";
import type { AccountDirectory, Pool } from "@optout/store";
import type { DeadLetterBus } from "@optout/bus";
import { installAccessControl } from "./auth.js";
import { createErrorHandler, createNotFoundHandler } from "./errors.js";
import { installStorableInputCheck } from "./storable-input.js";
import { accountRoutes } from "./routes/accounts.js";
import { emailHeaderRoutes } from "./routes/email-headers.js";
import { optoutRoutes } from "./routes/optouts.js";
import { organizationRoutes } from "./routes/organizations.js";
import { browseRoutes } from "./routes/browse.js";
import { optoutListRoutes } from "./routes/optout-list.js";
import { tokenRoutes } from "./routes/tokens.js";
import { addressBookRoutes } from "./routes/address-book.js";
import { deadLetterRoutes } from "./routes/dead-letters.js";
import { erasureRoutes } from "./routes/erasures.js";
import { statsRoutes } from "./routes/stats.js";
import { evidenceRoutes } from "./routes/evidence.js";
import { auditRoutes } from "./routes/audit-log.js";
import { webhookDeliveryRoutes } from "./routes/webhook-deliveries.js";
import { collectRoutes } from "./route-catalog.js";
import { docsRoutes } from "./openapi/docs-page.js";
import { installOpenApi } from "./openapi/swagger.js";
import { uiRoutes } from "./static-ui.js";
import { json } from "./openapi/responses.js";

export interface ApiDeps {
  pool: Pool;
  accounts: AccountDirectory;
  recorder: Recorder;
  logger: Logger;
  adminToken: string;
  /** HMAC key of the one-click email tokens (EMAIL_TOKEN_SECRET). */
  emailTokenSecret: string;
  /**
   * HMAC key of erased identifiers (ERASURE_HASH_SECRET): an erasure replaces the identifier by
   * its keyed hash, and an opt-in for an erased person is recognised by it.
   */
  erasureHashSecret: string;
  /** The edge's public base URL (LINK_BASE_URL), for List-Unsubscribe URIs. */
  linkBaseUrl: string;
  /** /readyz answers 200 only when this says so (in the local process: every worker is ready). */
  isReady: () => boolean;
  /** Why it is not ready (a dependency down, a worker paused): listed in the 503 body. */
  notReadyReasons?: () => string[];
  /** WEBHOOK_ALLOW_PRIVATE_NETWORKS: accept webhook URLs on loopback/private addresses (default false). */
  webhookAllowPrivateNetworks?: boolean;
  /** IMPORT_THREADS: threads normalizing bulk imports (0 or undefined: one per available CPU). */
  importThreads?: number;
  /**
   * The Redis filter, for the opt-outs a list scope change carries to the account's new list
   * (without it, the new list's filter misses them until it is rebuilt).
   */
  filter?: FilterWriter;
  /** NATS JetStream of the installation, for the admin dead-letter routes (without it they answer 503). */
  bus?: DeadLetterBus;
}

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * The longest path parameter the router matches (fastify's default, 100, turned a valid
 * 166-character address into a 414). Identifiers in paths go up to 320 characters (an email
 * address as sent; ids up to 128), and the router measures a parameter with its reserved
 * characters still percent-encoded ("@" is "%40"): 3 x 320. Within that, the route's schema
 * decides (400 INVALID_PAYLOAD past 320); past it, the router answers its own 414.
 */
export const MAX_PATH_PARAM_LENGTH = 3 * 320;

export async function buildApi(deps: ApiDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...fastifyOptions(deps.logger, DEFAULT_BODY_LIMIT_BYTES),
    routerOptions: { maxParamLength: MAX_PATH_PARAM_LENGTH },
  });
  app.setErrorHandler(createErrorHandler(deps.logger));
  app.setNotFoundHandler(createNotFoundHandler(app));

  // Access control, the route catalog (permission tests) and the OpenAPI document see every route added after.
  collectRoutes(app);
  await installOpenApi(app);
  installAccessControl(app, { adminToken: deps.adminToken, pool: deps.pool, logger: deps.logger });
  installStorableInputCheck(app);
  // Security headers only where a route asks for them (the HTML pages: security-headers.ts).
  await app.register(fastifyHelmet, { global: false });

  app.get(
    "/healthz",
    {
      schema: {
        operationId: "health",
        tags: ["Service"],
        summary: "Liveness",
        response: { 200: json("The process is up.", "Health") },
      },
      config: { access: { kind: "public" } },
    },
    async () => ({ status: "ok" }),
  );
  app.get(
    "/readyz",
    {
      schema: {
        operationId: "ready",
        tags: ["Service"],
        summary: "Readiness",
        description:
          "200 when the API (and, in the all-in-one local process, every worker) is ready to serve; 503 otherwise.",
        response: { 200: json("Ready.", "Health"), 503: json("Not ready.", "Health") },
      },
      config: { access: { kind: "public" } },
    },
    async (_request, reply) => {
      const reasons = deps.notReadyReasons?.() ?? [];
      const ready = deps.isReady() && reasons.length === 0;
      return reply
        .status(ready ? 200 : 503)
        .send(ready ? { status: "ready" } : { status: "not_ready", reasons });
    },
  );

  await app.register(async (v1) => {
    organizationRoutes(v1, deps);
    accountRoutes(v1, deps);
    optoutRoutes(v1, deps);
    emailHeaderRoutes(v1, deps);
    tokenRoutes(v1, deps);
    optoutListRoutes(v1, deps);
    addressBookRoutes(v1, deps);
    deadLetterRoutes(v1, deps);
    erasureRoutes(v1, deps);
    statsRoutes(v1, deps);
    evidenceRoutes(v1, deps);
    auditRoutes(v1, deps);
    webhookDeliveryRoutes(v1, deps);
    browseRoutes(v1, deps);
  });
  uiRoutes(app);
  docsRoutes(app);
  return app;
}
