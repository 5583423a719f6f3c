import t from "tap";
import { randomUUID } from "node:crypto";
import { getHistory } from "@optout/store";
import { publishInbound, readDeadLetters, requestChunked, waitFor } from "@optout/testkit";
import { DLQ_REASON_HEADER } from "@optout/bus";
import { startSystem } from "../helpers/system.js";
import { startWebhookReceiver } from "../helpers/webhook-receiver.js";

const system = await startSystem({ name: "sms-path" });
t.teardown(() => system.stop());
const { infra } = system.env;

await system.account("acme-nl", "acme");
await system.account("acme-be", "acme");
await system.account("acme-own", "acme", "account");

let counter = 0;
/** A fresh valid Dutch mobile number per message, so tests never share state. */
const nextNumber = () => `+3161${String(10_000_000 + counter++).slice(1)}`;

t.test(
  "every opt-out keyword of every language, alone and qualified, opts out; the check sees it after the ack",
  async (t) => {
    const forms = [
      "STOP",
      "STOPALL",
      "STOP ALL",
      "UNSUBSCRIBE",
      "UNSUB",
      "CANCEL",
      "END",
      "QUIT",
      "OPTOUT",
      "OPT OUT",
      "OPT-OUT",
      "REVOKE",
      "REMOVE",
      "AFMELDEN",
      "UITSCHRIJVEN",
      "STOPPEN",
      "STOPP",
      "ABMELDEN",
      "ABBESTELLEN",
      "ARRET",
      "ARRÊT",
      "ARRETER",
      "DESABONNER",
      "DÉSABONNER",
      "DESINSCRIRE",
      "BAJA",
      "ALTO",
      "PARAR",
      "CANCELAR",
      "SAIR",
      "ANNULLA",
      "DISISCRIVI",
      "CANCELLAMI",
      "AVSLUTA",
      "AVMELD",
      "AFMELD",
      "REZYGNUJE",
      "REZYGNUJĘ",
      "WYPISZ",
      "stop",
      " Stop ",
      "STOP!!!",
      '"STOP"',
      "STOP 3010",
      "Stop please",
      "please STOP",
      "STOP ALL",
      "stop now",
      "Stop 🛑",
    ];
    for (const text of forms) {
      const from = nextNumber();
      await system.sendSms({ from, text });
      const { results } = await system.check({ recipients: [from] });
      t.equal(results[0]?.reason, "opted_out", `"${text}" opts out and is visible right after the ack`);
      t.equal(results[0]?.suppressed, true);
    }
  },
);

t.test("free-text revocations opt out; look-alikes are ignored and record nothing", async (t) => {
  for (const text of ["please stop texting me", "remove me from your list", "bitte keine sms mehr"]) {
    const from = nextNumber();
    await system.sendSms({ from, text });
    t.equal(
      (await system.check({ recipients: [from] })).results[0]?.reason,
      "opted_out",
      `"${text}" is a revocation`,
    );
  }
  for (const text of [
    "I'll stop by tomorrow",
    "can't stop laughing",
    "the bus stop on Main St",
    "end of the month works",
    "cancel my appointment on friday",
    "",
    "   ",
  ]) {
    const from = nextNumber();
    await system.sendSms({ from, text });
    t.equal(
      (await system.check({ recipients: [from] })).results[0]?.reason,
      "not_opted_out",
      `"${text}" is not an opt-out`,
    );
    t.equal((await getHistory(infra.pool, "org:acme", "sms", from)).length, 0, "no event recorded");
  }
});

t.test("START opts back in; history lists every event with source and reason", async (t) => {
  const from = nextNumber();
  await system.sendSms({ from, text: "STOP" });
  t.equal((await system.check({ recipients: [from] })).results[0]?.suppressed, true);
  await system.sendSms({ from, text: "START" });
  t.equal(
    (await system.check({ recipients: [from] })).results[0]?.reason,
    "not_opted_out",
    "START opts back in",
  );

  const res = await system.api("GET", `/v1/accounts/acme-nl/optouts/sms/${encodeURIComponent(from)}/history`);
  t.equal(res.status, 200);
  t.same(
    res.body.items.map((e: { action: string; source: string; reason: string }) => [
      e.action,
      e.source,
      e.reason,
    ]),
    [
      ["opt_out", "sms_keyword", "keyword:STOP"],
      ["opt_in", "sms_keyword", "keyword:START"],
    ],
  );
  const state = await system.api("GET", `/v1/accounts/acme-nl/optouts/sms/${encodeURIComponent(from)}`);
  t.equal(state.body.status, "opted_in");
});

