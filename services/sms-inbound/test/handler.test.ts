import t from "tap";
import type { BatchItem } from "@optout/bus";
import { createCapturingLogger } from "@optout/testkit";
import type { Recorder } from "@optout/recorder";
import type { InboundSms, OutboundSms } from "@optout/schemas";
import type { Account, NewEvent, RecordedEvent } from "@optout/store";
import { createSmsInboundHandler, pickText } from "../src/handler.js";

const account = (over: Partial<Account> = {}): Account => ({
  id: "acme-nl",
  organizationId: "acme",
  listScope: "organization",
  defaultCountry: "NL",
  settings: {},
  createdAt: "2026-11-26T00:00:00.000Z",
  updatedAt: "2026-11-26T00:00:00.000Z",
  ...over,
});

function harness(accounts: Account[], options: { failRecord?: boolean } = {}) {
  const recorded: NewEvent[] = [];
  const sent: OutboundSms[] = [];
  const recorder: Recorder = {
    async record(events) {
      if (options.failRecord) throw new Error("postgres down");
      recorded.push(...events);
      return events.map((e, i): RecordedEvent => ({
        ...e,
        eventId: `ev-${i}`,
        duplicate: false,
        stateChanged: true,
      }));
    },
  };
  const { logger, lines } = createCapturingLogger();
  const handle = createSmsInboundHandler({
    getAccount: async (id) => accounts.find((a) => a.id === id) ?? null,
    recorder,
    publishSms: async (sms) => void sent.push(sms),
    logger,
  });
  return { handle, recorded, sent, lines };
}

let n = 0;
const item = (over: Partial<InboundSms>): BatchItem<InboundSms> => ({
  msg: {} as BatchItem<InboundSms>["msg"],
  payload: {
    id: `m${n++}`,
    accountId: "acme-nl",
    from: "0612345678",
    to: "3010",
    text: "STOP",
    receivedAt: "2026-11-26T10:00:00Z",
    ...over,
  },
});

t.test("a batch: opt-out, opt-in, ignored, help, unknown account, bad number", async (t) => {
  const h = harness([
    account({ settings: { helpText: { nl: "Hulp: bel 010", default: "Help: call 010" } } }),
  ]);
  const items = [
    item({ text: "Stop 3010" }),
    item({ text: "START", from: "+31612345679" }),
    item({ text: "see you tomorrow" }),
    item({ text: "HULP" }),
    item({ accountId: "ghost" }),
    item({ from: "not-a-number" }),
  ];
  const outcomes = await h.handle(items);
  t.same(
    outcomes.map((o) => o.kind),
    ["ack", "ack", "ack", "ack", "dead_letter", "dead_letter"],
  );
  t.match(outcomes[4], { reason: /UNKNOWN_ACCOUNT/ });
  t.match(outcomes[5], { reason: /INVALID_RECIPIENT/ });
  t.same(
    h.recorded.map((e) => [e.identifier, e.action, e.source, e.scope, e.reason, e.sourceId]),
    [
      ["+31612345678", "opt_out", "sms_keyword", "org:acme", "keyword_qualified:STOP", items[0]!.payload.id],
      ["+31612345679", "opt_in", "sms_keyword", "org:acme", "keyword:START", items[1]!.payload.id],
    ],
    "national number normalized with the account's country; the inbound id is the source id",
  );
  t.equal(h.recorded[0]!.occurredAt, "2026-11-26T10:00:00Z", "the event happened when the SMS was received");
  t.same(
    h.sent.map((s) => [s.to, s.from, s.text, s.kind, s.inReplyTo]),
    [["+31612345678", "3010", "Hulp: bel 010", "help", items[3]!.payload.id]],
  );
  t.notOk(h.lines.join("").includes("see you tomorrow"), "ignored text is not logged");
});

t.test("an account-scoped list and strict keyword-only mode", async (t) => {
  const h = harness([account({ listScope: "account", settings: { freeTextOptOut: false } })]);
  const outcomes = await h.handle([item({ text: "please stop texting me" }), item({ text: "STOP" })]);
  t.same(
    outcomes.map((o) => o.kind),
    ["ack", "ack"],
  );
  t.same(
    h.recorded.map((e) => [e.scope, e.reason]),
    [["account:acme-nl", "keyword:STOP"]],
    "free text ignored in strict mode",
  );
});

t.test("a recorder failure fails the batch, so every message is retried", async (t) => {
  const h = harness([account()], { failRecord: true });
  await t.rejects(h.handle([item({ text: "STOP" })]), /postgres down/);
});

t.test("help text language fallback", async (t) => {
  t.equal(pickText({ nl: "a", default: "b" }, "nl"), "a");
  t.equal(pickText({ nl: "a", default: "b" }, "de"), "b");
  t.equal(pickText({ fr: "c" }, undefined), "c");
  t.equal(pickText(undefined, "nl"), undefined);
});
