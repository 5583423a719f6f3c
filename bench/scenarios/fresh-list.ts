import { findOptedOut } from "@optout/store";
import type { BenchContext, Scenario } from "../lib/context.js";
import { checkBatches } from "../lib/check-load.js";
import { createAccount, openEnv, seedOptOuts } from "../lib/env.js";
import type { ScenarioRecorder } from "../lib/report.js";
import { timedLoop } from "../lib/stats.js";

const FRESH_LIST = 50_000;

/**
 * A list filled by a STOP wave and checked before any ANALYZE (autovacuum is off here and lags
 * in production): the Postgres confirm of 1,000 recipients, right after 50,000 opt-outs, then
 * after ANALYZE. The plan must not depend on the statistics (target: >= 0.9 of the analyzed rate).
 */
export const freshList: Scenario = {
  name: "fresh",
  title: "fresh list (no statistics)",
  async run(ctx: BenchContext, rec: ScenarioRecorder) {
    const { options } = ctx;
    const env = await openEnv(options, "bench-fresh");
    try {
      const scope = await createAccount(env, "bench-fresh");
      await seedOptOuts(env, scope, FRESH_LIST);
      const batches = checkBatches("bench-fresh", { count: 32, size: 1000, listSize: FRESH_LIST, seed: 11 });
      const loop = { durationMs: options.durationMs, inFlight: 2 };
      let wrong = 0;
      const once = async (i: number) => {
        const b = batches.recipients[i % batches.recipients.length]!;
        const found = await findOptedOut(env.infra.pool, scope, "sms", b);
        if (found.size !== batches.members) wrong++;
        return b.length;
      };
      // Warm-up on the same batches: the first reads of new rows set their hint bits (a cost of
      // any fresh table, statistics or not), so both runs below read warm pages.
      await timedLoop({ durationMs: options.warmupMs, inFlight: 2 }, once);
      const before = await timedLoop(loop, once);
      const fresh = rec.figure(
        "fresh_rps",
        "confirm before ANALYZE: recipients/s",
        (before.units / before.elapsedMs) * 1000,
        "rcpt/s",
      );
      await env.infra.pool.query("ANALYZE optout_state");
      const after = await timedLoop(loop, once);
      const analyzed = rec.figure(
        "analyzed_rps",
        "confirm after ANALYZE: recipients/s",
        (after.units / after.elapsedMs) * 1000,
        "rcpt/s",
        {
          baseline: true,
        },
      );
      rec.ratio("fresh_vs_analyzed", "before / after ANALYZE", "fresh_rps", "analyzed_rps", {
        op: ">=",
        value: 0.9,
      });
      rec.check("every confirm found exactly the opted-out ones", wrong === 0);
      rec.note(
        `${FRESH_LIST} opt-outs inserted set-based into a new list, batches of 1,000 (1% opted out), 2 in flight`,
      );
      ctx.progress(
        `fresh list: ${Math.round(fresh)} recipients/s before ANALYZE, ${Math.round(analyzed)} after`,
      );
    } finally {
      await env.teardown();
    }
  },
};
