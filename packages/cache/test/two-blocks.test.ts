/**
 * The two-block layout (blocksPerEntry: 2): each identifier sets k bits in each of two
 * independent 64-bit blocks, and a check reads both. Same guarantees as the one-block layout:
 * no false negatives in either read mode, the target FPR, and a signature of its own so that
 * processes with different layouts never trust each other's filters.
 */
import t, { type Test } from "tap";
import { SuppressionFilter, bloomGeometry, filterKeys } from "../src/index.js";
import { computeProbes } from "../src/hash.js";
import { bitmapMightContain, setProbes } from "../src/bitmap.js";
import {
  batchedSource,
  connectFilterClients,
  deleteByPrefix,
  memoryLogger,
  phoneNumbers,
  randomEmails,
  testPrefix,
} from "./fixtures/helpers.js";

const SCOPE = "org:acme";
const CHANNEL = "sms";

const { narrow, wide, admin } = await connectFilterClients((fn) => t.teardown(fn));

function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
}

t.test("geometry: about 2.05 bytes per entry at 0.1%, meeting the target, minimal", async (t) => {
  for (const [expectedEntries, falsePositiveRate] of [
    [100_000, 0.001],
    [1_000_000, 0.001],
    [10_000_000, 0.001],
    [1_000_000, 0.01],
  ] as const) {
    const g = bloomGeometry({ expectedEntries, falsePositiveRate, blocksPerEntry: 2 });
    t.equal(g.blocksPerEntry, 2);
    t.ok(
      g.expectedFalsePositiveRate <= falsePositiveRate,
      `${expectedEntries}@${falsePositiveRate}: model FPR ${g.expectedFalsePositiveRate} <= target`,
    );
    const one = bloomGeometry({ expectedEntries, falsePositiveRate });
    t.ok(
      g.bytes < one.bytes * (falsePositiveRate <= 0.001 ? 0.75 : 0.9),
      `${g.bytes} bytes vs ${one.bytes} with one block per entry`,
    );
    const smaller = bloomGeometry({
      expectedEntries: Math.floor(expectedEntries * 0.99),
      falsePositiveRate,
      blocksPerEntry: 2,
    });
    t.ok(smaller.bytes <= g.bytes, "monotonic in the entries");
  }
  const tenth = bloomGeometry({ expectedEntries: 1_000_000, falsePositiveRate: 0.001, blocksPerEntry: 2 });
  t.equal(tenth.k, 4, "k = 4 bits in each of the two blocks at 0.1%");
  t.ok(tenth.bytes / 1e6 > 2.0 && tenth.bytes / 1e6 < 2.1, `0.1%: ${tenth.bytes / 1e6} bytes/entry`);
  t.throws(
    () => bloomGeometry({ expectedEntries: 1000, falsePositiveRate: 0.01, blocksPerEntry: 3 as never }),
    { name: "ConfigError" },
  );
});

t.test("probes: two blocks per identifier, k distinct in-range bits in each", async (t) => {
  const g = bloomGeometry({ expectedEntries: 100_000, falsePositiveRate: 0.001, blocksPerEntry: 2 });
  const ids = [...phoneNumbers(20_000), ...randomEmails(20_000)];
  const probes = computeProbes(ids, g);
  t.equal(probes.perEntry, 2);
  t.equal(probes.block.length, ids.length * 2);
  let bad = 0;
  let same = 0;
  for (let e = 0; e < probes.block.length; e++) {
    if (probes.block[e]! >= g.blocks) bad++;
    if (popcount(probes.hi[e]!) + popcount(probes.lo[e]!) !== g.k || probes.lo[e]! > 0x7fffffff) bad++;
  }
  for (let i = 0; i < ids.length; i++) if (probes.block[2 * i] === probes.block[2 * i + 1]) same++;
  t.equal(bad, 0, "every block in range with exactly k bits among positions 0..62");
  t.ok(
    same < 5,
    `${same} identifiers drew the same block twice (expected about ${((ids.length / g.blocks) * 1).toFixed(2)})`,
  );
  const one = computeProbes(
    ids.slice(0, 100),
    bloomGeometry({ expectedEntries: 100_000, falsePositiveRate: 0.001 }),
  );
  t.equal(one.perEntry, 1, "the one-block layout is unchanged");
});

