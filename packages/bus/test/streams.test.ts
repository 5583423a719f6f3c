/**
 * Guarantee 11 (replication is the operator's): ensureStreams creates what is missing and adds
 * what a stream lacks, but never lowers, shortens or reverts what an operator set on an existing
 * stream, and says so in a warning. ensureDurableConsumer keeps its own settings (ack wait, max
 * deliveries) and leaves the operator's alone.
 */
import t from "tap";
import { ensureDurableConsumer, ensureStreams, type StreamDrift } from "@optout/bus";
import { createCapturingLogger, createTestEnv } from "@optout/testkit";

const NS_PER_MS = 1_000_000;
const DAY_NS = 24 * 3600 * 1000 * NS_PER_MS;

const env = await createTestEnv({ name: "bus-streams" });
t.teardown(() => env.teardown());
const { infra } = env;
const { names, jsm } = infra;

interface DriftLine {
  level: number;
  msg: string;
  stream?: string;
  drift?: StreamDrift[];
}
const warnings = (lines: string[]): DriftLine[] =>
  lines.map((l) => JSON.parse(l) as DriftLine).filter((l) => l.level === 40);

t.test("a fresh installation gets every stream with the configured settings and no warning", async (t) => {
  const { logger, lines } = createCapturingLogger("streams");
  await ensureStreams(jsm, names, { replicas: 1, logger });
  for (const stream of Object.values(names.streams)) {
    const info = await jsm.streams.info(stream);
    t.equal(info.config.num_replicas, 1, `${stream} is R1`);
  }
  t.same(warnings(lines), [], "nothing drifted, nothing to warn about");
});

t.test(
  "an operator's retention, limits and subjects survive a worker start; missing subjects are added",
  async (t) => {
    const sms = names.streams.inboundSms;
    const outbound = names.streams.outbound;
    const operatorSubject = `${names.subjects.inboundSms}.replay`;
    // The operator keeps inbound SMS for 90 days, caps it by bytes and messages, shortens the
    // de-duplication window, and routes one more subject into it.
    await jsm.streams.update(sms, {
      max_age: 90 * DAY_NS,
      max_bytes: 8 * 1024 ** 3,
      max_msgs: 50_000_000,
      duplicate_window: 60_000 * NS_PER_MS,
      subjects: [names.subjects.inboundSms, operatorSubject],
    });
    // Unlimited retention on the events stream: the longest of all.
    await jsm.streams.update(names.streams.events, { max_age: 0 });
    // An older version's outbound stream, without the confirmation SMS subject this one needs.
    await jsm.streams.update(outbound, { subjects: [names.subjects.outboundWebhook] });

    const { logger, lines } = createCapturingLogger("streams");
    await ensureStreams(jsm, names, { replicas: 1, logger });

    const smsConfig = (await jsm.streams.info(sms)).config;
    t.equal(smsConfig.max_age, 90 * DAY_NS, "max_age raised by the operator is kept (not back to 7 days)");
    t.equal(smsConfig.max_bytes, 8 * 1024 ** 3, "max_bytes kept");
    t.equal(smsConfig.max_msgs, 50_000_000, "max_msgs kept");
    t.equal(
      smsConfig.duplicate_window,
      60_000 * NS_PER_MS,
      "the operator's duplicate window is not reverted",
    );
    t.same(
      [...smsConfig.subjects].sort(),
      [names.subjects.inboundSms, operatorSubject].sort(),
      "the operator's extra subject is kept",
    );
    t.equal(
      (await jsm.streams.info(names.streams.events)).config.max_age,
      0,
      "unlimited max_age is not shortened to 7 days",
    );
    t.same(
      [...(await jsm.streams.info(outbound)).config.subjects].sort(),
      [names.subjects.outboundWebhook, names.subjects.outboundSms].sort(),
      "the subject this version needs is added",
    );

    const warned = warnings(lines);
    const smsWarning = warned.find((w) => w.stream === sms);
    t.ok(smsWarning, "drift on the inbound SMS stream is logged as a warning naming the stream");
    t.match(smsWarning?.msg ?? "", sms);
    t.same(
      smsWarning?.drift?.map((d) => d.field).sort(),
      ["duplicate_window", "max_age", "max_bytes", "max_msgs"],
      "the warning lists each drifted setting",
    );
    t.same(
      smsWarning?.drift?.find((d) => d.field === "max_age"),
      { field: "max_age", configured: 7 * DAY_NS, actual: 90 * DAY_NS },
    );
    t.ok(
      warned.some(
        (w) =>
          w.stream === names.streams.events && w.drift?.some((d) => d.field === "max_age" && d.actual === 0),
      ),
    );
    t.notOk(
      warned.some((w) => w.stream === outbound),
      "an added subject is not drift",
    );

    // A second start changes nothing and adds no subject again.
    await ensureStreams(jsm, names, { replicas: 1, logger });
    t.same((await jsm.streams.info(sms)).config, smsConfig, "idempotent");
  },
);

