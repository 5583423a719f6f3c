import t from "tap";
import {
  controlCharacterProblem,
  decodePayload,
  findStorableViolation,
  isValidPayload,
  MAX_NESTING_DEPTH,
  storableViolation,
  timestampViolation,
  validatePayload,
} from "@optout/schemas";

const sms = {
  id: "m1",
  accountId: "acme-nl",
  from: "+31612345678",
  to: "3010",
  text: "STOP",
  receivedAt: "2026-11-26T10:00:00Z",
};
const link = { id: "click-1", token: "Tok12345", clickedAt: "2026-11-26T10:00:00Z" };
const email = {
  id: "e1",
  accountId: "acme-nl",
  email: "jane@example.com",
  method: "one_click",
  receivedAt: "2026-11-26T10:00:00Z",
};
const NOW = Date.parse("2026-11-29T12:00:00Z");

function nested(depth: number): unknown {
  let value: unknown = "leaf";
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

t.test("the walker names the first value Postgres cannot store, wherever it is", async (t) => {
  t.equal(storableViolation({ a: "fine", b: ["ok", { c: 1, d: null, e: true }] }), null);
  t.equal(storableViolation({ id: "a\u0000b" }), "/id contains a NUL character (U+0000) at index 1");
  t.equal(
    storableViolation({ id: "\ud800" }),
    "/id contains a lone UTF-16 surrogate (U+D800) at index 0: not valid Unicode",
  );
  t.equal(
    storableViolation({ id: "x\udc00" }),
    "/id contains a lone UTF-16 surrogate (U+DC00) at index 1: not valid Unicode",
  );
  t.equal(storableViolation({ text: "emoji 😀 pairs are fine \ud83d\ude00" }), null);
  t.equal(storableViolation({ text: "tab\tnewline\nreturn\r bell\u0007 are storable free text" }), null);
  t.equal(
    storableViolation({ fields: { list: ["ok", "n\u0000"] } }),
    "/fields/list/1 contains a NUL character (U+0000) at index 1",
  );
  t.match(
    storableViolation({ fields: { "k\u0000": 1 } }),
    /^\/fields has a key \("k\\u0000"\) that contains a NUL character/,
  );
  t.match(
    storableViolation({ fields: { ["k".repeat(300)]: 1 } }),
    /^\/fields has a key \("k+"\) that is longer than 256 characters$/,
  );
  t.equal(
    storableViolation({ "a/b~c": "\u0000" }),
    "/a~1b~0c contains a NUL character (U+0000) at index 0",
    "JSON pointer escaping",
  );
  t.equal(storableViolation({ huge: "x".repeat(100_001) }), "/huge is longer than 100000 characters");
  t.equal(storableViolation("\u0000"), "the value contains a NUL character (U+0000) at index 0");
  t.equal(storableViolation({ a: "x" }, "body"), null);
  t.equal(storableViolation({ a: "\u0000" }, "body"), "body/a contains a NUL character (U+0000) at index 0");
});

t.test(`nesting: ${MAX_NESTING_DEPTH} levels of objects or arrays pass, one more does not`, async (t) => {
  t.equal(findStorableViolation(nested(MAX_NESTING_DEPTH)), null);
  const found = findStorableViolation(nested(MAX_NESTING_DEPTH + 1));
  t.equal(found?.problem, `nests deeper than ${MAX_NESTING_DEPTH} levels`);
  t.equal(found?.path, "/a".repeat(MAX_NESTING_DEPTH));
  t.ok(
    findStorableViolation(JSON.parse("[".repeat(5000) + "]".repeat(5000))),
    "arrays count too, without exhausting the stack",
  );
});

t.test("identifiers refuse every control character, free text only what cannot be stored", async (t) => {
  t.equal(controlCharacterProblem("msg-1 with spaces / and ünïcode"), null);
  t.equal(controlCharacterProblem("a\u0007b"), "contains a control character (U+0007) at index 1");
  t.equal(controlCharacterProblem("a\u009fb"), "contains a control character (U+009F) at index 1");
  t.equal(controlCharacterProblem("a\u0000b"), "contains a NUL character (U+0000) at index 1");
  t.throws(
    () => validatePayload("inboundSms", { ...sms, id: "m\u00071" }),
    /\/id contains a control character \(U\+0007\)/,
  );
  t.throws(
    () => validatePayload("inboundSms", { ...sms, from: "+31612345678\n" }),
    /\/from contains a control character \(U\+000A\)/,
  );
  t.throws(
    () => validatePayload("inboundEmail", { ...email, listId: "list\u001b" }),
    /\/listId contains a control character/,
  );
  t.ok(
    isValidPayload("inboundSms", { ...sms, text: "STOP\r\n\u0007" }),
    "control characters in free text are stored as sent",
  );
});

t.test("timestamps: strict RFC 3339 that Postgres stores as the same instant, and plausible", async (t) => {
  for (const ok of [
    "2026-11-26T10:00:00Z",
    "2026-11-26t10:00:00z",
    "2026-11-26 10:00:00+01:00",
    "2026-11-26T10:00:00.123456789-05:30",
    "2024-02-29T00:00:00Z",
    "2000-02-29T00:00:00Z",
    "1970-01-01T00:00:00Z",
    "2026-11-30T11:59:59Z",
    "2026-01-01T00:00:00+14:00",
    "2026-01-01T00:00:00-14:00",
  ]) {
    t.equal(timestampViolation(ok, NOW), null, ok);
  }
  const bad: [string, RegExp][] = [
    ["0000-01-01T00:00:00Z", /before 1970/],
    ["1969-12-31T23:59:59Z", /before 1970/],
    ["1970-01-01T00:30:00+01:00", /before 1970/],
    ["2026-01-01T00:00:00-23:59", /offset -23:59, outside -14:00\.\.\+14:00/],
    ["2026-01-01T00:00:00+14:01", /offset \+14:01/],
    ["2026-01-01T00:00:00+05:60", /offset \+05:60/],
    ["2026-02-30T00:00:00Z", /date that does not exist \(2026-02-30\)/],
    ["2026-02-29T00:00:00Z", /date that does not exist/],
    ["1900-02-29T00:00:00Z", /date that does not exist/],
    ["2026-13-01T00:00:00Z", /date that does not exist/],
    ["2026-04-31T00:00:00Z", /date that does not exist/],
    ["2026-01-00T00:00:00Z", /date that does not exist/],
    ["2026-01-01T24:00:00Z", /time that does not exist \(24:00\)/],
    ["2026-01-01T23:60:00Z", /time that does not exist/],
    ["2016-12-31T23:59:60Z", /leap seconds are not accepted/],
    ["2026-11-30T12:00:01Z", /more than 24 hours in the future/],
    ["9999-12-31T23:59:59Z", /more than 24 hours in the future/],
    ["2026-01-01T00:00:00", /not an RFC 3339 timestamp/],
    ["2026-01-01", /not an RFC 3339 timestamp/],
    ["2026-01-01T00:00Z", /not an RFC 3339 timestamp/],
    ["2026-01-01T00:00:00.1234567890Z", /not an RFC 3339 timestamp/],
    ["+02026-01-01T00:00:00Z", /not an RFC 3339 timestamp/],
    ["2026-01-01T00:00:00Z\n", /not an RFC 3339 timestamp/],
    ["٢٠٢٦-01-01T00:00:00Z", /not an RFC 3339 timestamp/],
  ];
  for (const [value, problem] of bad) t.match(timestampViolation(value, NOW), problem, JSON.stringify(value));
  t.throws(() => validatePayload("inboundSms", { ...sms, receivedAt: "2026-01-01T00:00:00-23:59" }), {
    message: "inboundSms payload is invalid: /receivedAt has offset -23:59, outside -14:00..+14:00",
  });
  t.throws(
    () => validatePayload("inboundLink", { ...link, clickedAt: "2026-02-30T10:00:00Z" }),
    /\/clickedAt has a date that does not exist/,
  );
});

t.test(
  "every payload is walked: the poison shapes of the inbound subjects are refused, each with its reason",
  async (t) => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      [
        "inboundSms",
        { ...sms, id: "m\u00001" },
        /^inboundSms payload is invalid: \/id contains a NUL character/,
      ],
      ["inboundSms", { ...sms, id: "m\ud800" }, /\/id contains a lone UTF-16 surrogate/],
      ["inboundSms", { ...sms, text: "STOP\u0000" }, /\/text contains a NUL character/],
      ["inboundSms", { ...sms, receivedAt: "0000-01-01T00:00:00Z" }, /\/receivedAt is before 1970/],
      ["inboundSms", { ...sms, text: "x".repeat(10_001) }, /\/text must NOT have more than 10000 characters/],
      [
        "inboundSms",
        { ...sms, gateway: { meta: nested(40) } },
        /\/gateway\/meta(\/a)+ nests deeper than 32 levels/,
      ],
      ["inboundSms", { ...sms, gateway: { "bad\u0000key": 1 } }, /\/gateway has a key/],
      ["inboundEmail", { ...email, listId: "news\u0000" }, /\/listId contains a NUL character/],
      [
        "inboundEmail",
        { ...email, reason: "\udfff" },
        /\/reason contains a lone UTF-16 surrogate \(U\+DFFF\)/,
      ],
      ["inboundLink", { ...link, reason: "a\u0000" }, /\/reason contains a NUL character/],
      ["inboundLink", { ...link, userAgent: "UA\u0000" }, /\/userAgent contains a NUL character/],
      [
        "checkRequest",
        { accountId: "a", channel: "sms", recipients: ["+31612345678", "+3161234567\u0000"] },
        /\/recipients\/1 contains a NUL/,
      ],
      [
        "tagRequest",
        { accountId: "a", recipients: ["+31612345678"], campaignId: "c\u0000" },
        /\/campaignId contains a NUL/,
      ],
    ];
    for (const [name, value, message] of cases) {
      t.throws(
        () => validatePayload(name as "inboundSms", value),
        { name: "InvalidPayloadError", code: "INVALID_PAYLOAD", message },
        message.source,
      );
      t.notOk(isValidPayload(name as "inboundSms", value));
    }
    t.ok(
      isValidPayload("inboundSms", { ...sms, gateway: { meta: nested(20) } }),
      "a gateway's own nested fields within the limit pass",
    );
  },
);

