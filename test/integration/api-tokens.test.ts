/**
 * Typed API tokens and the permission model, over every /v1 route the API has: the route list
 * comes from the served OpenAPI document (generated from the registered routes), so a new route
 * without a sample here fails this test.
 */
import t, { type Test } from "tap";
import { createHash } from "node:crypto";
import { ADMIN_TOKEN, startApiEnv, type ApiResponse } from "../helpers/api-env.js";

const sys = await startApiEnv("api-tokens");
t.teardown(() => sys.stop());

const A = "acct-a";
const B = "acct-b";
await sys.account(A, "org-a");
await sys.account(B, "org-b");
// Something to read on A's list.
const seeded = await sys.request("POST", `/v1/accounts/${A}/optouts`, {
  body: { channel: "sms", identifier: "+31612345678", action: "opt_out", reason: "seed" },
});
// No assertion at the top level: tap would end the file before the subtests are queued.
if (seeded.status !== 201) throw new Error(`seed failed: ${seeded.status} ${seeded.text}`);

const tokens = {
  full: await sys.token(A, ["sms", "email"], ["read", "write"], "full"),
  readOnly: await sys.token(A, ["sms", "email"], ["read"]),
  writeOnly: await sys.token(A, ["sms", "email"], ["write"]),
  smsOnly: await sys.token(A, ["sms"], ["read", "write"]),
  emailOnly: await sys.token(A, ["email"], ["read", "write"]),
  otherAccount: await sys.token(B, ["sms", "email"], ["read", "write"]),
  audit: await sys.token(A, ["sms", "email"], ["audit:read"]),
  auditEmailOnly: await sys.token(A, ["email"], ["audit:read"]),
  otherAccountAudit: await sys.token(B, ["sms", "email"], ["audit:read"]),
  eraser: await sys.token(A, ["sms", "email"], ["erasure:write"]),
  emailEraser: await sys.token(A, ["email"], ["erasure:write"]),
  otherAccountEraser: await sys.token(B, ["sms", "email"], ["erasure:write"]),
};
/** For each permission of its own (not granted by read or write): a token with it, one with only the email type, one of account B. */
const OWN_PERMISSION_TOKENS = {
  "audit:read": {
    own: tokens.audit,
    emailOnly: tokens.auditEmailOnly,
    otherAccount: tokens.otherAccountAudit,
  },
  "erasure:write": {
    own: tokens.eraser,
    emailOnly: tokens.emailEraser,
    otherAccount: tokens.otherAccountEraser,
  },
} as const;
const WELL_FORMED_UNKNOWN = "oo_AAAAAAAAAAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB";

