/**
 * Before/after of the exact lookup behind every "maybe" (and the whole answer when the filter
 * cannot vouch): the same `= ANY` query unnamed (planned on every call: with 1,000 values the
 * planner picks a sequential scan of the list) vs named (prepared once per connection, generic
 * plan on the primary key). Batches of 1,000 (4 in flight) and single identifiers (sequential).
 *   node --conditions=development --import tsx bench/micro/pg-lookup.ts
 */
import { createTestEnv } from "@optout/testkit";
import { checkBatches } from "../lib/check-load.js";
import { createAccount, member, prng, seedOptOuts } from "../lib/env.js";
import { Samples } from "../lib/stats.js";
import { abRounds, rate } from "./lib.js";

process.env.TEST_LOG_LEVEL ??= "warn";
const env = await createTestEnv({ name: "micro-pg", overrides: { databasePoolSize: 5 } });
const pool = env.infra.pool;
const TEXT = `SELECT identifier, since FROM optout_state
     WHERE scope = $1 AND channel = $2 AND identifier = ANY($3::text[]) AND status = 'opted_out'`;
try {
  const scope = await createAccount(env, "micro");
  await seedOptOuts(env, scope, 100_000);
  const batches = checkBatches("micro", { count: 64, size: 1000, listSize: 100_000, seed: 2 }).recipients;
  const random = prng(1);
  const singles = Array.from({ length: 200 }, () => [member(Math.floor(random() * 100_000))]);
  const query = (named: boolean, ids: string[]) =>
    pool.query(
      named
        ? { name: "micro-find-opted-out", text: TEXT, values: [scope, "sms", ids] }
        : { text: TEXT, values: [scope, "sms", ids] },
    );
  let i = 0;
  await abRounds("batches of 1,000 identifiers, 4 in flight (identifiers/s)", "ids/s", {
    "unnamed (before)": () => rate(3_000, 4, async () => (await query(false, batches[i++ % 64]!), 1000)),
    "named (after)": () => rate(3_000, 4, async () => (await query(true, batches[i++ % 64]!), 1000)),
  });
  const p50 = async (named: boolean) => {
    const s = new Samples();
    for (let k = 0; k < 2000; k++) {
      const t = performance.now();
      await query(named, singles[k % 200]!);
      s.add(performance.now() - t);
    }
    return s.percentile(50);
  };
  await abRounds("one identifier, sequential (p50 ms)", "ms", {
    "unnamed (before)": () => p50(false),
    "named (after)": () => p50(true),
  });
} finally {
  await env.teardown();
}
