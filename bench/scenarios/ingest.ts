import {
  AckPolicy,
  DeliverPolicy,
  RetentionPolicy,
  StorageType,
  type JetStreamClient,
} from "@nats-io/jetstream";
import { connectNats, type NatsConnection } from "@optout/bus";
import type { BenchContext, Scenario } from "../lib/context.js";
import { buildFilter, createAccount, encodeCheck, openEnv, serviceEnv } from "../lib/env.js";
import {
  countEvents,
  INGEST_ACCOUNT_SETTINGS,
  publishAll,
  stopMessages,
  waitForAckFloor,
} from "../lib/ingest-load.js";
import {
  childPids,
  startScript,
  startService,
  waitForOutput,
  workerBatchStats,
  type BenchProcess,
} from "../lib/processes.js";
import { CpuMeter, formatCores } from "../lib/cpu.js";
import { freePort } from "@optout/testkit";
import type { ScenarioRecorder } from "../lib/report.js";
import { Samples, sleep } from "../lib/stats.js";

const ACCOUNT = "bench-ingest";
const NS_PER_MS = 1_000_000;
const CHECK_INTERVAL_MS = 2;

/**
 * STOP messages published to `<ns>.inbound.sms` until recorded and acked by one sms-inbound
 * process (webhook jobs and confirmation SMS on), against the raw JetStream publish+consume of
 * the same payloads; then the opt-out-to-visible latency at a steady rate.
 */
export const ingest: Scenario = {
  name: "ingest",
  title: "ingest",
  async run(ctx: BenchContext, rec: ScenarioRecorder) {
    const { options } = ctx;
    const env = await openEnv(options, "bench-ingest");
    const { infra } = env;
    const processes: BenchProcess[] = [];
    let client: NatsConnection | undefined;
    const rawStream = `${infra.names.namespace.toUpperCase()}_BENCH_RAW`;
    try {
      const scope = await createAccount(env, ACCOUNT, { settings: INGEST_ACCOUNT_SETTINGS });
      await buildFilter(env, scope);

      // Baseline: the same payloads through a stream like the inbound one, consumed and acked raw.
      const rawSubject = `${infra.names.namespace}.bench.raw`;
      await infra.jsm.streams.add({
        name: rawStream,
        subjects: [rawSubject],
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        num_replicas: 1,
        duplicate_window: 120_000 * NS_PER_MS,
      });
      await infra.jsm.consumers.add(rawStream, {
        durable_name: "raw",
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.All,
        ack_wait: 30_000 * NS_PER_MS,
        max_ack_pending: 10_000,
      });
      const raw = startScript("raw-consumer.ts", {
        NATS_URL: env.config.natsUrl,
        RAW_STREAM: rawStream,
        RAW_DURABLE: "raw",
      });
      processes.push(raw);
      await waitForOutput(raw, "raw-consumer ready");
      const rawBatch = stopMessages(ACCOUNT, options.messages, 0);
      let t0 = performance.now();
      let lastSeq = await publishAll(infra.js, rawSubject, rawBatch);
      const rawPublishMs = performance.now() - t0;
      let done = await waitForAckFloor(infra.jsm, rawStream, "raw", lastSeq);
      const rawRate = rec.figure(
        "raw_eps",
        "raw JetStream publish+consume: messages/s",
        (options.messages / (done.at - t0)) * 1000,
        "msg/s",
        { baseline: true },
      );
      rec.figure(
        "raw_publish_eps",
        "raw JetStream publish alone: messages/s",
        (options.messages / rawPublishMs) * 1000,
        "msg/s",
        { baseline: true },
      );
      ctx.progress(
        `ingest: raw JetStream ${Math.round(rawRate)} messages/s end to end (publish alone ${Math.round((options.messages / rawPublishMs) * 1000)}/s)`,
      );
      await raw.stop();

      // The system: one sms-inbound process records, fills the filter, publishes change feed,
      // webhook jobs and confirmations, then acks.
      const metricsPort = await freePort();
      const worker = startService("sms-inbound", serviceEnv(env, { HEALTH_PORT: String(metricsPort) }));
      processes.push(worker);
      await waitForOutput(worker, "sms-inbound ready");
      const batch = stopMessages(ACCOUNT, options.messages, 0);
      const meter = new CpuMeter(childPids);
      meter.begin();
      t0 = performance.now();
      lastSeq = await publishAll(infra.js, infra.names.subjects.inboundSms, batch);
      const publishMs = performance.now() - t0;
      done = await waitForAckFloor(
        infra.jsm,
        infra.names.streams.inboundSms,
        infra.names.consumer("sms-inbound"),
        lastSeq,
        {
          onProgress: (acked) => ctx.progress(`ingest: ${acked} of ${lastSeq} acked`),
        },
      );
      const rate = rec.figure(
        "ingest_eps",
        "STOP -> recorded and acked (1 process): opt-outs/s",
        (options.messages / (done.at - t0)) * 1000,
        "evt/s",
        {
          target: { op: ">=", value: 8_000 },
        },
      );
      const cores = meter.end();
      rec.cpu("ingest", "1 sms-inbound process under load", cores);
      ctx.progress(
        `ingest: ${Math.round(rate)} opt-outs/s end to end (publishing took ${(publishMs / 1000).toFixed(2)} s); cores: ${formatCores(cores)}`,
      );
      const loaded = await workerBatchStats(metricsPort);
      rec.figure(
        "ingest_batch_size",
        "messages per batch (mean, under load)",
        loaded.acked / loaded.batches,
        "msg",
      );
      rec.figure(
        "ingest_batch_ms",
        "batch time (mean, under load)",
        (loaded.seconds / loaded.batches) * 1000,
        "ms",
      );
      rec.ratio("ingest_vs_raw", "ingest / raw JetStream publish+consume", "ingest_eps", "raw_eps", {
        op: ">=",
        value: 0.45,
      });
      const counted = await countEvents(infra.pool, batch.ids);
      rec.check(
        "every message recorded exactly once",
        counted.events === options.messages && counted.distinct === options.messages,
      );
      const outbound = await infra.jsm.streams.info(infra.names.streams.outbound);
      rec.check(
        "a webhook job and a confirmation SMS published per opt-out",
        outbound.state.messages === 2 * options.messages,
      );

      // Opt-out -> visible: a steady rate of STOPs while a client keeps checking the pending
      // numbers against a suppression-check process of its own (as in production).
      const checker = startService("suppression-check", serviceEnv(env));
      processes.push(checker);
      await waitForOutput(checker, "suppression-check ready");
      client = await connectNats({ servers: env.config.natsUrl, name: "bench-client" });
      const visible = await measureVisibility(
        ctx,
        env.infra.js,
        client,
        infra.names.subjects,
        options.latencyProbes,
        options.latencyRate,
      );
      const after = await workerBatchStats(metricsPort);
      const batches = after.batches - loaded.batches;
      rec.figure(
        "visible_batch_size",
        `messages per batch (mean, at ${options.latencyRate}/s)`,
        (after.acked - loaded.acked) / batches,
        "msg",
      );
      rec.figure(
        "visible_batch_ms",
        `batch time (mean, at ${options.latencyRate}/s)`,
        ((after.seconds - loaded.seconds) / batches) * 1000,
        "ms",
      );
      const s = visible.summary();
      rec.figure(
        "visible_p50_ms",
        `opt-out visible to checks: p50 (at ${options.latencyRate}/s)`,
        s.p50,
        "ms",
      );
      rec.figure(
        "visible_p99_ms",
        `opt-out visible to checks: p99 (at ${options.latencyRate}/s)`,
        s.p99,
        "ms",
        { target: { op: "<=", value: 50 } },
      );
      rec.check("every probe became visible", s.count === options.latencyProbes);
      ctx.progress(`ingest: opt-out visible after p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms`);
      rec.note(
        `${options.messages} STOP messages, each from its own number (every one a new opt-out), published with ${256} publishes in flight while one sms-inbound process (default config: MAX_IN_FLIGHT 1,024, batches of up to 512, pool 5) consumes; webhook jobs and confirmation SMS on; time from the first publish to the last ack`,
      );
      rec.note(
        `visibility: publish time -> reply time of the first check that reports the number suppressed (conservative), a check every ${CHECK_INTERVAL_MS} ms from one client to a suppression-check process`,
      );
    } finally {
      await client?.close();
      for (const p of processes) await p.stop();
      await infra.jsm.streams.delete(rawStream).catch(() => undefined);
      await env.teardown();
    }
  },
};