type Access = {
  kind: string;
  channelFrom?: string;
  channel?: string;
  allChannels?: boolean;
  permission?: string;
};

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
  "PUT /v1/organizations/{orgId}": {
    params: { orgId: "org-a" },
    body: { name: "Org A" },
    expect: [200, 201],
  },
  "GET /v1/organizations/{orgId}": { params: { orgId: "org-a" }, expect: [200] },
  "GET /v1/organizations": { query: "prefix=org-", expect: [200] },
  "GET /v1/accounts": { query: "prefix=acct-&limit=10", expect: [200] },
  "GET /v1/accounts/{accountId}/groups": { query: "prefix=g-", expect: [200] },
  "GET /v1/accounts/{accountId}/contacts": { query: "prefix=c", expect: [200] },
  "PUT /v1/accounts/{accountId}": { body: { organizationId: "org-a", defaultCountry: "NL" }, expect: [200] },
  "PATCH /v1/accounts/{accountId}": { body: { defaultCountry: "NL" }, expect: [200] },
  "GET /v1/accounts/{accountId}": { expect: [200] },
  "GET /v1/accounts/{accountId}/optouts/{channel}/{identifier}": {
    params: { channel: "sms", identifier: "+31612345678" },
    channel: "sms",
    expect: [200],
  },
  "GET /v1/accounts/{accountId}/optouts/{channel}/{identifier}/history": {
    params: { channel: "sms", identifier: "+31612345678" },
    channel: "sms",
    expect: [200],
  },
  "POST /v1/accounts/{accountId}/optouts": {
    body: { channel: "sms", identifier: "+31612345679", action: "opt_out" },
    channel: "sms",
    expect: [201],
  },
  "POST /v1/accounts/{accountId}/email-unsubscribe-headers": {
    body: { email: "jane@example.com" },
    channel: "email",
    expect: [200],
  },
  "POST /v1/accounts/{accountId}/tokens": { body: { types: ["sms"], permissions: ["read"] }, expect: [201] },
  "GET /v1/accounts/{accountId}/tokens": { expect: [200] },
  "DELETE /v1/accounts/{accountId}/tokens/{tokenId}": {
    expect: [204],
    prepare: async () => ({
      tokenId: (await admin("POST", `/v1/accounts/${A}/tokens`, { types: ["sms"], permissions: ["read"] }))
        .body.id,
    }),
  },
  "GET /v1/accounts/{accountId}/optouts": { query: "channel=sms", channel: "sms", expect: [200] },
  "GET /v1/accounts/{accountId}/events": { query: "channel=sms", channel: "sms", expect: [200] },
  "PUT /v1/accounts/{accountId}/groups/{groupId}": {
    params: { groupId: "g1" },
    body: { name: "Group 1" },
    expect: [200, 201],
  },
  "GET /v1/accounts/{accountId}/groups/{groupId}": {
    expect: [200],
    prepare: async () => (
      await admin("PUT", `/v1/accounts/${A}/groups/g-read`, { name: "read" }),
      { groupId: "g-read" }
    ),
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
    prepare: async () => (
      await admin("PUT", `/v1/accounts/${A}/groups/g-list`, { name: "list" }),
      { groupId: "g-list" }
    ),
  },
  "PUT /v1/accounts/{accountId}/contacts/{contactId}": {
    params: { contactId: "c1" },
    body: { phone: "+31612340001" },
    expect: [200, 201],
  },
  "GET /v1/accounts/{accountId}/contacts/{contactId}": {
    expect: [200],
    prepare: async () => (
      await admin("PUT", `/v1/accounts/${A}/contacts/c-read`, { phone: "+31612340002" }),
      { contactId: "c-read" }
    ),
  },
  "DELETE /v1/accounts/{accountId}/contacts/{contactId}": {
    expect: [204],
    prepare: async () => {
      const contactId = fresh("c-del-");
      // Phone only: a one-type (sms) token may delete it (one with an email: see the type checks).
      await admin("PUT", `/v1/accounts/${A}/contacts/${contactId}`, { phone: "+31612340005" });
      return { contactId };
    },
  },
  "POST /v1/accounts/{accountId}/contacts/import": {
    body: "id,phone,email,groups\nc-imp,+31612340003,,\n",
    contentType: "text/csv",
    expect: [200],
  },
  "POST /v1/accounts/{accountId}/optouts/import": {
    body: "channel,identifier,date,reason\nsms,+31612340004,2026-01-02T00:00:00Z,imported\n",
    contentType: "text/csv",
    expect: [200],
  },
  "POST /v1/accounts/{accountId}/erasures": {
    body: { channel: "sms", identifier: "+31612340006" },
    channel: "sms",
    expect: [200],
  },
  "GET /v1/accounts/{accountId}/stats/optouts": {
    query: "channel=sms&groupBy=day,source",
    channel: "sms",
    expect: [200],
  },
  "GET /v1/accounts/{accountId}/stats/campaigns/{campaign}": {
    params: { campaign: "c-1" },
    query: "channel=sms",
    channel: "sms",
    expect: [200],
  },
  // Admin only; an installation without dead letters yet answers 404 for the list and a letter.
  "GET /v1/accounts/{accountId}/evidence": { query: "channel=sms", channel: "sms", expect: [200] },
  "GET /v1/accounts/{accountId}/optouts/{channel}/{identifier}/evidence": {
    params: { channel: "sms", identifier: "+31612345678" },
    channel: "sms",
    expect: [200],
  },
  "GET /v1/accounts/{accountId}/audit": { expect: [200] },
  "GET /v1/accounts/{accountId}/webhooks/deliveries": { query: "channel=sms", channel: "sms", expect: [200] },
  // No webhook on this account, so no job: the access checks come first, then 404.
  "POST /v1/accounts/{accountId}/webhooks/deliveries/{deliveryId}/redeliver": {
    params: { deliveryId: "00000000-0000-4000-8000-000000000000" },
    expect: [404],
  },
  "GET /v1/admin/dead-letters": { expect: [200, 404] },
  "GET /v1/admin/dead-letters/{seq}": { params: { seq: "1" }, expect: [404] },
  "POST /v1/admin/dead-letters/replay": { body: { seqs: [1], dryRun: true }, expect: [200, 404] },
};