t.test(
  "HELP is classified: no event, and the account's help text goes out on the outbound subject",
  async (t) => {
    await system.account("acme-help", "acme", "organization", {
      helpText: { en: "ACME: reply STOP to opt out", default: "ACME help" },
    });
    const sub = infra.nc.subscribe(infra.names.subjects.outboundSms, { max: 1 });
    const from = nextNumber();
    const sms = await system.sendSms({ from, text: "HELP", accountId: "acme-help" });
    const [reply] = await Promise.all([
      (async () => {
        for await (const m of sub) return m.json<Record<string, string>>();
      })(),
    ]);
    t.equal(reply?.to, from);
    t.equal(reply?.inReplyTo, sms.id);
    t.equal(reply?.text, "ACME: reply STOP to opt out");
    t.equal((await getHistory(infra.pool, "org:acme", "sms", from)).length, 0);
  },
);

t.test("the same inbound id delivered twice makes one event", async (t) => {
  const from = nextNumber();
  const id = randomUUID();
  await system.sendSms({ id, from, text: "STOP" });
  // A second publish with another Nats-Msg-Id gets past JetStream's de-duplication, like a
  // gateway retrying after its duplicate window: the store must still record one event.
  await publishInbound(
    infra.js,
    infra.names.subjects.inboundSms,
    { id, accountId: "acme-nl", from, to: "3010", text: "STOP", receivedAt: new Date().toISOString() },
    `${id}-retry`,
  );
  await system.sendSms({ from: nextNumber(), text: "STOP" }); // processed after the duplicate
  const history = await getHistory(infra.pool, "org:acme", "sms", from);
  t.equal(history.length, 1, "one event");
});

t.test("a repeated STOP (or START) is history only: no second change event, no second webhook", async (t) => {
  const receiver = await startWebhookReceiver();
  t.teardown(() => receiver.close());
  await system.account("acme-hooked", "acme", "organization", {
    webhook: { url: `${receiver.url}/hook`, secret: "whsec_sms_path_0123456789" },
  });
  const from = nextNumber();
  const feed: { action: string; source: string }[] = [];
  const jobs: string[] = [];
  const feedSub = infra.nc.subscribe(infra.names.subjects.eventsAll, {
    callback: (_err, m) => {
      const e = m.json<{ identifier: string; action: string; source: string }>();
      if (e.identifier === from) feed.push({ action: e.action, source: e.source });
    },
  });
  const jobSub = infra.nc.subscribe(infra.names.subjects.outboundWebhook, {
    callback: (_err, m) => {
      const job = m.json<{ event: { identifier: string; action: string } }>();
      if (job.event.identifier === from) jobs.push(job.event.action);
    },
  });
  t.teardown(() => {
    feedSub.unsubscribe();
    jobSub.unsubscribe();
  });

  // Two STOPs with different gateway ids, then two STARTs.
  for (const text of ["STOP", "STOP", "START", "START"])
    await system.sendSms({ from, text, accountId: "acme-hooked" });
  await waitFor(
    "two deliveries",
    async () => receiver.accepted().filter((r) => r.event.identifier === from).length >= 2,
  );
  await new Promise((resolve) => setTimeout(resolve, 500)); // anything extra would have arrived by now

  const history = await getHistory(infra.pool, "org:acme", "sms", from);
  t.same(
    history.map((e) => e.action),
    ["opt_out", "opt_out", "opt_in", "opt_in"],
    "every message is in the history, as evidence",
  );
  t.same(
    feed,
    [
      { action: "opt_out", source: "sms_keyword" },
      { action: "opt_in", source: "sms_keyword" },
    ],
    "one change event per state change",
  );
  t.same(jobs, ["opt_out", "opt_in"], "one webhook job per state change");
  const { rows } = await infra.pool.query<{ n: string }>(
    "SELECT count(*) AS n FROM webhook_jobs WHERE identifier = $1",
    [from],
  );
  t.equal(Number(rows[0]?.n), 2, "two webhook jobs stored");
  t.same(
    receiver
      .accepted()
      .filter((r) => r.event.identifier === from)
      .map((r) => r.event.eventId),
    [history[0]!.eventId, history[2]!.eventId],
    "the receiver got the first STOP and the first START",
  );
});

