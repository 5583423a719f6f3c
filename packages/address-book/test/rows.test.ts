import t from "tap";
import { createNormalizer, workerFilename } from "../src/normalizer.js";
import {
  contactFieldsProblem,
  importSourceId,
  MAX_CONTACT_FIELDS_BYTES,
  normalizeContactRow,
  normalizeOptoutRow,
  parseImportDate,
} from "../src/rows.js";

t.test("contact rows: normalized with the default country, raw kept; every bad value named", async (t) => {
  t.same(
    normalizeContactRow(
      { row: 2, id: "c1", phone: "06 1234 5678", email: " Ann@Example.COM ", groups: "vip; news;" },
      "NL",
    ),
    {
      row: 2,
      id: "c1",
      phoneRaw: "06 1234 5678",
      phone: "+31612345678",
      emailRaw: " Ann@Example.COM ",
      email: "ann@example.com",
      fields: {},
      groups: ["vip", "news"],
    },
  );
  t.match(normalizeContactRow({ row: 3, id: "c2", phone: "12", email: "" }, "NL"), {
    row: 3,
    value: "12",
    reason: /invalid phone number/,
  });
  t.match(normalizeContactRow({ row: 4, id: "c3", email: "not-an-address" }, "NL"), {
    row: 4,
    value: "not-an-address",
    reason: /invalid email/,
  });
  t.match(normalizeContactRow({ row: 5, id: "c4", phone: "", email: "" }, "NL"), {
    row: 5,
    value: "c4",
    reason: /at least one/,
  });
  t.match(normalizeContactRow({ row: 6, id: "bad id", phone: "0612345678" }, "NL"), {
    value: "bad id",
    reason: /invalid contact id/,
  });
  t.match(normalizeContactRow({ row: 7, id: "c5", phone: "0612345678", groups: "ok;bad group" }, "NL"), {
    value: "bad group",
    reason: /invalid group id/,
  });
  t.match(normalizeContactRow({ row: 8, id: "", phone: "0612345678" }, "NL"), {
    value: "",
    reason: /missing contact id/,
  });
  t.match(normalizeContactRow({ row: 9, id: "c6", phone: "0612345678" }, undefined), {
    reason: /without a country/,
  });
});

t.test(
  "opt-out rows: channel, identifier, RFC 3339 or YYYY-MM-DD dates, deterministic source id",
  async (t) => {
    const a = normalizeOptoutRow(
      { row: 2, channel: "sms", identifier: "06 1234 5678", date: "2026-01-02", reason: "old list" },
      "NL",
    );
    t.match(a, {
      channel: "sms",
      identifier: "+31612345678",
      occurredAt: "2026-01-02T00:00:00.000Z",
      reason: "old list",
    });
    const b = normalizeOptoutRow(
      { row: 9, channel: "SMS", identifier: "+31612345678", date: "2026-01-02T00:00:00Z" },
      "NL",
    );
    t.equal(
      (b as { sourceId: string }).sourceId,
      (a as { sourceId: string }).sourceId,
      "same channel, identifier and instant: same source id",
    );
    t.not(importSourceId("sms", "+31612345678", undefined), (a as { sourceId: string }).sourceId);
    t.match(normalizeOptoutRow({ row: 3, channel: "fax", identifier: "x" }, "NL"), {
      value: "fax",
      reason: /unknown channel/,
    });
    t.match(normalizeOptoutRow({ row: 4, channel: "email", identifier: "nope" }, "NL"), {
      value: "nope",
      reason: /invalid email/,
    });
    t.match(
      normalizeOptoutRow({ row: 5, channel: "sms", identifier: "0612345678", date: "2026-02-30" }, "NL"),
      { value: "2026-02-30", reason: /invalid date/ },
    );
    t.equal(parseImportDate("2026-11-26T10:00:00+01:00"), "2026-11-26T09:00:00.000Z");
    t.equal(parseImportDate("yesterday"), undefined);
  },
);

t.test("rows Postgres would refuse are that row's error, named like the workers name them", async (t) => {
  const contact = { row: 2, id: "c1", phone: "06 1234 5678" };
  t.same(normalizeContactRow({ ...contact, fields: { note: "a\u0000b" } }, "NL"), {
    row: 2,
    value: "a\u0000b",
    reason: "/fields/note contains a NUL character (U+0000) at index 1",
  });
  t.match(normalizeContactRow({ ...contact, fields: { "k\ud800": 1 } }, "NL"), {
    value: "",
    reason: /^\/fields has a key \("k\\ud800"\) that contains a lone UTF-16 surrogate/,
  });
  let deep: unknown = "leaf";
  for (let i = 0; i < 40; i++) deep = { x: deep };
  t.match(normalizeContactRow({ ...contact, fields: { deep } }, "NL"), {
    reason: /^\/fields\/deep(\/x)+ nests deeper than 32 levels$/,
  });
  t.match(normalizeContactRow({ ...contact, id: "c\u0000" }, "NL"), {
    reason: /^\/id contains a NUL character/,
  });
  t.match(normalizeContactRow({ ...contact, fields: { note: "tab\tand bell\u0007 stay" } }, "NL"), {
    fields: { note: "tab\tand bell\u0007 stay" },
  });

  const optout = { row: 3, channel: "sms", identifier: "0612345678" };
  t.match(normalizeOptoutRow({ ...optout, reason: "old\u0000list" }, "NL"), {
    value: "old\u0000list",
    reason: /^\/reason contains a NUL character/,
  });
  t.match(normalizeOptoutRow({ ...optout, identifier: "\udc00" }, "NL"), {
    reason: /^\/identifier contains a lone UTF-16 surrogate/,
  });
  for (const [date, problem] of [
    ["2026-01-01T00:00:00-23:59", /offset -23:59, outside -14:00\.\.\+14:00/],
    ["0000-01-01", /before 1970/],
    ["1969-12-31T23:59:59Z", /before 1970/],
    ["2026-02-30", /date that does not exist/],
    ["2026-01-01T24:00:00Z", /time that does not exist/],
    ["9999-12-31", /more than 24 hours in the future/],
  ] as const) {
    t.match(normalizeOptoutRow({ ...optout, date }, "NL"), { value: date, reason: problem }, date);
    t.equal(parseImportDate(date), undefined);
  }
  t.equal(
    parseImportDate(" 2026-11-26 10:00:00Z "),
    "2026-11-26T10:00:00.000Z",
    "a space for the T, as RFC 3339 allows",
  );
});

