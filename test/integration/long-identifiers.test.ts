/**
 * Identifiers and ids at their longest in every path that takes one (issue 9): an email address
 * as sent is up to 320 characters, an id 128. fastify's router stopped at 100 characters (414)
 * so an opt-out created for a valid 166-character address could not be read back. Every route
 * with a path parameter is called here (the route list comes from the served OpenAPI document:
 * a new route with a path parameter fails this test until it is added).
 */
import t from "tap";
import { normalizeEmail } from "@optout/domain";
import { startApiEnv, type ApiResponse } from "../helpers/api-env.js";

const sys = await startApiEnv("long-identifiers");
t.teardown(() => sys.stop());

/** The longest ids the API takes: 128 characters of `[A-Za-z0-9._:-]`. */
const longId = (prefix: string) => `${prefix}-${"x".repeat(127 - prefix.length)}`;
const ORG = longId("org");
const ACCOUNT = longId("acct");
const GROUP = longId("group");
const CONTACT = longId("contact");

/**
 * A valid address of 320 characters as sent: its domain labels are written with decomposed
 * accents ("e" + U+0301), which NFC composes and IDNA encodes to 186 ASCII characters.
 */
const accents = (n: number) => "e\u0301".repeat(n);
const LONGEST_VALID = `Jane.Doe1@${accents(55)}.${accents(55)}.${accents(38)}.example.com`;
/** The length of the user's report: plain ASCII, valid, 166 characters. */
const REPORTED = `${"a".repeat(64)}@${"b".repeat(60)}.${"c".repeat(32)}.example`;
/** 320 ASCII characters: routed, but longer than an address can be (a 253-character domain at most). */
const TOO_LONG_ADDRESS = `${"a".repeat(64)}@${["b", "c", "d", "e"].map((c) => c.repeat(60)).join(".")}.${"f".repeat(7)}.com`;

type Params = Record<string, string>;
const exercised = new Set<string>();

