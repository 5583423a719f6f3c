/**
 * docs/openapi.yaml is made by @fastify/swagger from the routes: every registered route is in it
 * with the documentation fields its schema must carry (operationId, a known tag, a summary, its
 * responses), every route declares its access, and the committed file is what the script
 * renders now. Also /docs, /docs/openapi.json and the /ui/ files as served.
 */
import t from "tap";
import Fastify from "fastify";
import { readFile } from "node:fs/promises";
import { buildApi, operationKey, OPENAPI_VERSION } from "../src/index.js";
import { TAGS } from "../src/openapi/tags.js";
import { installOpenApi } from "../src/openapi/swagger.js";
import { inertDeps, renderOpenApi } from "../../../scripts/render-openapi.js";

const app = await buildApi({ ...inertDeps(), adminToken: "openapi-test-admin-token", isReady: () => true });
await app.ready();
t.teardown(() => app.close());

interface Operation {
  operationId?: string;
  tags?: string[];
  summary?: string;
  responses: Record<string, { description: string }>;
  "x-access"?: unknown;
}

t.test(
  "every route is documented and declares its access; every documented operation is a route",
  async (t) => {
    const document = app.swagger() as unknown as { paths: Record<string, Record<string, Operation>> };
    t.same(
      app.routeCatalog.filter((r) => !r.accessDeclared).map(operationKey),
      [],
      "routes relying on the admin-only default",
    );
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
    );
    t.same(
      operations.map((o) => o.key).sort(),
      app.routeCatalog.map(operationKey).sort(),
      "the document's operations are exactly the routes",
    );
    t.ok(operations.some((o) => o.key === "GET /v1/accounts/{accountId}/optouts"));
    const tags = new Set(TAGS.map((tag) => tag.name));
    const undocumented = operations
      .filter(
        ({ op }) =>
          !op.operationId ||
          !op.summary ||
          op.tags?.length !== 1 ||
          !tags.has(op.tags[0]!) ||
          op["x-access"] === undefined ||
          Object.values(op.responses).some((r) => r.description === "Default Response"),
      )
      .map((o) => o.key);
    t.same(
      undocumented,
      [],
      "routes whose schema lacks operationId, a known tag, a summary or its responses",
    );
    const ids = operations.map((o) => o.op.operationId);
    t.equal(new Set(ids).size, ids.length, "operationIds are unique");
  },
);

t.test("the committed docs/openapi.yaml is the rendered document", async (t) => {
  const yaml = await renderOpenApi();
  const committed = await readFile(new URL("../../../docs/openapi.yaml", import.meta.url), "utf8");
  t.ok(committed === yaml, "docs/openapi.yaml is up to date (run: npm run docs:openapi)");
});

t.test("/docs renders the document; /docs/openapi.json serves it", async (t) => {
  const json = await app.inject({ method: "GET", url: "/docs/openapi.json" });
  t.equal(json.statusCode, 200);
  const served = json.json();
  t.same(served, JSON.parse(JSON.stringify(app.swagger())), "the served document is the generated one");
  t.equal(served.openapi, OPENAPI_VERSION);
  t.equal(served.openapi, "3.1.0");

  const page = await app.inject({ method: "GET", url: "/docs" });
  t.equal(page.statusCode, 200);
  t.match(page.headers["content-type"], /^text\/html/);
  t.match(page.headers["content-security-policy"], /default-src 'none'/);
  t.match(page.body, /Sync the list of one channel, in order of last change/);
  t.match(page.body, /<code class="path">\/v1\/accounts\/\{accountId\}\/optouts<\/code>/);
  t.notMatch(page.body, /<script/i, "no script on the docs page");
  t.notMatch(page.body, /https?:\/\/(?!localhost)/, "nothing loaded from elsewhere");
});

t.test("response schemas document; they do not serialize (no field is dropped or coerced)", async (t) => {
  const probe = Fastify();
  await installOpenApi(probe);
  probe.get(
    "/probe",
    { schema: { response: { 200: { type: "object", properties: { listed: { type: "string" } } } } } },
    async () => ({ listed: 1, unlisted: "kept" }),
  );
  t.teardown(() => probe.close());
  t.same((await probe.inject({ method: "GET", url: "/probe" })).json(), { listed: 1, unlisted: "kept" });
});

t.test("/ui/ serves the page's files with their types and a CSP; nothing else", async (t) => {
  const index = await app.inject({ method: "GET", url: "/ui/" });
  t.equal(index.statusCode, 200);
  t.match(index.headers["content-type"], /^text\/html; charset=utf-8/);
  const csp = String(index.headers["content-security-policy"]);
  t.match(csp, /default-src 'none'/);
  t.match(csp, /script-src 'self'(;|$)/, "no inline script allowed");
  t.match(csp, /frame-ancestors 'none'/);
  t.equal(index.headers["x-content-type-options"], "nosniff");
  t.notMatch(index.body, /<script>|\son\w+="/i, "no inline script or handlers");

  t.match(
    (await app.inject({ method: "GET", url: "/ui/app.js" })).headers["content-type"],
    /^text\/javascript/,
  );
  t.match((await app.inject({ method: "GET", url: "/ui/style.css" })).headers["content-type"], /^text\/css/);
  t.equal((await app.inject({ method: "GET", url: "/ui" })).headers.location, "/ui/");
  t.equal((await app.inject({ method: "GET", url: "/ui/missing.js" })).statusCode, 404);
  t.equal(
    (await app.inject({ method: "GET", url: "/ui/..%2Fsrc%2Fapp.ts" })).statusCode,
    400,
    "no way out of the directory",
  );
  t.equal((await app.inject({ method: "GET", url: "/ui/.hidden" })).statusCode, 400);
});