t.test(
  "an organization-list opt-out suppresses every org-list account and not an account with its own list, and the other way round",
  async (t) => {
    const orgNumber = nextNumber();
    await system.sendSms({ from: orgNumber, text: "STOP", accountId: "acme-nl" });
    t.equal(
      (await system.check({ accountId: "acme-be", recipients: [orgNumber] })).results[0]?.reason,
      "opted_out",
      "sibling on the org list",
    );
    t.equal(
      (await system.check({ accountId: "acme-own", recipients: [orgNumber] })).results[0]?.reason,
      "not_opted_out",
      "own-list account",
    );

    const ownNumber = nextNumber();
    await system.sendSms({ from: ownNumber, text: "STOP", accountId: "acme-own" });
    t.equal(
      (await system.check({ accountId: "acme-own", recipients: [ownNumber] })).results[0]?.reason,
      "opted_out",
    );
    t.equal(
      (await system.check({ accountId: "acme-nl", recipients: [ownNumber] })).results[0]?.reason,
      "not_opted_out",
      "org list does not include the account list",
    );
  },
);

t.test("transactional is never suppressed; invalid recipients are reported in request order", async (t) => {
  const opted = nextNumber();
  await system.sendSms({ from: opted, text: "STOP" });
  const tx = await system.check({ recipients: [opted], category: "transactional" });
  t.same(tx.results[0], { recipient: opted, identifier: opted, suppressed: false, reason: "transactional" });

  const national = `0${opted.slice(3)}`;
  const { results } = await system.check({
    recipients: ["not a number", national, "+3161", opted, "06 1234 5679"],
  });
  t.same(
    results.map((r) => [r.recipient, r.reason, r.suppressed]),
    [
      ["not a number", "invalid_recipient", true],
      [national, "opted_out", true],
      ["+3161", "invalid_recipient", true],
      [opted, "opted_out", true],
      ["06 1234 5679", "not_opted_out", false],
    ],
  );
  t.equal(results[1]?.identifier, opted, "national format normalized with the account's country");
  t.ok(results[1]?.since, "since is given for opted-out recipients");
});

t.test("10,000 recipients in one check work; 10,001 is a clear error", async (t) => {
  const opted = nextNumber();
  await system.sendSms({ from: opted, text: "STOP" });
  const recipients = Array.from({ length: 10_000 }, (_, i) => `+3162${String(i).padStart(7, "0")}`);
  recipients[4321] = opted;
  const { results } = await system.check({ recipients });
  t.equal(results.length, 10_000);
  t.equal(results.filter((r) => r.suppressed).length, 1);
  t.equal(results[4321]?.reason, "opted_out");

  const tooMany = await system.checkRaw({
    accountId: "acme-nl",
    channel: "sms",
    recipients: [...recipients, "+31620000000"],
  });
  t.match(tooMany.reply, {
    error: { code: "TOO_MANY_RECIPIENTS", message: /10001 recipients.*limit is 10000/ },
  });
  t.equal(tooMany.headers.get("Nats-Service-Error-Code"), "400");
});

t.test(
  "a reply bigger than NATS max_payload: compact, else a clear error, or parts when the sender asks for them",
  async (t) => {
    // 10,000 long email addresses make a reply of about 1.5 MB; the server default is 1 MiB.
    const recipients = Array.from(
      { length: 10_000 },
      (_, i) => `recipient.number.${i}@a-rather-long-domain-name.example`,
    );
    const big = await system.checkRaw({ accountId: "acme-nl", channel: "email", recipients });
    t.match(big.reply, { compact: true }, "the compact form fits: one reply by default");
    t.equal((big.reply as { results: unknown[] }).results.length, 10_000);
    // Written in capitals, each identifier differs from its recipient and stays in the compact
    // form too: even that does not fit.
    const shouting = recipients.map((r) => r.toUpperCase());
    const tooBig = await system.checkRaw({ accountId: "acme-nl", channel: "email", recipients: shouting });
    t.match(
      tooBig.reply,
      { error: { code: "TOO_MANY_RECIPIENTS", message: /max_payload.*"chunked": true/ } },
      "never a reply cut short",
    );
    const { items, parts } = await requestChunked<{ recipient: string; reason: string }>(
      infra.nc,
      infra.names.subjects.check,
      { accountId: "acme-nl", channel: "email", recipients: shouting },
      "results",
    );
    t.ok(parts > 1, `${parts} parts`);
    t.equal(items.length, 10_000);
    t.ok(
      items.every((r, i) => r.recipient === shouting[i] && r.reason === "not_opted_out"),
      "every result, in request order",
    );
  },
);

