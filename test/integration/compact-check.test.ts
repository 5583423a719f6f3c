/**
 * The documented maximum works by default: 10,000 check results for long addresses (~95
 * characters, as long as a 10,000-address request itself can be under the default 1 MiB
 * max_payload) take ~2.5 MB in full; without "chunked" they come back in one compact reply,
 * which expands to what the full reply says.
 */
import t from "tap";
import { expandCheckReply, isValidPayload, type CheckReply } from "@optout/schemas";
import { requestChunked } from "@optout/testkit";
import { startSystem } from "../helpers/system.js";

const system = await startSystem({ name: "compact-check" });
t.teardown(() => system.stop());
await system.account("acme-nl", "acme");
const { infra } = system.env;

function longAddress(i: number): string {
  return `${`customer.${String(i).padStart(5, "0")}`.padEnd(48, "x")}@${"mail".padEnd(40, "d")}.example.com`;
}

t.test("10,000 results for long addresses: one compact reply by default", async (t) => {
  const recipients = Array.from({ length: 10_000 }, (_, i) => longAddress(i));
  t.ok(
    recipients.every((r) => r.length > 90),
    "long addresses",
  );
  const optedOut = recipients[4_321]!;
  const api = await system.api("POST", "/v1/accounts/acme-nl/optouts", {
    channel: "email",
    identifier: optedOut,
    action: "opt_out",
  });
  t.equal(api.status, 201, "one of them opted out");
  recipients[17] = "not an address";

  const { reply } = await system.checkRaw({ accountId: "acme-nl", channel: "email", recipients });
  const compact = reply as CheckReply;
  t.equal(compact.compact, true, "a compact reply, no error, no parts");
  t.ok(isValidPayload("checkReply", compact), "valid against the reply schema");
  t.equal(compact.results.length, 10_000);
  t.notOk("recipient" in compact.results[0]!, "no recipient: the request's order");

  const expanded = expandCheckReply(recipients, compact).results;
  const { items: full } = await requestChunked<CheckReply["results"][number]>(
    infra.nc,
    infra.names.subjects.check,
    { accountId: "acme-nl", channel: "email", recipients },
    "results",
  );
  t.same(expanded, full, "expanded, the compact reply says what the full (chunked) reply says");
  t.match(expanded[4_321], { recipient: optedOut, suppressed: true, reason: "opted_out" });
  t.match(expanded[17], { recipient: "not an address", suppressed: true, reason: "invalid_recipient" });
  t.notOk("identifier" in expanded[17]!, "an invalid recipient has no identifier");
});
