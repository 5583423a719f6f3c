/**
 * Before/after of the filter read, 1,000 identifiers per check on a 100k list (1% members):
 * the argument list encoded by ioredis (before) vs the pre-encoded BITFIELD_RO command; and
 * the two-block layout read in one phase (both blocks of every identifier) vs two phases
 * (second blocks only where the first block matched). Client CPU per check and checks/s with 8
 * in flight.
 *   node --conditions=development --import tsx bench/micro/filter-read.ts
 */
import { createRedis, filterKeys, SuppressionFilter, type BlocksPerEntry } from "@optout/cache";
import { computeProbes } from "../../packages/cache/src/hash.js";
import { covers, splitU63 } from "../../packages/cache/src/bitmap.js";
import { readBlocks } from "../../packages/cache/src/read-command.js";
import { checkBatches } from "../lib/check-load.js";
import { member } from "../lib/env.js";
import { abRounds, cpuPerCall, rate } from "./lib.js";

const redis = createRedis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", {
  stringNumbers: true,
  lazyConnect: true,
});
await redis.connect();
const prefix = `micro-filter-${Math.random().toString(36).slice(2, 8)}:`;
const SCOPE = "account:micro";
const members = Array.from({ length: 100_000 }, (_, i) => member(i));
const filters = {} as Record<BlocksPerEntry, SuppressionFilter>;
for (const d of [1, 2] as const) {
  filters[d] = new SuppressionFilter(redis, {
    prefix: `${prefix}d${d}:`,
    expectedEntries: 1_000_000,
    falsePositiveRate: 0.001,
    blocksPerEntry: d,
  });
  await filters[d].rebuild(SCOPE, "sms", async function* () {
    for (let i = 0; i < members.length; i += 10_000) yield members.slice(i, i + 10_000);
  });
}
const batches = checkBatches("micro", {
  count: 64,
  size: 1000,
  listSize: members.length,
  seed: 2,
}).recipients;

/** The read as it was: ioredis encodes ~1,500 arguments per command; every block of every identifier read. */
async function readBefore(
  d: BlocksPerEntry,
  ids: readonly string[],
  encoded: boolean,
): Promise<boolean[] | null> {
  const filter = filters[d];
  const key = filterKeys(`${prefix}d${d}:`, SCOPE, "sms").live;
  const probes = computeProbes(ids, filter.geometry);
  const entries = probes.count * probes.perEntry;
  const sent: Promise<unknown>[] = [redis.get(`${key}:ready`)];
  for (let start = 0; start < entries; start += 512 * d) {
    const end = Math.min(entries, start + 512 * d);
    if (encoded) sent.push(readBlocks(redis, key, probes.block, start, end, true));
    else {
      const args: (string | number)[] = [key];
      for (let e = start; e < end; e++) args.push("GET", "u63", probes.block[e]! * 64);
      sent.push(redis.call("BITFIELD_RO", ...args));
    }
  }
  sent.push(redis.strlen(key), redis.get(`${key}:ready`));
  const replies = await Promise.all(sent);
  if (replies[0] !== replies[replies.length - 1]) return null;
  const answers = new Array<boolean>(probes.count).fill(true);
  const words = new Uint32Array(2);
  let e = 0;
  for (const reply of replies.slice(1, -2) as string[][]) {
    for (const value of reply) {
      if (!splitU63(value, words)) return null;
      const i = Math.floor(e / d);
      answers[i] = answers[i]! && covers(words[0]!, words[1]!, probes.hi[e]!, probes.lo[e]!);
      e++;
    }
  }
  return answers;
}

const variants: Record<string, (ids: readonly string[]) => Promise<unknown>> = {
  "1 block, ioredis-encoded (before)": (ids) => readBefore(1, ids, false),
  "1 block, pre-encoded command (after)": (ids) => filters[1].mightContain(SCOPE, "sms", ids),
  "2 blocks, one phase": (ids) => readBefore(2, ids, true),
  "2 blocks, two phases (after)": (ids) => filters[2].mightContain(SCOPE, "sms", ids),
};
try {
  await abRounds(
    "client CPU per check of 1,000 identifiers (microseconds)",
    "µs",
    Object.fromEntries(
      Object.entries(variants).map(([name, read]) => [
        name,
        () => cpuPerCall(1000, (i) => read(batches[i % 64]!)),
      ]),
    ),
  );
  await abRounds(
    "identifiers checked per second, 8 checks in flight",
    "ids/s",
    Object.fromEntries(
      Object.entries(variants).map(([name, read]) => {
        let i = 0;
        return [name, () => rate(2_000, 8, async () => (await read(batches[i++ % 64]!), 1000))];
      }),
    ),
  );
} finally {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await redis.unlink(...keys);
  } while (cursor !== "0");
  redis.disconnect();
}
