/**
 * Typed API tokens and the permission model, over every /v1 route the API has: the route list
 * comes from the served OpenAPI document (generated from the registered routes), so a new route
 * without a sample here fails this test.
 */
import t from "tap";
import { createHash } from "node:crypto";
import { ADMIN_TOKEN, startApiEnv, type ApiResponse } from "../helpers/api-env.js";

const sys = await startApiEnv("api-tokens");
t.teardown(() => sys.stop());

const A = "acct-a";
const B = "acct-b";
await sys.account(A, "org-a");
await sys.account(B, "org-b");
// Something to read on A's list.
const seeded = await sys.request("POST", `/v1/accounts/${A}/optouts`, { body: { channel: "sms", identifier: "+31612345678", action: "opt_out", reason: "seed" } });
// No assertion at the top level: tap would end the file before the subtests are queued.
if (seeded.status !== 201) throw new Error(`seed failed: ${seeded.status} ${seeded.text}`);

const tokens = {
  full: await sys.token(A, ["sms", "email"], ["read", "write"], "full"),
  readOnly: await sys.token(A, ["sms", "email"], ["read"]),
  writeOnly: await sys.token(A, ["sms", "email"], ["write"]),
  smsOnly: await sys.token(A, ["sms"], ["read", "write"]),
  emailOnly: await sys.token(A, ["email"], ["read", "write"]),
  otherAccount: await sys.token(B, ["sms", "email"], ["read", "write"]),
};
const WELL_FORMED_UNKNOWN = "oo_AAAAAAAAAAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

type Access = { kind: string; channelFrom?: string; channel?: string; allChannels?: boolean };

interface Sample {
  params?: Record<string, string>;
  query?: string;
  body?: unknown;
  contentType?: string;
  /** The channel the request acts on: a token without this type gets 403. */
  channel?: "sms" | "email";
  /** Success statuses for the admin token and for an account token that may do this. */
  expect: number[];
  /** Fresh path parameters for each successful call (things a call deletes). */
  prepare?: () => Promise<Record<string, string>>;
}

let counter = 0;
const fresh = (prefix: string) => `${prefix}${++counter}`;
async function admin(method: string, path: string, body?: unknown): Promise<ApiResponse> {
  const res = await sys.request(method, path, body === undefined ? {} : { body });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
  return res;
}