t.test("bad check requests get an error reply, never a crash", async (t) => {
  const bad = await system.checkRaw({ accountId: "acme-nl", channel: "fax", recipients: ["+31612345678"] });
  t.match(bad.reply, { error: { code: "INVALID_PAYLOAD" } });
  const unknown = await system.checkRaw({
    accountId: "nobody",
    channel: "sms",
    recipients: ["+31612345678"],
  });
  t.match(unknown.reply, { error: { code: "UNKNOWN_ACCOUNT" } });
  const msg = await infra.nc.request(infra.names.subjects.check, new TextEncoder().encode("{garbage"), {
    timeout: 5000,
  });
  t.match(msg.json(), { error: { code: "INVALID_PAYLOAD" } });
  t.equal((await system.check({ recipients: ["+31612345678"] })).results.length, 1, "still answering");
});

t.test(
  "garbage on the inbound subject lands on the dead-letter subject with a reason; the worker keeps going",
  async (t) => {
    await publishInbound(infra.js, infra.names.subjects.inboundSms, "not json at all", "garbage-a");
    await publishInbound(
      infra.js,
      infra.names.subjects.inboundSms,
      { id: "x", accountId: "acme-nl", text: "STOP" },
      "garbage-b",
    );
    await publishInbound(infra.js, infra.names.subjects.inboundSms, {
      id: "y",
      accountId: "ghost",
      from: "+31612345678",
      to: "1",
      text: "STOP",
      receivedAt: new Date().toISOString(),
    });
    const from = nextNumber();
    await system.sendSms({ from, text: "STOP" });
    t.equal(
      (await system.check({ recipients: [from] })).results[0]?.reason,
      "opted_out",
      "the worker kept going",
    );
    const letters = await readDeadLetters(infra, 3);
    const reasons = letters.map((m) => m.headers?.get(DLQ_REASON_HEADER) ?? "").sort();
    t.match(reasons, [/INVALID_PAYLOAD/, /INVALID_PAYLOAD/, /UNKNOWN_ACCOUNT/]);
  },
);

t.test("with Redis flushed, checks answer from Postgres and the filter rebuilds", async (t) => {
  const from = nextNumber();
  await system.sendSms({ from, text: "STOP" });
  await waitFor("filter ready", () => infra.filter.isReady("org:acme", "sms"));
  await infra.redis.flushdb();
  t.equal(await infra.filter.isReady("org:acme", "sms"), false, "flushed filter is not trusted");
  t.equal(
    (await system.check({ recipients: [from] })).results[0]?.reason,
    "opted_out",
    "answered from Postgres",
  );
  await waitFor("filter rebuilt", () => infra.filter.isReady("org:acme", "sms"));
  t.same(
    await infra.filter.mightContain("org:acme", "sms", [from]),
    [true],
    "the rebuilt filter holds the opt-out",
  );
  t.equal((await system.check({ recipients: [from] })).results[0]?.reason, "opted_out");
});

t.test("logs carry no phone numbers or message texts", async (t) => {
  const from = nextNumber();
  await system.sendSms({ from, text: "STOP secret-text-marker" });
  await system.sendSms({ from: nextNumber(), text: "I'll stop by tomorrow marker-two" });
  const all = system.env.logLines.join("\n");
  t.notOk(all.includes(from.slice(1)), "no full phone number in the logs");
  t.notOk(all.includes("secret-text-marker") || all.includes("marker-two"), "no message text in the logs");
});
