import type { BloomGeometry } from "./geometry.js";

/**
 * Hashing of identifiers to probes: one block index and a 63-bit mask with k bits set.
 *
 * A 64-bit hash is computed as two 32-bit lanes in one pass over the UTF-8 bytes of the
 * identifier (murmur3-style rounds, different constants per lane, murmur3_x86_128-style
 * cross-mixed finalization). Lane 1 picks the block; the k positions come from a fmix32-scrambled
 * Weyl sequence seeded by both lanes, with repeats rejected, so positions are distinct and
 * close to uniform (plain double hashing mod 63 would allow only 63*36 patterns per block, which
 * alone costs ~0.12% FPR at the load sized for 0.1%).
 *
 * CHANGING ANYTHING HERE CHANGES WHICH BITS AN IDENTIFIER USES: bump HASH_VERSION so filters
 * built by older code are no longer trusted (see `filterSignature`).
 */
export const HASH_VERSION = 1;

/**
 * Probes for a batch: item i uses `perEntry` blocks, entries `i*perEntry .. i*perEntry+perEntry-1`
 * of the arrays (with one block per item, entry i). For each entry, `block` and the mask split
 * as the block is read from Redis: `hi` = positions 0..31 (`BITFIELD GET u32 <block*64>`,
 * position p is value bit 31-p) and `lo` = positions 32..62 (`GET u31 <block*64+32>`, position
 * p is value bit 62-p). An item is in the filter when every one of its blocks covers its masks.
 */
export interface Probes {
  /** Items (identifiers). */
  readonly count: number;
  /** Blocks per item (`geometry.blocksPerEntry`): 1 or 2. */
  readonly perEntry: number;
  readonly block: Uint32Array;
  readonly hi: Uint32Array;
  readonly lo: Uint32Array;
}

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const C3 = 0x85ebca77;
const C4 = 0x9e3779b1;
const SEED1 = 0x2f6b_1c3d;
const SEED2 = 0x5a83_e4c9;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

// The result of the last hash, kept in module state to avoid allocating per identifier.
let out1 = 0;
let out2 = 0;
// Lane state while hashing.
let h1 = 0;
let h2 = 0;

function mixWord(w: number): void {
  let a = Math.imul(w, C1);
  a = (a << 15) | (a >>> 17);
  a = Math.imul(a, C2);
  h1 ^= a;
  h1 = (h1 << 13) | (h1 >>> 19);
  h1 = (Math.imul(h1, 5) + 0xe6546b64) | 0;

  let b = Math.imul(w, C3);
  b = (b << 17) | (b >>> 15);
  b = Math.imul(b, C4);
  h2 ^= b;
  h2 = (h2 << 15) | (h2 >>> 17);
  h2 = (Math.imul(h2, 5) + 0x38495ab5) | 0;
}

function finish(tail: number, tailBytes: number, length: number): void {
  if (tailBytes > 0) {
    let a = Math.imul(tail, C1);
    a = (a << 15) | (a >>> 17);
    h1 ^= Math.imul(a, C2);
    let b = Math.imul(tail, C3);
    b = (b << 17) | (b >>> 15);
    h2 ^= Math.imul(b, C4);
  }
  h1 ^= length;
  h2 ^= length;
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  h1 = fmix32(h1);
  h2 = fmix32(h2);
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  out1 = h1 >>> 0;
  out2 = h2 >>> 0;
}

/** Hashes the UTF-8 encoding of `s` (lone surrogates as U+FFFD, like TextEncoder) into out1/out2. */
function hashString(s: string): void {
  h1 = SEED1;
  h2 = SEED2;
  let word = 0;
  let shift = 0;
  let length = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      word |= c << shift;
      length++;
      if (shift === 24) {
        mixWord(word);
        word = 0;
        shift = 0;
      } else shift += 8;
      continue;
    }
    // Multi-byte UTF-8: rare for E.164 numbers and normalized addresses, kept byte-exact.
    let bytes: number;
    if (c < 0x800) bytes = 2;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
        bytes = 4;
      } else {
        c = 0xfffd;
        bytes = 3;
      }
    } else bytes = 3;
    for (let j = 0; j < bytes; j++) {
      let byte: number;
      if (j === 0) byte = bytes === 2 ? 0xc0 | (c >> 6) : bytes === 3 ? 0xe0 | (c >> 12) : 0xf0 | (c >> 18);
      else byte = 0x80 | ((c >> (6 * (bytes - 1 - j))) & 0x3f);
      word |= byte << shift;
      length++;
      if (shift === 24) {
        mixWord(word);
        word = 0;
        shift = 0;
      } else shift += 8;
    }
  }
  finish(word, shift >>> 3, length);
}

function hashBytesInto(bytes: Uint8Array): void {
  h1 = SEED1;
  h2 = SEED2;
  let word = 0;
  let shift = 0;
  for (const byte of bytes) {
    word |= byte << shift;
    if (shift === 24) {
      mixWord(word);
      word = 0;
      shift = 0;
    } else shift += 8;
  }
  finish(word, shift >>> 3, bytes.length);
}

