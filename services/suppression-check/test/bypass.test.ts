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
    // The bypass rule is evaluated by the same query, for the opted-out rows only.
    findOptedOut: async (_s, _a, _c, ids) => {
      calls.push({ ids });
      return new Map(
        ids
          .filter((i) => OPTED_OUT.has(i))
          .map((i) => [i, { since: OPTED_OUT.get(i)!, bypass: i === "+31612345671" }]),
      );
    },
    erasedForm: (id) => `erased:${id}`,
    findTopicOptedOut: async () => {
      throw new Error("a check without a topic never looks up topics");
    },
    requestRebuild: () => undefined,
    logger: createLogger({ name: "test", level: "silent" }),
  };
  return { p, calls };
}

const recipients = ["+31612345671", "+31612345672", "+31612345673"];

t.test(
  "one bypass rule: any bypass group of the account, whatever groupIds says; confirmed with the opt-out in one lookup",
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
        [{ ids: recipients }],
        `${label}: one lookup (confirm and bypass together) of the filter's candidates`,
      );
    }

    const clean = ports();
    clean.p.filter = { mightContain: async (_s, _c, ids) => ids.map(() => false) };
    await checkRecipients(clean.p, { accountId: "a", channel: "sms", recipients: ["+31612345673"] });
    t.same(clean.calls, [], "the filter vouches for nobody being opted out: no lookup");

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