t.test(
  "replicas are never changed on an existing stream: a configured R3 on a single server warns instead of failing",
  async (t) => {
    const { logger, lines } = createCapturingLogger("streams");
    // Before guarantee 11, this update tried to turn every stream into R3 and failed on one server.
    await ensureStreams(jsm, names, { replicas: 3, logger });
    for (const stream of Object.values(names.streams))
      t.equal((await jsm.streams.info(stream)).config.num_replicas, 1, `${stream} still R1`);
    const replicaWarnings = warnings(lines).filter((w) =>
      w.drift?.some((d) => d.field === "num_replicas" && d.configured === 3 && d.actual === 1),
    );
    t.equal(
      replicaWarnings.length,
      Object.values(names.streams).length,
      "one warning per stream, configured 3 vs actual 1",
    );
  },
);

t.test("a stream deleted by hand is created again", async (t) => {
  await jsm.streams.delete(names.streams.inboundLink);
  await ensureStreams(jsm, names, { replicas: 1 });
  const info = await jsm.streams.info(names.streams.inboundLink);
  t.same(info.config.subjects, [names.subjects.inboundLink]);
  t.equal(info.config.max_age, 7 * DAY_NS);
});

t.test(
  "ensureDurableConsumer updates ack wait and max deliveries, keeps what the operator tuned",
  async (t) => {
    const durable = names.consumer("streams-test");
    const base = { stream: names.streams.inboundSms, durable, filterSubject: names.subjects.inboundSms };
    await ensureDurableConsumer(jsm, { ...base, ackWaitMs: 5_000, maxDeliver: 3 });
    let config = (await jsm.consumers.info(base.stream, durable)).config;
    t.equal(config.ack_wait, 5_000 * NS_PER_MS);
    t.equal(config.max_deliver, 3);
    t.equal(config.max_ack_pending, 10_000, "created with the default max_ack_pending");

    await jsm.consumers.update(base.stream, durable, { max_ack_pending: 2_000, description: "tuned by ops" });
    await ensureDurableConsumer(jsm, { ...base, ackWaitMs: 7_000, maxDeliver: 4 });
    config = (await jsm.consumers.info(base.stream, durable)).config;
    t.equal(config.ack_wait, 7_000 * NS_PER_MS, "ack wait is ours: updated");
    t.equal(config.max_deliver, 4, "max deliveries is ours: updated");
    t.equal(config.max_ack_pending, 2_000, "the operator's max_ack_pending is kept");
    t.equal(config.description, "tuned by ops", "the operator's description is kept");

    await ensureDurableConsumer(jsm, { ...base, ackWaitMs: 7_000, maxDeliver: 4, maxAckPending: 500 });
    t.equal(
      (await jsm.consumers.info(base.stream, durable)).config.max_ack_pending,
      500,
      "an explicit max_ack_pending is applied",
    );
  },
);
