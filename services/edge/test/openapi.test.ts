import t from "tap";
import { readFile } from "node:fs/promises";
import { createLogger } from "@optout/core";
import { buildEdge, EDGE_OPENAPI, EDGE_ROUTES } from "@optout/service-edge";
import { REPO_ROOT } from "@optout/testkit";
import { renderEdgeOpenApi } from "../../../scripts/render-openapi-edge.js";

t.test("every edge route is in the edge's OpenAPI document, and nothing else is", async (t) => {
  const app = await buildEdge({
    getLink: async () => null,
    getAccount: async () => null,
    publishClick: async () => undefined,
    publishEmail: async () => undefined,
    emailTokenSecret: "openapi-test-secret-0123456789",
    logger: createLogger({ name: "edge-openapi", level: "silent" }),
    isReady: () => true,
    rateLimit: { max: 10, windowMs: 60_000 },
    trustedProxies: 0,
  });
  await app.ready();
  const registered = [...(EDGE_ROUTES.get(app) ?? [])].sort();
  await app.close();
  const documented = Object.entries(EDGE_OPENAPI.paths)
    .flatMap(([path, item]) =>
      ["get", "post", "put", "delete"]
        .filter((m) => m in item)
        .map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`),
    )
    .sort();
  t.ok(registered.length > 0);
  t.same(registered, documented);
});

t.test("docs/openapi-edge.yaml is current (npm run docs:openapi-edge)", async (t) => {
  t.equal(await readFile(`${REPO_ROOT}docs/openapi-edge.yaml`, "utf8"), renderEdgeOpenApi());
});