t.test("decodePayload: invalid UTF-8 and non-JSON are refused without quoting the payload", async (t) => {
  const enc = (s: string) => new TextEncoder().encode(s);
  t.throws(() => decodePayload("inboundSms", new Uint8Array([0x7b, 0xed, 0xa0, 0x80, 0x7d])), {
    message: "inboundSms payload is not valid UTF-8",
  });
  t.throws(() => decodePayload("inboundSms", enc("STOP +31612345678")), {
    message: "inboundSms payload is not valid JSON",
  });
  t.throws(
    () => decodePayload("inboundSms", enc(JSON.stringify({ ...sms, id: "\u0000" }))),
    /\/id contains a NUL character/,
  );
  // JSON escapes decode to a lone surrogate even though the bytes are valid UTF-8.
  t.throws(
    () => decodePayload("inboundSms", enc(JSON.stringify(sms).replace('"m1"', '"\\ud800"'))),
    /\/id contains a lone UTF-16 surrogate/,
  );
  t.same(decodePayload("inboundSms", enc(JSON.stringify(sms))), sms);
});

t.test("data objects of any kind are walked; streams and buffers are left to their readers", async (t) => {
  const Empty = function () {} as unknown as { new (): Record<string, unknown>; prototype: object };
  Empty.prototype = Object.create(null) as object;
  const query = new Empty();
  query.after = "\u0000";
  t.equal(
    storableViolation(query, "querystring"),
    "querystring/after contains a NUL character (U+0000) at index 0",
    "fast-querystring's objects",
  );
  const bare = Object.create(null) as Record<string, unknown>;
  bare.reason = "\ud800";
  t.match(storableViolation(bare, "body"), /^body\/reason contains a lone UTF-16 surrogate/);
  const { Readable } = await import("node:stream");
  t.equal(storableViolation(Readable.from(["\u0000"])), null, "a streamed body is not read here");
  t.equal(storableViolation(Buffer.from([0])), null);
});
