import t from "tap";
import { createLogger } from "@optout/core";
import type { BatchItem } from "@optout/bus";
import type { Recorder } from "@optout/recorder";
import type { InboundLink } from "@optout/schemas";
import type { Account, Link, NewEvent } from "@optout/store";
import { createLinkClickHandler } from "@optout/service-link-click";

const account = {
  id: "acme",
  organizationId: "org1",
  listScope: "organization",
  defaultCountry: "NL",
  settings: {},
  createdAt: "",
  updatedAt: "",
} as Account;
const links = new Map<string, Link>([
  [
    "Tok12345",
    {
      token: "Tok12345",
      accountId: "acme",
      channel: "sms",
      identifier: "+31612345678",
      campaignId: "c1",
      createdAt: "",
    },
  ],
  [
    "Orphan12",
    { token: "Orphan12", accountId: "gone", channel: "sms", identifier: "+31612345679", createdAt: "" },
  ],
]);

function handler() {
  const recorded: NewEvent[][] = [];
  const recorder: Recorder = {
    record: async (events) => {
      recorded.push([...events]);
      return [];
    },
  };
  const handle = createLinkClickHandler({
    getLinks: async (tokens) => new Map(tokens.filter((x) => links.has(x)).map((x) => [x, links.get(x)!])),
    getAccount: async (id) => (id === "acme" ? account : null),
    recorder,
    logger: createLogger({ name: "link-click-test", level: "silent" }),
  });
  return { handle, recorded };
}

const item = (payload: InboundLink) => ({ msg: {}, payload }) as BatchItem<InboundLink>;

t.test("a click becomes an opt-out with the click id as source id and a truncated address", async (t) => {
  const { handle, recorded } = handler();
  const outcomes = await handle([
    item({
      id: "click-1",
      token: "Tok12345",
      clickedAt: "2026-01-01T10:00:00.000Z",
      ip: "198.51.100.23",
      userAgent: "UA",
      reason: "too_many",
    }),
    item({ id: "click-2", token: "Nope1234", clickedAt: "2026-01-01T10:00:00.000Z" }),
    item({ id: "click-3", token: "Orphan12", clickedAt: "2026-01-01T10:00:00.000Z" }),
    item({ id: "click-4", token: "Tok12345", clickedAt: "2026-01-01T10:01:00.000Z", reason: "   " }),
  ]);
  t.match(outcomes, [
    { kind: "ack" },
    { kind: "dead_letter", reason: /^UNKNOWN_TOKEN: no link has token "No\*\*\*"$/ },
    { kind: "dead_letter", reason: /^UNKNOWN_ACCOUNT/ },
    { kind: "ack" },
  ]);
  t.equal(recorded.length, 1, "one recorder call for the batch");
  t.same(recorded[0]?.[0], {
    scope: "org:org1",
    channel: "sms",
    identifier: "+31612345678",
    action: "opt_out",
    source: "link_click",
    sourceId: "click-1",
    accountId: "acme",
    occurredAt: "2026-01-01T10:00:00.000Z",
    reason: "too_many",
    evidence: { token: "Tok12345", campaignId: "c1", userAgent: "UA", ip: "198.51.100.0" },
  });
  t.equal(recorded[0]?.[1]?.reason, "link_click", "no reason picked: link_click");
});

t.test("a recorder failure fails the batch (the runner retries it)", async (t) => {
  const handle = createLinkClickHandler({
    getLinks: async () => new Map(links),
    getAccount: async () => account,
    recorder: {
      record: async () => {
        throw new Error("postgres down");
      },
    },
    logger: createLogger({ name: "link-click-test", level: "silent" }),
  });
  await t.rejects(
    handle([item({ id: "c", token: "Tok12345", clickedAt: "2026-01-01T10:00:00.000Z" })]),
    /postgres down/,
  );
});
