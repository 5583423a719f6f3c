import t from "tap";
import { createLogger } from "@optout/core";
import type { Account } from "@optout/store";
import { checkRecipients, type CheckPorts } from "../src/check.js";

const OPTED_OUT = new Map([
  ["+31612345671", "2026-01-01T00:00:00.000Z"],
  ["+31612345672", "2026-01-01T00:00:00.000Z"],
]);

function ports(settings: Account["settings"] = {}) {
  const calls: { ids: readonly string[]; groups: readonly string[] | "all" }[] = [];
  const p: CheckPorts = {
    getAccount: async (id) => ({ id, organizationId: "o", listScope: "organization", defaultCountry: "NL", settings, createdAt: "", updatedAt: "" }),
    filter: { mightContain: async (_s, _c, ids) => ids.map(() => true) },
    findOptedOut: async (_s, _c, ids) => new Map(ids.filter((i) => OPTED_OUT.has(i)).map((i) => [i, OPTED_OUT.get(i)!])),
    findBypassMembers: async (_a, _c, ids, groups) => {
      calls.push({ ids, groups });
      return new Set(ids.filter((i) => i === "+31612345671"));
    },
    requestRebuild: () => undefined,
    logger: createLogger({ name: "test", level: "silent" }),
  };
  return { p, calls };
}

const recipients = ["+31612345671", "+31612345672", "+31612345673"];

t.test("the bypass lookup runs only for opted-out recipients, only when groups can bypass", async (t) => {
  const named = ports();
  const reply = await checkRecipients(named.p, { accountId: "a", channel: "sms", recipients, groupIds: ["vip"] });
  t.same(reply.results.map((r) => r.reason), ["bypass_group", "opted_out", "not_opted_out"]);
  t.same(named.calls, [{ ids: ["+31612345671", "+31612345672"], groups: ["vip"] }], "one lookup, opted-out identifiers only");

  const none = ports();
  await checkRecipients(none.p, { accountId: "a", channel: "sms", recipients });
  t.same(none.calls, [], "no groupIds, no bypassAllGroups: no lookup");

  const all = ports({ bypassAllGroups: true });
  const allReply = await checkRecipients(all.p, { accountId: "a", channel: "sms", recipients, groupIds: ["other"] });
  t.equal(allReply.results[0]?.reason, "bypass_group");
  t.same(all.calls[0]?.groups, "all", "bypassAllGroups: any bypass group, whatever groupIds says");

  const clean = ports({ bypassAllGroups: true });
  await checkRecipients(clean.p, { accountId: "a", channel: "sms", recipients: ["+31612345673"] });
  t.same(clean.calls, [], "nobody opted out: no lookup");
});
