import t from "tap";
import { getHistory } from "@optout/store";
import { ADMIN_TOKEN, startSystem } from "../helpers/system.js";

const system = await startSystem({ name: "address-book" });
t.teardown(() => system.stop());
const { infra } = system.env;

await system.account("acme-nl", "acme");
// Through the API: the account setting is part of PUT /v1/accounts/{id}.
const allAccount = await system.api("PUT", "/v1/accounts/acme-all", {
  organizationId: "acme",
  defaultCountry: "NL",
  bypassAllGroups: true,
});
if (allAccount.status !== 201 || allAccount.body.bypassAllGroups !== true)
  throw new Error(`account: ${JSON.stringify(allAccount.body)}`);

let counter = 0;
/** A fresh Dutch mobile number in national format (the accounts' default country is NL). */
const nextNational = () => `06 ${String(20_000_000 + counter++)}`;
const e164 = (national: string) => `+316${national.slice(3)}`;

async function post(path: string, body: string, contentType: string, accept = "application/json") {
  const res = await fetch(`${system.apiUrl}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": contentType, accept },
    body,
  });
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
}

async function optOut(accountId: string, identifier: string, channel = "sms") {
  const res = await system.api("POST", `/v1/accounts/${accountId}/optouts`, {
    channel,
    identifier,
    action: "opt_out",
  });
  if (res.status !== 201) throw new Error(`opt-out failed: ${res.status} ${JSON.stringify(res.body)}`);
}

t.test(
  "groups and contacts: normalized at write with the account's country, raw kept, clear 400s",
  async (t) => {
    t.equal((await system.api("PUT", "/v1/accounts/acme-nl/groups/crud", { name: "CRUD" })).status, 201);
    const group = await system.api("GET", "/v1/accounts/acme-nl/groups/crud");
    t.match(group.body, { id: "crud", name: "CRUD", bypassOptOut: false });

    const put = await system.api("PUT", "/v1/accounts/acme-nl/contacts/ann", {
      phone: "06 1234 5678",
      email: " Ann@Example.COM",
      groups: ["crud", "auto-made"],
      fields: { firstName: "Ann" },
    });
    t.equal(put.status, 201);
    t.match(put.body, {
      id: "ann",
      phone: "+31612345678",
      phoneRaw: "06 1234 5678",
      email: "ann@example.com",
      emailRaw: " Ann@Example.COM",
      groups: ["auto-made", "crud"],
      fields: { firstName: "Ann" },
    });
    t.match(
      (await system.api("GET", "/v1/accounts/acme-nl/groups/auto-made")).body,
      { name: "auto-made", bypassOptOut: false },
      "an unknown group is created, never bypassing",
    );

    const again = await system.api("PUT", "/v1/accounts/acme-nl/contacts/ann", { email: "ann@example.com" });
    t.equal(again.status, 200);
    t.match(
      again.body,
      { phone: null, email: "ann@example.com", groups: ["auto-made", "crud"], fields: {} },
      "PUT replaces the contact; groups stay when not sent",
    );

    const badPhone = await system.api("PUT", "/v1/accounts/acme-nl/contacts/bob", { phone: "06 12" });
    t.equal(badPhone.status, 400);
    t.match(badPhone.body.error.message, /invalid phone number: .*"06 12"/);
    const badEmail = await system.api("PUT", "/v1/accounts/acme-nl/contacts/bob", { email: "bob@" });
    t.match(badEmail.body.error.message, /invalid email address/);
    const neither = await system.api("PUT", "/v1/accounts/acme-nl/contacts/bob", { fields: { x: 1 } });
    t.equal(neither.status, 400);
    t.match(neither.body.error.message, /at least one/);
    t.equal(
      (await system.api("PUT", "/v1/accounts/nobody/contacts/bob", { phone: "+31612345678" })).status,
      404,
    );

    t.equal((await system.api("DELETE", "/v1/accounts/acme-nl/contacts/ann")).status, 204);
    t.equal((await system.api("GET", "/v1/accounts/acme-nl/contacts/ann")).status, 404);
    t.equal((await system.api("DELETE", "/v1/accounts/acme-nl/groups/crud")).status, 204);
    t.equal((await system.api("GET", "/v1/accounts/acme-nl/groups/crud")).status, 404);
  },
);

t.test(
  "checks: an opted-out member of a bypass group of the account is not suppressed, groupIds or not; otherwise opted_out",
  async (t) => {
    await system.api("PUT", "/v1/accounts/acme-nl/groups/vip", { name: "VIP", bypassOptOut: true });
    await system.api("PUT", "/v1/accounts/acme-nl/groups/news", { name: "Newsletter" });
    const vip = nextNational();
    const news = nextNational();
    const clean = nextNational();
    await system.api("PUT", "/v1/accounts/acme-nl/contacts/vip-1", { phone: vip, groups: ["vip"] });
    await system.api("PUT", "/v1/accounts/acme-nl/contacts/news-1", { phone: news, groups: ["news"] });
    await system.api("PUT", "/v1/accounts/acme-nl/contacts/clean-1", { phone: clean, groups: ["vip"] });
    await optOut("acme-nl", e164(vip));
    await optOut("acme-nl", e164(news));
    const recipients = [e164(vip), news, clean];

    const named = await system.check({ recipients, groupIds: ["vip"] });
    t.same(
      named.results.map((r) => [r.reason, r.suppressed]),
      [
        ["bypass_group", false],
        ["opted_out", true],
        ["not_opted_out", false],
      ],
    );
    const without = await system.check({ recipients });
    t.same(
      without.results.map((r) => r.reason),
      ["bypass_group", "opted_out", "not_opted_out"],
      "no groupIds: any bypass group of the account",
    );
    const other = await system.check({ recipients, groupIds: ["news", "no-such-group"] });
    t.same(
      other.results.map((r) => r.reason),
      ["bypass_group", "opted_out", "not_opted_out"],
      "naming other groups does not narrow it",
    );
    const transactional = await system.check({ recipients, groupIds: ["vip"], category: "transactional" });
    t.same(
      transactional.results.map((r) => r.reason),
      ["transactional", "transactional", "transactional"],
    );
  },
);

t.test(
  "bypassAllGroups is accepted and changes nothing: membership of any bypass group is enough, groupIds or not",
  async (t) => {
    await system.api("PUT", "/v1/accounts/acme-all/groups/staff", { name: "Staff", bypassOptOut: true });
    await system.api("PUT", "/v1/accounts/acme-all/groups/plain", { name: "Plain" });
    const staff = nextNational();
    const plain = nextNational();
    await system.api("PUT", "/v1/accounts/acme-all/contacts/s1", { phone: staff, groups: ["staff"] });
    await system.api("PUT", "/v1/accounts/acme-all/contacts/p1", { phone: plain, groups: ["plain"] });
    await optOut("acme-all", e164(staff));
    await optOut("acme-all", e164(plain));
    for (const groupIds of [undefined, ["plain"]]) {
      const reply = await system.check({
        accountId: "acme-all",
        recipients: [staff, plain],
        ...(groupIds ? { groupIds } : {}),
      });
      t.same(
        reply.results.map((r) => r.reason),
        ["bypass_group", "opted_out"],
        `groupIds ${JSON.stringify(groupIds)}`,
      );
    }
    // The same people, asked for by an account without the setting and without the contacts: suppressed.
    const nl = await system.check({ accountId: "acme-nl", recipients: [staff], groupIds: ["staff"] });
    t.equal(nl.results[0]?.reason, "opted_out", "address books are per account");
  },
);

t.test(
  "filtered group list: opted-out members left out; cursor pages and NDJSON give the same set",
  async (t) => {
    await system.api("PUT", "/v1/accounts/acme-nl/groups/campaign", { name: "Campaign" });
    const rows = ["id,phone,email,groups"];
    const expected: string[] = [];
    const optedOut: string[] = [];
    for (let i = 0; i < 40; i++) {
      const id = `m${String(i).padStart(3, "0")}`;
      if (i % 10 === 9) {
        rows.push(`${id},,${id}@example.com,campaign`); // no phone: not on the SMS list
        continue;
      }
      const phone = nextNational();
      rows.push(`${id},${phone},,campaign`);
      if (i % 4 === 1) optedOut.push(e164(phone));
      else expected.push(id);
    }
    const imported = await post("/v1/accounts/acme-nl/contacts/import", rows.join("\n"), "text/csv");
    t.same(JSON.parse(imported.text), { imported: 40, failed: 0, errors: [], errorsOmitted: 0 });
    for (const phone of optedOut) await optOut("acme-nl", phone);

    const paged: string[] = [];
    let after = "";
    let pages = 0;
    for (;;) {
      const res = await system.api(
        "GET",
        `/v1/accounts/acme-nl/groups/campaign/contacts?channel=sms&excludeOptedOut=true&limit=7&after=${after}`,
      );
      t.equal(res.status, 200);
      t.type(res.body.next, "string", "next on every page");
      paged.push(...res.body.items.map((c: { id: string; phone: string }) => c.id));
      pages++;
      after = res.body.next;
      if (!res.body.hasMore) break;
    }
    t.same(paged, expected, "every member with a phone, minus the opted-out ones, in id order");
    t.ok(pages >= Math.ceil(expected.length / 7));
    const tail = await system.api(
      "GET",
      `/v1/accounts/acme-nl/groups/campaign/contacts?channel=sms&after=${after}`,
    );
    t.same(
      tail.body,
      { items: [], next: after, hasMore: false },
      "coming back later with the last cursor: nothing new yet",
    );

    const res = await fetch(
      `${system.apiUrl}/v1/accounts/acme-nl/groups/campaign/contacts?channel=sms&excludeOptedOut=true`,
      {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, accept: "application/x-ndjson" },
      },
    );
    t.match(res.headers.get("content-type"), /application\/x-ndjson/);
    const lines = (await res.text())
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    t.same(lines.map((l) => l.id).sort(), expected, "NDJSON: the same set");
    t.match(
      lines.find((l) => l.id === expected[0]),
      { phone: /^\+316/, email: null },
    );

    const unfiltered = await system.api(
      "GET",
      "/v1/accounts/acme-nl/groups/campaign/contacts?channel=sms&excludeOptedOut=false&limit=100",
    );
    t.equal(unfiltered.body.items.length, 36, "excludeOptedOut=false: every member with a phone");
    const email = await system.api(
      "GET",
      "/v1/accounts/acme-nl/groups/campaign/contacts?channel=email&limit=100",
    );
    t.same(
      email.body.items.map((c: { id: string }) => c.id),
      ["m009", "m019", "m029", "m039"],
    );
    t.equal(
      (await system.api("GET", "/v1/accounts/acme-nl/groups/campaign/contacts?excludeOptedOut=true")).status,
      400,
      "filtering needs a channel",
    );
    t.equal(
      (await system.api("GET", "/v1/accounts/acme-nl/groups/campaign/contacts?channel=sms&limit=10001"))
        .status,
      400,
    );
    t.equal(
      (await system.api("GET", "/v1/accounts/acme-nl/groups/campaign/contacts?channel=sms&after=%21%21"))
        .status,
      400,
    );
    t.equal((await system.api("GET", "/v1/accounts/acme-nl/groups/nope/contacts?channel=sms")).status, 404);

    // The same members in a bypass group come back whole.
    await system.api("PUT", "/v1/accounts/acme-nl/groups/campaign", { name: "Campaign", bypassOptOut: true });
    const whole = await system.api(
      "GET",
      "/v1/accounts/acme-nl/groups/campaign/contacts?channel=sms&excludeOptedOut=true&limit=100",
    );
    t.equal(whole.body.items.length, 36, "a bypass group comes back whole");
  },
);

t.test("one bypass rule: the check and the filtered group list agree on the same contacts", async (t) => {
  await system.account("acme-rule", "acme");
  const put = (path: string, body: unknown) => system.api("PUT", `/v1/accounts/acme-rule/${path}`, body);
  await put("groups/staff", { name: "Staff", bypassOptOut: true });
  await put("groups/promo", { name: "Promo" });
  const phones = Object.fromEntries(
    ["both", "promoOnly", "clean", "cleanStaff", "twin"].map((k) => [k, nextNational()]),
  );
  await put("contacts/both", { phone: phones.both, groups: ["promo", "staff"] }); // opted out, in a bypass group
  await put("contacts/promo-only", { phone: phones.promoOnly, groups: ["promo"] }); // opted out
  await put("contacts/clean", { phone: phones.clean, groups: ["promo"] });
  await put("contacts/clean-staff", { phone: phones.cleanStaff, groups: ["promo", "staff"] });
  await put("contacts/twin-promo", { phone: phones.twin, groups: ["promo"] }); // opted out; the same number
  await put("contacts/twin-staff", { phone: phones.twin, groups: ["staff"] }); // is a staff contact too
  for (const k of ["both", "promoOnly", "twin"]) await optOut("acme-rule", e164(phones[k]!));

  const members: [string, string][] = [
    ["both", phones.both!],
    ["clean", phones.clean!],
    ["clean-staff", phones.cleanStaff!],
    ["promo-only", phones.promoOnly!],
    ["twin-promo", phones.twin!],
  ];
  const check = await system.check({ accountId: "acme-rule", recipients: members.map(([, p]) => p) });
  const sendable = members.filter((_, i) => !check.results[i]!.suppressed).map(([id]) => id);
  t.same(
    check.results.map((r) => r.reason),
    ["bypass_group", "not_opted_out", "not_opted_out", "opted_out", "bypass_group"],
    "check, without groupIds",
  );
  const named = await system.check({
    accountId: "acme-rule",
    recipients: members.map(([, p]) => p),
    groupIds: ["promo"],
  });
  t.same(named.results, check.results, "naming the campaign's (non-bypass) group changes nothing");

  const page = await system.api(
    "GET",
    "/v1/accounts/acme-rule/groups/promo/contacts?channel=sms&excludeOptedOut=true&limit=2",
  );
  const paged: string[] = page.body.items.map((c: { id: string }) => c.id);
  for (let after = page.body.next, more = page.body.hasMore; more;) {
    const next = await system.api(
      "GET",
      `/v1/accounts/acme-rule/groups/promo/contacts?channel=sms&excludeOptedOut=true&limit=2&after=${after}`,
    );
    paged.push(...next.body.items.map((c: { id: string }) => c.id));
    after = next.body.next;
    more = next.body.hasMore;
  }
  t.same(paged, sendable, "the filtered list (pages) is exactly what the check lets through");
  const res = await fetch(
    `${system.apiUrl}/v1/accounts/acme-rule/groups/promo/contacts?channel=sms&excludeOptedOut=true`,
    {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, accept: "application/x-ndjson" },
    },
  );
  const streamed = (await res.text())
    .trim()
    .split("\n")
    .map((l) => (JSON.parse(l) as { id: string }).id);
  t.same(streamed.sort(), sendable, "the filtered list (NDJSON) too");
});

t.test("CSV import: bad rows are reported with line, value and reason; the rest is imported", async (t) => {
  const csv = [
    "id,phone,email,groups,firstName",
    'i1,06 3000 0001,,"imp-a;imp-b",Ann',
    'i2,"+31 (0)6 3000 0002","I2@Example.com",imp-a,',
    "i3,12,,imp-a,",
    'i4,,"not an address",,',
    ",06 3000 0005,,,",
    '"i6","multi\nline",,,',
    "i7,06 3000 0007,,imp-a",
    "i8,06 3000 0008,,bad group,",
    "i9,,i9@example.com,,",
  ].join("\r\n");
  const res = await post("/v1/accounts/acme-nl/contacts/import", csv, "text/csv; charset=utf-8");
  t.equal(res.status, 200);
  const summary = JSON.parse(res.text);
  t.equal(summary.imported, 3);
  t.equal(summary.failed, 6);
  t.same(
    summary.errors.map((e: { row: number; value: string }) => [e.row, e.value]),
    [
      [4, "12"],
      [5, "not an address"],
      [6, ""],
      [7, "multi\nline"],
      [9, "i7,06 3000 0007,,imp-a"],
      [10, "bad group"],
    ],
  );
  t.match(summary.errors[0].reason, /invalid phone number/);
  t.match(summary.errors[4].reason, /4 field\(s\) where the header has 5/);
  const i1 = await system.api("GET", "/v1/accounts/acme-nl/contacts/i1");
  t.match(
    i1.body,
    { phone: "+31630000001", groups: ["imp-a", "imp-b"], fields: { firstname: "Ann" } },
    "extra columns become fields",
  );
  t.match((await system.api("GET", "/v1/accounts/acme-nl/contacts/i2")).body, {
    phone: "+31630000002",
    email: "i2@example.com",
  });

  const bad = await post("/v1/accounts/acme-nl/contacts/import", "name,number\nx,y", "text/csv");
  t.equal(bad.status, 400);
  t.match(JSON.parse(bad.text).error.message, /CSV header lacks "id"/);
  t.equal((await post("/v1/accounts/acme-nl/contacts/import", "{}", "application/json")).status, 415);
});

t.test("NDJSON import with Accept: application/x-ndjson streams progress, then the summary", async (t) => {
  const lines = [
    JSON.stringify({ id: "n1", phone: nextNational(), groups: ["nd"], fields: { tier: "gold" } }),
    JSON.stringify({ id: "n2", email: "N2@example.com", groups: "nd;nd2" }),
    "not json",
    JSON.stringify({ id: "n3", phone: "+1", extra: true }),
  ].join("\n");
  const res = await post(
    "/v1/accounts/acme-nl/contacts/import",
    lines,
    "application/x-ndjson",
    "application/x-ndjson",
  );
  t.equal(res.status, 200);
  t.match(res.type, /application\/x-ndjson/);
  const out = res.text
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  t.same(out[0], { progress: { rows: 4, imported: 2, failed: 2 } });
  t.match(out[1], {
    imported: 2,
    failed: 2,
    errors: [
      { row: 3, reason: /not JSON/ },
      { row: 4, reason: /unknown key/ },
    ],
  });
  t.match((await system.api("GET", "/v1/accounts/acme-nl/contacts/n1")).body, {
    fields: { tier: "gold" },
    groups: ["nd"],
  });
});

t.test(
  "suppression list import: import events, bad rows reported, a second import records nothing",
  async (t) => {
    await system.account("acme-own", "acme", "account");
    const p1 = nextNational();
    const p2 = nextNational();
    const csv = [
      "channel,identifier,date,reason",
      `sms,${p1},2025-03-01,old system`,
      `sms,${p2},,`,
      "email,Old@Example.com,2025-03-02T10:00:00Z,complaint",
      "fax,123,,",
      "sms,0612,,",
      "email,x@y.example,yesterday,",
    ].join("\n");
    const first = JSON.parse((await post("/v1/accounts/acme-own/optouts/import", csv, "text/csv")).text);
    t.match(first, { imported: 3, duplicates: 0, failed: 3 });
    t.same(
      first.errors.map((e: { row: number }) => e.row),
      [5, 6, 7],
    );
    const second = JSON.parse((await post("/v1/accounts/acme-own/optouts/import", csv, "text/csv")).text);
    t.match(second, { imported: 0, duplicates: 3, failed: 3 }, "re-importing records no second event");

    const history = await getHistory(infra.pool, "account:acme-own", "sms", e164(p1));
    t.equal(history.length, 1);
    t.match(history[0], {
      action: "opt_out",
      source: "import",
      reason: "old system",
      occurredAt: "2025-03-01T00:00:00.000Z",
    });
    t.equal(
      (await getHistory(infra.pool, "account:acme-own", "sms", e164(p2))).length,
      1,
      "an undated row too",
    );
    const check = await system.check({ accountId: "acme-own", recipients: [p1, p2] });
    t.same(
      check.results.map((r) => r.reason),
      ["opted_out", "opted_out"],
    );
    const email = await system.check({
      accountId: "acme-own",
      channel: "email",
      recipients: ["old@example.com"],
    });
    t.equal(email.results[0]?.reason, "opted_out");
    const unknownColumn = await post(
      "/v1/accounts/acme-own/optouts/import",
      "channel,identifier,when\nsms,+31612345678,x",
      "text/csv",
    );
    t.equal(unknownColumn.status, 400);
  },
);
