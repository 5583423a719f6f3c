import type { Probes } from "./hash.js";

/**
 * The bitmap in memory, byte-for-byte as Redis stores it (MSB-first): block b is bytes
 * 8b..8b+7, position p of a block is bit 7-(p%8) of byte 8b+(p>>3). Bytes 0..3 of a block,
 * big-endian, are the `u32` read at the block; bytes 4..7 shifted right by one are the `u31`.
 */
export function setProbes(bitmap: Buffer, probes: Probes): void {
  const { block, hi, lo } = probes;
  const entries = probes.count * probes.perEntry;
  for (let i = 0; i < entries; i++) {
    const offset = block[i]! * 8;
    bitmap.writeUInt32BE((bitmap.readUInt32BE(offset) | hi[i]!) >>> 0, offset);
    bitmap.writeUInt32BE((bitmap.readUInt32BE(offset + 4) | (lo[i]! << 1)) >>> 0, offset + 4);
  }
}

/** The in-memory equivalent of a check, for tests and offline tools. */
export function bitmapMightContain(bitmap: Buffer, probes: Probes): boolean[] {
  const out = new Array<boolean>(probes.count);
  for (let i = 0; i < probes.count; i++) {
    let hit = true;
    for (let e = i * probes.perEntry; hit && e < (i + 1) * probes.perEntry; e++) {
      const offset = probes.block[e]! * 8;
      hit = covers(
        bitmap.readUInt32BE(offset),
        bitmap.readUInt32BE(offset + 4) >>> 1,
        probes.hi[e]!,
        probes.lo[e]!,
      );
    }
    out[i] = hit;
  }
  return out;
}

/** True when the block words (u32 of positions 0..31, u31 of 32..62) have every probe bit set. */
export function covers(wordHi: number, wordLo: number, hi: number, lo: number): boolean {
  return (wordHi & hi) >>> 0 === hi && (wordLo & lo) === lo;
}

/**
 * Splits the decimal reply of `BITFIELD_RO GET u63` (a connection with `stringNumbers`) into
 * the u32 word of positions 0..31 and the u31 word of 32..62, exactly: JS numbers cannot hold
 * 63 bits, which is why the default connection reads a block as two fields instead.
 * Returns false when the reply is not a u63 decimal.
 */
export function splitU63(decimal: string, target: Uint32Array): boolean {
  const n = decimal.length;
  if (n === 0 || n > 19) return false;
  let hi = 0; // value div 2^32
  let lo = 0; // value mod 2^32
  for (let i = 0; i < n; i++) {
    const digit = decimal.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return false;
    lo = lo * 10 + digit;
    const carry = Math.floor(lo / 4294967296);
    lo -= carry * 4294967296;
    hi = hi * 10 + carry;
  }
  if (hi >= 2147483648) return false;
  // value bit 62-p holds position p: positions 0..31 are value bits 62..31.
  target[0] = ((hi << 1) | (lo >>> 31)) >>> 0;
  target[1] = lo & 0x7fffffff;
  return true;
}
