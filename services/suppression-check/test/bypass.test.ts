import t from "tap";
import { createLogger } from "@optout/core";
import type { Account } from "@optout/store";
import { checkRecipients, type CheckPorts } from "../src/check.js";

const OPTED_OUT = new Map([
  ["+31612345671", "2026-01-01T00:00:00.000Z"],
  ["+31612345672", "2026-01-01T00:00:00.000Z"],
]);

function ports(settings: Account["settings"] = {}) {
  const calls: { ids: readonly string[] }[] = [];
  const p: CheckPorts = {
    getAccount: async (id) => ({
      id,
      organizationId: "o",
      listScope: "organization",
      defaultCountry: "NL",
      settings,
      createdAt: "",
      updatedAt: "",
    }),
    filter: { mightContain: async (_s, _c, ids) => ids.map(() => true) },
    findOptedOut: async (_s, _c, ids) =>
      new Map(ids.filter((i) => OPTED_OUT.has(i)).map((i) => [i, OPTED_OUT.get(i)!])),
    findBypassMembers: async (_a, _c, ids) => {
      calls.push({ ids });
      return new Set(ids.filter((i) => i === "+31612345671"));
    },
    erasedForm: (id) => `erased:${id}`,
    requestRebuild: () => undefined,
    logger: createLogger({ name: "test", level: "silent" }),
  };
  return { p, calls };
}

const recipients = ["+31612345671", "+31612345672", "+31612345673"];

t.test(
  "one bypass rule: any bypass group of the account, whatever groupIds says; looked up for opted-out recipients only",
  async (t) => {
    for (const [label, request, settings] of [
      ["groupIds named", { groupIds: ["vip"] }, {}],
      ["no groupIds", {}, {}],
      ["another group named", { groupIds: ["other"] }, {}],
      ["bypassAllGroups (no longer read)", {}, { bypassAllGroups: true }],
    ] as const) {
      const run = ports(settings);
      const reply = await checkRecipients(run.p, { accountId: "a", channel: "sms", recipients, ...request });
      t.same(
        reply.results.map((r) => r.reason),
        ["bypass_group", "opted_out", "not_opted_out"],
        label,
      );
      t.same(
        run.calls,
        [{ ids: ["+31612345671", "+31612345672"] }],
        `${label}: one lookup, opted-out identifiers only`,
      );
    }

    const clean = ports();
    await checkRecipients(clean.p, { accountId: "a", channel: "sms", recipients: ["+31612345673"] });
    t.same(clean.calls, [], "nobody opted out: no lookup");

    const transactional = ports();
    await checkRecipients(transactional.p, {
      accountId: "a",
      channel: "sms",
      recipients,
      category: "transactional",
    });
    t.same(transactional.calls, [], "transactional: answered before any lookup");
  },
);
