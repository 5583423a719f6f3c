import { findOptedOut } from "@optout/store";
import type { BenchContext, Scenario } from "../lib/context.js";
import { checkBatches } from "../lib/check-load.js";
import {
  checkpoint,
  createAccount,
  explainConfirm,
  openEnv,
  probesPrimaryKey,
  seedOptOuts,
} from "../lib/env.js";
import type { ScenarioRecorder } from "../lib/report.js";
import { timedLoop } from "../lib/stats.js";

const STOP_WAVE = 50_000;
const IMPORT_ROWS = 1_000_000;
const SMOKE_ROWS = 5_000;

/** The two ways a list fills up faster than autovacuum gets to it (which is off on this machine). */
const LISTS = [
  { key: "wave", account: "bench-wave", label: "after a STOP wave", rows: STOP_WAVE },
  { key: "import", account: "bench-import", label: "after an import", rows: IMPORT_ROWS },
] as const;

/**
 * Lists filled faster than statistics follow, checked before any ANALYZE: the Postgres confirm
 * of 1,000 recipients on a list right after 50,000 opt-outs (a STOP wave) and on one right
 * after a 1,000,000-row import, then both after ANALYZE. The plan must not depend on the
 * statistics (target: >= 0.9 of the analyzed rate), and EXPLAIN on the never-analyzed import
 * must show one primary-key probe per identifier.
 */
export const freshList: Scenario = {
  name: "fresh",
  title: "fresh list (no statistics)",
  async run(ctx: BenchContext, rec: ScenarioRecorder) {
    const { options } = ctx;
    const env = await openEnv(options, "bench-fresh");
    try {
      const loop = { durationMs: options.durationMs, inFlight: 2 };
      let wrong = 0;
      const lists = [];
      for (const list of LISTS) {
        const rows = options.mode === "smoke" ? SMOKE_ROWS : list.rows;
        const scope = await createAccount(env, list.account);
        await seedOptOuts(env, scope, rows, undefined, { analyze: false });
        const batches = checkBatches(list.account, { count: 32, size: 1000, listSize: rows, seed: 11 });
        const once = async (i: number) => {
          const b = batches.recipients[i % batches.recipients.length]!;
          const found = await findOptedOut(env.infra.pool, scope, "sms", b);
          if (found.size !== batches.members) wrong++;
          return b.length;
        };
        lists.push({ ...list, rows, scope, once, probe: batches.recipients[0]! });
      }
      // The seeding's writes go out now, not during the first measurement.
      await checkpoint(env.config.databaseUrl);
      // Before any ANALYZE: the statistics know nothing of either list.
      for (const list of lists) {
        const plan = await explainConfirm(env, list.scope, list.probe);
        rec.check(
          `${list.label} (${list.rows.toLocaleString("en-US")} rows), never analyzed: EXPLAIN shows a primary-key probe per identifier`,
          probesPrimaryKey(plan),
        );
        // Warm-up on the same batches: the first reads of new rows set their hint bits (a cost of
        // any fresh table, statistics or not), so both runs read warm pages.
        await timedLoop({ durationMs: options.warmupMs, inFlight: 2 }, list.once);
        const before = await timedLoop(loop, list.once);
        const rps = rec.figure(
          `${list.key}_fresh_rps`,
          `confirm ${list.label}, before ANALYZE: recipients/s`,
          (before.units / before.elapsedMs) * 1000,
          "rcpt/s",
        );
        ctx.progress(`fresh list: ${list.label}: ${Math.round(rps)} recipients/s before ANALYZE`);
      }
      await env.infra.pool.query("ANALYZE optout_state");
      for (const list of lists) {
        const after = await timedLoop(loop, list.once);
        const rps = rec.figure(
          `${list.key}_analyzed_rps`,
          `confirm ${list.label}, after ANALYZE: recipients/s`,
          (after.units / after.elapsedMs) * 1000,
          "rcpt/s",
          { baseline: true },
        );
        rec.ratio(
          `${list.key}_fresh_vs_analyzed`,
          `${list.label}: before / after ANALYZE`,
          `${list.key}_fresh_rps`,
          `${list.key}_analyzed_rps`,
          { op: ">=", value: 0.9 },
        );
        ctx.progress(`fresh list: ${list.label}: ${Math.round(rps)} recipients/s after ANALYZE`);
      }
      rec.check("every confirm found exactly the opted-out ones", wrong === 0);
      rec.note(
        `lists of ${lists.map((l) => l.rows.toLocaleString("en-US")).join(" and ")} opt-outs inserted set-based into new lists without ANALYZE; confirms of 1,000 (1% opted out), 2 in flight`,
      );
    } finally {
      await env.teardown();
    }
  },
};