const SAMPLES: Record<string, Sample> = {
  "GET /v1/me": { expect: [200] },
  "PUT /v1/organizations/{orgId}": { params: { orgId: "org-a" }, body: { name: "Org A" }, expect: [200, 201] },
  "GET /v1/organizations/{orgId}": { params: { orgId: "org-a" }, expect: [200] },
  "PUT /v1/accounts/{accountId}": { body: { organizationId: "org-a", defaultCountry: "NL" }, expect: [200] },
  "GET /v1/accounts/{accountId}": { expect: [200] },
  "GET /v1/accounts/{accountId}/optouts/{channel}/{identifier}": { params: { channel: "sms", identifier: "+31612345678" }, channel: "sms", expect: [200] },
  "GET /v1/accounts/{accountId}/optouts/{channel}/{identifier}/history": { params: { channel: "sms", identifier: "+31612345678" }, channel: "sms", expect: [200] },
  "POST /v1/accounts/{accountId}/optouts": { body: { channel: "sms", identifier: "+31612345679", action: "opt_out" }, channel: "sms", expect: [201] },
  "POST /v1/accounts/{accountId}/email-unsubscribe-headers": { body: { email: "jane@example.com" }, channel: "email", expect: [200] },
  "POST /v1/accounts/{accountId}/tokens": { body: { types: ["sms"], permissions: ["read"] }, expect: [201] },
  "GET /v1/accounts/{accountId}/tokens": { expect: [200] },
  "DELETE /v1/accounts/{accountId}/tokens/{tokenId}": {
    expect: [204],
    prepare: async () => ({ tokenId: (await admin("POST", `/v1/accounts/${A}/tokens`, { types: ["sms"], permissions: ["read"] })).body.id }),
  },
  "GET /v1/accounts/{accountId}/optouts": { query: "channel=sms", channel: "sms", expect: [200] },
  "GET /v1/accounts/{accountId}/events": { query: "channel=sms", channel: "sms", expect: [200] },
  "PUT /v1/accounts/{accountId}/groups/{groupId}": { params: { groupId: "g1" }, body: { name: "Group 1" }, expect: [200, 201] },
  "GET /v1/accounts/{accountId}/groups/{groupId}": {
    expect: [200],
    prepare: async () => (await admin("PUT", `/v1/accounts/${A}/groups/g-read`, { name: "read" }), { groupId: "g-read" }),
  },
  "DELETE /v1/accounts/{accountId}/groups/{groupId}": {
    expect: [204],
    prepare: async () => {
      const groupId = fresh("g-del-");
      await admin("PUT", `/v1/accounts/${A}/groups/${groupId}`, { name: "delete me" });
      return { groupId };
    },
  },
  "GET /v1/accounts/{accountId}/groups/{groupId}/contacts": {
    query: "channel=sms",
    channel: "sms",
    expect: [200],
    prepare: async () => (await admin("PUT", `/v1/accounts/${A}/groups/g-list`, { name: "list" }), { groupId: "g-list" }),
  },
  "PUT /v1/accounts/{accountId}/contacts/{contactId}": { params: { contactId: "c1" }, body: { phone: "+31612340001" }, expect: [200, 201] },
  "GET /v1/accounts/{accountId}/contacts/{contactId}": {
    expect: [200],
    prepare: async () => (await admin("PUT", `/v1/accounts/${A}/contacts/c-read`, { phone: "+31612340002" }), { contactId: "c-read" }),
  },
  "DELETE /v1/accounts/{accountId}/contacts/{contactId}": {
    expect: [204],
    prepare: async () => {
      const contactId = fresh("c-del-");
      await admin("PUT", `/v1/accounts/${A}/contacts/${contactId}`, { email: `${contactId}@example.com` });
      return { contactId };
    },
  },
  "POST /v1/accounts/{accountId}/contacts/import": { body: "id,phone,email,groups\nc-imp,+31612340003,,\n", contentType: "text/csv", expect: [200] },
  "POST /v1/accounts/{accountId}/optouts/import": {
    body: "channel,identifier,date,reason\nsms,+31612340004,2026-01-02T00:00:00Z,imported\n",
    contentType: "text/csv",
    expect: [200],
  },
};

// Every /v1 operation the API documents (= every registered /v1 route, see the OpenAPI test).
const doc = (await sys.request("GET", "/docs/openapi.json", { token: null })).body;
const routes: { key: string; method: string; path: string; access: Access }[] = [];
for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, { "x-access": Access }>>)) {
  if (!path.startsWith("/v1/")) continue;
  for (const [method, op] of Object.entries(item)) routes.push({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path, access: op["x-access"] });
}

t.test("every /v1 route has a sample here, and every sample a route", async (t) => {
  t.ok(routes.length >= 16, `${routes.length} routes`);
  t.same(routes.map((r) => r.key).filter((k) => !SAMPLES[k]), [], "routes without a sample");
  t.same(Object.keys(SAMPLES).filter((k) => !routes.some((r) => r.key === k)), [], "samples without a route");
  for (const r of routes) t.not(r.access, undefined, `${r.key} declares its access`);
});

async function call(route: { method: string; path: string }, sample: Sample, token: string | null, accountId = A, params: Record<string, string> = {}) {
  const all: Record<string, string> = { accountId, ...sample.params, ...params };
  const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(all[name] ?? `missing-${name}`));
  return sys.request(route.method, `${path}${sample.query ? `?${sample.query}` : ""}`, {
    token,
    ...(sample.body === undefined ? {} : { body: sample.body }),
    ...(sample.contentType ? { headers: { "content-type": sample.contentType } } : {}),
  });
}

