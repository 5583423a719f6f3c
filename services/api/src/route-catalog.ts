import type { FastifyInstance, FastifySchema, HTTPMethods } from "fastify";
import { accessOf, type Access } from "./auth.js";

/** One registered route, as the OpenAPI document and the permission tests see it. */
export interface CatalogRoute {
  method: HTTPMethods;
  /** fastify's form: `/v1/accounts/:accountId/optouts`. */
  url: string;
  schema: FastifySchema | undefined;
  access: Access;
  /** False when the route declares no access and gets the admin-only default. */
  accessDeclared: boolean;
}

declare module "fastify" {
  interface FastifyInstance {
    /** Every route of the app (HEAD routes fastify derives from GETs left out), in registration order. */
    routeCatalog: readonly CatalogRoute[];
  }
}

/** Record every route registered from now on; call before registering any. */
export function collectRoutes(app: FastifyInstance): void {
  const routes: CatalogRoute[] = [];
  app.decorate("routeCatalog", routes);
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      // fastify adds a HEAD twin after each GET; it is not a route of its own.
      if (method === "HEAD" && routes.some((r) => r.method === "GET" && r.url === route.url)) continue;
      routes.push({
        method,
        url: route.url,
        schema: route.schema,
        access: accessOf(route),
        accessDeclared: route.config?.access !== undefined,
      });
    }
  });
}

/** fastify's `/v1/accounts/:accountId` as OpenAPI writes it: `/v1/accounts/{accountId}`. */
export function openApiPath(url: string): string {
  return url.replace(/:(\w+)/g, "{$1}");
}

/** "GET /v1/accounts/{accountId}": how tests and messages name an operation. */
export function operationKey(route: { method: string; url: string }): string {
  return `${route.method} ${openApiPath(route.url)}`;
}
