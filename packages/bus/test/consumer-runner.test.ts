import t from "tap";
import { DependencyUnavailableError, InvalidPayloadError } from "@optout/core";
import {
  DLQ_REASON_HEADER,
  DLQ_SUBJECT_HEADER,
  ensureDurableConsumer,
  RELEASE_DELAY_MS,
  runConsumer,
  type Outcome,
} from "@optout/bus";
import { createTestEnv, publishInbound, readDeadLetters, waitFor } from "@optout/testkit";

const env = await createTestEnv({ name: "bus-test" });
t.teardown(() => env.teardown());
const { infra } = env;
const { names } = infra;

t.test(
  "garbage is dead-lettered with a reason, good messages keep flowing, transient failures retry",
  async (t) => {
    const durable = names.consumer("bus-test");
    await ensureDurableConsumer(infra.jsm, {
      stream: names.streams.inboundSms,
      durable,
      filterSubject: names.subjects.inboundSms,
      ackWaitMs: 5_000,
      maxDeliver: 3,
    });
    const handled: string[] = [];
    let failOnce = true;
    const runner = runConsumer<{ id: string }>({
      js: infra.js,
      names,
      stream: names.streams.inboundSms,
      durable,
      decode: (data) => {
        const v = JSON.parse(new TextDecoder().decode(data)) as { id?: unknown };
        if (typeof v.id !== "string") throw new InvalidPayloadError("id is missing");
        return { id: v.id };
      },
      handle: async (items) =>
        items.map((item): Outcome => {
          if (item.payload.id === "flaky" && failOnce) {
            failOnce = false;
            return { kind: "retry", error: new DependencyUnavailableError("postgres", "down for a moment") };
          }
          if (item.payload.id === "always-down")
            return { kind: "retry", error: new DependencyUnavailableError("postgres", "still down") };
          handled.push(item.payload.id);
          return { kind: "ack" };
        }),
      maxDeliver: 3,
      maxInFlight: 16,
      logger: infra.logger,
    });
    t.teardown(() => runner.stop());

    await publishInbound(infra.js, names.subjects.inboundSms, "{not json", "garbage-1");
    await publishInbound(infra.js, names.subjects.inboundSms, { noId: true }, "garbage-2");
    await publishInbound(infra.js, names.subjects.inboundSms, { id: "good-1" });
    await publishInbound(infra.js, names.subjects.inboundSms, { id: "flaky" });
    await publishInbound(infra.js, names.subjects.inboundSms, { id: "always-down" });
    await publishInbound(infra.js, names.subjects.inboundSms, { id: "good-2" });

    await waitFor(
      "good and flaky messages handled",
      async () => handled.includes("good-1") && handled.includes("good-2") && handled.includes("flaky"),
      20_000,
    );
    const letters = await readDeadLetters(infra, 3);
    const bySubjectReason = letters.map((m) => ({
      subject: m.subject,
      original: m.headers?.get(DLQ_SUBJECT_HEADER),
      reason: m.headers?.get(DLQ_REASON_HEADER) ?? "",
      body: m.string(),
    }));
    t.ok(
      bySubjectReason.every((l) => l.subject === names.subjects.dlqFor(names.subjects.inboundSms)),
      "dead letters are on <ns>.dlq.inbound.sms",
    );
    t.ok(
      bySubjectReason.every((l) => l.original === names.subjects.inboundSms),
      "the original subject travels in a header",
    );
    const garbage = bySubjectReason.find((l) => l.body === "{not json");
    t.ok(garbage, "the original body is kept byte for byte");
    t.match(garbage!.reason, /INVALID_PAYLOAD/);
    t.match(bySubjectReason.find((l) => l.body.includes("noId"))!.reason, /INVALID_PAYLOAD: id is missing/);
    t.match(
      bySubjectReason.find((l) => l.body.includes("always-down"))!.reason,
      /max deliveries \(3\) exhausted: postgres: still down/,
    );
    t.equal(runner.isRunning(), true, "the runner kept going");
  },
);

