import t from "tap";
import { randomUUID } from "node:crypto";
import type { Msg } from "@nats-io/nats-core";
import type { OutboundSms } from "@optout/schemas";
import { getHistory } from "@optout/store";
import { publishInbound, waitFor } from "@optout/testkit";
import { startSystem } from "../helpers/system.js";

const system = await startSystem({ name: "confirmation-sms" });
t.teardown(() => system.stop());
const { infra } = system.env;
const subject = infra.names.subjects.outboundSms;

const texts = {
  nl: "Je bent afgemeld voor ACME sms.",
  en: "You are unsubscribed from ACME texts.",
  default: "Unsubscribed.",
};
await system.account("confirming", "acme", "organization", {
  confirmationSms: { enabled: true, text: texts, optInText: { default: "Welcome back." } },
});
await system.account("confirming-from", "acme", "organization", {
  confirmationSms: { enabled: true, from: "ACME", text: texts, windowHours: 0 },
});
await system.account("disabled", "acme", "organization", {
  confirmationSms: { enabled: false, text: texts },
});
await system.account("silent", "acme");

let counter = 0;
const nextNumber = () => `+3163${String(10_000_000 + counter++).slice(1)}`;

/** What the outbound stream holds for a recipient: each message once, whatever was republished. */
async function storedFor(to: string): Promise<OutboundSms[]> {
  const info = await infra.jsm.streams.info(infra.names.streams.outbound);
  const found: OutboundSms[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const m = await infra.jsm.streams.getMessage(infra.names.streams.outbound, { seq }).catch(() => null);
    if (m?.subject !== subject) continue;
    const sms = m.json<OutboundSms>();
    if (sms.to === to) found.push(sms);
  }
  return found;
}

/** Every publish on the subject as it happens (a core subscription also sees republished copies). */
function watchPublishes(): { msgs: Msg[]; stop(): void } {
  const sub = infra.nc.subscribe(subject);
  const msgs: Msg[] = [];
  void (async () => {
    for await (const m of sub) msgs.push(m);
  })();
  return { msgs, stop: () => sub.unsubscribe() };
}

t.test(
  "two STOPs in a row get one confirmation, in the keyword's language, from the number texted",
  async (t) => {
    const from = nextNumber();
    const first = await system.sendSms({ from, text: "AFMELDEN", accountId: "confirming", to: "3010" });
    await system.sendSms({ from, text: "AFMELDEN", accountId: "confirming", to: "3010" });
    await system.sendSms({ from, text: "STOP", accountId: "confirming", to: "3010" });
    const [event] = await getHistory(infra.pool, "org:acme", "sms", from);
    const stored = await storedFor(from);
    t.same(stored, [
      {
        id: `confirm:${event!.eventId}`,
        accountId: "confirming",
        to: from,
        from: "3010",
        text: texts.nl,
        inReplyTo: first.id,
        kind: "confirmation",
      },
    ]);
    t.equal(
      (await system.check({ accountId: "confirming", recipients: [from] })).results[0]?.suppressed,
      true,
      "the confirmation went out to an opted-out number",
    );
  },
);

t.test("an opt-out after an opt-in is confirmed again within the window; START gets optInText", async (t) => {
  const from = nextNumber();
  await system.sendSms({ from, text: "STOP", accountId: "confirming" });
  await system.sendSms({ from, text: "START", accountId: "confirming" });
  await system.sendSms({ from, text: "STOP", accountId: "confirming" });
  t.same(
    (await storedFor(from)).map((s) => s.text),
    [texts.default, "Welcome back.", texts.default],
    "STOP has no single language: the default text",
  );
});

t.test("the account's from and window are used (windowHours 0: every STOP is confirmed)", async (t) => {
  const from = nextNumber();
  await system.sendSms({ from, text: "UNSUBSCRIBE", accountId: "confirming-from" });
  await system.sendSms({ from, text: "UNSUBSCRIBE", accountId: "confirming-from" });
  const stored = await storedFor(from);
  t.same(
    stored.map((s) => [s.from, s.text]),
    [
      ["ACME", texts.en],
      ["ACME", texts.en],
    ],
  );
  t.not(stored[0]?.id, stored[1]?.id);
});

t.test(
  "no confirmation for accounts that do not enable it, nor for opt-outs that are not SMS keywords",
  async (t) => {
    const a = nextNumber();
    const b = nextNumber();
    await system.sendSms({ from: a, text: "STOP", accountId: "silent" });
    await system.sendSms({ from: b, text: "STOP", accountId: "disabled" });
    const c = nextNumber();
    const res = await system.api("POST", "/v1/accounts/confirming/optouts", {
      channel: "sms",
      identifier: c,
      action: "opt_out",
    });
    t.equal(res.status, 201);
    // A confirmation published for any of them would be stored before this later one.
    const marker = nextNumber();
    await system.sendSms({ from: marker, text: "STOP", accountId: "confirming" });
    t.equal((await storedFor(marker)).length, 1);
    for (const n of [a, b, c]) t.same(await storedFor(n), [], n);
  },
);

t.test(
  "a redelivered STOP republishes the same confirmation (same id and text), never a second one",
  async (t) => {
    const from = nextNumber();
    const watch = watchPublishes();
    const id = randomUUID();
    const sms = {
      id,
      accountId: "confirming",
      from,
      to: "3010",
      text: "AFMELDEN",
      receivedAt: new Date().toISOString(),
    };
    await system.sendSms(sms);
    // The gateway retries after JetStream's duplicate window: the inbound message comes again.
    const seq = await publishInbound(infra.js, infra.names.subjects.inboundSms, sms, `${id}-retry`);
    await waitFor("the redelivery to be processed", async () => {
      const info = await infra.jsm.consumers.info(
        infra.names.streams.inboundSms,
        infra.names.consumer("sms-inbound"),
      );
      return info.ack_floor.stream_seq >= seq;
    });
    const published = await waitFor("two publishes", async () => {
      const mine = watch.msgs.filter((m) => m.json<OutboundSms>().to === from);
      return mine.length >= 2 ? mine : undefined;
    });
    watch.stop();
    const [event] = await getHistory(infra.pool, "org:acme", "sms", from);
    t.same(
      published.map((m) => m.headers?.get("Nats-Msg-Id")),
      [`confirm:${event!.eventId}`, `confirm:${event!.eventId}`],
      "republished under the same Nats-Msg-Id",
    );
    t.same(published[0]!.json(), published[1]!.json(), "the same message");
    t.equal((await storedFor(from)).length, 1, "JetStream keeps one");
  },
);
