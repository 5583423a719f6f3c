/**
 * Every route of the API, sent a bad request of each kind (invalid JSON, a body over the limit,
 * a wrong media type, a path parameter over maxParamLength, a bad percent-encoding, a URL and a
 * header over Node's 16 KiB, an unknown path, a method the path does not take): every answer is
 * `{"error": {"code", "message"}}` with a registry code and the registry's status, and none
 * repeats the URL. fastify's own `FST_ERR_*` codes and shapes never leave the server.
 */
import t, { type Test } from "tap";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { ERROR_CODES, httpStatusOf, isErrorCode, type ErrorCode } from "@optout/core";
import { buildApi, type CatalogRoute } from "../src/index.js";
import { inertDeps } from "../../../scripts/render-openapi.js";

const ADMIN = "error-responses-admin-token-0123456789";
const auth = { authorization: `Bearer ${ADMIN}` };
const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const PARAM_VALUES: Record<string, string> = {
  channel: "sms",
  identifier: "%2B31612345678",
  seq: "1",
  file: "app.js",
};

const app = await buildApi({ ...inertDeps(), adminToken: ADMIN, isReady: () => true });
await app.listen({ port: 0, host: "127.0.0.1" });
t.teardown(() => app.close());
const port = (app.server.address() as AddressInfo).port;
const routes: readonly CatalogRoute[] = app.routeCatalog;

function fill(url: string, overrides: Record<string, string> = {}): string {
  return url.replace(/:(\w+)/g, (_m, name: string) => overrides[name] ?? PARAM_VALUES[name] ?? "acme");
}

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

/** A request over a real socket: what Node's HTTP parser refuses never reaches inject(). */
function rawRequest(method: string, path: string, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: "127.0.0.1", port, method, path, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** The answer is the error shape with `expected`, the registry's status, and nothing of `secret`. */
function assertProblem(t: Test, answer: Answer, expected: ErrorCode, label: string, secret?: string): void {
  let body: unknown;
  try {
    body = JSON.parse(answer.body);
  } catch {
    t.fail(`${label}: not JSON: ${answer.body.slice(0, 80)}`);
    return;
  }
  const error = (body as { error?: { code?: unknown; message?: unknown } }).error;
  t.same(Object.keys(body as object), ["error"], `${label}: only "error"`);
  t.same(Object.keys(error ?? {}).sort(), ["code", "message"], `${label}: code and message`);
  t.ok(isErrorCode(error?.code), `${label}: ${String(error?.code)} is a registry code`);
  t.equal(error?.code, expected, `${label}: ${expected}`);
  t.equal(answer.status, httpStatusOf(expected), `${label}: the registry's status`);
  t.equal(typeof error?.message, "string", `${label}: a message`);
  t.match(String(answer.headers["content-type"]), /^application\/json/, `${label}: JSON`);
  if (secret) t.notOk(answer.body.includes(secret), `${label}: the URL is not repeated`);
}

async function inject(
  method: string,
  url: string,
  headers: Record<string, string> = {},
  payload?: string,
): Promise<Answer> {
  const res = await app.inject({
    method: method as "GET",
    url,
    headers: { ...auth, ...headers },
    ...(payload === undefined ? {} : { payload }),
  });
  return { status: res.statusCode, headers: res.headers, body: res.body };
}

t.ok(routes.length > 20, `${routes.length} routes`);

for (const route of routes) {
  const key = `${route.method} ${route.url}`;
  const path = fill(route.url);
  const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);

  t.test(key, async (t) => {
    if (BODY_METHODS.has(route.method)) {
      assertProblem(
        t,
        await inject(route.method, path, { "content-type": "application/json" }, '{"not": json'),
        ERROR_CODES.INVALID_PAYLOAD,
        "invalid JSON",
      );
      assertProblem(
        t,
        await inject(
          route.method,
          path,
          { "content-type": "application/json", "content-length": String(2 ** 31) },
          "{}",
        ),
        ERROR_CODES.PAYLOAD_TOO_LARGE,
        "declared body over every limit",
      );
      assertProblem(
        t,
        await inject(route.method, path, { "content-type": "application/xml" }, "<a/>"),
        ERROR_CODES.UNSUPPORTED_MEDIA_TYPE,
        "XML body",
      );
    }

    if (params.length > 0) {
      const long = `p${"9".repeat(4999)}`;
      assertProblem(
        t,
        await inject(route.method, fill(route.url, { [params[0]!]: long })),
        ERROR_CODES.URI_TOO_LONG,
        "a 5000-character path parameter",
        long,
      );
      assertProblem(
        t,
        await inject(route.method, fill(route.url, { [params[0]!]: "%E0%A4%A" })),
        ERROR_CODES.MALFORMED_REQUEST,
        "a bad percent-encoding",
      );
    }

    const longQuery = `q${"7".repeat(17_000)}`;
    assertProblem(
      t,
      await rawRequest(route.method, `${path}?x=${longQuery}`, auth),
      ERROR_CODES.HEADERS_TOO_LARGE,
      "a 17 KB URL",
      longQuery,
    );
    assertProblem(
      t,
      await rawRequest(route.method, path, { ...auth, "x-padding": "h".repeat(20_000) }),
      ERROR_CODES.HEADERS_TOO_LARGE,
      "a 20 KB header",
      "hhhhhhhh",
    );

    // Deeper than any route, so that no parametric route takes it.
    const unknown = `${path.replace(/\/$/, "")}/no/such/route/%2B31699999999`;
    assertProblem(
      t,
      await inject(route.method, unknown),
      ERROR_CODES.NOT_FOUND,
      "an unknown path",
      "31699999999",
    );

    const own = new Set(routes.filter((r) => r.url === route.url).map((r) => r.method));
    const other = ["PATCH", "DELETE", "PUT", "POST"].find((m) => !own.has(m as CatalogRoute["method"]))!;
    const wrong = await inject(other, path);
    assertProblem(t, wrong, ERROR_CODES.METHOD_NOT_ALLOWED, `${other} instead`, "31612345678");
    const allow = String(wrong.headers.allow ?? "").split(", ");
    for (const method of own) t.ok(allow.includes(method), `Allow lists ${method}`);
  });
}

t.test("a real body over the limit, not only a declared one", async (t) => {
  const big = JSON.stringify({ name: "x".repeat(1024 * 1024) });
  assertProblem(
    t,
    await inject("PUT", "/v1/organizations/acme", { "content-type": "application/json" }, big),
    ERROR_CODES.PAYLOAD_TOO_LARGE,
    "1 MiB + JSON",
  );
  assertProblem(
    t,
    await inject("PUT", "/v1/organizations/acme", { "content-type": "application/json" }, ""),
    ERROR_CODES.INVALID_PAYLOAD,
    "empty JSON body",
  );
});

t.test("a method no route has and the root are answered in the same shape", async (t) => {
  assertProblem(t, await inject("GET", "/"), ERROR_CODES.NOT_FOUND, "GET /");
  assertProblem(t, await inject("OPTIONS", "/v1/me"), ERROR_CODES.METHOD_NOT_ALLOWED, "OPTIONS /v1/me");
  assertProblem(
    t,
    await inject("GET", "/v1/%2B31611111111/x"),
    ERROR_CODES.NOT_FOUND,
    "an unknown path with a number",
    "31611111111",
  );
});
