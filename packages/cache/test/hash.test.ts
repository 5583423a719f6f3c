import t from "tap";
import { randomBytes } from "node:crypto";
import { bloomGeometry } from "../src/index.js";
import { appendBitOffsets, bitPositions, computeProbes, hash64, hash64Bytes } from "../src/hash.js";
import { bitmapMightContain, covers, setProbes, splitU63 } from "../src/bitmap.js";
import { phoneNumbers, randomEmails } from "./fixtures/helpers.js";

const geometry = bloomGeometry({ expectedEntries: 100_000, falsePositiveRate: 0.001 });

/** Chi-square statistic of observed counts against a uniform expectation. */
function chiSquare(counts: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  const expected = total / counts.length;
  let chi = 0;
  for (let i = 0; i < counts.length; i++) chi += (counts[i]! - expected) ** 2 / expected;
  return chi;
}

/** Loose upper bound for chi-square with `df` degrees of freedom (mean df, sd sqrt(2 df)). */
function chiLimit(df: number): number {
  return df + 6 * Math.sqrt(2 * df);
}

t.test("the hash is the hash of the UTF-8 bytes", async (t) => {
  const samples = [
    "",
    "a",
    "ab",
    "abc",
    "abcd",
    "abcde",
    "+31612345678",
    "jane@example.com",
    "jöhn@exämple.de",
    "用户@例子.广告",
    "emoji😀@example.com",
    "lone\ud800surrogate",
    "trailing\udc00",
    "x".repeat(1000),
  ];
  for (const s of samples)
    t.same(hash64(s), hash64Bytes(new TextEncoder().encode(s)), JSON.stringify(s.slice(0, 20)));
  t.not(hash64("+31612345678")[0], hash64("+31612345679")[0], "neighbours differ");
  t.same(hash64("+31612345678"), hash64("+31612345678"), "deterministic");
});

t.test("positions are k distinct bits within 0..62", async (t) => {
  let bad = 0;
  const ids = [...phoneNumbers(20_000), ...randomEmails(20_000)];
  const offsets: string[] = [];
  const probes = computeProbes(ids, geometry);
  for (let i = 0; i < ids.length; i++) {
    const { block, positions } = bitPositions(ids[i]!, geometry);
    const distinct = new Set(positions);
    if (positions.length !== geometry.k || distinct.size !== geometry.k) bad++;
    if (positions.some((p) => p < 0 || p > 62 || !Number.isInteger(p))) bad++;
    if (block < 0 || block >= geometry.blocks || block !== probes.block[i]) bad++;
    offsets.length = 0;
    appendBitOffsets(probes, i, offsets);
    const expected = positions.map((p) => String(block * 64 + p));
    if (offsets.join() !== expected.join()) bad++;
  }
  t.equal(bad, 0, "every identifier has k distinct in-range positions, offsets agree");
});

t.test("blocks and positions spread uniformly", async (t) => {
  const g = bloomGeometry({ expectedEntries: 1_000, falsePositiveRate: 0.01 });
  t.ok(g.blocks > 100, `${g.blocks} blocks`);
  for (const [name, ids] of [
    ["sequential phone numbers", phoneNumbers(200_000)],
    ["random emails", randomEmails(200_000)],
  ] as const) {
    const probes = computeProbes(ids, g);
    const blockCounts = new Float64Array(g.blocks);
    const positionCounts = new Float64Array(63);
    // Positions must not depend on the block: compare position histograms of even/odd blocks.
    const byParity = [new Float64Array(63), new Float64Array(63)];
    for (let i = 0; i < probes.count; i++) {
      blockCounts[probes.block[i]!]!++;
      for (const p of bitPositions(ids[i]!, g).positions) {
        positionCounts[p]!++;
        byParity[probes.block[i]! & 1]![p]!++;
      }
    }
    const chiBlocks = chiSquare(blockCounts);
    const chiPositions = chiSquare(positionCounts);
    t.ok(
      chiBlocks < chiLimit(g.blocks - 1),
      `${name}: blocks chi2 ${chiBlocks.toFixed(0)} (df ${g.blocks - 1})`,
    );
    t.ok(chiPositions < chiLimit(62), `${name}: positions chi2 ${chiPositions.toFixed(1)} (df 62)`);
    for (const counts of byParity)
      t.ok(chiSquare(counts) < chiLimit(62), `${name}: positions uniform within block parity`);
  }
  // Avalanche: one flipped input bit flips about half of the 64 output bits.
  let flipped = 0;
  let trials = 0;
  for (const id of phoneNumbers(2_000)) {
    const [a1, a2] = hash64(id);
    const other = id.slice(0, -1) + String.fromCharCode(id.charCodeAt(id.length - 1) ^ 1);
    const [b1, b2] = hash64(other);
    flipped += popcount(a1 ^ b1) + popcount(a2 ^ b2);
    trials++;
  }
  const mean = flipped / trials;
  t.ok(mean > 30 && mean < 34, `avalanche: ${mean.toFixed(2)} of 64 bits flip`);
});

