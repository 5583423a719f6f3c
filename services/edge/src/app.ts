import Fastify, { type FastifyInstance } from "fastify";
import {
  fastifyOptions,
  logServerProblem,
  problemOf,
  routeNotFoundProblem,
  type RoutePattern,
} from "@optout/runtime";
import { InvalidPayloadError, type Logger } from "@optout/core";
import type { InboundEmail, InboundLink } from "@optout/schemas";
import type { Account, Link } from "@optout/store";
import { parseMultipart, parseUrlEncoded } from "./form-body.js";
import { installRateLimit, type EdgeRateLimit } from "./rate-limit.js";
import fastifyHelmet from "@fastify/helmet";
import { HTML_PROBLEMS, sendProblem } from "./respond.js";
import { EDGE_HELMET, PAGE_HEADERS } from "./security-headers.js";
import { emailRoutes } from "./routes/email.js";
import { linkRoutes } from "./routes/link.js";
import { installEdgeOpenApi } from "./openapi/swagger.js";
import { status } from "./openapi/schemas.js";

/** Everything the edge does to the outside world, injected so that it can be tested alone. */
export interface EdgeDeps {
  getLink(token: string): Promise<Link | null>;
  getAccount(id: string): Promise<Account | null>;
  /** Publish to `<ns>.inbound.link` with Nats-Msg-Id = click.id. */
  publishClick(click: InboundLink): Promise<void>;
  /** Publish to `<ns>.inbound.email` with Nats-Msg-Id = message.id. */
  publishEmail(message: InboundEmail): Promise<void>;
  emailTokenSecret: string;
  logger: Logger;
  isReady(): boolean;
  /** Why it is not ready (NATS down): listed in the 503 body. */
  notReadyReasons?(): string[];
  /** Requests per client address and window, counted in Redis across replicas (see rate-limit.ts). */
  rateLimit: EdgeRateLimit;
  /** Reverse proxies in front of the edge whose X-Forwarded-For is believed (0: use the socket address). */
  trustedProxies: number;
  now?: () => Date;
}

/** Small: a form with a reason and a comment, or `List-Unsubscribe=One-Click`. */
export const EDGE_BODY_LIMIT_BYTES = 16 * 1024;
/** Signed email tokens are longer than link tokens; verifyEmailToken refuses anything over 2048. */
const MAX_PARAM_LENGTH = 2100;

const UNLIMITED_PATHS = new Set(["/healthz", "/readyz"]);
/** Probes are never limited (a load balancer polls them from one address). */
const UNLIMITED = { config: { rateLimit: false } } as const;

/** The routes each built edge registered ("GET /:token"), for the OpenAPI completeness test. */
export const EDGE_ROUTES = new WeakMap<FastifyInstance, string[]>();

export async function buildEdge(deps: EdgeDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // No request logs (tokens are in URLs, client addresses in headers), strict ajv.
    ...fastifyOptions(deps.logger, EDGE_BODY_LIMIT_BYTES, HTML_PROBLEMS),
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    // Hop 0 is the socket's peer; each trusted proxy lets us read one more X-Forwarded-For entry.
    trustProxy:
      deps.trustedProxies > 0 ? (_address: string, hop: number) => hop < deps.trustedProxies : false,
  });
  const routes: string[] = [];
  const patterns: RoutePattern[] = [];
  EDGE_ROUTES.set(app, routes);
  app.addHook("onRoute", (route) => {
    for (const method of [route.method].flat()) {
      if (method === "HEAD") continue;
      routes.push(`${method} ${route.url}`);
      patterns.push({ method, url: route.url });
    }
  });
  await installEdgeOpenApi(app, (url) => !UNLIMITED_PATHS.has(url));
  const limitUnmatched = await installRateLimit(app, deps.rateLimit);

  // Only forms: JSON or anything else gets 415 (and never reaches a handler).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => {
    done(null, parseUrlEncoded(body as string));
  });
  app.addContentTypeParser("multipart/form-data", { parseAs: "string" }, (req, body, done) => {
    try {
      done(null, parseMultipart(body as string, req.headers["content-type"] ?? ""));
    } catch (err) {
      done(
        new InvalidPayloadError(`the multipart body cannot be read: ${(err as Error).message}`, {
          cause: err,
        }),
        undefined,
      );
    }
  });

  await app.register(fastifyHelmet, EDGE_HELMET);
  app.addHook("onRequest", async (_request, reply) => {
    reply.headers(PAGE_HEADERS);
  });

  // Statuses from the error registry; pages, never the error's text.
  app.setErrorHandler((err, request, reply) => {
    const problem = problemOf(err, request);
    logServerProblem(deps.logger, problem, err, request);
    return sendProblem(reply, request, problem);
  });
  // Unknown paths count against the limit like unknown tokens do.
  app.setNotFoundHandler({ preHandler: limitUnmatched }, (request, reply) => {
    const { problem, allow } = routeNotFoundProblem(patterns, request);
    if (allow) reply.header("allow", allow);
    return sendProblem(reply, request, problem);
  });

  app.get(
    "/healthz",
    { ...UNLIMITED, schema: { summary: "Liveness", response: { 200: status("Alive", "ok") } } },
    async (_request, reply) => reply.type("application/json").send({ status: "ok" }),
  );
  const readiness = {
    summary: "Readiness",
    response: {
      200: status("Ready", "ready"),
      503: status("Not ready (NATS unreachable)", "not_ready", {
        reasons: { type: "array", items: { type: "string" } },
      }),
    },
  };
  app.get("/readyz", { ...UNLIMITED, schema: readiness }, async (_request, reply) => {
    const reasons = deps.notReadyReasons?.() ?? [];
    const ready = deps.isReady() && reasons.length === 0;
    return reply
      .status(ready ? 200 : 503)
      .type("application/json")
      .send(ready ? { status: "ready" } : { status: "not_ready", reasons });
  });
  // Links are personal: nothing here is for search engines.
  const robots = {
    summary: "Disallow every crawler",
    response: {
      200: {
        description: "User-agent: *\\nDisallow: /",
        content: { "text/plain": { schema: { type: "string" } } },
      },
    },
  };
  app.get("/robots.txt", { schema: robots }, async (_request, reply) =>
    reply.type("text/plain").send("User-agent: *\nDisallow: /\n"),
  );

  emailRoutes(app, deps);
  linkRoutes(app, deps);
  return app;
}
