import t from "tap";
import type { Account, RecordedEvent } from "@optout/store";
import { confirmationFor, pickText, webhookJob } from "../src/index.js";

const account = (confirmationSms?: Account["settings"]["confirmationSms"]): Account => ({
  id: "acme-nl",
  organizationId: "acme",
  listScope: "organization",
  defaultCountry: "NL",
  settings: confirmationSms ? { confirmationSms } : {},
  createdAt: "2026-11-26T10:00:00.000Z",
  updatedAt: "2026-11-26T10:00:00.000Z",
});

const event = (over: Partial<RecordedEvent> = {}): RecordedEvent => ({
  eventId: "0b6f3c1e-0000-4000-8000-000000000001",
  scope: "org:acme",
  channel: "sms",
  identifier: "+31612345678",
  action: "opt_out",
  source: "sms_keyword",
  sourceId: "gw-1",
  accountId: "acme-nl",
  occurredAt: "2026-11-26T10:00:00.000Z",
  reason: "keyword:AFMELDEN",
  evidence: { to: "3010", language: "nl" },
  duplicate: false,
  stateChanged: true,
  ...over,
});

const texts = { nl: "Afgemeld", en: "Unsubscribed", default: "Done" };

t.test("the confirmation of a STOP: keyword language, sender, ids", async (t) => {
  const c = confirmationFor(event(), account({ enabled: true, text: texts }));
  t.same(c?.payload, {
    id: "confirm:0b6f3c1e-0000-4000-8000-000000000001",
    accountId: "acme-nl",
    to: "+31612345678",
    from: "3010",
    text: "Afgemeld",
    inReplyTo: "gw-1",
    kind: "confirmation",
  });
  t.equal(c?.windowMs, 24 * 3600 * 1000, "24 h by default");
  t.equal(
    confirmationFor(event(), account({ enabled: true, from: "ACME", text: texts, windowHours: 2 }))?.payload
      .from,
    "ACME",
  );
  t.equal(
    confirmationFor(event(), account({ enabled: true, text: texts, windowHours: 2 }))?.windowMs,
    2 * 3600 * 1000,
  );
  t.equal(
    confirmationFor(event({ evidence: { to: "3010" } }), account({ enabled: true, text: texts }))?.payload
      .text,
    "Done",
    "no language: default",
  );
  t.equal(
    confirmationFor(
      event({ evidence: { to: "3010", language: "fr" } }),
      account({ enabled: true, text: { en: "Bye" } }),
    )?.payload.text,
    "Bye",
    "no default: the first",
  );
});

t.test("no confirmation when disabled, not an SMS keyword, no text or no sender", async (t) => {
  t.equal(confirmationFor(event(), account()), null);
  t.equal(confirmationFor(event(), account({ enabled: false, text: texts })), null);
  for (const source of ["api", "import", "link_click"] as const)
    t.equal(confirmationFor(event({ source }), account({ enabled: true, text: texts })), null, source);
  t.equal(confirmationFor(event({ channel: "email" }), account({ enabled: true, text: texts })), null);
  t.equal(
    confirmationFor(event({ action: "opt_in" }), account({ enabled: true, text: texts })),
    null,
    "START without optInText",
  );
  t.equal(
    confirmationFor(
      event({ action: "opt_in" }),
      account({ enabled: true, text: texts, optInText: { default: "Welcome" } }),
    )?.payload.text,
    "Welcome",
  );
  t.equal(
    confirmationFor(event({ evidence: {} }), account({ enabled: true, text: texts })),
    null,
    "nobody to send from",
  );
  t.equal(confirmationFor(event(), account({ enabled: true, text: {} })), null);
});

t.test("the webhook job carries the change-feed event", async (t) => {
  const job = webhookJob(event());
  t.equal(job.id, "webhook:0b6f3c1e-0000-4000-8000-000000000001");
  t.same(Object.keys(job.event).sort(), [
    "accountId",
    "action",
    "channel",
    "eventId",
    "identifier",
    "occurredAt",
    "reason",
    "scope",
    "source",
  ]);
  t.equal(pickText(undefined, "nl"), undefined);
});