function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
}

t.test("measured false-positive rate is close to the target", async (t) => {
  for (const falsePositiveRate of [0.001, 0.01]) {
    const g = bloomGeometry({ expectedEntries: 100_000, falsePositiveRate });
    const members = randomEmails(100_000);
    const others = [...phoneNumbers(50_000, 0, "+4915"), ...randomEmails(50_000)];
    const bitmap = Buffer.alloc(g.bytes);
    setProbes(bitmap, computeProbes(members, g));
    t.notOk(bitmapMightContain(bitmap, computeProbes(members, g)).includes(false), "no false negatives");
    const hits = bitmapMightContain(bitmap, computeProbes(others, g)).filter(Boolean).length;
    const measured = hits / others.length;
    t.comment(
      `target ${falsePositiveRate}: measured FPR ${measured} (${hits}/${others.length}), model ${g.expectedFalsePositiveRate.toExponential(3)}`,
    );
    t.ok(measured <= 2 * falsePositiveRate, `measured ${measured} <= 2 x ${falsePositiveRate}`);
    t.ok(
      measured >= falsePositiveRate / 4,
      `measured ${measured} is not implausibly low (the model is tight)`,
    );
  }
});

t.test("bitmap layout is MSB-first 64-bit blocks", async (t) => {
  const g = bloomGeometry({ expectedEntries: 1_000, falsePositiveRate: 0.01 });
  const id = "+31612345678";
  const { block, positions } = bitPositions(id, g);
  const bitmap = Buffer.alloc(g.bytes);
  setProbes(bitmap, computeProbes([id], g));
  const set: number[] = [];
  for (let bit = 0; bit < g.bytes * 8; bit++) if (bitmap[bit >> 3]! & (0x80 >> (bit & 7))) set.push(bit);
  t.same(
    set,
    positions.map((p) => block * 64 + p),
    "exactly the item's bits, Redis GETBIT offsets",
  );
});

t.test("u63 decimal replies split exactly", async (t) => {
  const words = new Uint32Array(2);
  t.ok(splitU63("9223372036854775807", words));
  t.same([...words], [0xffffffff, 0x7fffffff], "all 63 bits");
  t.ok(splitU63("0", words));
  t.same([...words], [0, 0]);
  t.ok(splitU63(String(2n ** 62n), words), "position 0 only");
  t.same([...words], [0x80000000, 0]);
  t.ok(splitU63("1", words), "position 62 only");
  t.same([...words], [0, 1]);
  t.ok(splitU63(String(2n ** 31n), words), "position 31 only");
  t.same([...words], [1, 0]);
  for (let i = 0; i < 1000; i++) {
    const v = BigInt(`0x${randomBytes(8).toString("hex")}`) >> 1n;
    splitU63(v.toString(), words);
    if (BigInt(words[0]!) !== v >> 31n || BigInt(words[1]!) !== (v & 0x7fffffffn)) t.fail(`split ${v}`);
  }
  t.notOk(splitU63("9223372036854775808", words), "2^63 is out of range");
  t.notOk(splitU63("-1", words));
  t.notOk(splitU63("", words));
  t.ok(covers(0xffffffff, 0x7fffffff, 0x80000001, 0x40000001));
  t.notOk(covers(0x7fffffff, 0x7fffffff, 0x80000000, 0));
  t.notOk(covers(0xffffffff, 0x3fffffff, 0, 0x40000000));
});

t.test("hashing rate (informational)", async (t) => {
  const ids = phoneNumbers(1_000_000);
  computeProbes(ids.slice(0, 10_000), geometry);
  const started = performance.now();
  computeProbes(ids, geometry);
  const ms = performance.now() - started;
  t.comment(`hash + k positions: ${Math.round(ids.length / (ms / 1000)).toLocaleString("en")} identifiers/s`);
  t.pass("measured");
});
