import pg from "pg";
import { withDefaultUser } from "@optout/store";
import type { BenchContext, Scenario } from "../lib/context.js";
import { createAccount, openEnv, serviceEnv } from "../lib/env.js";
import {
  countEvents,
  INGEST_ACCOUNT_SETTINGS,
  publishAll,
  stopMessages,
  waitForAckFloor,
} from "../lib/ingest-load.js";
import { childPids, startService, waitForOutput, type BenchProcess } from "../lib/processes.js";
import { CpuMeter, formatCores } from "../lib/cpu.js";
import type { ScenarioRecorder } from "../lib/report.js";
import { sleep } from "../lib/stats.js";

const ACCOUNT = "bench-scale";

/**
 * One backlog of STOP messages drained by 1, 2 and 4 sms-inbound processes. The backlog is
 * published first; the processes start while a bench transaction holds a lock on the events
 * table, so all of them begin recording at the same moment (the lock's release), which is when
 * the clock starts. Exactly once: events = messages, distinct source ids = messages.
 */
export const scale: Scenario = {
  name: "scale",
  title: "scale",
  async run(ctx: BenchContext, rec: ScenarioRecorder) {
    const { options } = ctx;
    for (const count of options.scaleProcesses) {
      const env = await openEnv(options, `bench-scale-${count}`);
      const { infra } = env;
      const processes: BenchProcess[] = [];
      const gate = new pg.Client({
        connectionString: withDefaultUser(env.config.databaseUrl),
        options: `-c search_path=${env.config.databaseSchema}`,
      });
      try {
        await createAccount(env, ACCOUNT, { settings: INGEST_ACCOUNT_SETTINGS });
        const batch = stopMessages(ACCOUNT, options.backlog, 0);
        const lastSeq = await publishAll(infra.js, infra.names.subjects.inboundSms, batch);
        await gate.connect();
        await gate.query("BEGIN");
        await gate.query("LOCK TABLE optout_events IN EXCLUSIVE MODE");
        for (let i = 0; i < count; i++) processes.push(startService("sms-inbound", serviceEnv(env)));
        for (const p of processes) await waitForOutput(p, "sms-inbound ready");
        // Let every process pull its first window and block on the lock.
        await sleep(500);
        const meter = new CpuMeter(childPids);
        meter.begin();
        const t0 = performance.now();
        await gate.query("COMMIT");
        const done = await waitForAckFloor(
          infra.jsm,
          infra.names.streams.inboundSms,
          infra.names.consumer("sms-inbound"),
          lastSeq,
          {
            onProgress: (acked) => ctx.progress(`scale: ${count} process(es): ${acked} of ${lastSeq} acked`),
          },
        );
        const label = `${count} process${count > 1 ? "es" : ""}`;
        const cores = meter.end();
        rec.cpu(`scale_${count}`, label, cores);
        const rate = rec.figure(
          `scale_${count}_eps`,
          `backlog drained by ${label}: events/s`,
          (options.backlog / (done.at - t0)) * 1000,
          "evt/s",
          count === 1 ? { baseline: true } : {},
        );
        const counted = await countEvents(infra.pool, batch.ids);
        rec.check(
          `${label}: every message recorded exactly once`,
          counted.events === options.backlog && counted.distinct === options.backlog,
        );
        rec.figure(`scale_${count}_redelivered`, `${label}: messages redelivered`, done.redelivered, "msg");
        ctx.progress(
          `scale: ${label}: ${Math.round(rate)} events/s, ${counted.events} events for ${options.backlog} messages (${counted.distinct} distinct), ${done.redelivered} redelivered; cores: ${formatCores(cores)}`,
        );
      } finally {
        await gate.end().catch(() => undefined);
        for (const p of processes) await p.stop();
        await env.teardown();
      }
    }
    const counts = options.scaleProcesses;
    if (counts.includes(1) && counts.includes(2))
      rec.ratio("scale_2_vs_1", "2 processes / 1 process", "scale_2_eps", "scale_1_eps", {
        op: ">=",
        value: 1.6,
      });
    if (counts.includes(2) && counts.includes(4))
      rec.ratio("scale_4_vs_2", "4 processes / 2 processes", "scale_4_eps", "scale_2_eps", {
        op: ">=",
        value: 1,
      });
    rec.note(
      `backlog of ${options.backlog} STOP messages (each a new opt-out, webhook jobs and confirmation SMS on), default worker config`,
    );
  },
};