/** A fresh durable on its own subject suffix-free stream: each test below uses its own consumer name. */
async function consumerFor(name: string, ackWaitMs = 5_000, maxDeliver = 3): Promise<string> {
  const durable = names.consumer(name);
  await ensureDurableConsumer(infra.jsm, {
    stream: names.streams.inboundEmail,
    durable,
    filterSubject: names.subjects.inboundEmail,
    ackWaitMs,
    maxDeliver,
  });
  return durable;
}

const decodeId = (data: Uint8Array) =>
  JSON.parse(new TextDecoder().decode(data)) as { id: string; batch: string };

t.test("a message the handler cannot take sinks only itself: the batch is split down to it", async (t) => {
  const durable = await consumerFor("isolate");
  const recorded = new Map<string, number>();
  const runner = runConsumer<{ id: string; batch: string }>({
    js: infra.js,
    names,
    stream: names.streams.inboundEmail,
    durable,
    decode: decodeId,
    // Like a multi-row insert: one bad row fails the whole call, retrying cannot help.
    handle: async (items) => {
      const mine = items.filter((i) => i.payload.batch === "isolate");
      if (mine.some((i) => i.payload.id.startsWith("poison")))
        throw new InvalidPayloadError("rejected by the database (22021)");
      for (const i of mine) recorded.set(i.payload.id, (recorded.get(i.payload.id) ?? 0) + 1);
      return items.map((): Outcome => ({ kind: "ack" }));
    },
    maxDeliver: 3,
    maxInFlight: 64,
    batchSize: 64,
    logger: infra.logger,
    gate: { down: async () => [] },
  });
  t.teardown(() => runner.stop());
  const ids: string[] = [];
  for (let i = 0; i < 60; i++) {
    const id = i % 20 === 7 ? `poison-${i}` : `ok-${i}`;
    ids.push(id);
    await publishInbound(infra.js, names.subjects.inboundEmail, { id, batch: "isolate" });
  }
  const good = ids.filter((id) => id.startsWith("ok-"));
  await waitFor("every valid message recorded", async () => good.every((id) => recorded.has(id)), 20_000);
  const letters = (await readDeadLetters(infra, 6)).filter((m) => m.string().includes('"isolate"'));
  const poisoned = letters.map((m) => decodeId(m.data).id);
  t.same(
    poisoned.sort(),
    ids.filter((id) => id.startsWith("poison")).sort(),
    "only the poison messages are dead-lettered",
  );
  t.ok(
    letters.every((m) => /22021/.test(m.headers?.get(DLQ_REASON_HEADER) ?? "")),
    "each with the store's reason",
  );
  t.ok(
    good.every((id) => recorded.get(id) === 1),
    "every valid message recorded exactly once",
  );
});

