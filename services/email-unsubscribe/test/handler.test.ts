import t from "tap";
import type { JsMsg } from "@nats-io/jetstream";
import type { BatchItem } from "@optout/bus";
import { createEmailToken } from "@optout/domain";
import type { Recorder } from "@optout/recorder";
import type { InboundEmail } from "@optout/schemas";
import type { Account, NewEvent, RecordedEvent } from "@optout/store";
import { createCapturingLogger } from "@optout/testkit";
import { createEmailUnsubscribeHandler, tokenFromSubject, type IgnoredReason } from "../src/index.js";

const SECRET = "unit-test-email-secret-0123456789";

function account(
  id: string,
  organizationId = "acme",
  listScope: Account["listScope"] = "organization",
): Account {
  return {
    id,
    organizationId,
    listScope,
    defaultCountry: "NL",
    settings: {},
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
  };
}

/** A recorder that keeps what it was given, idempotent on (scope, source, sourceId) like the store. */
function fakeRecorder(): Recorder & { calls: NewEvent[][]; events: RecordedEvent[] } {
  const seen = new Map<string, string>();
  const calls: NewEvent[][] = [];
  const events: RecordedEvent[] = [];
  return {
    calls,
    events,
    async record(batch) {
      calls.push([...batch]);
      return batch.map((e) => {
        const key = `${e.scope}|${e.source}|${e.sourceId}`;
        const existing = seen.get(key);
        const eventId = existing ?? `ev-${seen.size + 1}`;
        if (!existing) seen.set(key, eventId);
        const recorded = {
          ...e,
          eventId,
          duplicate: existing !== undefined,
          stateChanged: existing === undefined,
        };
        events.push(recorded);
        return recorded;
      });
    },
  };
}

function setup(accounts: Account[] = [account("acme-nl"), account("acme-own", "acme", "account")]) {
  const recorder = fakeRecorder();
  const { logger, lines } = createCapturingLogger("email-unsubscribe-test");
  const ignored: IgnoredReason[] = [];
  const recordedBatches: RecordedEvent[][] = [];
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const handle = createEmailUnsubscribeHandler({
    getAccount: async (id) => byId.get(id) ?? null,
    recorder,
    emailTokenSecret: SECRET,
    logger,
    onIgnored: (reason) => ignored.push(reason),
    onRecorded: (events) => recordedBatches.push([...events]),
  });
  return { handle, recorder, lines, ignored, recordedBatches };
}

let counter = 0;
function email(partial: Partial<InboundEmail> = {}): InboundEmail {
  return {
    id: `m-${++counter}`,
    accountId: "acme-nl",
    email: "jane@example.com",
    method: "one_click",
    receivedAt: "2026-11-26T10:00:00.000Z",
    ...partial,
  };
}
const items = (...emails: InboundEmail[]): BatchItem<InboundEmail>[] =>
  emails.map((payload) => ({ msg: {} as JsMsg, payload }));

t.test(
  "each method records an opt-out with its source; the address is normalized (IDN to punycode)",
  async (t) => {
    const { handle, recorder, recordedBatches } = setup();
    const outcomes = await handle(
      items(
        email({ method: "one_click", email: "  Jane@Bücher.example ", listId: "news" }),
        email({ method: "link", email: "bob@example.com", reason: "too many emails" }),
        email({
          method: "mailto",
          email: "carol@example.com",
          subject: "Unsubscribe me",
          body: "please remove me",
        }),
      ),
    );
    t.same(outcomes, [{ kind: "ack" }, { kind: "ack" }, { kind: "ack" }]);
    t.equal(recorder.calls.length, 1, "one recorder call for the batch");
    const [oneClick, link, mailto] = recorder.calls[0]!;
    t.match(oneClick, {
      scope: "org:acme",
      channel: "email",
      identifier: "jane@xn--bcher-kva.example",
      action: "opt_out",
      source: "email_one_click",
      accountId: "acme-nl",
      occurredAt: "2026-11-26T10:00:00.000Z",
      reason: "one_click",
    });
    t.same(oneClick?.evidence, { method: "one_click", listId: "news" });
    t.match(link, { identifier: "bob@example.com", source: "email_link", reason: "too many emails" });
    t.same(link?.evidence, { method: "link" }, "no listId, no subject for a link");
    t.match(mailto, { identifier: "carol@example.com", source: "email_mailto", reason: "mailto" });
    t.same(
      mailto?.evidence,
      { method: "mailto", subject: "Unsubscribe me" },
      "the subject is evidence; the body is not kept",
    );
    t.equal(recordedBatches.length, 1, "onRecorded sees the recorded events");
  },
);

