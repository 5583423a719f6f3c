import t from "tap";
import { DependencyUnavailableError, InvalidPayloadError } from "@optout/core";
import { DLQ_REASON_HEADER, DLQ_SUBJECT_HEADER, ensureDurableConsumer, runConsumer, type Outcome } from "@optout/bus";
import { createTestEnv, publishInbound, readDeadLetters, waitFor } from "@optout/testkit";

const env = await createTestEnv({ name: "bus-test" });
t.teardown(() => env.teardown());
const { infra } = env;
const { names } = infra;

t.test("garbage is dead-lettered with a reason, good messages keep flowing, transient failures retry", async (t) => {
  const durable = names.consumer("bus-test");
  await ensureDurableConsumer(infra.jsm, { stream: names.streams.inboundSms, durable, filterSubject: names.subjects.inboundSms, ackWaitMs: 5_000, maxDeliver: 3 });
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
        if (item.payload.id === "always-down") return { kind: "retry", error: new DependencyUnavailableError("postgres", "still down") };
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

  await waitFor("good and flaky messages handled", async () => handled.includes("good-1") && handled.includes("good-2") && handled.includes("flaky"), 20_000);
  const letters = await readDeadLetters(infra, 3);
  const bySubjectReason = letters.map((m) => ({
    subject: m.subject,
    original: m.headers?.get(DLQ_SUBJECT_HEADER),
    reason: m.headers?.get(DLQ_REASON_HEADER) ?? "",
    body: m.string(),
  }));
  t.ok(bySubjectReason.every((l) => l.subject === names.subjects.dlqFor(names.subjects.inboundSms)), "dead letters are on <ns>.dlq.inbound.sms");
  t.ok(bySubjectReason.every((l) => l.original === names.subjects.inboundSms), "the original subject travels in a header");
  const garbage = bySubjectReason.find((l) => l.body === "{not json");
  t.ok(garbage, "the original body is kept byte for byte");
  t.match(garbage!.reason, /INVALID_PAYLOAD/);
  t.match(bySubjectReason.find((l) => l.body.includes("noId"))!.reason, /INVALID_PAYLOAD: id is missing/);
  t.match(bySubjectReason.find((l) => l.body.includes("always-down"))!.reason, /max deliveries \(3\) exhausted: postgres: still down/);
  t.equal(runner.isRunning(), true, "the runner kept going");
});
