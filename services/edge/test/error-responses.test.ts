/**
 * Every route of the edge, sent a bad request of each kind (JSON, a body that is no form, a body
 * over 16 KiB, a wrong media type, a token over maxParamLength, a bad percent-encoding, a URL and
 * a header over Node's 16 KiB, an unknown path, a method the path does not take): every answer
 * is an HTML page with the error registry's status and the same security headers as every other
 * page, and none repeats the URL. fastify's JSON errors never reach a visitor.
 */
import t, { type Test } from "tap";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { createLogger, ERROR_CODES, httpStatusOf, type ErrorCode } from "@optout/core";
import { buildEdge, EDGE_ROUTES } from "@optout/service-edge";
import { SECURITY_HEADERS } from "../src/security-headers.js";

const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

const app = await buildEdge({
  getLink: async () => null,
  getAccount: async () => null,
  publishClick: async () => undefined,
  publishEmail: async () => undefined,
  emailTokenSecret: "error-responses-secret-0123456789",
  logger: createLogger({ name: "edge-errors", level: "silent" }),
  isReady: () => true,
  rateLimit: { max: 100_000, windowMs: 60_000 },
  trustedProxies: 0,
});
await app.listen({ port: 0, host: "127.0.0.1" });
t.teardown(() => app.close());
const port = (app.server.address() as AddressInfo).port;
const routes = (EDGE_ROUTES.get(app) ?? []).map((r) => {
  const [method, url] = r.split(" ");
  return { method: method!, url: url! };
});

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

function rawRequest(method: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
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

async function inject(
  method: string,
  url: string,
  headers: Record<string, string> = {},
  payload?: string,
): Promise<Answer> {
  const res = await app.inject({
    method: method as "GET",
    url,
    headers,
    ...(payload === undefined ? {} : { payload }),
  });
  return { status: res.statusCode, headers: res.headers, body: res.body };
}

/** An HTML page with the registry's status for `expected` and every security header. */
function assertPage(t: Test, answer: Answer, expected: ErrorCode, label: string, secret?: string): void {
  t.equal(answer.status, httpStatusOf(expected), `${label}: ${answer.status} is ${expected}'s status`);
  t.match(String(answer.headers["content-type"]), /^text\/html; charset=utf-8/, `${label}: a page`);
  t.match(answer.body, /^<!doctype html>/, `${label}: a page, not fastify's JSON`);
  t.notMatch(answer.body, /FST_ERR/, `${label}: no framework code`);
  for (const [name, value] of Object.entries(SECURITY_HEADERS))
    t.equal(answer.headers[name], value, `${label}: ${name}`);
  if (secret) t.notOk(answer.body.includes(secret), `${label}: the URL is not repeated`);
}

t.ok(routes.length >= 7, `${routes.length} routes`);

for (const route of routes) {
  const fill = (value: string) => route.url.replace(/:(\w+)/g, value);
  const path = fill("Tok12345");
  const hasParam = route.url.includes(":");

  t.test(`${route.method} ${route.url}`, async (t) => {
    if (BODY_METHODS.has(route.method)) {
      assertPage(
        t,
        await inject(route.method, path, { "content-type": "application/json" }, '{"not": json'),
        ERROR_CODES.UNSUPPORTED_MEDIA_TYPE,
        "JSON (the edge reads forms)",
      );
      assertPage(
        t,
        await inject(route.method, path, { "content-type": "multipart/form-data" }, "no boundary"),
        ERROR_CODES.INVALID_PAYLOAD,
        "multipart without a boundary",
      );
      assertPage(
        t,
        await inject(
          route.method,
          path,
          { "content-type": "application/x-www-form-urlencoded" },
          `reason=${"r".repeat(17 * 1024)}`,
        ),
        ERROR_CODES.PAYLOAD_TOO_LARGE,
        "a 17 KiB form",
      );
      assertPage(
        t,
        await inject(route.method, path, { "content-type": "application/xml" }, "<a/>"),
        ERROR_CODES.UNSUPPORTED_MEDIA_TYPE,
        "XML",
      );
    }

    if (hasParam) {
      const long = `T${"8".repeat(4999)}`;
      assertPage(
        t,
        await inject(route.method, fill(long)),
        ERROR_CODES.URI_TOO_LONG,
        "a 5000-character token",
        long,
      );
      assertPage(
        t,
        await inject(route.method, fill("%E0%A4%A")),
        ERROR_CODES.MALFORMED_REQUEST,
        "a bad percent-encoding",
      );
    }

    const longQuery = `q${"7".repeat(17_000)}`;
    assertPage(
      t,
      await rawRequest(route.method, `${path}?x=${longQuery}`),
      ERROR_CODES.HEADERS_TOO_LARGE,
      "a 17 KB URL",
      longQuery,
    );
    assertPage(
      t,
      await rawRequest(route.method, path, { "x-padding": "h".repeat(20_000) }),
      ERROR_CODES.HEADERS_TOO_LARGE,
      "a 20 KB header",
      "hhhhhhhh",
    );

    assertPage(
      t,
      await inject(route.method, `${path}/no/such/route/Secret999`),
      ERROR_CODES.NOT_FOUND,
      "an unknown path",
      "Secret999",
    );

    const own = new Set(routes.filter((r) => r.url === route.url).map((r) => r.method));
    const other = ["PATCH", "DELETE", "PUT", "POST"].find((m) => !own.has(m))!;
    const wrong = await inject(other, path);
    assertPage(t, wrong, ERROR_CODES.METHOD_NOT_ALLOWED, `${other} instead`, "Tok12345");
    const allow = String(wrong.headers.allow ?? "").split(", ");
    for (const method of own) t.ok(allow.includes(method), `Allow lists ${method}`);
  });
}

t.test("rate limited and not found pages carry the registry's statuses too", async (t) => {
  const limited = await buildEdge({
    getLink: async () => null,
    getAccount: async () => null,
    publishClick: async () => undefined,
    publishEmail: async () => undefined,
    emailTokenSecret: "error-responses-secret-0123456789",
    logger: createLogger({ name: "edge-errors", level: "silent" }),
    isReady: () => true,
    rateLimit: { max: 1, windowMs: 60_000 },
    trustedProxies: 0,
  });
  t.teardown(() => limited.close());
  const first = await limited.inject({ method: "GET", url: "/Tok12345" });
  assertPage(
    t,
    { status: first.statusCode, headers: first.headers, body: first.body },
    ERROR_CODES.NOT_FOUND,
    "an unknown token",
  );
  const second = await limited.inject({ method: "GET", url: "/Tok12345" });
  assertPage(
    t,
    { status: second.statusCode, headers: second.headers, body: second.body },
    ERROR_CODES.RATE_LIMITED,
    "over the rate",
  );
  t.ok(Number(second.headers["retry-after"]) > 0, "Retry-After");
});