t.test("measured false-positive rate is close to the target, no false negatives", async (t) => {
  for (const falsePositiveRate of [0.001, 0.01]) {
    const g = bloomGeometry({ expectedEntries: 100_000, falsePositiveRate, blocksPerEntry: 2 });
    const members = randomEmails(100_000);
    const others = [...phoneNumbers(100_000, 0, "+4915"), ...randomEmails(100_000)];
    const bitmap = Buffer.alloc(g.bytes);
    setProbes(bitmap, computeProbes(members, g));
    t.notOk(bitmapMightContain(bitmap, computeProbes(members, g)).includes(false), "no false negatives");
    const hits = bitmapMightContain(bitmap, computeProbes(others, g)).filter(Boolean).length;
    const measured = hits / others.length;
    t.comment(
      `target ${falsePositiveRate}: measured FPR ${measured} (${hits}/${others.length}), model ${g.expectedFalsePositiveRate.toExponential(3)}`,
    );
    t.ok(measured <= 1.5 * falsePositiveRate, `measured ${measured} <= 1.5 x ${falsePositiveRate}`);
    t.ok(
      measured >= falsePositiveRate / 3,
      `measured ${measured} is not implausibly low (the model is tight)`,
    );
  }
});

t.test("on Redis: rebuild, add and check in both read modes; no false negatives", async (t) => {
  const prefix = testPrefix();
  t.teardown(() => deleteByPrefix(admin, prefix));
  const options = {
    prefix,
    expectedEntries: 100_000,
    falsePositiveRate: 0.001,
    blocksPerEntry: 2 as const,
    checkTimeoutMs: 10_000,
    logger: memoryLogger().logger,
  };
  const filter = new SuppressionFilter(narrow, options);
  const viaU63 = new SuppressionFilter(wide, options);
  const members = phoneNumbers(30_000);
  const result = await filter.rebuild(SCOPE, CHANNEL, batchedSource(members, 5_000));
  t.equal(result.skipped, false);
  t.equal(await filter.sizeBytes(SCOPE, CHANNEL), filter.geometry.bytes);
  const added = randomEmails(2_000);
  await viaU63.add(SCOPE, CHANNEL, added);
  const others = phoneNumbers(20_000, 0, "+4917");
  for (const [mode, f] of [
    ["u32+u31", filter],
    ["u63", viaU63],
  ] as const) {
    for (const [what, ids] of [
      ["rebuilt", members],
      ["added", added],
    ] as const) {
      const answers = await f.mightContain(SCOPE, CHANNEL, ids);
      t.ok(answers, `${mode}: vouches`);
      t.equal(answers?.filter((x) => !x).length, 0, `${mode}: no false negatives among ${what} identifiers`);
    }
    const fp = (await f.mightContain(SCOPE, CHANNEL, others))?.filter(Boolean).length ?? -1;
    t.ok(fp >= 0 && fp <= 40, `${mode}: ${fp} false positives in 20,000`);
  }
  const again = await filter.mightContain(SCOPE, CHANNEL, others);
  t.same(again, await viaU63.mightContain(SCOPE, CHANNEL, others), "both read modes give identical answers");
});

