import t from "tap";
import { createLogger } from "@optout/core";
import type { Account, OptedOutForCheck } from "@optout/store";
import { checkRecipients, type CheckPorts } from "../src/check.js";

const SINCE = "2026-01-01T00:00:00.000Z";
const CHANNEL_WIDE = new Set(["+31612345671"]);
const TOPIC_NEWS = new Set(["+31612345671", "+31612345672"]);

function account(id: string): Account {
  return {
    id,
    organizationId: "o",
    listScope: "organization",
    defaultCountry: "NL",
    settings: { topics: [{ id: "news", name: { en: "News" } }] },
    createdAt: "",
    updatedAt: "",
  };
}

const found = (set: Set<string>, ids: readonly string[]) =>
  new Map<string, OptedOutForCheck>(
    ids.filter((i) => set.has(i)).map((i) => [i, { since: SINCE, bypass: false }]),
  );

function ports() {
  const calls = { channel: 0, topic: [] as { topic: string; ids: readonly string[] }[] };
  const p: CheckPorts = {
    getAccount: async (id) => account(id),
    // Topic opt-outs are not in the filter: only the channel-wide one is a candidate.
    filter: { mightContain: async (_s, _c, ids) => ids.map((i) => CHANNEL_WIDE.has(i)) },
    findOptedOut: async (_s, _a, _c, ids) => {
      calls.channel++;
      return found(CHANNEL_WIDE, ids);
    },
    findTopicOptedOut: async (_s, _a, _c, topic, ids) => {
      calls.topic.push({ topic, ids });
      return found(topic === "news" ? TOPIC_NEWS : new Set(), ids);
    },
    erasedForm: () => {
      throw new Error("a list without an erasure is never hashed");
    },
    requestRebuild: () => undefined,
    logger: createLogger({ name: "test", level: "silent" }),
  };
  return { p, calls };
}

const recipients = ["+31612345671", "+31612345672", "+31612345673"];

t.test("without a topic: the channel-wide list only, no topic lookup", async (t) => {
  const { p, calls } = ports();
  const reply = await checkRecipients(p, { accountId: "a", channel: "sms", recipients });
  t.same(
    reply.results.map((r) => [r.suppressed, r.reason, r.topic]),
    [
      [true, "opted_out", undefined],
      [false, "not_opted_out", undefined],
      [false, "not_opted_out", undefined],
    ],
  );
  t.equal(calls.topic.length, 0);
});

t.test("with a topic: channel-wide OR topic; the channel-wide opt-out wins and has no topic", async (t) => {
  const { p, calls } = ports();
  const reply = await checkRecipients(p, { accountId: "a", channel: "sms", recipients, topic: "news" });
  t.same(
    reply.results.map((r) => [r.suppressed, r.reason, r.topic]),
    [
      [true, "opted_out", undefined],
      [true, "opted_out", "news"],
      [false, "not_opted_out", undefined],
    ],
  );
  t.same(calls.topic, [{ topic: "news", ids: recipients }], "one topic lookup for every recipient");
});

t.test("a topic the account does not define is UNKNOWN_TOPIC", async (t) => {
  const { p } = ports();
  await t.rejects(checkRecipients(p, { accountId: "a", channel: "sms", recipients, topic: "nwes" }), {
    code: "UNKNOWN_TOPIC",
  });
});

t.test("a transactional check ignores the topic's opt-outs too", async (t) => {
  const { p, calls } = ports();
  const reply = await checkRecipients(p, {
    accountId: "a",
    channel: "sms",
    recipients,
    topic: "news",
    category: "transactional",
  });
  t.ok(reply.results.every((r) => !r.suppressed && r.reason === "transactional"));
  t.equal(calls.topic.length, 0);
});
