/**
 * The filter step of a 10,000-recipient check (services/suppression-check/src/check.ts
 * `lookup`, up to the Postgres confirm) on a 100k-entry list, two blocks per entry:
 * - before erasure existed: the recipients only;
 * - always hashing (the first erasure code): every recipient hashed, both forms in one read;
 * - with ERASURES_FILTER_MARKER, on a list that never had an erasure: the recipients and the
 *   marker in one read, no hashing;
 * - with the marker, on a list that had one: that read, then every recipient hashed and the
 *   erased forms read.
 * Wall time per check, one at a time.
 *   node --conditions=development --import tsx bench/micro/erasure-check.ts
 */
import { createRedis, SuppressionFilter } from "@optout/cache";
import { ERASURES_FILTER_MARKER, erasedIdentifier, withErasureMarker } from "@optout/domain";
import { checkBatches } from "../lib/check-load.js";
import { member } from "../lib/env.js";
import { abRounds } from "./lib.js";

const SECRET = "micro-erasure-secret-0123456789";
const redis = createRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", {
  stringNumbers: true,
  lazyConnect: true,
});
await redis.connect();
const prefix = `micro-erasure-${Math.random().toString(36).slice(2, 8)}:`;
const filter = new SuppressionFilter(redis, {
  prefix,
  expectedEntries: 1_000_000,
  falsePositiveRate: 0.001,
  blocksPerEntry: 2,
});
const members = Array.from({ length: 100_000 }, (_, i) => member(i));
const PLAIN = "account:micro-plain";
const ERASED = "account:micro-erased";
for (const scope of [PLAIN, ERASED]) {
  await filter.rebuild(scope, "sms", async function* () {
    for (let i = 0; i < members.length; i += 10_000) yield members.slice(i, i + 10_000);
  });
}
// One erasure in the second list, as eraseKeepingSuppressed writes it.
await filter.add(ERASED, "sms", withErasureMarker([erasedIdentifier(SECRET, member(7))]));

const checks = checkBatches("micro", {
  count: 16,
  size: 10_000,
  listSize: members.length,
  seed: 3,
}).recipients;
let next = 0;
const nextCheck = () => checks[next++ % checks.length]!;

async function timed(step: (ids: readonly string[]) => Promise<number>): Promise<number> {
  const ids = nextCheck();
  const started = performance.now();
  const candidates = await step(ids);
  if (candidates < 0) throw new Error("unreachable");
  return performance.now() - started;
}

async function recipientsOnly(scope: string, ids: readonly string[]): Promise<number> {
  const maybe = (await filter.mightContain(scope, "sms", ids))!;
  return ids.filter((_, i) => maybe[i]).length;
}

async function alwaysHashing(scope: string, ids: readonly string[]): Promise<number> {
  const erased = ids.map((id) => erasedIdentifier(SECRET, id));
  const maybe = (await filter.mightContain(scope, "sms", [...ids, ...erased]))!;
  let n = 0;
  for (let i = 0; i < ids.length; i++) if (maybe[i] || maybe[ids.length + i]) n++;
  return n;
}

async function withMarker(scope: string, ids: readonly string[]): Promise<number> {
  const maybe = (await filter.mightContain(scope, "sms", [...ids, ERASURES_FILTER_MARKER]))!;
  if (!maybe[ids.length]) return ids.filter((_, i) => maybe[i]).length;
  const erased = ids.map((id) => erasedIdentifier(SECRET, id));
  const erasedMaybe = (await filter.mightContain(scope, "sms", erased))!;
  let n = 0;
  for (let i = 0; i < ids.length; i++) if (maybe[i] || erasedMaybe[i]) n++;
  return n;
}

await abRounds(
  "filter step of a 10,000-recipient check (100k list, 2 blocks per entry)",
  "ms",
  {
    "before erasure (recipients only)": () => timed((ids) => recipientsOnly(PLAIN, ids)),
    "always hashing (first erasure code)": () => timed((ids) => alwaysHashing(PLAIN, ids)),
    "marker, list never erased": () => timed((ids) => withMarker(PLAIN, ids)),
    "marker, list with an erasure": () => timed((ids) => withMarker(ERASED, ids)),
  },
  Number(process.env.ROUNDS ?? 15),
);
// The shared Redis keeps nothing of this run.
for await (const keys of redis.scanStream({ match: `${prefix}*`, count: 100 }))
  if ((keys as string[]).length > 0) await redis.del(...(keys as string[]));
await redis.quit();
