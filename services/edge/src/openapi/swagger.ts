/**
 * The edge's OpenAPI 3.1 document, made by @fastify/swagger from the routes' schemas
 * (scripts/render-openapi-edge.ts writes docs/openapi-edge.yaml). The edge answers people with
 * HTML pages and checks every input in its handlers (a malformed token is the same 404 page as
 * an unknown one), so its route schemas document and fastify does not validate with them.
 */
import fastifySwagger from "@fastify/swagger";
import type { FastifyInstance, FastifySchema, RouteOptions } from "fastify";
import { html } from "./schemas.js";

const DESCRIPTION =
  "The public HTTP edge: opt-out link landing pages and RFC 8058 one-click email unsubscribe. No authentication. Every response carries helmet's security headers with Content-Security-Policy `default-src 'none';style-src 'sha256-...';form-action 'self';frame-ancestors 'none';base-uri 'none'`, Referrer-Policy no-referrer, X-Content-Type-Options nosniff, X-Frame-Options DENY, and Cache-Control no-store and X-Robots-Tag noindex. Bodies are limited to 16 KiB. Pages need no JavaScript and are localized (en, nl, fr, de, es: ?lang=, then Accept-Language, then the number's country).";

const RATE_LIMITED = html(
  "Rate limited per client address across every edge replica (EDGE_RATE_LIMIT_PER_MINUTE, counted in Redis; not limited while Redis is down); Retry-After says when to come back",
);

/** Marks an operation whose form may be left out (fastify's `body` always reads as required). */
const OPTIONAL_BODY = "x-optional-body";

type Operation = { requestBody?: { required?: boolean }; [OPTIONAL_BODY]?: true };

/**
 * Register @fastify/swagger and make validation a no-op; call before any route is added.
 * `rateLimited(url)`: whether the onRequest limiter applies to the route, to document its 429.
 */
export async function installEdgeOpenApi(
  app: FastifyInstance,
  rateLimited: (url: string) => boolean,
): Promise<void> {
  app.setValidatorCompiler(() => () => true);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.1.0",
      info: { title: "optout edge (public)", version: "1.0.0", description: DESCRIPTION },
    },
    convertConstToEnum: false,
    transform: ({ schema, url, route }: { schema: FastifySchema; url: string; route: RouteOptions }) => {
      const doc = structuredClone(schema ?? {}) as FastifySchema & { response?: Record<string, unknown> };
      if (rateLimited(url)) doc.response = { ...doc.response, 429: RATE_LIMITED };
      if (route.config?.optionalBody) Object.assign(doc, { [OPTIONAL_BODY]: true });
      return { schema: doc, url };
    },
    // What @fastify/swagger cannot say from a route: a request body that may be left out.
    transformObject: (document) => {
      if (!("openapiObject" in document)) return document.swaggerObject;
      for (const item of Object.values(document.openapiObject.paths ?? {}))
        for (const op of Object.values(item ?? {}) as Operation[]) {
          if (!op?.[OPTIONAL_BODY]) continue;
          delete op[OPTIONAL_BODY];
          if (op.requestBody) op.requestBody.required = false;
        }
      return document.openapiObject;
    },
  });
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** The route takes an empty body too (documented as `requestBody.required: false`). */
    optionalBody?: true;
  }
}