t.test("the matrix: every /v1 route, every kind of caller", async (t) => {
  for (const route of routes) {
    const sample = SAMPLES[route.key];
    if (!sample) continue;
    const { access } = route;
    const label = (what: string) => `${route.key}: ${what}`;
    const expectOk = async (token: string, what: string) => {
      const res = await call(route, sample, token, A, sample.prepare ? await sample.prepare() : {});
      t.ok(sample.expect.includes(res.status), label(`${what} -> ${res.status} ${res.status >= 400 ? res.text : ""}`));
    };
    const expectStatus = async (token: string | null, status: number, what: string, accountId = A) => {
      const res = await call(route, sample, token, accountId, sample.prepare ? await sample.prepare() : {});
      t.equal(res.status, status, label(`${what} -> ${res.status}`));
      if (status >= 400) t.equal(res.body?.error?.code, status === 401 ? "UNAUTHORIZED" : "FORBIDDEN", label(`${what}: error code`));
    };

    await expectStatus(null, 401, "no token");
    await expectStatus(WELL_FORMED_UNKNOWN, 401, "unknown token");
    await expectStatus("not-a-token", 401, "malformed token");
    await expectOk(ADMIN_TOKEN, "admin");

    if (access.kind === "authenticated") {
      for (const [name, token] of Object.entries(tokens)) await expectOk(token, `${name} token`);
      continue;
    }
    if (access.kind === "admin") {
      await expectStatus(tokens.full, 403, "account token on an admin route");
      continue;
    }
    t.match(access.kind, /^account-(read|write)$/, label("account route"));
    await expectOk(tokens.full, "own account, full token");
    await expectStatus(tokens.otherAccount, 403, "token of another account");
    await expectStatus(tokens.otherAccount, 403, "token of another account, account that does not exist", "no-such-account");
    if (access.kind === "account-write") {
      await expectStatus(tokens.readOnly, 403, "read token on a write route");
      await expectOk(tokens.writeOnly, "write token");
    } else {
      await expectStatus(tokens.writeOnly, 403, "write-only token on a read route");
      await expectOk(tokens.readOnly, "read token");
    }
    if (access.allChannels) {
      await expectStatus(tokens.smsOnly, 403, "a one-type token where every type is needed");
      await expectStatus(tokens.emailOnly, 403, "the other one-type token");
    } else if (sample.channel) {
      await expectStatus(sample.channel === "sms" ? tokens.emailOnly : tokens.smsOnly, 403, `token without the ${sample.channel} type`);
      await expectOk(sample.channel === "sms" ? tokens.smsOnly : tokens.emailOnly, `token with only the ${sample.channel} type`);
    } else {
      await expectOk(tokens.smsOnly, "a channel-less route with a one-type token");
    }
  }
});

t.test("a token is shown once, stored as a SHA-256 hash, listed without secrets", async (t) => {
  const created = await sys.request("POST", `/v1/accounts/${A}/tokens`, { body: { types: ["email", "sms"], permissions: ["write", "read"], name: "CRM sync" } });
  t.equal(created.status, 201);
  t.match(created.body.token, /^oo_[0-9A-Za-z]{16}_[0-9A-Za-z]{32}$/);
  t.equal(created.body.token.slice(3, 19), created.body.id, "the id is inside the token");
  t.same(created.body.types, ["sms", "email"], "types in registry order");
  t.same(created.body.permissions, ["read", "write"]);
  t.equal(created.body.name, "CRM sync");
  t.equal(created.headers.get("cache-control"), "no-store");

  const { rows } = await sys.env.infra.pool.query<{ secret_hash: Buffer; row: string }>("SELECT secret_hash, row_to_json(api_tokens)::text AS row FROM api_tokens WHERE id = $1", [created.body.id]);
  t.same(rows[0]!.secret_hash, createHash("sha256").update(created.body.token).digest(), "only the hash is stored");
  t.notOk(rows[0]!.row.includes(created.body.token.slice(20)), "the secret is in no column");

  const list = await sys.request("GET", `/v1/accounts/${A}/tokens`);
  const listed = list.body.items.find((i: { id: string }) => i.id === created.body.id);
  t.same(Object.keys(listed).sort(), ["createdAt", "id", "lastUsedAt", "name", "permissions", "types"]);
  t.equal(listed.lastUsedAt, null, "not used yet");
  t.notOk(list.text.includes(created.body.token), "no secret in the list");

  const me = await sys.request("GET", "/v1/me", { token: created.body.token });
  t.same(me.body, { kind: "account", accountId: A, tokenId: created.body.id, types: ["sms", "email"], permissions: ["read", "write"] });
  const after = await sys.request("GET", `/v1/accounts/${A}/tokens`);
  t.ok(after.body.items.find((i: { id: string }) => i.id === created.body.id).lastUsedAt, "lastUsedAt set by the use");
  t.same((await sys.request("GET", "/v1/me")).body.kind, "admin");
});

