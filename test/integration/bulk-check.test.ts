/**
 * The compact bulk check gives the same answers as the JSON check on the same lists: opted out
 * (with since), not opted out, a bypass group's member, invalid numbers, transactional.
 */
import t from "tap";
import { requestBulkCheck } from "@optout/bus";
import {
  decodeBulkCheckReply,
  encodeBulkCheckRequest,
  isSuppressed,
  type CheckResult,
} from "@optout/schemas";
import { requestChunked } from "@optout/testkit";
import { startSystem } from "../helpers/system.js";

const system = await startSystem({ name: "bulk-check" });
t.teardown(() => system.stop());
await system.account("acme-nl", "acme");
const { infra } = system.env;
const { nc, names } = infra;

const numbers = Array.from({ length: 25_000 }, (_, i) => `+3161${String(i).padStart(7, "0")}`);
numbers[3] = "+1234"; // too short for its country
numbers[4] = "+999123456789"; // no such country calling code
const optedOut = [10, 777, 12_345, 24_999];
for (const i of optedOut) {
  const r = await system.api("POST", "/v1/accounts/acme-nl/optouts", {
    channel: "sms",
    identifier: numbers[i],
    action: "opt_out",
  });
  if (r.status !== 201) throw new Error(`opt-out: ${JSON.stringify(r.body)}`);
}
await system.api("PUT", "/v1/accounts/acme-nl/groups/vip", { name: "VIP", bypassOptOut: true });
await system.api("PUT", "/v1/accounts/acme-nl/contacts/vip-1", { phone: numbers[777], groups: ["vip"] });

async function jsonCheck(category?: "transactional"): Promise<CheckResult[]> {
  const { items } = await requestChunked<CheckResult>(
    nc,
    names.subjects.check,
    {
      accountId: "acme-nl",
      channel: "sms",
      recipients: numbers.slice(0, 10_000),
      ...(category ? { category } : {}),
    },
    "results",
  );
  return items;
}

function asJson(index: number, suppressed: boolean, exception: [number, string, string?] | undefined) {
  if (!exception) return { suppressed, reason: "not_opted_out" };
  const [, reason, since] = exception;
  return since === undefined ? { suppressed, reason } : { suppressed, reason, since };
}

t.test("the same answers as optout.check, recipient by recipient", async (t) => {
  const bulk = await requestBulkCheck(
    nc,
    names.subjects.checkBulk,
    { accountId: "acme-nl", channel: "sms" },
    numbers,
    { perRequest: 10_000 },
  );
  t.equal(bulk.count, numbers.length);
  const byIndex = new Map(bulk.exceptions.map((e) => [e[0], e]));
  const json = await jsonCheck();
  const disagreements = json.filter((r, i) => {
    const mine = asJson(i, isSuppressed(bulk.bitmap, i), byIndex.get(i));
    return (
      JSON.stringify(mine) !==
      JSON.stringify({ suppressed: r.suppressed, reason: r.reason, ...(r.since ? { since: r.since } : {}) })
    );
  });
  t.same(disagreements, [], "the first 10,000 agree with the JSON check");
  t.match(byIndex.get(10), [10, "opted_out", /^\d{4}-/], "opted out, with since");
  t.same(byIndex.get(777), [777, "bypass_group"], "a bypass group's member");
  t.same(byIndex.get(3), [3, "invalid_recipient"]);
  t.same(byIndex.get(4), [4, "invalid_recipient"]);
  t.match(byIndex.get(24_999), [24_999, "opted_out"], "across request boundaries");
  t.equal(bulk.exceptions.length, 6, "nothing else is an exception (2 invalid, 3 opted out, 1 bypass)");
  const suppressed = numbers.map((_, i) => i).filter((i) => isSuppressed(bulk.bitmap, i));
  t.same(
    suppressed,
    [3, 4, 10, 12_345, 24_999],
    "suppressed: the invalid and the opted-out numbers, not the bypass member",
  );
});

t.test("transactional: nothing suppressed but the invalid", async (t) => {
  const bulk = await requestBulkCheck(
    nc,
    names.subjects.checkBulk,
    { accountId: "acme-nl", channel: "sms", category: "transactional" },
    numbers.slice(0, 10_000),
  );
  const json = await jsonCheck("transactional");
  t.same(
    json.map((r, i) => r.suppressed === isSuppressed(bulk.bitmap, i)).filter((same) => !same),
    [],
    "the same suppressed bits as the JSON check",
  );
  t.equal(bulk.exceptions.filter((e) => e[1] === "transactional").length, 9_998);
});

t.test("bad requests get JSON errors, never a crash", async (t) => {
  const garbage = await nc.request(names.subjects.checkBulk, new TextEncoder().encode("not binary"), {
    timeout: 5_000,
  });
  t.match(garbage.json(), { error: { code: "INVALID_PAYLOAD", message: /OBQ1/ } });
  const unknown = await nc.request(
    names.subjects.checkBulk,
    encodeBulkCheckRequest({ accountId: "nobody", channel: "sms" }, ["+31612345678"]),
    { timeout: 5_000 },
  );
  t.match(unknown.json(), { error: { code: "UNKNOWN_ACCOUNT" } });
  const ok = await nc.request(
    names.subjects.checkBulk,
    encodeBulkCheckRequest({ accountId: "acme-nl", channel: "sms" }, ["+31612345678"]),
    { timeout: 5_000 },
  );
  t.same(decodeBulkCheckReply(ok.data).exceptions, [], "one clean number: no exception");
});