t.test(
  "the layout is part of the signature: one- and two-block processes never trust each other",
  async (t) => {
    const prefix = testPrefix();
    t.teardown(() => deleteByPrefix(admin, prefix));
    const base = {
      prefix,
      expectedEntries: 100_000,
      falsePositiveRate: 0.001,
      checkTimeoutMs: 10_000,
      logger: memoryLogger().logger,
    };
    const two = new SuppressionFilter(wide, { ...base, blocksPerEntry: 2 });
    const one = new SuppressionFilter(wide, base);
    await two.rebuild(SCOPE, CHANNEL, batchedSource(phoneNumbers(1_000), 500));
    t.match(
      await admin.get(filterKeys(prefix, SCOPE, CHANNEL).ready),
      /^v1:b\d+:k4:d2\|[0-9a-f-]{36}$/,
      "ready = <geometry signature with d2>|<generation>",
    );
    t.equal(
      await one.mightContain(SCOPE, CHANNEL, ["+31600000001"]),
      null,
      "a one-block reader does not read a two-block filter",
    );
    t.equal(await one.isReady(SCOPE, CHANNEL), false);
    await one.add(SCOPE, CHANNEL, ["+31600000001"]);
    t.equal(
      await two.mightContain(SCOPE, CHANNEL, ["+31600000001"]),
      null,
      "a write with the other layout drops the marker",
    );
    await one.rebuild(SCOPE, CHANNEL, batchedSource(phoneNumbers(1_000), 500));
    t.equal(
      await two.mightContain(SCOPE, CHANNEL, ["+31600000001"]),
      null,
      "a two-block reader does not read a one-block filter",
    );
  },
);

/** A two-block filter under a prefix of its own, built with one member (+31600000001). */
async function twoBlockFilterOfOne(t: Test): Promise<{ prefix: string; filter: SuppressionFilter }> {
  const prefix = testPrefix();
  t.teardown(() => deleteByPrefix(admin, prefix));
  const filter = new SuppressionFilter(narrow, {
    prefix,
    expectedEntries: 100_000,
    falsePositiveRate: 0.001,
    blocksPerEntry: 2,
    checkTimeoutMs: 10_000,
  });
  await filter.rebuild(SCOPE, CHANNEL, batchedSource(["+31600000001"], 1));
  return { prefix, filter };
}

t.test("a generation published between the two phases of a read makes the check answer null", async (t) => {
  const { prefix, filter } = await twoBlockFilterOfOne(t);
  const keys = filterKeys(prefix, SCOPE, CHANNEL);
  const published = (await admin.get(keys.ready)) ?? "";
  // Phase one reads the marker twice; the third read opens phase two (a member's first block
  // covers it, so there is a phase two). Publish another generation right before it.
  const next: { marker?: string } = {};
  let calls = 0;
  const original = narrow.get.bind(narrow);
  narrow.get = ((key: string) => {
    if (++calls === 3 && next.marker) void narrow.set(keys.ready, next.marker);
    return original(key);
  }) as typeof narrow.get;
  t.teardown(() => {
    narrow.get = original;
  });
  // More identifiers than a one-phase read takes (single checks read both blocks at once).
  const batch = [
    "+31600000001",
    ...Array.from({ length: 40 }, (_, i) => `+3170${String(i).padStart(7, "0")}`),
  ];
  const answered = await filter.mightContain(SCOPE, CHANNEL, batch);
  t.equal(answered?.[0], true, "same generation: answered");
  calls = 0;
  next.marker = `${published.split("|")[0]!}|another-generation`;
  t.equal(await filter.mightContain(SCOPE, CHANNEL, batch), null, "phases saw different generations");
  t.equal(calls, 4, "both phases ran");
});

t.test("a single check reads both blocks in one round trip, bracketed by the marker", async (t) => {
  const { prefix, filter } = await twoBlockFilterOfOne(t);
  let gets = 0;
  const original = narrow.get.bind(narrow);
  narrow.get = ((key: string) => {
    gets++;
    return original(key);
  }) as typeof narrow.get;
  t.teardown(() => {
    narrow.get = original;
  });
  t.same(await filter.mightContain(SCOPE, CHANNEL, ["+31600000001"]), [true], "a member");
  t.equal(gets, 2, "one phase: the marker read before and after the bits, once");
  t.same(await filter.mightContain(SCOPE, CHANNEL, ["+31600000002"]), [false], "a non-member");
  const keys = filterKeys(prefix, SCOPE, CHANNEL);
  await admin.del(keys.live);
  t.equal(await filter.mightContain(SCOPE, CHANNEL, ["+31600000001"]), null, "a lost bitmap: cannot vouch");
});
