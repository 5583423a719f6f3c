import t from "tap";
import { createHash } from "node:crypto";
import { generateApiToken } from "../src/auth.js";
import { decodeCursor, encodeCursor, parseLimit } from "../src/cursor.js";

t.test("API tokens: oo_<16 base62 id>_<32 base62 secret>, unique, hashed with SHA-256", async (t) => {
  const generated = Array.from({ length: 500 }, () => generateApiToken());
  t.same(
    generated.filter(
      (g) => !/^oo_[0-9A-Za-z]{16}_[0-9A-Za-z]{32}$/.test(g.token) || g.token.slice(3, 19) !== g.id,
    ),
    [],
    "format, id inside",
  );
  t.same(generated[0]!.hash, createHash("sha256").update(generated[0]!.token).digest());
  t.equal(new Set(generated.map((g) => g.token)).size, 500, "no repeats");
  const counts = new Map<string, number>();
  for (const { token } of generated)
    for (const ch of token.slice(20)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  t.equal(counts.size, 62, "every base62 character occurs");
});

t.test("cursors are opaque base64url, round-trip, and reject what the API never gave out", async (t) => {
  t.same(decodeCursor(encodeCursor({ seq: 42 })), { seq: 42 });
  t.same(decodeCursor(encodeCursor({ seq: 3, boundary: 900 })), { seq: 3, boundary: 900 });
  t.same(
    decodeCursor(encodeCursor({ seq: 900, boundary: 900 })),
    { seq: 900 },
    "a boundary already passed is dropped",
  );
  t.match(encodeCursor({ seq: 123456789 }), /^[A-Za-z0-9_-]+$/);
  for (const bad of [
    "",
    "abc",
    Buffer.from("-1").toString("base64url"),
    Buffer.from("1.2.3").toString("base64url"),
    Buffer.from("9".repeat(16)).toString("base64url"),
  ]) {
    t.throws(() => decodeCursor(bad), { code: "INVALID_PAYLOAD" }, `"${bad}" is refused`);
  }
});

t.test("limits: strings from the query, integers in range", async (t) => {
  const limits = { default: 50, max: 500 };
  t.equal(parseLimit(undefined, limits), 50);
  t.equal(parseLimit("1", limits), 1);
  t.equal(parseLimit("500", limits), 500);
  for (const bad of ["0", "501", "1.5", "-1"])
    t.throws(() => parseLimit(bad, limits), { code: "INVALID_PAYLOAD" });
});