t.test(
  "an outage longer than the delivery budget holds messages: none retried by the server, none dead-lettered",
  async (t) => {
    // ack wait 1.5 s and 2 deliveries: without holding, a 6 s outage would dead-letter everything.
    const durable = await consumerFor("outage", 1_500, 2);
    let down = true;
    const pauses: boolean[] = [];
    const recorded = new Map<string, number>();
    const deliveries: number[] = [];
    const runner = runConsumer<{ id: string; batch: string }>({
      js: infra.js,
      names,
      stream: names.streams.inboundEmail,
      durable,
      decode: decodeId,
      handle: async (items) => {
        const mine = items.filter((i) => i.payload.batch === "outage");
        if (down && mine.length > 0) throw new DependencyUnavailableError("postgres", "connection refused");
        for (const i of mine) {
          recorded.set(i.payload.id, (recorded.get(i.payload.id) ?? 0) + 1);
          deliveries.push(i.msg.info.deliveryCount);
        }
        return items.map((): Outcome => ({ kind: "ack" }));
      },
      maxDeliver: 2,
      maxInFlight: 32,
      batchSize: 8,
      ackWaitMs: 1_500,
      logger: infra.logger,
      gate: { down: async () => (down ? ["postgres"] : []), onPause: (p) => pauses.push(p) },
      outageProbeMs: { first: 100, max: 400 },
    });
    t.teardown(() => runner.stop());
    const ids = Array.from({ length: 50 }, (_, i) => `o-${i}`);
    for (const id of ids)
      await publishInbound(infra.js, names.subjects.inboundEmail, { id, batch: "outage" });
    await waitFor("paused", async () => runner.waitingFor().length > 0, 10_000);
    t.same(runner.waitingFor(), ["postgres"], "the runner says what it waits for");
    t.equal(runner.isRunning(), false, "not pulling while paused");
    await new Promise((r) => setTimeout(r, 6_000));
    down = false;
    await waitFor("all recorded after the outage", async () => ids.every((id) => recorded.has(id)), 20_000);
    t.ok(
      ids.every((id) => recorded.get(id) === 1),
      "each recorded once",
    );
    t.ok(
      deliveries.every((d) => d === 1),
      `no message was redelivered by the server (deliveries: ${[...new Set(deliveries)].join(",")})`,
    );
    const info = await infra.jsm.consumers.info(names.streams.inboundEmail, durable);
    t.equal(info.num_ack_pending + info.num_pending, 0, "nothing left unacked");
    const letters = await readDeadLetters(infra, 6);
    t.notOk(
      letters.some((m) => m.string().includes('"outage"')),
      "no message of the outage was dead-lettered",
    );
    t.equal(
      (await infra.jsm.streams.info(names.streams.dlq)).state.messages,
      6,
      "no dead letter beyond the first tests' six",
    );
    t.same(pauses, [true, false], "paused once, resumed once");
    await waitFor("pulling again", async () => runner.isRunning(), 5_000);
  },
);

t.test(
  "stop hands back what was pulled but not started: another replica has it long before ACK_WAIT",
  async (t) => {
    // ACK_WAIT of 5 minutes: only the release can bring the messages back within the wait below.
    const durable = await consumerFor("stop", 300_000, 5);
    for (let i = 0; i < 40; i++)
      await publishInbound(infra.js, names.subjects.inboundEmail, { id: `s-${i}`, batch: "stop" });
    const total = (await infra.jsm.streams.info(names.streams.inboundEmail)).state.messages;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const acked = new Set<number>();
    const replica = (wait: boolean) =>
      runConsumer<{ id: string; batch: string }>({
        js: infra.js,
        names,
        stream: names.streams.inboundEmail,
        durable,
        decode: decodeId,
        handle: async (items) => {
          if (wait) await gate;
          for (const i of items) acked.add(i.msg.info.streamSequence);
          return items.map((): Outcome => ({ kind: "ack" }));
        },
        maxDeliver: 5,
        maxInFlight: 64,
        batchSize: 4,
        concurrency: 1,
        logger: infra.logger,
      });
    const first = replica(true);
    await waitFor("the first replica holds a buffer", async () => {
      const i = await infra.jsm.consumers.info(names.streams.inboundEmail, durable);
      return i.num_ack_pending >= 32;
    });
    const started = Date.now();
    const stopping = first.stop(5_000);
    release();
    await stopping;
    const second = replica(false);
    t.teardown(() => second.stop());
    await waitFor(
      "every message acked by one replica or the other",
      async () => acked.size === total,
      RELEASE_DELAY_MS + 5_000,
      100,
    );
    const ms = Date.now() - started;
    t.comment(
      `all ${total} messages acked ${ms} ms after stop began (ACK_WAIT 300000 ms, release delay ${RELEASE_DELAY_MS} ms)`,
    );
    t.equal(acked.size, total, "every message held by the stopped replica reached the other one");
  },
);