// Every /v1 operation the API documents (= every registered /v1 route, see the OpenAPI test).
const doc = (await sys.request("GET", "/docs/openapi.json", { token: null })).body;
const routes: { key: string; method: string; path: string; access: Access }[] = [];
for (const [path, item] of Object.entries(
  doc.paths as Record<string, Record<string, { "x-access": Access }>>,
)) {
  if (!path.startsWith("/v1/")) continue;
  for (const [method, op] of Object.entries(item))
    routes.push({
      key: `${method.toUpperCase()} ${path}`,
      method: method.toUpperCase(),
      path,
      access: op["x-access"],
    });
}

t.test("every /v1 route has a sample here, and every sample a route", async (t) => {
  t.ok(routes.length >= 16, `${routes.length} routes`);
  t.same(
    routes.map((r) => r.key).filter((k) => !SAMPLES[k]),
    [],
    "routes without a sample",
  );
  t.same(
    Object.keys(SAMPLES).filter((k) => !routes.some((r) => r.key === k)),
    [],
    "samples without a route",
  );
  for (const r of routes) t.not(r.access, undefined, `${r.key} declares its access`);
});

async function call(
  route: { method: string; path: string },
  sample: Sample,
  token: string | null,
  accountId = A,
  params: Record<string, string> = {},
) {
  const all: Record<string, string> = { accountId, ...sample.params, ...params };
  const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) =>
    encodeURIComponent(all[name] ?? `missing-${name}`),
  );
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
      t.ok(
        sample.expect.includes(res.status),
        label(`${what} -> ${res.status} ${res.status >= 400 ? res.text : ""}`),
      );
    };
    const expectStatus = async (token: string | null, status: number, what: string, accountId = A) => {
      const res = await call(route, sample, token, accountId, sample.prepare ? await sample.prepare() : {});
      t.equal(res.status, status, label(`${what} -> ${res.status}`));
      if (status >= 400)
        t.equal(
          res.body?.error?.code,
          status === 401 ? "UNAUTHORIZED" : "FORBIDDEN",
          label(`${what}: error code`),
        );
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
    if (access.permission !== undefined) {
      // A permission of its own (audit:read, erasure:write): read and write do not grant it.
      const own = OWN_PERMISSION_TOKENS[access.permission as keyof typeof OWN_PERMISSION_TOKENS];
      await expectStatus(tokens.full, 403, `a read and write token without ${access.permission}`);
      await expectStatus(tokens.readOnly, 403, `a read token without ${access.permission}`);
      await expectStatus(tokens.writeOnly, 403, `a write token without ${access.permission}`);
      await expectOk(own.own, `a token with ${access.permission}`);
      await expectStatus(own.otherAccount, 403, `a ${access.permission} token of another account`);
      if (sample.channel === "sms")
        await expectStatus(own.emailOnly, 403, `a ${access.permission} token without the sms type`);
      else await expectOk(own.emailOnly, `a one-type ${access.permission} token`);
      continue;
    }
    await expectOk(tokens.full, "own account, full token");
    await expectStatus(tokens.otherAccount, 403, "token of another account");
    await expectStatus(
      tokens.otherAccount,
      403,
      "token of another account, account that does not exist",
      "no-such-account",
    );
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
      await expectStatus(
        sample.channel === "sms" ? tokens.emailOnly : tokens.smsOnly,
        403,
        `token without the ${sample.channel} type`,
      );
      await expectOk(
        sample.channel === "sms" ? tokens.smsOnly : tokens.emailOnly,
        `token with only the ${sample.channel} type`,
      );
    } else {
      await expectOk(tokens.smsOnly, "a channel-less route with a one-type token");
    }
  }
});

// ---- token types in the address book (issue 9) -------------------------------------------------