t.test("the source id is the message id: the same id twice records one event", async (t) => {
  const { handle, recorder } = setup();
  const first = email({ id: "same-id" });
  await handle(items(first));
  const outcomes = await handle(items({ ...first }));
  t.same(outcomes, [{ kind: "ack" }]);
  t.same(
    recorder.calls.map((c) => c.map((e) => e.sourceId)),
    [["same-id"], ["same-id"]],
  );
  t.same(
    recorder.events.map((e) => e.duplicate),
    [false, true],
    "the second is a duplicate of the first",
  );
});

t.test(
  "automatic replies to the mailto address are acked as ignored: no event, counted, logged without personal data",
  async (t) => {
    const { handle, recorder, ignored, lines } = setup();
    const replies = [
      email({
        method: "mailto",
        email: "ooo@example.com",
        subject: "Out of Office: Our summer deals",
        body: "I am away until Monday",
      }),
      email({
        method: "mailto",
        email: "ooo@example.com",
        subject: "Re: Our summer deals",
        autoSubmitted: "auto-replied",
      }),
      email({
        method: "mailto",
        email: "ooo@example.com",
        subject: "Automatic reply: newsletter",
        autoSubmitted: "no",
      }),
      email({ method: "mailto", email: "ooo@example.com", subject: "Afwezig: nieuwsbrief" }),
    ];
    const outcomes = await handle(items(...replies));
    t.same(
      outcomes,
      replies.map(() => ({ kind: "ack" })),
    );
    t.same(recorder.calls, [[]], "nothing to record");
    t.same(ignored, ["automatic_reply", "automatic_reply", "automatic_reply", "automatic_reply"]);
    const logged = lines.join("\n");
    t.match(logged, /inbound email ignored: automatic reply/);
    t.match(logged, new RegExp(replies[0]!.id), "the message id is logged");
    t.notMatch(logged, /ooo@example\.com/, "no address in the logs");
    t.notMatch(logged, /summer deals|newsletter|nieuwsbrief/i, "no subject in the logs");
    t.notMatch(logged, /away until/, "no body in the logs");
  },
);

t.test(
  "only mailto replies are screened for automatic replies; a person's reply quoting the subject still opts out",
  async (t) => {
    const { handle, recorder, ignored } = setup();
    const outcomes = await handle(
      items(
        email({ method: "one_click", autoSubmitted: "auto-generated" }),
        email({
          method: "mailto",
          email: "dan@example.com",
          subject: "Re: Leave of absence webinar",
          autoSubmitted: "no",
        }),
      ),
    );
    t.same(outcomes, [{ kind: "ack" }, { kind: "ack" }]);
    t.same(ignored, []);
    t.same(
      recorder.calls[0]?.map((e) => e.source),
      ["email_one_click", "email_mailto"],
    );
  },
);

t.test("a mailto is an opt-out whatever its body says: no opt-in from 'subscribe' or 'START'", async (t) => {
  const { handle, recorder } = setup();
  await handle(
    items(
      email({ method: "mailto", subject: "subscribe", body: "subscribe" }),
      email({ method: "mailto", subject: "START", body: "START" }),
    ),
  );
  t.same(
    recorder.calls[0]?.map((e) => e.action),
    ["opt_out", "opt_out"],
  );
});

t.test(
  "invalid addresses and unknown accounts are dead-lettered with their reason; the rest of the batch is recorded",
  async (t) => {
    const { handle, recorder } = setup();
    const outcomes = await handle(
      items(
        email({ email: "not-an-address" }),
        email({ email: "ok@example.com" }),
        email({ accountId: "nobody" }),
        email({ email: "x@[127.0.0.1]" }),
      ),
    );
    t.match(outcomes, [
      {
        kind: "dead_letter",
        reason: /^INVALID_RECIPIENT: "email" is not an email address \(not an email address: no @\)$/,
      },
      { kind: "ack" },
      { kind: "dead_letter", reason: /^UNKNOWN_ACCOUNT: account "nobody" does not exist$/ },
      { kind: "dead_letter", reason: /^INVALID_RECIPIENT: .*IP address literals/ },
    ]);
    t.same(
      recorder.calls[0]?.map((e) => e.identifier),
      ["ok@example.com"],
    );
    for (const o of outcomes)
      if (o.kind === "dead_letter")
        t.notMatch(o.reason, /not-an-address/, "the reason does not repeat the address");
  },
);

