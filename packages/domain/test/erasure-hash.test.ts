import t from "tap";
import { createHmac } from "node:crypto";
import { erasedIdentifier, isErasedIdentifier, ERASED_IDENTIFIER_PATTERN } from "@optout/domain";

t.test("the erased form is the hex HMAC-SHA256 of the normalized identifier, keyed, prefixed", async (t) => {
  const secret = "unit-erasure-secret-0123456789";
  const erased = erasedIdentifier(secret, "+31612345678");
  t.equal(erased, `erased:${createHmac("sha256", secret).update("+31612345678").digest("hex")}`);
  t.match(erased, ERASED_IDENTIFIER_PATTERN);
  t.equal(erasedIdentifier(secret, "+31612345678"), erased, "the same every time: a START finds it");
  t.not(erasedIdentifier("another-secret-0123456789", "+31612345678"), erased, "keyed: no key, no match");
  t.not(erasedIdentifier(secret, "+31612345679"), erased);
  t.ok(isErasedIdentifier(erased));
  for (const real of ["+31612345678", "jane@example.com", "erased:abc", `erased:${"A".repeat(64)}`])
    t.notOk(isErasedIdentifier(real), `${real} is not an erased form`);
});
