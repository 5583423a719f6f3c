import t from "tap";
import { DLQ_REASON_HEADER } from "@optout/bus";
import { getHistory } from "@optout/store";
import { publishInbound, readDeadLetters, waitFor } from "@optout/testkit";
import { verifyWebhookSignature } from "@optout/webhook-signature";
import { startWebhookDispatch } from "@optout/service-webhook-dispatch";
import { startSystem } from "../helpers/system.js";
import { startWebhookReceiver, type ReceivedRequest, type Responder } from "../helpers/webhook-receiver.js";

const SECRET = "whsec_integration_0123456789";

const system = await startSystem({ name: "webhooks" });
const receiver = await startWebhookReceiver();
t.teardown(async () => {
  await system.stop();
  await receiver.close();
});
const { infra } = system.env;

await system.account("hooked", "acme", "organization", {
  webhook: { url: `${receiver.url}/hooks/optout?src=test`, secret: SECRET },
});
await system.account("acme-nl", "acme");

let counter = 0;
const nextNumber = () => `+3162${String(10_000_000 + counter++).slice(1)}`;

/** Failure plans per number: the receiver answers by the event's identifier. */
const plans = new Map<string, (attempt: number, action: string) => ReturnType<Responder>>();
receiver.respond = (event, attempt) => plans.get(event.identifier)?.(attempt, event.action) ?? 200;

const forNumber = (n: string) => (r: ReceivedRequest) => r.event.identifier === n;

/** Everything published to the webhook subject so far has been acked or dead-lettered. */
async function dispatcherIdle(): Promise<void> {
  await waitFor("the webhook consumer to be idle", async () => {
    const info = await infra.jsm.consumers.info(
      infra.names.streams.outbound,
      infra.names.consumer("webhook-dispatch"),
    );
    return info.num_pending === 0 && info.num_ack_pending === 0;
  });
}

async function jobRow(eventId: string) {
  const { rows } = await infra.pool.query<{ status: string; attempts: number; last_error: string | null }>(
    "SELECT status, attempts, last_error FROM webhook_jobs WHERE event_id = $1",
    [eventId],
  );
  return rows[0];
}

t.test("a STOP reaches the webhook as the change-feed event, signed so that it verifies", async (t) => {
  const from = nextNumber();
  await system.sendSms({ from, text: "STOP", accountId: "hooked" });
  const [delivered] = await waitFor("the webhook", async () => {
    const got = receiver.accepted().filter(forNumber(from));
    return got.length > 0 ? got : undefined;
  });
  const req = delivered!;
  const [event] = await getHistory(infra.pool, "org:acme", "sms", from);
  t.equal(req.headers["content-type"], "application/json");
  t.equal(req.headers["optout-event-id"], event!.eventId, "Optout-Event-Id is the event id");
  t.same(JSON.parse(req.rawBody), {
    eventId: event!.eventId,
    accountId: "hooked",
    scope: "org:acme",
    channel: "sms",
    identifier: from,
    action: "opt_out",
    source: "sms_keyword",
    reason: "keyword:STOP",
    occurredAt: req.event.occurredAt,
  });
  const signature = req.headers["optout-signature"] as string;
  t.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/);
  t.equal(
    verifyWebhookSignature(SECRET, req.rawBody, signature),
    true,
    "the signature verifies with the account's secret",
  );
  t.equal(verifyWebhookSignature("another-secret-0123456789", req.rawBody, signature), false);
  await dispatcherIdle();
  t.same(await jobRow(event!.eventId), { status: "delivered", attempts: 1, last_error: null });
});

t.test("a 500 and a dropped connection are retried; each event is accepted exactly once", async (t) => {
  const failing = nextNumber();
  const dropping = nextNumber();
  plans.set(failing, (attempt) => (attempt === 1 ? 500 : 200));
  plans.set(dropping, (attempt) => (attempt === 1 ? "drop" : 204));
  await system.sendSms({ from: failing, text: "STOP", accountId: "hooked" });
  await system.sendSms({ from: dropping, text: "STOP", accountId: "hooked" });
  await waitFor(
    "both retried deliveries",
    async () =>
      receiver.accepted().filter((r) => r.event.identifier === failing || r.event.identifier === dropping)
        .length >= 2,
  );
  await dispatcherIdle();

  for (const [n, first] of [
    [failing, 500],
    [dropping, "dropped"],
  ] as const) {
    const all = receiver.requests.filter(forNumber(n));
    t.same(
      all.map((r) => r.answer),
      [first, n === failing ? 200 : 204],
      `${n}: failed once, then accepted`,
    );
    t.equal(all[0]?.event.eventId, all[1]?.event.eventId, "the retry is the same event");
    t.equal(all[0]?.headers["optout-event-id"], all[1]?.headers["optout-event-id"]);
    const row = await jobRow(all[0]!.event.eventId);
    t.equal(row?.status, "delivered");
    t.equal(row?.attempts, 2);
  }
});