/** A request with a token (JSON body unless `contentType` says otherwise). */
const as = (token: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
  sys.request(method, `/v1/accounts/${A}${path}`, {
    token,
    ...(body === undefined ? {} : { body }),
    ...(headers ? { headers } : {}),
  });
const keysOf = (value: object) => Object.keys(value).sort();
/** A contact with both identifiers, made by the admin token. */
async function mixedContact(id: string, groups: string[] = []) {
  await admin("PUT", `/v1/accounts/${A}/contacts/${id}`, {
    phone: "+31612349001",
    email: `${id}@example.com`,
    groups,
  });
}
const readBack = async (id: string) => (await admin("GET", `/v1/accounts/${A}/contacts/${id}`)).body;

/**
 * What a one-type token sees and may write on each address-book route: the identifiers of its
 * types only, in every read (JSON and NDJSON) and every write (a 403, or a row error in an import).
 */
const TYPE_CHECKS: Record<string, (t: Test) => Promise<void>> = {
  "PUT /v1/accounts/{accountId}/groups/{groupId}": async (t) => {
    const res = await as(tokens.smsOnly, "PUT", "/groups/g-types-put", { name: "no identifiers" });
    t.equal(res.status, 201, "a group belongs to no channel: any type may write it");
    t.same(keysOf(res.body), ["bypassOptOut", "createdAt", "id", "name", "updatedAt"]);
  },
  "GET /v1/accounts/{accountId}/groups/{groupId}": async (t) => {
    await admin("PUT", `/v1/accounts/${A}/groups/g-types-get`, { name: "read me" });
    for (const token of [tokens.smsOnly, tokens.emailOnly])
      t.equal((await as(token, "GET", "/groups/g-types-get")).status, 200);
  },
  "DELETE /v1/accounts/{accountId}/groups/{groupId}": async (t) => {
    await mixedContact("types-group-member", ["g-types-del"]);
    t.equal((await as(tokens.smsOnly, "DELETE", "/groups/g-types-del")).status, 204);
    t.match(
      await readBack("types-group-member"),
      { email: "types-group-member@example.com", groups: [] },
      "the members keep their identifiers of every type",
    );
  },
  "GET /v1/accounts/{accountId}/groups/{groupId}/contacts": async (t) => {
    await mixedContact("types-member", ["g-types-list"]);
    const list = async (token: string, query: string) =>
      (await as(token, "GET", `/groups/g-types-list/contacts${query}`)).body.items;
    t.same(
      await list(tokens.smsOnly, "?channel=sms"),
      [{ id: "types-member", phone: "+31612349001" }],
      "sms token, channel=sms: no email key",
    );
    t.same(
      await list(tokens.smsOnly, ""),
      [{ id: "types-member", phone: "+31612349001" }],
      "sms token, no channel: no email key",
    );
    t.same(
      await list(tokens.emailOnly, "?channel=email"),
      [{ id: "types-member", email: "types-member@example.com" }],
      "email token: no phone key",
    );
    t.same(
      await list(tokens.full, "?channel=sms"),
      [{ id: "types-member", phone: "+31612349001", email: "types-member@example.com" }],
      "both types: both",
    );
    for (const [token, query, hidden] of [
      [tokens.smsOnly, "?channel=sms", "email"],
      [tokens.smsOnly, "", "email"],
      [tokens.emailOnly, "?channel=email", "phone"],
    ] as const) {
      const ndjson = await as(token, "GET", `/groups/g-types-list/contacts${query}`, undefined, {
        accept: "application/x-ndjson",
      });
      const lines = ndjson.text
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      t.same(
        lines.map((l) => keysOf(l)),
        [keysOf({ id: 1, [hidden === "email" ? "phone" : "email"]: 1 })],
        `NDJSON ${query || "without channel"}: no ${hidden} key`,
      );
    }
  },
  "GET /v1/accounts/{accountId}/groups": async (t) => {
    await admin("PUT", `/v1/accounts/${A}/groups/g-types-browse`, { name: "browse me" });
    for (const token of [tokens.smsOnly, tokens.emailOnly]) {
      const res = await as(token, "GET", "/groups?prefix=g-types-browse");
      t.equal(res.status, 200, "a group belongs to no channel: any type may list it");
      t.same(res.body.items.map(keysOf), [["bypassOptOut", "createdAt", "id", "name", "updatedAt"]]);
    }
  },
  "GET /v1/accounts/{accountId}/contacts": async (t) => {
    await mixedContact("types-browse");
    const find = async (token: string, prefix: string) =>
      (await as(token, "GET", `/contacts?prefix=${encodeURIComponent(prefix)}`)).body.items as object[];
    t.same((await find(tokens.smsOnly, "types-browse")).map(keysOf), [
      ["createdAt", "fields", "groups", "id", "phone", "phoneRaw", "updatedAt"],
    ]);
    t.same((await find(tokens.emailOnly, "types-browse")).map(keysOf), [
      ["createdAt", "email", "emailRaw", "fields", "groups", "id", "updatedAt"],
    ]);
    t.same(await find(tokens.smsOnly, "types-browse@"), [], "an sms token does not find by email");
    t.equal((await find(tokens.emailOnly, "types-browse@")).length, 1, "an email token does");
    t.same(await find(tokens.emailOnly, "+31612349001"), [], "an email token does not find by phone");
  },
  "PUT /v1/accounts/{accountId}/contacts/{contactId}": async (t) => {
    await mixedContact("types-put");
    for (const [token, body, channel] of [
      [tokens.smsOnly, { phone: "+31612349002", email: "other@example.com" }, "email"],
      [tokens.smsOnly, { phone: "+31612349002", email: null }, "email"],
      [tokens.emailOnly, { email: "types-put@example.com", phone: "+31612349002" }, "sms"],
    ] as const) {
      const res = await as(token, "PUT", "/contacts/types-put", body);
      t.equal(res.status, 403, `${JSON.stringify(body)} -> 403`);
      t.equal(res.body.error.code, "FORBIDDEN");
      t.match(res.body.error.message, new RegExp(`not valid for channel "${channel}"`));
    }
    t.match(
      await readBack("types-put"),
      { phone: "+31612349001", email: "types-put@example.com" },
      "nothing written",
    );
    const ok = await as(tokens.smsOnly, "PUT", "/contacts/types-put", {
      phone: "+31612349002",
      fields: { tier: "gold" },
    });
    t.equal(ok.status, 200);
    t.same(
      keysOf(ok.body),
      ["createdAt", "fields", "groups", "id", "phone", "phoneRaw", "updatedAt"],
      "the answer shows its type only",
    );
    t.match(
      await readBack("types-put"),
      {
        phone: "+31612349002",
        email: "types-put@example.com",
        emailRaw: "types-put@example.com",
        fields: { tier: "gold" },
      },
      "the email is kept",
    );
    const none = await as(tokens.smsOnly, "PUT", "/contacts/types-put-new", { fields: { a: 1 } });
    t.equal(none.status, 400);
    t.match(none.body.error.message, /no phone: a contact written by this token \(types: sms\) needs one/);
  },
  "GET /v1/accounts/{accountId}/contacts/{contactId}": async (t) => {
    await mixedContact("types-get");
    const read = async (token: string) => keysOf((await as(token, "GET", "/contacts/types-get")).body);
    const common = ["createdAt", "fields", "groups", "id", "updatedAt"];
    t.same(
      await read(tokens.smsOnly),
      [...common, "phone", "phoneRaw"].sort(),
      "sms token: no email, no emailRaw",
    );
    t.same(
      await read(tokens.emailOnly),
      [...common, "email", "emailRaw"].sort(),
      "email token: no phone, no phoneRaw",
    );
    t.same(
      await read(tokens.readOnly),
      [...common, "email", "emailRaw", "phone", "phoneRaw"].sort(),
      "both types: all",
    );
  },
  "DELETE /v1/accounts/{accountId}/contacts/{contactId}": async (t) => {
    await mixedContact("types-del");
    const refused = await as(tokens.smsOnly, "DELETE", "/contacts/types-del");
    t.equal(refused.status, 403);
    t.equal(refused.body.error.code, "FORBIDDEN");
    t.match(
      refused.body.error.message,
      /identifier for channel "email" \(its email address\), which this token is not valid for/,
    );
    t.equal((await readBack("types-del")).email, "types-del@example.com", "still there");
    await admin("PUT", `/v1/accounts/${A}/contacts/types-del-sms`, { phone: "+31612349003" });
    t.equal(
      (await as(tokens.emailOnly, "DELETE", "/contacts/types-del-sms")).status,
      403,
      "an email token and a phone-only contact",
    );
    t.equal(
      (await as(tokens.smsOnly, "DELETE", "/contacts/types-del-sms")).status,
      204,
      "a contact of the token's types only",
    );
    t.equal((await as(tokens.smsOnly, "DELETE", "/contacts/types-del-none")).status, 404);
  },
  "POST /v1/accounts/{accountId}/contacts/import": async (t) => {
    await mixedContact("types-imp-mixed");
    const csv = [
      "id,phone,email,groups",
      "types-imp-1,+31612349101,,",
      "types-imp-mixed,+31612349102,new@example.com,",
      "types-imp-mixed,+31612349103,,",
    ].join("\n");
    const res = await as(tokens.smsOnly, "POST", "/contacts/import", csv, { "content-type": "text/csv" });
    t.equal(res.status, 200);
    t.match(res.body, {
      imported: 2,
      failed: 1,
      errors: [{ row: 3, value: "new@example.com", reason: /not valid for channel "email"/ }],
    });
    t.match(
      await readBack("types-imp-mixed"),
      { phone: "+31612349103", email: "types-imp-mixed@example.com" },
      "an empty email cell keeps the stored address",
    );
    const ndjson = [
      JSON.stringify({ id: "types-imp-2", phone: "+31612349104", email: null }),
      JSON.stringify({ id: "types-imp-3", phone: "+31612349105" }),
    ].join("\n");
    const nd = await as(tokens.smsOnly, "POST", "/contacts/import", ndjson, {
      "content-type": "application/x-ndjson",
    });
    t.match(nd.body, {
      imported: 1,
      failed: 1,
      errors: [{ row: 1, value: "null", reason: /not valid for channel "email"/ }],
    });
    const byEmail = await as(tokens.emailOnly, "POST", "/contacts/import", csv, {
      "content-type": "text/csv",
    });
    t.match(byEmail.body, { imported: 0, failed: 3 }, "an email token and phone numbers: every row refused");
  },
  "POST /v1/accounts/{accountId}/optouts/import": async (t) => {
    const res = await as(
      tokens.smsOnly,
      "POST",
      "/optouts/import",
      "channel,identifier\nsms,+31612349201\n",
      { "content-type": "text/csv" },
    );
    t.equal(
      res.status,
      403,
      "a suppression list may hold any channel: every type is needed, even for sms rows only",
    );
    t.equal(res.body.error.code, "FORBIDDEN");
    t.equal(
      (await admin("GET", `/v1/accounts/${A}/optouts/sms/%2B31612349201`)).body.status,
      "none",
      "nothing recorded",
    );
  },
};

const isAddressBookRoute = (key: string) => /\/(groups|contacts)(\/|$)|\/optouts\/import$/.test(key);

t.test("every address-book route has a type check, and every type check a route", async (t) => {
  const addressBook = routes.map((r) => r.key).filter(isAddressBookRoute);
  t.ok(addressBook.length >= 9, `${addressBook.length} address-book routes`);
  t.same(
    addressBook.filter((k) => !TYPE_CHECKS[k]),
    [],
    "routes without a type check",
  );
  t.same(
    Object.keys(TYPE_CHECKS).filter((k) => !addressBook.includes(k)),
    [],
    "type checks without a route",
  );
});

t.test("token types in the address book: a token sees and writes only its channels", async (t) => {
  for (const [key, check] of Object.entries(TYPE_CHECKS)) await t.test(key, check);
});

t.test("a token is shown once, stored as a SHA-256 hash, listed without secrets", async (t) => {
  const created = await sys.request("POST", `/v1/accounts/${A}/tokens`, {
    body: { types: ["email", "sms"], permissions: ["write", "read"], name: "CRM sync" },
  });
  t.equal(created.status, 201);
  t.match(created.body.token, /^oo_[0-9A-Za-z]{16}_[0-9A-Za-z]{32}$/);
  t.equal(created.body.token.slice(3, 19), created.body.id, "the id is inside the token");
  t.same(created.body.types, ["sms", "email"], "types in registry order");
  t.same(created.body.permissions, ["read", "write"]);
  t.equal(created.body.name, "CRM sync");
  t.equal(created.headers.get("cache-control"), "no-store");

  const { rows } = await sys.env.infra.pool.query<{ secret_hash: Buffer; row: string }>(
    "SELECT secret_hash, row_to_json(api_tokens)::text AS row FROM api_tokens WHERE id = $1",
    [created.body.id],
  );
  t.same(
    rows[0]!.secret_hash,
    createHash("sha256").update(created.body.token).digest(),
    "only the hash is stored",
  );
  t.notOk(rows[0]!.row.includes(created.body.token.slice(20)), "the secret is in no column");

  const list = await sys.request("GET", `/v1/accounts/${A}/tokens`);
  const listed = list.body.items.find((i: { id: string }) => i.id === created.body.id);
  t.same(Object.keys(listed).sort(), ["createdAt", "id", "lastUsedAt", "name", "permissions", "types"]);
  t.equal(listed.lastUsedAt, null, "not used yet");
  t.notOk(list.text.includes(created.body.token), "no secret in the list");

  const me = await sys.request("GET", "/v1/me", { token: created.body.token });
  t.same(me.body, {
    kind: "account",
    accountId: A,
    tokenId: created.body.id,
    types: ["sms", "email"],
    permissions: ["read", "write"],
  });
  const after = await sys.request("GET", `/v1/accounts/${A}/tokens`);
  t.ok(
    after.body.items.find((i: { id: string }) => i.id === created.body.id).lastUsedAt,
    "lastUsedAt set by the use",
  );
  t.same((await sys.request("GET", "/v1/me")).body.kind, "admin");
});

t.test("a revoked token stops working at once, in every API process", async (t) => {
  const replica = await sys.startReplica();
  t.teardown(() => replica.stop());
  const created = (
    await sys.request("POST", `/v1/accounts/${A}/tokens`, { body: { types: ["sms"], permissions: ["read"] } })
  ).body;
  const read = (url: string) =>
    fetch(`${url}/v1/accounts/${A}/optouts?channel=sms`, {
      headers: { authorization: `Bearer ${created.token}` },
    }).then((r) => r.status);
  t.equal(await read(sys.url), 200, "works on the first process");
  t.equal(await read(replica.url), 200, "and on the replica");
  t.equal((await sys.request("DELETE", `/v1/accounts/${A}/tokens/${created.id}`)).status, 204);
  t.equal(await read(sys.url), 401, "refused right after the revoke");
  t.equal(await read(replica.url), 401, "also by the other process");
  t.equal(
    (await sys.request("DELETE", `/v1/accounts/${A}/tokens/${created.id}`)).status,
    404,
    "revoking twice: 404",
  );
  t.notOk(
    (await sys.request("GET", `/v1/accounts/${A}/tokens`)).body.items.some(
      (i: { id: string }) => i.id === created.id,
    ),
    "no longer listed",
  );
  t.equal(
    (await sys.request("DELETE", `/v1/accounts/${B}/tokens/${tokens.full.slice(3, 19)}`)).status,
    404,
    "a token is revoked only through its own account",
  );
});

t.test("token management: validation and unknown accounts", async (t) => {
  t.equal(
    (
      await sys.request("POST", "/v1/accounts/nobody/tokens", {
        body: { types: ["sms"], permissions: ["read"] },
      })
    ).body.error.code,
    "UNKNOWN_ACCOUNT",
  );
  for (const body of [
    { types: [], permissions: ["read"] },
    { types: ["fax"], permissions: ["read"] },
    { types: ["sms"], permissions: ["admin"] },
    { types: ["sms", "sms"], permissions: ["read"] },
    { types: ["sms"] },
  ]) {
    const res = await sys.request("POST", `/v1/accounts/${A}/tokens`, { body });
    t.equal(res.status, 400, `${JSON.stringify(body)} -> 400`);
  }
  const forbidden = await sys.request("GET", `/v1/accounts/${A}/optouts/email/jane@example.com`, {
    token: tokens.smsOnly,
  });
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
