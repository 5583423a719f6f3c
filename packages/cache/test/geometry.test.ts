import t from "tap";
import { ConfigError } from "@optout/core";
import {
  blockFalsePositiveTable,
  blockedBloomFalsePositiveRate,
  bloomGeometry,
  BLOCK_DATA_BITS,
} from "../src/index.js";

t.test("geometry meets the target FPR and is minimal", async (t) => {
  for (const falsePositiveRate of [0.01, 0.001, 0.0001]) {
    for (const expectedEntries of [1_000, 100_000, 1_000_000]) {
      const g = bloomGeometry({ expectedEntries, falsePositiveRate });
      const table = blockFalsePositiveTable(g.k);
      const atSize = blockedBloomFalsePositiveRate(table, expectedEntries / g.blocks);
      const oneLess = blockedBloomFalsePositiveRate(table, expectedEntries / (g.blocks - 1));
      t.ok(atSize <= falsePositiveRate, `${expectedEntries}@${falsePositiveRate}: FPR ${atSize} <= target`);
      t.ok(
        oneLess > falsePositiveRate,
        `${expectedEntries}@${falsePositiveRate}: one block fewer misses the target`,
      );
      t.equal(g.bytes, g.blocks * 8);
      t.equal(g.bitsPerEntry, (g.bytes * 8) / expectedEntries);
      t.equal(g.expectedFalsePositiveRate, atSize);
      const fewerBlocksWork = Array.from({ length: 16 }, (_, i) => i + 1).filter(
        (k) =>
          blockedBloomFalsePositiveRate(blockFalsePositiveTable(k), expectedEntries / (g.blocks - 1)) <=
          falsePositiveRate,
      );
      t.same(fewerBlocksWork, [], "no k reaches the target with one block fewer");
    }
  }
});

t.test("the numbers the README quotes", async (t) => {
  const tenth = bloomGeometry({ expectedEntries: 1_000_000, falsePositiveRate: 0.001 });
  const one = bloomGeometry({ expectedEntries: 1_000_000, falsePositiveRate: 0.01 });
  t.equal(tenth.k, 7);
  t.equal(one.k, 5);
  t.ok(tenth.bytes / 1e6 > 2.9 && tenth.bytes / 1e6 < 3.0, `0.1%: ${tenth.bytes / 1e6} bytes/entry`);
  t.ok(one.bytes / 1e6 > 1.45 && one.bytes / 1e6 < 1.55, `1%: ${one.bytes / 1e6} bytes/entry`);
  t.comment(
    `0.1% FPR: k=${tenth.k}, ${(tenth.bytes / 1e6).toFixed(3)} bytes/entry (${tenth.bitsPerEntry.toFixed(2)} bits)`,
  );
  t.comment(
    `1% FPR:   k=${one.k}, ${(one.bytes / 1e6).toFixed(3)} bytes/entry (${one.bitsPerEntry.toFixed(2)} bits)`,
  );
});

t.test("the exact block model agrees with the textbook approximation", async (t) => {
  // The brief's formula: per-block FPR (1-(1-1/63)^(k*j))^k, averaged over Poisson(load).
  const approx = (k: number, load: number) => {
    let pmf = Math.exp(-load);
    let sum = 0;
    for (let j = 0; j < 200; j++) {
      sum += pmf * (1 - (1 - 1 / BLOCK_DATA_BITS) ** (k * j)) ** k;
      pmf *= load / (j + 1);
    }
    return sum;
  };
  for (const [k, load] of [
    [7, 2.67],
    [5, 5.2],
    [3, 1],
  ] as const) {
    const exact = blockedBloomFalsePositiveRate(blockFalsePositiveTable(k), load);
    const ratio = exact / approx(k, load);
    // Distinct positions cover more bits than draws with replacement: the exact model is lower
    // (most for small k, where the approximation's (1-1/63)^(k*j) counts repeats it should not).
    t.ok(
      ratio > 0.6 && ratio <= 1,
      `k=${k} load=${load}: exact ${exact.toExponential(3)} vs approx ${approx(k, load).toExponential(3)}`,
    );
  }
  const table = blockFalsePositiveTable(7);
  t.equal(table[0], 0, "an empty block never matches");
  t.ok(table[1]! > 0 && table[1]! < 1e-6, "one item: only its own 7-subset matches");
  t.ok(
    table.every((p, j) => j === 0 || p >= table[j - 1]!),
    "fuller blocks match more",
  );
  t.ok(table[200]! > 0.99, "a saturated block matches everything");
});

t.test("bad options are configuration errors", async (t) => {
  t.throws(() => bloomGeometry({ expectedEntries: 0, falsePositiveRate: 0.01 }), ConfigError);
  t.throws(() => bloomGeometry({ expectedEntries: 1.5, falsePositiveRate: 0.01 }), ConfigError);
  t.throws(() => bloomGeometry({ expectedEntries: 1000, falsePositiveRate: 0 }), ConfigError);
  t.throws(() => bloomGeometry({ expectedEntries: 1000, falsePositiveRate: 1 }), ConfigError);
  t.throws(() => bloomGeometry({ expectedEntries: 1000, falsePositiveRate: Number.NaN }), ConfigError);
  t.throws(
    () => bloomGeometry({ expectedEntries: 1e9, falsePositiveRate: 0.001 }),
    ConfigError,
    "over 512 MiB",
  );
});