t.test(
  "order per identifier: STOP, START, STOP arrive in that order although the first delivery fails",
  async (t) => {
    const from = nextNumber();
    // The first request for this number fails and asks for a pause (Retry-After: 1 s): the START
    // and the second STOP are recorded meanwhile and must wait for it.
    let failed = false;
    plans.set(from, () =>
      failed ? 200 : ((failed = true), { status: 503, headers: { "retry-after": "1" } }),
    );
    await system.sendSms({ from, text: "STOP", accountId: "hooked" });
    await system.sendSms({ from, text: "START", accountId: "hooked" });
    await system.sendSms({ from, text: "STOP", accountId: "hooked" });
    const history = await getHistory(infra.pool, "org:acme", "sms", from);
    t.equal(history.length, 3);
    await waitFor("three deliveries", async () => receiver.accepted().filter(forNumber(from)).length >= 3);
    await dispatcherIdle();

    const accepted = receiver.accepted().filter(forNumber(from));
    t.same(
      accepted.map((r) => r.event.eventId),
      history.map((e) => e.eventId),
      "accepted in the order the events were recorded",
    );
    t.same(
      accepted.map((r) => r.event.action),
      ["opt_out", "opt_in", "opt_out"],
    );
    const all = receiver.requests.filter(forNumber(from));
    t.equal(all[0]?.answer, 503, "the first attempt failed");
    t.equal(all[0]?.event.eventId, history[0]?.eventId);
    const firstAccepted = all.findIndex((r) => r.answer === 200);
    t.ok(
      all.slice(0, firstAccepted).every((r) => r.event.eventId === history[0]?.eventId),
      "nothing later was sent before the first event got through",
    );
  },
);

t.test(
  "two dispatcher replicas keep the order per identifier (Postgres decides whose turn it is)",
  async (t) => {
    const replica = await startWebhookDispatch(infra, {
      maxAttempts: 5,
      timeoutMs: 5_000,
      allowPrivateNetworks: true,
      ackWaitMs: 10_000,
      maxInFlight: 64,
      retryBaseMs: 100,
      retryMaxMs: 1_000,
      orderPollMs: 100,
    });
    t.teardown(() => replica.stop());
    const numbers = [nextNumber(), nextNumber(), nextNumber()];
    for (const n of numbers) {
      let failed = 0;
      // The first two requests of each number fail: jobs go back to the stream and may come
      // back to either replica, while the later jobs of the number sit on the other one.
      plans.set(n, () => (failed++ < 2 ? 500 : 200));
    }
    for (const text of ["STOP", "START", "STOP", "START"]) {
      for (const n of numbers) await system.sendSms({ from: n, text, accountId: "hooked" });
    }
    await waitFor("every delivery", async () =>
      numbers.every((n) => receiver.accepted().filter(forNumber(n)).length >= 4),
    );
    await dispatcherIdle();
    for (const n of numbers) {
      const history = await getHistory(infra.pool, "org:acme", "sms", n);
      t.same(
        receiver
          .accepted()
          .filter(forNumber(n))
          .map((r) => r.event.eventId),
        history.map((e) => e.eventId),
        `${n}: in recorded order`,
      );
    }
  },
);

t.test("a job republished after JetStream's duplicate window is not delivered a second time", async (t) => {
  const from = nextNumber();
  await system.sendSms({ from, text: "STOP", accountId: "hooked" });
  await waitFor("the first delivery", async () => receiver.accepted().filter(forNumber(from)).length === 1);
  await dispatcherIdle();
  const [event] = await getHistory(infra.pool, "org:acme", "sms", from);
  // The same job under another Nats-Msg-Id, as a republish after the window would arrive.
  const job = {
    id: `webhook:${event!.eventId}`,
    accountId: "hooked",
    event: receiver.accepted().filter(forNumber(from))[0]!.event,
  };
  await publishInbound(infra.js, infra.names.subjects.outboundWebhook, job, `webhook:${event!.eventId}:late`);
  await dispatcherIdle();
  t.equal(
    receiver.requests.filter(forNumber(from)).length,
    1,
    "acked from the job's stored state, not posted again",
  );
});