/** The two 32-bit lanes of an identifier's hash (unsigned). Exposed for tests and tooling. */
export function hash64(identifier: string): [number, number] {
  hashString(identifier);
  return [out1, out2];
}

/** The same hash over raw bytes; `hash64(s)` equals `hash64Bytes(utf8(s))`. */
export function hash64Bytes(bytes: Uint8Array): [number, number] {
  hashBytesInto(bytes);
  return [out1, out2];
}

/** floor(x * n / 2^32) for 32-bit x and n <= 2^26, exact in doubles (Lemire's reduction). */
function reduce(x: number, n: number): number {
  const hi = (x >>> 16) * n;
  const lo = (x & 0xffff) * n;
  return Math.floor((hi + Math.floor(lo / 65536)) / 65536);
}

let maskHi = 0;
let maskLo = 0;

/** Fills maskHi/maskLo with k distinct positions in 0..62 derived from (a, b). */
function positions(a: number, b: number, k: number): void {
  let hi = 0;
  let lo = 0;
  let x = a;
  // Odd, so never 0 mod 2^32: successive x are distinct and the loop always finds k positions.
  const step = b | 1;
  let placed = 0;
  while (placed < k) {
    x = (x + step) | 0;
    // fmix32 output scaled to 0..62: (z >>> 6) * 63 < 2^32, so >>> 26 is an exact floor.
    const p = (((fmix32(x) >>> 6) * 63) >>> 26) | 0;
    if (p < 32) {
      const bit = 1 << (31 - p);
      if ((hi & bit) !== 0) continue;
      hi |= bit;
    } else {
      const bit = 1 << (62 - p);
      if ((lo & bit) !== 0) continue;
      lo |= bit;
    }
    placed++;
  }
  maskHi = hi >>> 0;
  maskLo = lo >>> 0;
}

// Seeds of the second block of a two-block layout, derived from both lanes.
const SECOND_BLOCK = 0x6c8e_9cf5;
const SECOND_STEP = 0x3c6e_f372;

/** Probes for every identifier, in order (see `Probes` for the layout of two-block filters). */
export function computeProbes(identifiers: readonly string[], geometry: BloomGeometry): Probes {
  const count = identifiers.length;
  const perEntry = geometry.blocksPerEntry;
  const block = new Uint32Array(count * perEntry);
  const hi = new Uint32Array(count * perEntry);
  const lo = new Uint32Array(count * perEntry);
  const { blocks, k } = geometry;
  for (let i = 0; i < count; i++) {
    hashString(identifiers[i]!);
    const a = out1;
    const b = out2;
    const e = i * perEntry;
    block[e] = reduce(a, blocks);
    positions(b, a, k);
    hi[e] = maskHi;
    lo[e] = maskLo;
    if (perEntry === 2) {
      // A second block and position sequence, re-mixed from both lanes so that they are
      // independent of the first (the model in geometry.ts assumes it; measured in the tests).
      const a2 = fmix32((a ^ SECOND_BLOCK) + Math.imul(b, 0x9e3779b1)) >>> 0;
      const b2 = fmix32((b ^ SECOND_STEP) + Math.imul(a, 0x85ebca77)) >>> 0;
      block[e + 1] = reduce(a2, blocks);
      positions(b2, a2, k);
      hi[e + 1] = maskHi;
      lo[e + 1] = maskLo;
    }
  }
  return { count, perEntry, block, hi, lo };
}

/** The k bit positions (0..62, ascending) of one identifier inside its block, for tests. */
export function bitPositions(
  identifier: string,
  geometry: BloomGeometry,
): { block: number; positions: number[] } {
  const probes = computeProbes([identifier], geometry);
  const list: number[] = [];
  const hi = probes.hi[0]!;
  const lo = probes.lo[0]!;
  for (let p = 0; p < 32; p++) if ((hi >>> (31 - p)) & 1) list.push(p);
  for (let p = 32; p < 63; p++) if ((lo >>> (62 - p)) & 1) list.push(p);
  return { block: probes.block[0]!, positions: list };
}

/** Absolute bit offsets (block*64 + position) of item i (all its blocks), appended to `target`. */
export function appendBitOffsets(probes: Probes, i: number, target: string[]): void {
  for (let e = i * probes.perEntry; e < (i + 1) * probes.perEntry; e++) {
    const base = probes.block[e]! * 64;
    let hi = probes.hi[e]!;
    while (hi !== 0) {
      const lead = Math.clz32(hi);
      target.push(String(base + lead));
      hi = (hi ^ (0x80000000 >>> lead)) >>> 0;
    }
    let lo = probes.lo[e]!;
    while (lo !== 0) {
      // lo holds positions 32..62 in value bits 30..0; clz32 counts from bit 31.
      const lead = Math.clz32(lo);
      target.push(String(base + 31 + lead));
      lo = (lo ^ (0x80000000 >>> lead)) >>> 0;
    }
  }
}
