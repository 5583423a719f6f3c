import { connectNats, type NatsConnection } from "@optout/bus";
import { filterKeys } from "@optout/cache";
import { findOptedOut } from "@optout/store";
import type { BenchContext, Scenario } from "../lib/context.js";
import { checkBatches, measureCheckRate } from "../lib/check-load.js";
import { buildFilter, createAccount, openEnv, seedOptOuts, serviceEnv } from "../lib/env.js";
import { childPids, startScript, startService, waitForOutput, type BenchProcess } from "../lib/processes.js";
import { CpuMeter, formatCores } from "../lib/cpu.js";
import type { ScenarioRecorder } from "../lib/report.js";
import { timedLoop } from "../lib/stats.js";

const BATCHES = 64;
const TARGET_RATE = 400_000;

/**
 * Batches of 1,000 E.164 recipients (1% opted out) through `optout.check`, answered by 1 and
 * then 2 suppression-check processes; baselines: the same lookup by Postgres alone (`= ANY`)
 * and the raw Redis filter read, both from this process with the same requests in flight.
 */
export const batchCheck: Scenario = {
  name: "batch",
  title: "batch check",
  async run(ctx: BenchContext, rec: ScenarioRecorder) {
    const { options } = ctx;
    const env = await openEnv(options, "bench-batch");
    const processes: BenchProcess[] = [];
    let client: NatsConnection | undefined;
    try {
      const scope = await createAccount(env, "bench-batch");
      await seedOptOuts(env, scope, options.smallList);
      const built = await buildFilter(env, scope);
      ctx.progress(`batch check: ${options.smallList} opt-outs seeded, filter built in ${built.ms} ms`);
      const batches = checkBatches("bench-batch", {
        count: BATCHES,
        size: options.batchSize,
        listSize: options.smallList,
        seed: 2,
      });
      const loop = { durationMs: options.durationMs, inFlight: options.batchInFlight };
      const warm = { durationMs: options.warmupMs, inFlight: options.batchInFlight };

      // Baseline 1: Postgres alone, on identifiers already normalized.
      let pgWrong = 0;
      const pgOnce = async (i: number) => {
        const b = batches.recipients[i % BATCHES]!;
        const found = await findOptedOut(env.infra.pool, scope, "sms", b);
        if (found.size !== batches.members) pgWrong++;
        return b.length;
      };
      await timedLoop(warm, pgOnce);
      const pgRun = await timedLoop(loop, pgOnce);
      const pgRate = rec.figure(
        "postgres_rps",
        "Postgres alone (= ANY): recipients/s",
        (pgRun.units / pgRun.elapsedMs) * 1000,
        "rcpt/s",
        { baseline: true },
      );
      ctx.progress(`batch check: Postgres alone ${Math.round(pgRate)} recipients/s`);

      // Baseline 2: the raw filter read (hash + BITFIELD_RO + markers) from this process.
      let misses = 0;
      const filterOnce = async (i: number) => {
        const b = batches.recipients[i % BATCHES]!;
        const maybe = await env.infra.filter.mightContain(scope, "sms", b);
        if (!maybe) throw new Error("the filter could not vouch");
        let positives = 0;
        for (const m of maybe) if (m) positives++;
        if (positives < batches.members) misses++;
        return b.length;
      };
      await timedLoop(warm, filterOnce);
      const filterRun = await timedLoop(loop, filterOnce);
      const filterRate = rec.figure(
        "filter_rps",
        "raw Redis filter read: recipients/s",
        (filterRun.units / filterRun.elapsedMs) * 1000,
        "rcpt/s",
        { baseline: true },
      );
      ctx.progress(`batch check: raw filter read ${Math.round(filterRate)} recipients/s`);

      client = await connectNats({ servers: env.config.natsUrl, name: "bench-client" });

      // Baseline 3: the JSON floor, a responder process that only parses and answers.
      const floorSubject = `${env.infra.names.namespace}.bench.floor`;
      const floor = startScript("json-floor.ts", {
        NATS_URL: env.config.natsUrl,
        FLOOR_SUBJECT: floorSubject,
      });
      processes.push(floor);
      await waitForOutput(floor, "json-floor ready");
      await measureCheckRate(client, floorSubject, batches, warm);
      const floorRun = await measureCheckRate(client, floorSubject, batches, loop);
      await floor.stop();
      processes.splice(processes.indexOf(floor), 1);
      rec.figure(
        "json_floor_rps",
        "JSON floor (1 responder that only parses and answers): recipients/s",
        floorRun.recipientsPerSecond,
        "rcpt/s",
        { baseline: true },
      );
      ctx.progress(`batch check: JSON floor ${Math.round(floorRun.recipientsPerSecond)} recipients/s`);
      let wrong = 0;
      for (const count of [1, 2]) {
        while (processes.length < count) {
          const p = startService("suppression-check", serviceEnv(env));
          processes.push(p);
          await waitForOutput(p, "suppression-check ready");
        }
        await measureCheckRate(client, env.infra.names.subjects.check, batches, warm);
        const meter = new CpuMeter(childPids);
        meter.begin();
        const r = await measureCheckRate(client, env.infra.names.subjects.check, batches, loop);
        const cores = meter.end();
        wrong += r.wrong;
        const label = `${count} responder${count > 1 ? "s" : ""}`;
        rec.figure(
          `check_${count}_rps`,
          `check over NATS, ${label}: recipients/s`,
          r.recipientsPerSecond,
          "rcpt/s",
          { target: { op: ">=", value: TARGET_RATE } },
        );
        rec.figure(`check_${count}_p50_ms`, `check over NATS, ${label}: p50 per batch`, r.p50, "ms");
        rec.cpu(`check_${count}`, label, cores);
        ctx.progress(
          `batch check: ${label}: ${Math.round(r.recipientsPerSecond)} recipients/s, p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms; cores: ${formatCores(cores)}`,
        );
      }
      // The same end-to-end check with the filter held back: no ready marker and the rebuild lock
      // taken, so the responders answer from Postgres alone (their fallback path).
      const keys = filterKeys(env.infra.names.redisPrefix, scope, "sms");
      await env.infra.redis.set(keys.lock, "bench: filter held back", "PX", 600_000);
      await env.infra.filter.invalidate(scope, "sms");
      await measureCheckRate(client, env.infra.names.subjects.check, batches, warm);
      const fallbackMeter = new CpuMeter(childPids);
      fallbackMeter.begin();
      const fallback = await measureCheckRate(client, env.infra.names.subjects.check, batches, loop);
      rec.cpu("check_2_pg_only", "2 responders, Postgres only", fallbackMeter.end());
      wrong += fallback.wrong;
      rec.figure(
        "check_2_pg_only_rps",
        "check over NATS, 2 responders, Postgres only (filter held back): recipients/s",
        fallback.recipientsPerSecond,
        "rcpt/s",
        { baseline: true },
      );
      ctx.progress(
        `batch check: 2 responders, Postgres only: ${Math.round(fallback.recipientsPerSecond)} recipients/s`,
      );
      await env.infra.redis.del(keys.lock);

      rec.ratio(
        "check_1_vs_postgres",
        "check (1 responder) / Postgres alone",
        "check_1_rps",
        "postgres_rps",
        { op: ">=", value: 20 },
      );
      rec.ratio(
        "check_2_vs_postgres",
        "check (2 responders) / Postgres alone",
        "check_2_rps",
        "postgres_rps",
        { op: ">=", value: 20 },
      );
      rec.ratio(
        "check_2_vs_pg_only",
        "check (2 responders) / the same check from Postgres only",
        "check_2_rps",
        "check_2_pg_only_rps",
      );
      rec.ratio("check_1_vs_floor", "check (1 responder) / JSON floor", "check_1_rps", "json_floor_rps", {
        op: ">=",
        value: 0.7,
      });
      rec.ratio("check_1_vs_filter", "check (1 responder) / raw filter read", "check_1_rps", "filter_rps");
      rec.ratio("check_2_vs_1", "2 responders / 1 responder", "check_2_rps", "check_1_rps");
      rec.check(
        "every reply had one result per recipient and exactly the opted-out ones suppressed",
        wrong === 0,
      );
      rec.check("Postgres found exactly the opted-out ones", pgWrong === 0);
      rec.check("the filter had no false negative", misses === 0);
      rec.note(
        `list of ${options.smallList} opt-outs, batches of ${options.batchSize} (1% opted out), ${options.batchInFlight} requests in flight from one client process that also parses every reply; responders are spawned suppression-check processes`,
      );
    } finally {
      await client?.close();
      for (const p of processes) await p.stop();
      await env.teardown();
    }
  },
};