t.test(
  "a 4xx is dead-lettered at once with the reason; later events of the identifier still go",
  async (t) => {
    const from = nextNumber();
    plans.set(from, (_attempt, action) => (action === "opt_out" ? 410 : 200));
    await system.sendSms({ from, text: "STOP", accountId: "hooked" });
    await system.sendSms({ from, text: "START", accountId: "hooked" });
    const [letter] = await readDeadLetters(infra, 1);
    t.equal(letter?.subject, infra.names.subjects.dlqFor(infra.names.subjects.outboundWebhook));
    t.match(letter?.headers?.get(DLQ_REASON_HEADER), /failed permanently: receiver answered 410/);
    const job = letter!.json<{ id: string; event: { identifier: string; eventId: string } }>();
    t.equal(job.event.identifier, from, "the dead letter is the job, body unchanged");
    await waitFor(
      "the START after the dead STOP",
      async () => receiver.accepted().filter(forNumber(from)).length === 1,
    );
    await dispatcherIdle();
    t.same(
      receiver.requests.filter(forNumber(from)).map((r) => [r.event.action, r.answer]),
      [
        ["opt_out", 410],
        ["opt_in", 200],
      ],
      "the 410 was not retried",
    );
    const row = await jobRow(job.event.eventId);
    t.equal(row?.status, "dead");
    t.equal(row?.attempts, 1);
  },
);

t.test(
  "a webhook URL with a scheme other than http(s) is refused by the dispatcher and dead-lettered",
  async (t) => {
    await system.account("bad-scheme", "acme", "organization", {
      webhook: { url: "ftp://127.0.0.1/hook", secret: SECRET },
    });
    const from = nextNumber();
    await system.sendSms({ from, text: "STOP", accountId: "bad-scheme" });
    const letters = await readDeadLetters(infra, 2);
    const mine = letters.find((l) => l.json<{ event: { identifier: string } }>().event.identifier === from);
    t.match(mine?.headers?.get(DLQ_REASON_HEADER), /webhook URL refused: .*scheme "ftp"/);
  },
);

t.test("an account without a webhook gets no jobs", async (t) => {
  const from = nextNumber();
  await system.sendSms({ from, text: "STOP", accountId: "acme-nl" });
  const [event] = await getHistory(infra.pool, "org:acme", "sms", from);
  t.equal(await jobRow(event!.eventId), undefined);
  const info = await infra.jsm.streams.info(infra.names.streams.outbound, {
    subjects_filter: infra.names.subjects.outboundWebhook,
  });
  const before = info.state.subjects?.[infra.names.subjects.outboundWebhook] ?? 0;
  await system.sendSms({ from: nextNumber(), text: "STOP", accountId: "acme-nl" });
  const after = (
    await infra.jsm.streams.info(infra.names.streams.outbound, {
      subjects_filter: infra.names.subjects.outboundWebhook,
    })
  ).state.subjects?.[infra.names.subjects.outboundWebhook];
  t.equal(after ?? 0, before, "nothing published on the webhook subject");
});

t.test(
  "PUT /v1/accounts refuses private, loopback and non-http webhook URLs by default with a 400",
  async (t) => {
    const body = (url: string) => ({ organizationId: "acme", webhook: { url, secret: SECRET } });
    for (const url of [
      "http://127.0.0.1:8080/hook",
      "http://localhost/hook",
      "http://10.1.2.3/hook",
      "http://169.254.169.254/latest",
      "http://[::1]/x",
      "http://[fd00::1]/x",
    ]) {
      const res = await system.api("PUT", "/v1/accounts/private-hook", body(url));
      t.equal(res.status, 400, url);
      t.equal(res.body.error.code, "INVALID_PAYLOAD");
      t.match(res.body.error.message, /WEBHOOK_ALLOW_PRIVATE_NETWORKS/);
    }
    const scheme = await system.api("PUT", "/v1/accounts/private-hook", body("ftp://93.184.216.34/hook"));
    t.equal(scheme.status, 400);
    t.match(scheme.body.error.message, /scheme/);
    const ok = await system.api("PUT", "/v1/accounts/public-hook", body("https://93.184.216.34/hook"));
    t.equal(ok.status, 201, "a public address is accepted");
    t.same(ok.body.webhook, { url: "https://93.184.216.34/hook" }, "the secret is write-only: never shown");
  },
);
