import t from "tap";
import { parseSignatureHeader, signWebhook, verifyWebhookSignature } from "../src/index.js";

const secret = "whsec_test_0123456789";
const body = '{"eventId":"e1"}';
const t0 = 1767225600;
// Computed independently: python3 hmac.new(secret, b'1767225600.' + body, sha256).hexdigest()
const expectedHex = "803f725eccb389eeb9a2f1ff8c098854551165e7bd54fef712778018ce4b257a";

t.test("signWebhook produces t=<seconds>,v1=<hex HMAC-SHA256 of '<t>.<body>'>", async (t) => {
  t.equal(signWebhook(secret, body, t0), `t=${t0},v1=${expectedHex}`);
  t.equal(
    signWebhook(secret, new TextEncoder().encode(body), t0),
    `t=${t0},v1=${expectedHex}`,
    "bytes and string sign alike",
  );
  t.throws(() => signWebhook(secret, body, 1.5), RangeError);
});

t.test("verifyWebhookSignature accepts the exact body within the tolerance", async (t) => {
  const header = signWebhook(secret, body, t0);
  t.equal(verifyWebhookSignature(secret, body, header, { now: t0 }), true);
  t.equal(
    verifyWebhookSignature(secret, Buffer.from(body), header, { now: t0 + 300 }),
    true,
    "at the edge of the tolerance",
  );
  t.equal(
    verifyWebhookSignature(secret, body, signWebhook(secret, body, Math.floor(Date.now() / 1000))),
    true,
    "default clock",
  );
});

t.test(
  "verifyWebhookSignature refuses a changed body, wrong secret, old timestamp, malformed headers",
  async (t) => {
    const header = signWebhook(secret, body, t0);
    t.equal(
      verifyWebhookSignature(secret, body.replace("e1", "e2"), header, { now: t0 }),
      false,
      "body changed",
    );
    t.equal(verifyWebhookSignature("another-secret-value", body, header, { now: t0 }), false, "wrong secret");
    t.equal(verifyWebhookSignature(secret, body, header, { now: t0 + 301 }), false, "too old (replay)");
    t.equal(verifyWebhookSignature(secret, body, header, { now: t0 - 301 }), false, "from the future");
    t.equal(
      verifyWebhookSignature(secret, body, header, { now: t0 + 1000, toleranceSeconds: 1000 }),
      true,
      "custom tolerance",
    );
    t.equal(
      verifyWebhookSignature(secret, body, header.replace(/t=\d+/, `t=${t0 + 1}`), { now: t0 }),
      false,
      "timestamp is signed",
    );
    for (const bad of [
      undefined,
      null,
      "",
      "garbage",
      `t=${t0}`,
      `v1=${expectedHex}`,
      `t=abc,v1=${expectedHex}`,
      `t=${t0},v1=zz`,
    ]) {
      t.equal(verifyWebhookSignature(secret, body, bad, { now: t0 }), false, `malformed: ${String(bad)}`);
    }
  },
);

t.test("several v1 values (secret rotation): any match verifies", async (t) => {
  const other = signWebhook("the-old-secret-value", body, t0).split(",")[1];
  const header = `t=${t0},${other},v1=${expectedHex}`;
  t.equal(verifyWebhookSignature(secret, body, header, { now: t0 }), true);
  t.same(parseSignatureHeader(header)?.signatures.length, 2);
  t.equal(
    parseSignatureHeader(`t=${t0},v0=abc,v1=${expectedHex}`)?.timestamp,
    t0,
    "unknown schemes are ignored",
  );
});
