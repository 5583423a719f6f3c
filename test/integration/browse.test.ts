/**
 * Browsing routes (issue 12 item 7): organizations, accounts, groups and contacts listed and
 * prefix-searched in id order, paged by cursor, with the typed-token rules of the address book.
 */
import t from "tap";
import { ADMIN_TOKEN, startApiEnv } from "../helpers/api-env.js";

const sys = await startApiEnv("browse");
t.teardown(() => sys.stop());

// Ids chosen so that byte order and a linguistic order would differ ("acme-b" < "acme.a" < "acme_x"
// in bytes; a prefix of "acme-" must not match "acme.a").
for (const [id, org] of [
  ["acme-a", "acme"],
  ["acme-b", "acme"],
  ["acme.a", "acme-eu"],
  ["beta-1", "beta"],
  ["acme-c", "acme"],
] as const)
  await sys.account(id, org);

async function ok(path: string, token: string = ADMIN_TOKEN) {
  const res = await sys.request("GET", path, { token });
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${res.text}`);
  return res.body as { items: Record<string, unknown>[]; next: string; hasMore: boolean };
}
/** Every item of a list, page by page; also returns the page sizes. */
async function all(path: string, limit: number, token: string = ADMIN_TOKEN) {
  const ids: unknown[] = [];
  const sizes: number[] = [];
  let after = "";
  for (;;) {
    const sep = path.includes("?") ? "&" : "?";
    const body = await ok(`${path}${sep}limit=${limit}${after ? `&after=${after}` : ""}`, token);
    ids.push(...body.items.map((i) => i.id));
    sizes.push(body.items.length);
    if (!body.hasMore) return { ids, sizes, next: body.next };
    after = body.next;
  }
}

t.test("accounts: byte order, prefix, organization, pages", async (t) => {
  t.same((await all("/v1/accounts", 2)).ids, ["acme-a", "acme-b", "acme-c", "acme.a", "beta-1"]);
  const paged = await all("/v1/accounts", 2);
  t.same(paged.sizes, [2, 2, 1], "pages of 2, the last one short and hasMore false");
  t.same((await all("/v1/accounts?prefix=acme-", 2)).ids, ["acme-a", "acme-b", "acme-c"]);
  t.same((await all("/v1/accounts?prefix=acme", 10)).ids, ["acme-a", "acme-b", "acme-c", "acme.a"]);
  t.same((await all("/v1/accounts?organizationId=acme-eu", 10)).ids, ["acme.a"]);
  t.same((await ok("/v1/accounts?prefix=zzz")).items, [], "no match: an empty page");
  const first = (await ok("/v1/accounts?prefix=acme-a")).items[0]!;
  t.same(Object.keys(first).sort(), [
    "createdAt",
    "defaultCountry",
    "id",
    "listScope",
    "organizationId",
    "updatedAt",
  ]);
  t.notOk("settings" in first, "listed without settings (they hold the webhook secret)");

  // The last page's `next` is where new accounts will appear.
  const end = await all("/v1/accounts?prefix=beta", 10);
  await sys.account("beta-2", "beta");
  t.same(
    (await ok(`/v1/accounts?prefix=beta&after=${end.next}`)).items.map((i) => i.id),
    ["beta-2"],
  );

  for (const bad of [
    "after=%25%25",
    "after=" + Buffer.from("no spaces").toString("base64url"),
    "limit=0",
    "prefix=a%20b",
  ]) {
    const res = await sys.request("GET", `/v1/accounts?${bad}`);
    t.equal(res.status, 400, `${bad} -> 400`);
    t.equal(res.body.error.code, "INVALID_PAYLOAD");
  }
});

t.test("organizations: prefix and pages", async (t) => {
  t.same((await all("/v1/organizations", 1)).ids, ["acme", "acme-eu", "beta"]);
  t.same((await all("/v1/organizations?prefix=acme", 1)).ids, ["acme", "acme-eu"]);
});

t.test("groups: an account's own, by prefix, for any read token of the account", async (t) => {
  for (const id of ["vip", "vip-nl", "news", "vip-be"])
    await sys.request("PUT", `/v1/accounts/acme-a/groups/${id}`, { body: { name: id.toUpperCase() } });
  await sys.request("PUT", "/v1/accounts/acme-b/groups/vip-other", { body: { name: "other" } });
  t.same((await all("/v1/accounts/acme-a/groups?prefix=vip", 2)).ids, ["vip", "vip-be", "vip-nl"]);
  t.same((await all("/v1/accounts/acme-a/groups", 3)).ids, ["news", "vip", "vip-be", "vip-nl"]);
  const sms = await sys.token("acme-a", ["sms"], ["read"]);
  const body = await ok("/v1/accounts/acme-a/groups?prefix=news", sms);
  t.match(body.items, [{ id: "news", name: "NEWS", bypassOptOut: false }]);
  const other = await sys.request("GET", "/v1/accounts/acme-b/groups", { token: sms });
  t.equal(other.status, 403, "another account's groups: 403");
  t.equal((await sys.request("GET", "/v1/accounts/no-such/groups")).body.error.code, "UNKNOWN_ACCOUNT");
});

t.test("contacts: by id, phone or email prefix; a token finds and sees only its types", async (t) => {
  const contacts = [
    ["ann", { phone: "+31612340001", email: "Ann@Example.com", groups: ["vip"] }],
    ["anna", { phone: "+32470000001" }],
    ["bob", { email: "bob@example.com" }],
    ["carl", { phone: "+31612349999", email: "anders@xn--bcher-kva.example" }],
    ["dora", { email: "dora_x@example.com" }],
    ["doraxy", { email: "doraXy@example.com" }],
  ] as const;
  for (const [id, body] of contacts) {
    const res = await sys.request("PUT", `/v1/accounts/acme-a/contacts/${id}`, { body });
    if (res.status !== 201) throw new Error(`contact ${id}: ${res.status} ${res.text}`);
  }
  await sys.request("PUT", "/v1/accounts/acme-b/contacts/ann-b", { body: { phone: "+31612340001" } });

  const ids = async (query: string, token?: string) =>
    (await all(`/v1/accounts/acme-a/contacts${query}`, 2, token)).ids;
  t.same(await ids(""), ["ann", "anna", "bob", "carl", "dora", "doraxy"], "every contact, id order");
  t.same(await ids("?prefix=an"), ["ann", "anna", "carl"], "id prefix, and carl by email anders@");
  t.same(await ids("?prefix=%2B316"), ["ann", "carl"], "phone prefix (E.164)");
  t.same(await ids("?prefix=ANN%40"), ["ann"], "email prefix, any case (stored lower-case)");
  t.same(await ids("?prefix=dora_"), ["dora"], "`_` is a character, not a LIKE wildcard");
  t.same(await ids("?prefix=%25"), [], "`%` too");

  const full = (await ok("/v1/accounts/acme-a/contacts?prefix=ann&limit=1")).items[0]!;
  t.match(full, {
    id: "ann",
    phone: "+31612340001",
    email: "ann@example.com",
    emailRaw: "Ann@Example.com",
    groups: ["vip"],
  });

  const sms = await sys.token("acme-a", ["sms"], ["read"]);
  const email = await sys.token("acme-a", ["email"], ["read"]);
  t.same(await ids("?prefix=an", sms), ["ann", "anna"], "an sms token does not find carl by his email");
  t.same(await ids("?prefix=%2B316", email), [], "an email token does not find contacts by phone");
  t.same(await ids("?prefix=an", email), ["ann", "anna", "carl"], "ids are no channel's");
  const smsItem = (await ok("/v1/accounts/acme-a/contacts?prefix=ann&limit=1", sms)).items[0]!;
  t.same(Object.keys(smsItem).sort(), [
    "createdAt",
    "fields",
    "groups",
    "id",
    "phone",
    "phoneRaw",
    "updatedAt",
  ]);
  const emailItem = (await ok("/v1/accounts/acme-a/contacts?prefix=ann&limit=1", email)).items[0]!;
  t.notOk("phone" in emailItem, "an email token sees no phone key");

  const otherAccount = await sys.request("GET", "/v1/accounts/acme-b/contacts", { token: sms });
  t.equal(otherAccount.status, 403);
  t.same(
    (await all("/v1/accounts/acme-b/contacts?prefix=%2B316", 10)).ids,
    ["ann-b"],
    "the admin token: one account's contacts only",
  );
  const writeOnly = await sys.token("acme-a", ["sms", "email"], ["write"]);
  t.equal((await sys.request("GET", "/v1/accounts/acme-a/contacts", { token: writeOnly })).status, 403);
});