t.test("a revoked token stops working at once, in every API process", async (t) => {
  const replica = await sys.startReplica();
  t.teardown(() => replica.stop());
  const created = (await sys.request("POST", `/v1/accounts/${A}/tokens`, { body: { types: ["sms"], permissions: ["read"] } })).body;
  const read = (url: string) =>
    fetch(`${url}/v1/accounts/${A}/optouts?channel=sms`, { headers: { authorization: `Bearer ${created.token}` } }).then((r) => r.status);
  t.equal(await read(sys.url), 200, "works on the first process");
  t.equal(await read(replica.url), 200, "and on the replica");
  t.equal((await sys.request("DELETE", `/v1/accounts/${A}/tokens/${created.id}`)).status, 204);
  t.equal(await read(sys.url), 401, "refused right after the revoke");
  t.equal(await read(replica.url), 401, "also by the other process");
  t.equal((await sys.request("DELETE", `/v1/accounts/${A}/tokens/${created.id}`)).status, 404, "revoking twice: 404");
  t.notOk((await sys.request("GET", `/v1/accounts/${A}/tokens`)).body.items.some((i: { id: string }) => i.id === created.id), "no longer listed");
  t.equal((await sys.request("DELETE", `/v1/accounts/${B}/tokens/${tokens.full.slice(3, 19)}`)).status, 404, "a token is revoked only through its own account");
});

t.test("token management: validation and unknown accounts", async (t) => {
  t.equal((await sys.request("POST", "/v1/accounts/nobody/tokens", { body: { types: ["sms"], permissions: ["read"] } })).body.error.code, "UNKNOWN_ACCOUNT");
  for (const body of [{ types: [], permissions: ["read"] }, { types: ["fax"], permissions: ["read"] }, { types: ["sms"], permissions: ["admin"] }, { types: ["sms", "sms"], permissions: ["read"] }, { types: ["sms"] }]) {
    const res = await sys.request("POST", `/v1/accounts/${A}/tokens`, { body });
    t.equal(res.status, 400, `${JSON.stringify(body)} -> 400`);
  }
  const forbidden = await sys.request("GET", `/v1/accounts/${A}/optouts/email/jane@example.com`, { token: tokens.smsOnly });
  t.equal(forbidden.status, 403);
  t.match(forbidden.body.error.message, /not valid for channel "email"/, "the message says what is missing");
  const other = await sys.request("GET", `/v1/accounts/${B}/optouts?channel=sms`, { token: tokens.full });
  t.match(other.body.error.message, /cannot access another account/);
  t.notMatch(other.body.error.message, new RegExp(B), "the other account's id is not echoed");
});

t.test("public routes need no token; unknown routes are 404 with or without one", async (t) => {
  t.equal((await sys.request("GET", "/healthz", { token: null })).status, 200);
  t.equal((await sys.request("GET", "/nothing-here", { token: null })).status, 404);
  t.equal((await sys.request("GET", "/v1/nothing-here", { token: null })).status, 404);
});