/** Call the route `key` ("GET /v1/.../{id}") with these path parameters (percent-encoded here). */
async function call(
  key: string,
  params: Params,
  options: { body?: unknown; contentType?: string; query?: string } = {},
): Promise<ApiResponse> {
  exercised.add(key);
  const [method, template] = key.split(" ") as [string, string];
  const path = template.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${key}: no value for {${name}}`);
    return encodeURIComponent(value);
  });
  return sys.request(method, options.query ? `${path}?${options.query}` : path, {
    ...(options.body === undefined ? {} : { body: options.body }),
    ...(options.contentType ? { headers: { "content-type": options.contentType } } : {}),
  });
}

const doc = (await sys.request("GET", "/docs/openapi.json", { token: null })).body;
const withPathParameters: string[] = [];
for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
  if (!path.includes("{")) continue;
  for (const method of Object.keys(item)) withPathParameters.push(`${method.toUpperCase()} ${path}`);
}

t.test("the addresses used are what they claim", async (t) => {
  t.equal(LONGEST_VALID.length, 320);
  const normalized = normalizeEmail(LONGEST_VALID);
  t.ok(normalized.ok, "valid");
  t.ok(normalized.ok && Buffer.byteLength(normalized.identifier) <= 254, "within RFC 5321 once normalized");
  t.equal(REPORTED.length, 166);
  t.ok(normalizeEmail(REPORTED).ok);
  t.equal(TOO_LONG_ADDRESS.length, 320);
  t.match(normalizeEmail(TOO_LONG_ADDRESS), { ok: false, reason: /domain too long/ });
  for (const id of [ORG, ACCOUNT, GROUP, CONTACT]) t.equal(id.length, 128);
});

t.test("organizations, accounts and tokens with 128-character ids", async (t) => {
  const a = { orgId: ORG, accountId: ACCOUNT };
  t.equal((await call("PUT /v1/organizations/{orgId}", a, { body: { name: "Long" } })).status, 201);
  t.equal((await call("GET /v1/organizations/{orgId}", a)).status, 200);
  const account = await call("PUT /v1/accounts/{accountId}", a, {
    body: { organizationId: ORG, defaultCountry: "NL" },
  });
  t.equal(account.status, 201, account.text);
  t.equal((await call("GET /v1/accounts/{accountId}", a)).body.id, ACCOUNT);
  const token = await call("POST /v1/accounts/{accountId}/tokens", a, {
    body: { types: ["sms", "email"], permissions: ["read", "write"] },
  });
  t.equal(token.status, 201);
  t.equal((await call("GET /v1/accounts/{accountId}/tokens", a)).status, 200);
  // Token ids are 16 characters; the route takes up to 64.
  const missing = await call("DELETE /v1/accounts/{accountId}/tokens/{tokenId}", {
    ...a,
    tokenId: "T".repeat(64),
  });
  t.equal(missing.status, 404, "a 64-character token id is routed (and unknown)");
  t.equal(
    (await call("DELETE /v1/accounts/{accountId}/tokens/{tokenId}", { ...a, tokenId: token.body.id })).status,
    204,
  );
});

t.test("opt-outs of the longest valid address and of the reported one: created, read, history", async (t) => {
  for (const address of [LONGEST_VALID, REPORTED]) {
    const label = `${address.length} characters`;
    const created = await call(
      "POST /v1/accounts/{accountId}/optouts",
      { accountId: ACCOUNT },
      {
        body: { channel: "email", identifier: address, action: "opt_out", reason: "long" },
      },
    );
    t.equal(created.status, 201, `${label}: created`);
    const params = { accountId: ACCOUNT, channel: "email", identifier: address };
    const state = await call("GET /v1/accounts/{accountId}/optouts/{channel}/{identifier}", params);
    t.equal(state.status, 200, `${label}: state`);
    t.match(state.body, { channel: "email", identifier: created.body.identifier, status: "opted_out" });
    const history = await call("GET /v1/accounts/{accountId}/optouts/{channel}/{identifier}/history", params);
    t.equal(history.status, 200, `${label}: history`);
    t.match(history.body.items, [{ action: "opt_out", source: "api", reason: "long" }]);
  }
  const list = await call(
    "GET /v1/accounts/{accountId}/optouts",
    { accountId: ACCOUNT },
    { query: "channel=email" },
  );
  t.equal(list.body.items.length, 2, "both on the list");
  t.equal(
    (await call("GET /v1/accounts/{accountId}/events", { accountId: ACCOUNT }, { query: "channel=email" }))
      .status,
    200,
  );
  const headers = await call(
    "POST /v1/accounts/{accountId}/email-unsubscribe-headers",
    { accountId: ACCOUNT },
    { body: { email: LONGEST_VALID } },
  );
  t.equal(headers.status, 200);
});

t.test("too long for an address, or for the schema: a 400 with a code, never a 414", async (t) => {
  const expect400 = (res: ApiResponse, what: string, message: RegExp) => {
    t.equal(res.status, 400, `${what} -> 400`);
    t.equal(res.body?.error?.code, "INVALID_PAYLOAD", `${what}: code`);
    t.match(res.body?.error?.message, message, `${what}: message`);
  };
  for (const route of [
    "GET /v1/accounts/{accountId}/optouts/{channel}/{identifier}",
    "GET /v1/accounts/{accountId}/optouts/{channel}/{identifier}/history",
  ]) {
    expect400(
      await call(route, { accountId: ACCOUNT, channel: "email", identifier: TOO_LONG_ADDRESS }),
      `${route}, 320 ASCII`,
      /domain too long/,
    );
    expect400(
      await call(route, { accountId: ACCOUNT, channel: "sms", identifier: "1".repeat(320) }),
      `${route}, 320 digits`,
      /not a valid phone number/,
    );
    expect400(
      await call(route, { accountId: ACCOUNT, channel: "email", identifier: `x${LONGEST_VALID}` }),
      `${route}, 321`,
      /identifier/,
    );
    // Every character a reserved one, percent-encoded: 960 characters in the URL.
    expect400(
      await call(route, { accountId: ACCOUNT, channel: "email", identifier: "@".repeat(320) }),
      `${route}, 320 x "@"`,
      /not a valid email address/,
    );
  }
  expect400(
    await call(
      "POST /v1/accounts/{accountId}/optouts",
      { accountId: ACCOUNT },
      { body: { channel: "email", identifier: TOO_LONG_ADDRESS, action: "opt_out" } },
    ),
    "POST, 320 ASCII",
    /domain too long/,
  );
  expect400(
    await sys.request("GET", `/v1/accounts/${ACCOUNT}/contacts/${CONTACT}x`),
    "a 129-character id",
    /params\/contactId/,
  );
  const beyond = await sys.request("GET", `/v1/accounts/${ACCOUNT}/optouts/email/${"a".repeat(961)}`);
  t.ok(
    beyond.status >= 400 && beyond.status < 500,
    `past what the router takes (961): ${beyond.status}, a client error`,
  );
});

t.test("address book and imports with 128-character ids and the longest address", async (t) => {
  const a = { accountId: ACCOUNT, groupId: GROUP, contactId: CONTACT };
  t.equal(
    (await call("PUT /v1/accounts/{accountId}/groups/{groupId}", a, { body: { name: "Long" } })).status,
    201,
  );
  t.equal((await call("GET /v1/accounts/{accountId}/groups/{groupId}", a)).body.id, GROUP);
  const put = await call("PUT /v1/accounts/{accountId}/contacts/{contactId}", a, {
    body: { email: LONGEST_VALID, groups: [GROUP] },
  });
  t.equal(put.status, 201, put.text);
  t.equal(put.body.emailRaw, LONGEST_VALID);
  t.match((await call("GET /v1/accounts/{accountId}/contacts/{contactId}", a)).body, {
    id: CONTACT,
    groups: [GROUP],
  });
  const members = await call("GET /v1/accounts/{accountId}/groups/{groupId}/contacts", a);
  t.same(
    members.body.items.map((i: { id: string }) => i.id),
    [CONTACT],
  );
  const contacts = await call("POST /v1/accounts/{accountId}/contacts/import", a, {
    body: `id,email,groups\n${longId("imp")},"${LONGEST_VALID}",${GROUP}\n`,
    contentType: "text/csv",
  });
  t.match(contacts.body, { imported: 1, failed: 0 });
  const optouts = await call("POST /v1/accounts/{accountId}/optouts/import", a, {
    body: `channel,identifier\nemail,"${REPORTED}"\n`,
    contentType: "text/csv",
  });
  t.match(optouts.body, { imported: 1, duplicates: 0, failed: 0 });
  t.equal((await call("DELETE /v1/accounts/{accountId}/contacts/{contactId}", a)).status, 204);
  t.equal((await call("DELETE /v1/accounts/{accountId}/groups/{groupId}", a)).status, 204);
});

t.test("the page's files and the admin routes with a path parameter at its longest", async (t) => {
  t.equal((await call("GET /ui/{file}", { file: `${"x".repeat(316)}.css` })).status, 404);
  const res = await call("GET /v1/admin/dead-letters/{seq}", { seq: "9".repeat(15) });
  t.equal(res.status, 404, res.text);
  t.equal(res.body.error.code, "NOT_FOUND");
});

t.test("every route with a path parameter is routed at its longest (routes added later too)", async (t) => {
  t.ok(withPathParameters.length >= 15, `${withPathParameters.length} routes`);
  const longest: Params = {
    orgId: ORG,
    accountId: ACCOUNT,
    groupId: GROUP,
    contactId: CONTACT,
    channel: "email",
    identifier: LONGEST_VALID,
    // A UUID is its own longest form.
    deliveryId: "00000000-0000-4000-8000-000000000000",
    // The statistics route's campaign (tag requests' campaignId): at most 128 characters.
    campaign: "c".repeat(128),
  };
  for (const key of withPathParameters.filter((k) => !exercised.has(k))) {
    // A body for the methods that take one (fetch refuses a GET with a body).
    const res = await call(key, longest, /^(GET|HEAD) /.test(key) ? {} : { body: {} });
    t.ok(res.status !== 414 && res.status < 500, `${key} (not called above): ${res.status}`);
    if (res.status >= 400) t.type(res.body?.error?.code, "string", `${key}: an error with a code`);
  }
  t.same(
    withPathParameters.filter((k) => !exercised.has(k)),
    [],
    "every route called",
  );
});
