import t from "tap";
import { CHANNELS, CHANNEL_NAMES, isChannel, normalizeIdentifier } from "../src/index.js";

t.test("the channel registry", async (t) => {
  t.same([...CHANNEL_NAMES].sort(), ["email", "sms"]);
  t.ok(Object.isFrozen(CHANNELS), "frozen");
  t.ok(Object.isFrozen(CHANNELS.sms));
  t.equal(isChannel("sms"), true);
  t.equal(isChannel("email"), true);
  t.equal(isChannel("whatsapp"), false);
  t.equal(isChannel("toString"), false, "inherited names are not channels");
  t.equal(isChannel("__proto__"), false);
});

t.test("normalizeIdentifier dispatches on the channel", async (t) => {
  t.same(normalizeIdentifier("sms", "06 1234 5678", "NL"), {
    ok: true,
    identifier: "+31612345678",
    country: "NL",
  });
  t.same(normalizeIdentifier("email", " Jane@Example.com "), { ok: true, identifier: "jane@example.com" });
  t.same(
    normalizeIdentifier("email", "jane@example.com", "NL"),
    { ok: true, identifier: "jane@example.com" },
    "country is ignored for email",
  );
  t.equal(normalizeIdentifier("sms", "jane@example.com").ok, false);
  t.equal(normalizeIdentifier("email", "+31612345678").ok, false);
  const unknown = normalizeIdentifier("fax" as never, "123");
  t.equal(unknown.ok, false);
  if (!unknown.ok) t.match(unknown.reason, /unknown channel "fax"/);
});
