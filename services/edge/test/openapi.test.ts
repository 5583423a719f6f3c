import t from "tap";
import { readFile } from "node:fs/promises";
import { buildEdge, EDGE_ROUTES } from "@optout/service-edge";
import { REPO_ROOT } from "@optout/testkit";
import { inertEdgeDeps, renderEdgeOpenApi } from "../../../scripts/render-openapi-edge.js";

t.test("every edge route is in the edge's OpenAPI document with a summary and its responses", async (t) => {
  const app = await buildEdge(inertEdgeDeps());
  await app.ready();
  t.teardown(() => app.close());
  const registered = [...(EDGE_ROUTES.get(app) ?? [])].sort();
  const paths = (app.swagger() as unknown as { paths: Record<string, Record<string, Operation>> }).paths;
  const operations = Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({
      key: `${method.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ":$1")}`,
      op,
    })),
  );
  t.ok(registered.length > 0);
  t.same(operations.map((o) => o.key).sort(), registered);
  t.same(
    operations
      .filter(
        ({ op }) =>
          !op.summary || Object.values(op.responses).some((r) => r.description === "Default Response"),
      )
      .map((o) => o.key),
    [],
    "routes whose schema lacks a summary or its responses",
  );
  t.equal(paths["/{token}"]?.post?.requestBody?.required, false, "the link's form may be left out");
  t.ok(paths["/{token}"]?.get?.responses["429"], "rate-limited routes document their 429");
  t.notOk(paths["/healthz"]?.get?.responses["429"], "health checks are not rate limited");
});

t.test("the route schemas document: a malformed token is still the handler's 404 page", async (t) => {
  const app = await buildEdge(inertEdgeDeps());
  t.teardown(() => app.close());
  const answer = await app.inject({ method: "GET", url: "/no!" });
  t.equal(answer.statusCode, 404);
  t.match(answer.headers["content-type"], /^text\/html/);
});

t.test("docs/openapi-edge.yaml is current (npm run docs:openapi-edge)", async (t) => {
  t.equal(await readFile(`${REPO_ROOT}docs/openapi-edge.yaml`, "utf8"), await renderEdgeOpenApi());
});

interface Operation {
  summary?: string;
  requestBody?: { required?: boolean };
  responses: Record<string, { description: string }>;
}
