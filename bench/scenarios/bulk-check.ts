import { connectNats, requestBulkCheck, type NatsConnection } from "@optout/bus";
import { isSuppressed } from "@optout/schemas";
import type { BenchContext, Scenario } from "../lib/context.js";
import { checkBatches, measureCheckRate } from "../lib/check-load.js";
import { buildFilter, createAccount, openEnv, seedOptOuts, serviceEnv } from "../lib/env.js";
import { childPids, startService, waitForOutput, type BenchProcess } from "../lib/processes.js";
import { CpuMeter, formatCores } from "../lib/cpu.js";
import type { ScenarioRecorder } from "../lib/report.js";
import { timedLoop } from "../lib/stats.js";

const TARGET_RATE = 1_000_000;
const PER_REQUEST = 100_000;

/**
 * The compact bulk check (`optout.check.bulk`): packed E.164 numbers, 100,000 per request, 1%
 * opted out, answered by one suppression-check process with a bitmap; the client unpacks it.
 * Baseline in the same run: the JSON check of the same recipients in batches of 1,000.
 */
export const bulkCheck: Scenario = {
  name: "bulk",
  title: "bulk check (binary)",
  async run(ctx: BenchContext, rec: ScenarioRecorder) {
    const { options } = ctx;
    const env = await openEnv(options, "bench-bulk");
    const processes: BenchProcess[] = [];
    let client: NatsConnection | undefined;
    try {
      const scope = await createAccount(env, "bench-bulk");
      await seedOptOuts(env, scope, options.smallList);
      await buildFilter(env, scope);
      const batches = checkBatches("bench-bulk", {
        count: PER_REQUEST / 1000,
        size: 1000,
        listSize: options.smallList,
        seed: 7,
      });
      const numbers = batches.recipients.flat();
      const expected = batches.members * batches.recipients.length;
      const p = startService("suppression-check", serviceEnv(env));
      processes.push(p);
      await waitForOutput(p, "suppression-check ready");
      client = await connectNats({ servers: env.config.natsUrl, name: "bench-bulk-client" });
      const loop = { durationMs: options.durationMs, inFlight: 2 };
      const warm = { durationMs: options.warmupMs, inFlight: 2 };

      await measureCheckRate(client, env.infra.names.subjects.check, batches, {
        ...warm,
        inFlight: options.batchInFlight,
      });
      const json = await measureCheckRate(client, env.infra.names.subjects.check, batches, {
        ...loop,
        inFlight: options.batchInFlight,
      });
      rec.figure(
        "json_rps",
        "JSON check, batches of 1,000: recipients/s",
        json.recipientsPerSecond,
        "rcpt/s",
        { baseline: true },
      );

      let wrong = 0;
      const nc = client;
      const once = async () => {
        const reply = await requestBulkCheck(
          nc,
          env.infra.names.subjects.checkBulk,
          { accountId: "bench-bulk", channel: "sms" },
          numbers,
          {
            inFlight: 1,
          },
        );
        let suppressed = 0;
        for (let i = 0; i < reply.count; i++) if (isSuppressed(reply.bitmap, i)) suppressed++;
        if (suppressed !== expected) wrong++;
        return reply.count;
      };
      await timedLoop(warm, once);
      const meter = new CpuMeter(childPids);
      meter.begin();
      const run = await timedLoop(loop, once);
      const cores = meter.end();
      const rate = rec.figure(
        "bulk_rps",
        "bulk check, 100,000 per request: recipients/s",
        (run.units / run.elapsedMs) * 1000,
        "rcpt/s",
        {
          target: { op: ">=", value: TARGET_RATE },
        },
      );
      rec.cpu("bulk", "1 responder", cores);
      ctx.progress(`bulk check, 1 responder: ${Math.round(rate)} recipients/s; cores: ${formatCores(cores)}`);

      // A second responder (queue group): what the machine gives when one process is the limit.
      const second = startService("suppression-check", serviceEnv(env));
      processes.push(second);
      await waitForOutput(second, "suppression-check ready");
      const loop2 = { ...loop, inFlight: 4 };
      await timedLoop({ ...warm, inFlight: 4 }, once);
      const meter2 = new CpuMeter(childPids);
      meter2.begin();
      const run2 = await timedLoop(loop2, once);
      const cores2 = meter2.end();
      const rate2 = rec.figure(
        "bulk_2_rps",
        "bulk check, 2 responders, 4 requests in flight: recipients/s",
        (run2.units / run2.elapsedMs) * 1000,
        "rcpt/s",
        { target: { op: ">=", value: TARGET_RATE } },
      );
      rec.cpu("bulk_2", "2 responders", cores2);
      rec.ratio("bulk_vs_json", "bulk / JSON check of the same recipients", "bulk_rps", "json_rps");
      rec.ratio("bulk_2_vs_1", "bulk, 2 responders / 1 responder", "bulk_2_rps", "bulk_rps");
      rec.check("every bulk reply suppressed exactly the opted-out ones", wrong === 0);
      rec.note(
        `list of ${options.smallList} opt-outs, ${PER_REQUEST} numbers per bulk request (1% opted out), 2 in flight to 1 responder, 4 to 2; JSON baseline in batches of 1,000`,
      );
      ctx.progress(
        `bulk check: 2 responders ${Math.round(rate2)} recipients/s (JSON ${Math.round(json.recipientsPerSecond)}); cores: ${formatCores(cores2)}`,
      );
    } finally {
      await client?.close();
      for (const p of processes) await p.stop();
      await env.teardown();
    }
  },
};