async function measureVisibility(
  ctx: BenchContext,
  js: JetStreamClient,
  nc: NatsConnection,
  subjects: { inboundSms: string; check: string },
  probes: number,
  ratePerSecond: number,
): Promise<Samples> {
  const latency = new Samples();
  const batch = stopMessages(ACCOUNT, probes, 5_000_000);
  const pending = new Map<string, number>();
  let publishing = true;
  const interval = 1000 / ratePerSecond;
  const publisher = (async () => {
    const start = performance.now();
    const acks: Promise<unknown>[] = [];
    for (let i = 0; i < probes; i++) {
      const due = start + i * interval;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      pending.set(batch.numbers[i]!, performance.now());
      acks.push(js.publish(subjects.inboundSms, batch.bodies[i]!, { msgID: batch.ids[i]! }));
    }
    await Promise.all(acks);
    publishing = false;
  })();
  const deadline = performance.now() + (probes / ratePerSecond) * 1000 + 30_000;
  while (publishing || pending.size > 0) {
    if (performance.now() > deadline) break;
    if (pending.size === 0) {
      await sleep(1);
      continue;
    }
    // One check every CHECK_INTERVAL_MS: the resolution of the measurement, without the
    // checker loading the machine it measures (a check per millisecond took a third of a core).
    const pace = sleep(CHECK_INTERVAL_MS);
    const numbers = [...pending.keys()].slice(0, 1000);
    const msg = await nc.request(subjects.check, encodeCheck(ACCOUNT, numbers), { timeout: 10_000 });
    const replied = performance.now();
    const reply = msg.json<{ results?: Array<{ identifier?: string; suppressed: boolean }> }>();
    if (!reply.results) throw new Error(`check failed: ${msg.string()}`);
    for (const r of reply.results) {
      if (!r.suppressed || !r.identifier) continue;
      const sent = pending.get(r.identifier);
      if (sent === undefined) continue;
      latency.add(replied - sent);
      pending.delete(r.identifier);
    }
    await pace;
  }
  await publisher;
  if (pending.size > 0) ctx.progress(`ingest: ${pending.size} probes never became visible`);
  return latency;
}