t.test(
  "a mailto subject carrying a valid token names the account, address and list; the From address may differ",
  async (t) => {
    const { handle, recorder } = setup();
    const token = createEmailToken(SECRET, {
      accountId: "acme-own",
      email: "subscriber@example.com",
      listId: "deals",
    });
    const outcomes = await handle(
      items(
        email({
          method: "mailto",
          accountId: "acme-nl",
          email: "Alias@Other.example",
          subject: `unsubscribe-${token}`,
        }),
        email({
          method: "mailto",
          accountId: "acme-nl",
          email: "alias@other.example",
          subject: `Re: [ext] unsubscribe-${token}`,
          listId: "ignored",
        }),
      ),
    );
    t.same(outcomes, [{ kind: "ack" }, { kind: "ack" }]);
    for (const e of recorder.calls[0]!) {
      t.match(e, {
        scope: "account:acme-own",
        accountId: "acme-own",
        identifier: "subscriber@example.com",
        source: "email_mailto",
      });
      t.match(e.evidence, { method: "mailto", listId: "deals", via: "subject_token" });
    }
  },
);

t.test(
  "a token that does not verify, or on another method, leaves the payload's account and address",
  async (t) => {
    const { handle, recorder } = setup();
    const foreign = createEmailToken("another-secret-entirely-0123456789", {
      accountId: "acme-own",
      email: "victim@example.com",
    });
    const good = createEmailToken(SECRET, { accountId: "acme-own", email: "victim@example.com" });
    const [body, sig] = good.split(".") as [string, string];
    const tampered = `${body}.${sig.slice(0, -1)}${sig.endsWith("A") ? "B" : "A"}`;
    await handle(
      items(
        email({ method: "mailto", email: "from@example.com", subject: `unsubscribe-${foreign}` }),
        email({ method: "mailto", email: "from@example.com", subject: `unsubscribe-${tampered}` }),
        email({ method: "one_click", email: "from@example.com", subject: `unsubscribe-${good}` }),
      ),
    );
    for (const e of recorder.calls[0]!)
      t.match(e, { accountId: "acme-nl", scope: "org:acme", identifier: "from@example.com" });
    t.notOk(
      recorder.calls[0]!.some((e) => e.evidence?.via),
      "no event claims the token",
    );
  },
);

t.test("a token naming an unknown account is dead-lettered", async (t) => {
  const { handle } = setup();
  const token = createEmailToken(SECRET, { accountId: "gone", email: "a@example.com" });
  const outcomes = await handle(items(email({ method: "mailto", subject: `unsubscribe-${token}` })));
  t.match(outcomes, [{ kind: "dead_letter", reason: /^UNKNOWN_ACCOUNT: account "gone"/ }]);
});

t.test(
  "a recorder failure fails the batch, so every message is retried (nothing acked before the commit)",
  async (t) => {
    const { handle, recorder } = setup();
    recorder.record = async () => {
      throw new Error("postgres down");
    };
    await t.rejects(handle(items(email(), email())), /postgres down/);
  },
);

t.test("tokenFromSubject finds the marker as a word, anywhere in the subject", async (t) => {
  const token = createEmailToken(SECRET, { accountId: "a", email: "b@example.com" });
  t.equal(tokenFromSubject(`unsubscribe-${token}`), token);
  t.equal(tokenFromSubject(`Re: UNSUBSCRIBE-${token}`), token);
  t.equal(tokenFromSubject(`[ext] unsubscribe-${token} (sent from my phone)`), token);
  t.equal(tokenFromSubject(undefined), undefined);
  t.equal(tokenFromSubject("unsubscribe"), undefined);
  t.equal(tokenFromSubject(`xunsubscribe-${token}`), undefined, "not inside another word");
  t.equal(tokenFromSubject(`unsubscribe-${token}extra`), undefined, "a longer signature is not this token");
  t.equal(tokenFromSubject("unsubscribe-abc.def"), undefined, "a signature has 22 characters");
});