t.test(
  "the piscina pool runs the same functions on worker threads (TypeScript source under tsx)",
  async (t) => {
    t.match(workerFilename("file:///x/src/normalizer.ts"), /normalize\.worker\.dev\.mjs$/);
    t.match(workerFilename("file:///x/dist/normalizer.js"), /normalize\.worker\.js$/);
    const normalizer = createNormalizer({ threads: 1 });
    t.teardown(() => normalizer.close());
    const result = await normalizer.contacts({
      rows: [
        { row: 2, id: "c1", phone: "06 1234 5678" },
        { row: 3, id: "c2", phone: "x" },
      ],
      defaultCountry: "NL",
    });
    t.equal(result.ok[0]?.phone, "+31612345678");
    t.match(result.errors, [{ row: 3, value: "x" }]);
    const optouts = await normalizer.optouts({
      rows: [{ row: 2, channel: "email", identifier: "A@B.example" }],
      defaultCountry: "NL",
    });
    t.equal(optouts.ok[0]?.identifier, "a@b.example");
  },
);

t.test("contact fields: at most 200 keys and 16 KiB as JSON, for the API and imports alike", async (t) => {
  const contact = { row: 2, id: "c1", phone: "06 1234 5678" };
  // 16,384 bytes exactly: {"note":"..."} is 11 bytes around the value.
  const atLimit = { note: "x".repeat(16 * 1024 - 11) };
  t.equal(Buffer.byteLength(JSON.stringify(atLimit)), MAX_CONTACT_FIELDS_BYTES);
  t.match(
    normalizeContactRow({ ...contact, fields: atLimit }, "NL"),
    { fields: atLimit },
    "16 KiB is accepted",
  );
  t.same(normalizeContactRow({ ...contact, fields: { note: `${atLimit.note}x` } }, "NL"), {
    row: 2,
    value: "",
    reason:
      "fields take 16385 bytes as JSON, more than 16384 (16 KiB): keep large data elsewhere and store a reference",
  });
  // Bytes, not characters: 6,000 euro signs are 18,000 bytes of UTF-8.
  t.match(normalizeContactRow({ ...contact, fields: { note: "€".repeat(6_000) } }, "NL"), {
    reason: /^fields take 18011 bytes/,
  });
  const many = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`k${i}`, 1]));
  t.match(normalizeContactRow({ ...contact, fields: many }, "NL"), {
    reason: "fields has 201 keys, more than 200",
  });
  t.equal(contactFieldsProblem({ a: 1 }), null);
});

t.test("contact rows for a typed token: another channel's identifier is the row's error", async (t) => {
  const sms = ["sms"] as const;
  t.same(normalizeContactRow({ row: 2, id: "c1", phone: "0612345678", email: "a@b.example" }, "NL", sms), {
    row: 2,
    value: "a@b.example",
    reason:
      'this token is not valid for channel "email" (its types: sms): leave "email" out; the contact\'s stored email is kept',
  });
  t.match(
    normalizeContactRow({ row: 3, id: "c1", phone: "0612345678", email: null }, "NL", sms),
    { value: "null", reason: /channel "email"/ },
    "null would clear it: refused too",
  );
  t.match(
    normalizeContactRow({ row: 4, id: "c1", phone: "0612345678", email: " " }, "NL", sms),
    { phone: "+31612345678", email: null },
    "an empty CSV cell is no value",
  );
  t.match(normalizeContactRow({ row: 5, id: "c1", email: "" }, "NL", sms), {
    reason: "no phone: a contact written by this token (types: sms) needs one",
  });
  t.match(normalizeContactRow({ row: 6, id: "c1", phone: "0612345678" }, "NL", ["email"]), {
    value: "0612345678",
    reason: /channel "sms" \(its types: email\): leave "phone" out/,
  });
  t.match(
    normalizeContactRow({ row: 7, id: "c1", phone: "0612345678", email: "a@b.example" }, "NL", [
      "sms",
      "email",
    ]),
    { phone: "+31612345678", email: "a@b.example" },
  );
});
