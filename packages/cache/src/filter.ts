import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { ConfigError, ConflictError, DependencyUnavailableError, createLogger } from "@optout/core";
import type { Logger } from "@optout/core";
import { bloomGeometry } from "./geometry.js";
import type { BloomGeometry, BlocksPerEntry } from "./geometry.js";
import { HASH_VERSION, appendBitOffsets, computeProbes, type Probes } from "./hash.js";
import { covers, setProbes, splitU63 } from "./bitmap.js";
import { filterKeys, type FilterKeys } from "./keys.js";
import { defineScripts, queueScript, runScript } from "./scripts.js";
import { readBlocks } from "./read-command.js";

export const DEFAULT_CHUNK_SIZE = 512;
/**
 * Up to this many identifiers, a two-block read is done in one phase. The second phase saves
 * Redis work on large batches (only ~3% of the entries need their second block); on a single
 * check it only adds a round trip (~0.13 ms here) to every opted-out answer.
 */
const SINGLE_PHASE_MAX = 16;
export const DEFAULT_CHECK_TIMEOUT_MS = 500;
export const DEFAULT_REBUILD_LOCK_TTL_MS = 60_000;
/** Bit offsets per write script: 4 arguments each, under Lua's unpack() limit of ~8000. */
const MAX_OFFSETS_PER_WRITE = 1_000;
/** The built bitmap goes up in pieces so one command never carries tens of MiB. */
const UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024;
/** At most one warning per filter instance per this many ms while Redis keeps failing. */
const WARN_INTERVAL_MS = 10_000;

export interface SuppressionFilterOptions {
  /** Redis key prefix, e.g. "optout:" (`Names.redisPrefix`). */
  prefix: string;
  /** Entries one (scope, channel) filter is sized for; the same everywhere. */
  expectedEntries: number;
  /** Target false-positive rate at `expectedEntries`, e.g. 0.001. */
  falsePositiveRate: number;
  /** Blocks per identifier (1 or 2, see `BlocksPerEntry`); default 1. The same everywhere. */
  blocksPerEntry?: BlocksPerEntry;
  logger?: Logger;
  /** Identifiers per BITFIELD_RO command; default 512. */
  chunkSize?: number;
  /** A check not answered within this many ms returns null (fall back); default 500. */
  checkTimeoutMs?: number;
  /** Rebuild lock TTL, renewed every third of it while the rebuild runs; default 60 s. */
  lockTtlMs?: number;
}

export interface RebuildResult {
  /** True when another process holds the rebuild lock; nothing was done. */
  skipped: boolean;
  /** Identifiers read from the source (duplicates included). */
  entries: number;
  ms: number;
}

/** How a block is read: one exact `GET u63` needs integer replies as strings. */
export type ReadMode = "u63" | "u32+u31";

/**
 * A blocked bloom filter per (scope, channel) on plain Redis bitmaps, for the fast "not
 * suppressed" answer. It answers only when it can vouch for the answer: a filter that was never
 * built, was flushed, evicted, invalidated, is laid out by a differently configured process, or
 * cannot be read in time answers null, and the caller asks Postgres.
 */
export class SuppressionFilter {
  readonly geometry: BloomGeometry;
  /** `u63` on a `stringNumbers` connection, else `u32+u31` (see README, "Reading a block"). */
  readonly readMode: ReadMode;
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly signature: string;
  private readonly logger: Logger;
  private readonly chunkSize: number;
  private readonly checkTimeoutMs: number;
  private readonly lockTtlMs: number;
  private readonly expectedEntries: number;
  private lastWarnAt = 0;
  private suppressedWarnings = 0;

  constructor(redis: Redis, options: SuppressionFilterOptions) {
    this.geometry = bloomGeometry(options);
    this.chunkSize = positiveInteger("chunkSize", options.chunkSize ?? DEFAULT_CHUNK_SIZE);
    this.checkTimeoutMs = positiveInteger(
      "checkTimeoutMs",
      options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS,
    );
    this.lockTtlMs = positiveInteger("lockTtlMs", options.lockTtlMs ?? DEFAULT_REBUILD_LOCK_TTL_MS);
    this.expectedEntries = options.expectedEntries;
    this.redis = redis;
    this.prefix = options.prefix;
    this.readMode = redis.options.stringNumbers === true ? "u63" : "u32+u31";
    // The one-block layout keeps its original signature, so filters built before stay valid.
    const layout = this.geometry.blocksPerEntry === 1 ? "" : `:d${this.geometry.blocksPerEntry}`;
    this.signature = `v${HASH_VERSION}:b${this.geometry.blocks}:k${this.geometry.k}${layout}`;
    this.logger = options.logger ?? createLogger({ name: "@optout/cache" });
    defineScripts(redis);
  }

  /**
   * Sets the identifiers' bits in the live filter (and, while a rebuild runs, in its tmp key).
   * Each script call is atomic over up to ~1000 bit offsets; calls are pipelined. A failure
   * leaves some identifiers written and some not: the caller retries the whole call (setting a
   * bit twice is harmless) and must not ack before it resolves.
   * @throws DependencyUnavailableError('redis') when Redis fails.
   */
  async add(scope: string, channel: string, identifiers: readonly string[]): Promise<void> {
    const keys = filterKeys(this.prefix, scope, channel);
    if (identifiers.length === 0) return;
    const probes = computeProbes(identifiers, this.geometry);
    const pipeline = this.redis.pipeline();
    const scriptKeys = [keys.live, keys.ready, keys.building, keys.tmp];
    const offsets: string[] = [];
    let args: string[] = [this.signature];
    for (let i = 0; i < probes.count; i++) {
      offsets.length = 0;
      appendBitOffsets(probes, i, offsets);
      if ((args.length - 1) / 4 + offsets.length > MAX_OFFSETS_PER_WRITE) {
        queueScript(pipeline, "optoutBloomAddV1", scriptKeys, args);
        args = [this.signature];
      }
      for (const offset of offsets) args.push("SET", "u1", offset, "1");
    }
    queueScript(pipeline, "optoutBloomAddV1", scriptKeys, args);
    let results: [Error | null, unknown][] | null;
    try {
      results = await pipeline.exec();
    } catch (err) {
      throw redisError(`adding to filter ${scope}/${channel} failed`, err);
    }
    const failed =
      results?.find(([err]) => err !== null)?.[0] ??
      (results === null ? new Error("pipeline discarded") : null);
    if (failed) throw redisError(`adding to filter ${scope}/${channel} failed`, failed);
  }

  /**
   * For each identifier: false = certainly not in the filter, true = maybe (confirm in
   * Postgres). Null when the filter cannot vouch: not built, flushed, evicted, invalidated, built
   * with another geometry, rebuilt during the read, or Redis failed or was too slow (logged).
   *
   * With two blocks per identifier the read has two phases: every first block, then the second
   * block only of the identifiers whose first block covers them (about sqrt(FPR), 3% at 0.1%,
   * plus the members). That keeps the Redis work and client CPU of the two-block layout within
   * a few percent of the one-block layout, for one more round trip when some first block hits.
   * Small reads (SINGLE_PHASE_MAX) read both blocks in one round trip.
   */
  async mightContain(
    scope: string,
    channel: string,
    identifiers: readonly string[],
  ): Promise<boolean[] | null> {
    const keys = filterKeys(this.prefix, scope, channel);
    if (identifiers.length === 0) return [];
    const probes = computeProbes(identifiers, this.geometry);
    if (probes.perEntry === 1) {
      const read = await this.readCovers(keys, scope, channel, probes.block, probes.hi, probes.lo);
      return read && Array.from(read.covered, (c) => c === 1);
    }
    const n = probes.count;
    if (n <= SINGLE_PHASE_MAX) {
      // Small reads (single checks) take both blocks at once: one Redis round trip instead of
      // two for a member or a first-block hit, for one more u63 read per identifier.
      const read = await this.readCovers(keys, scope, channel, probes.block, probes.hi, probes.lo);
      return (
        read &&
        Array.from({ length: n }, (_, i) => read.covered[2 * i] === 1 && read.covered[2 * i + 1] === 1)
      );
    }
    const first = await this.readCovers(keys, scope, channel, ...entries(probes, 0, null));
    if (!first) return null;
    const answers = new Array<boolean>(n).fill(false);
    const candidates: number[] = [];
    for (let i = 0; i < n; i++) if (first.covered[i] === 1) candidates.push(i);
    if (candidates.length === 0) return answers;
    const second = await this.readCovers(keys, scope, channel, ...entries(probes, 1, candidates));
    // Both phases must have read the same published generation.
    if (!second || second.marker !== first.marker) return null;
    for (let j = 0; j < candidates.length; j++) answers[candidates[j]!] = second.covered[j] === 1;
    return answers;
  }

  /**
   * Reads the blocks and tells for each whether it covers its masks (1) or not (0); with the
   * ready marker the read was bracketed by. Null when the filter cannot vouch.
   */
  private async readCovers(
    keys: FilterKeys,
    scope: string,
    channel: string,
    block: Uint32Array,
    hi: Uint32Array,
    lo: Uint32Array,
  ): Promise<{ marker: string; covered: Uint8Array } | null> {
    const count = block.length;
    const u63 = this.readMode === "u63";
    // All commands are written back to back on one connection, so Redis runs them in this
    // order: the marker read before and after the bits brackets them, and a rebuild, flush or
    // invalidation in between is seen. (Plain calls rather than a Pipeline object: same wire
    // behaviour, less client overhead, see README.)
    const sent: Promise<unknown>[] = [this.redis.get(keys.ready)];
    for (let start = 0; start < count; start += this.chunkSize) {
      sent.push(
        readBlocks(this.redis, keys.live, block, start, Math.min(count, start + this.chunkSize), u63),
      );
    }
    // A live key evicted or deleted on its own reads as zeros: its size must be the full size.
    sent.push(this.redis.strlen(keys.live), this.redis.get(keys.ready));

    let replies: unknown[];
    try {
      replies = await withTimeout(Promise.all(sent), this.checkTimeoutMs);
    } catch (err) {
      this.warn(err, scope, channel, "filter check failed: falling back");
      return null;
    }
    const marker = replies[0];
    if (!this.vouches(marker, replies[replies.length - 1], replies[replies.length - 2])) return null;

    const covered = new Uint8Array(count);
    const words = new Uint32Array(2);
    for (let chunk = 0, start = 0; start < count; chunk++, start += this.chunkSize) {
      const reply = replies[chunk + 1];
      const end = Math.min(count, start + this.chunkSize);
      if (!Array.isArray(reply) || reply.length !== (end - start) * (u63 ? 1 : 2)) {
        this.warn(
          new Error("unexpected BITFIELD_RO reply"),
          scope,
          channel,
          "filter check failed: falling back",
        );
        return null;
      }
      for (let i = start; i < end; i++) {
        let wordHi: number;
        let wordLo: number;
        if (u63) {
          const value: unknown = reply[i - start];
          if (typeof value !== "string" || !splitU63(value, words)) return this.badReply(scope, channel);
          wordHi = words[0]!;
          wordLo = words[1]!;
        } else {
          const first: unknown = reply[(i - start) * 2];
          const second: unknown = reply[(i - start) * 2 + 1];
          // Integers above 2^53 would come rounded from ioredis: accept exact u32/u31 only.
          if (
            typeof first !== "number" ||
            typeof second !== "number" ||
            first > 0xffffffff ||
            second > 0x7fffffff
          ) {
            return this.badReply(scope, channel);
          }
          wordHi = first;
          wordLo = second;
        }
        covered[i] = covers(wordHi, wordLo, hi[i]!, lo[i]!) ? 1 : 0;
      }
    }
    return { marker: marker as string, covered };
  }

  /** True when a completed rebuild of this geometry is published and the bitmap is whole. */
  async isReady(scope: string, channel: string): Promise<boolean> {
    const keys = filterKeys(this.prefix, scope, channel);
    try {
      const [ready, size] = await withTimeout(
        Promise.all([this.redis.get(keys.ready), this.redis.strlen(keys.live)]),
        this.checkTimeoutMs,
      );
      return this.vouches(ready, ready, size);
    } catch (err) {
      this.warn(err, scope, channel, "filter readiness check failed");
      return false;
    }
  }

  /**
   * Rebuilds the filter from the authority (see README for why this is race-free):
   * 1. take the lock and set the building flag, clearing any old tmp (one script): from now on
   *    add() also writes tmp;
   * 2. only then read the source, building the bitmap in a Buffer;
   * 3. upload it to a staging key;
   * 4. commit (one script, only if this rebuild still owns lock and flag): tmp |= staging,
   *    RENAME tmp -> live, drop flag, lock and staging, SET ready = new generation.
   * @returns skipped: true when another process holds the lock.
   * @throws DependencyUnavailableError('redis') on Redis failures, ConflictError when the lock
   *   or flag was lost mid-way (lock expired, flush, geometry change); the source's own errors
   *   pass through. Nothing is published in any of these cases.
   */
  async rebuild(
    scope: string,
    channel: string,
    source: () => AsyncIterable<readonly string[]>,
  ): Promise<RebuildResult> {
    const started = performance.now();
    const keys = filterKeys(this.prefix, scope, channel);
    const generation = randomUUID();
    const token = `${this.signature}|${generation}`;
    const staging = keys.staging(generation);

    const began = await this.script(
      "starting a filter rebuild",
      "optoutBloomBeginV1",
      [keys.lock, keys.building, keys.tmp],
      [token, this.lockTtlMs],
    );
    if (Number(began) !== 1) return { skipped: true, entries: 0, ms: elapsed(started) };

    let lost = false;
    const renewal = setInterval(
      () => {
        runScript(this.redis, "optoutBloomRenewV1", [keys.lock, keys.building], [token, this.lockTtlMs]).then(
          (renewed) => {
            if (Number(renewed) !== 1) lost = true;
          },
          // A failed renewal is not fatal by itself: the commit checks ownership anyway.
          (err: unknown) => this.warn(err, scope, channel, "filter rebuild lock renewal failed"),
        );
      },
      Math.max(1, Math.floor(this.lockTtlMs / 3)),
    );
    renewal.unref();

    try {
      const bitmap = Buffer.alloc(this.geometry.bytes);
      let entries = 0;
      for await (const batch of source()) {
        if (lost) throw lostOwnership(scope, channel);
        setProbes(bitmap, computeProbes(batch, this.geometry));
        entries += batch.length;
      }
      if (lost) throw lostOwnership(scope, channel);
      await this.upload(staging, bitmap);
      const committed = Number(
        await this.script(
          "committing a filter rebuild",
          "optoutBloomCommitV1",
          [keys.lock, keys.building, keys.tmp, staging, keys.live, keys.ready],
          [token, this.geometry.bytes],
        ),
      );
      if (committed === -1)
        throw redisError(`staging bitmap of filter ${scope}/${channel} was incomplete`, undefined);
      if (committed !== 1) throw lostOwnership(scope, channel);
      const ms = elapsed(started);
      if (entries > this.expectedEntries) {
        this.logger.warn(
          { scope, channel, entries, blocks: this.geometry.blocks },
          "filter holds more entries than it is sized for: its false-positive rate is above target",
        );
      }
      this.logger.info({ scope, channel, entries, ms, generation }, "filter rebuilt");
      return { skipped: false, entries, ms };
    } catch (err) {
      try {
        await runScript(
          this.redis,
          "optoutBloomAbortV1",
          [keys.lock, keys.building, keys.tmp, staging],
          [token],
        );
      } catch (abortErr) {
        // The lock and flag expire on their own; the filter stays unpublished either way.
        this.warn(abortErr, scope, channel, "filter rebuild cleanup failed");
      }
      throw err;
    } finally {
      clearInterval(renewal);
    }
  }

  /** Drops the readiness marker: checks answer null until the next rebuild. */
  async invalidate(scope: string, channel: string): Promise<void> {
    const keys = filterKeys(this.prefix, scope, channel);
    try {
      await this.redis.del(keys.ready);
    } catch (err) {
      throw redisError(`invalidating filter ${scope}/${channel} failed`, err);
    }
  }

  /** Bytes used by the live bitmap (STRLEN), for metrics; 0 when it does not exist. */
  async sizeBytes(scope: string, channel: string): Promise<number> {
    const keys = filterKeys(this.prefix, scope, channel);
    try {
      return Number(await this.redis.strlen(keys.live));
    } catch (err) {
      throw redisError(`reading the size of filter ${scope}/${channel} failed`, err);
    }
  }

  /** The marker is present, unchanged across the read, of this geometry, and the bitmap whole. */
  private vouches(before: unknown, after: unknown, size: unknown): boolean {
    if (typeof before !== "string" || before !== after) return false;
    if (!before.startsWith(`${this.signature}|`)) return false;
    return Number(size) === this.geometry.bytes;
  }

  private async upload(key: string, bitmap: Buffer): Promise<void> {
    try {
      const pipeline = this.redis.pipeline();
      pipeline.set(key, bitmap.subarray(0, UPLOAD_CHUNK_BYTES), "PX", this.lockTtlMs);
      for (let offset = UPLOAD_CHUNK_BYTES; offset < bitmap.length; offset += UPLOAD_CHUNK_BYTES) {
        pipeline.append(key, bitmap.subarray(offset, offset + UPLOAD_CHUNK_BYTES));
      }
      const results = await pipeline.exec();
      const failed = results?.find(([err]) => err !== null);
      if (results === null || failed) throw failed?.[0] ?? new Error("pipeline discarded");
    } catch (err) {
      throw redisError("uploading a rebuilt filter failed", err);
    }
  }

  private async script(
    what: string,
    name: Parameters<typeof runScript>[1],
    keys: string[],
    args: (string | number)[],
  ): Promise<unknown> {
    try {
      return await runScript(this.redis, name, keys, args);
    } catch (err) {
      throw redisError(what, err);
    }
  }

  private badReply(scope: string, channel: string): null {
    this.warn(new Error("unexpected BITFIELD_RO value"), scope, channel, "filter check failed: falling back");
    return null;
  }

  private warn(err: unknown, scope: string, channel: string, message: string): void {
    const now = Date.now();
    if (now - this.lastWarnAt < WARN_INTERVAL_MS) {
      this.suppressedWarnings++;
      return;
    }
    this.lastWarnAt = now;
    this.logger.warn({ err, scope, channel, suppressed: this.suppressedWarnings }, message);
    this.suppressedWarnings = 0;
  }
}

/** Block, hi and lo of block `which` (0 or 1) of a two-block probe set, for all items or these. */
function entries(
  probes: Probes,
  which: number,
  items: readonly number[] | null,
): [Uint32Array, Uint32Array, Uint32Array] {
  const count = items ? items.length : probes.count;
  const block = new Uint32Array(count);
  const hi = new Uint32Array(count);
  const lo = new Uint32Array(count);
  for (let j = 0; j < count; j++) {
    const e = (items ? items[j]! : j) * 2 + which;
    block[j] = probes.block[e]!;
    hi[j] = probes.hi[e]!;
    lo[j] = probes.lo[e]!;
  }
  return [block, hi, lo];
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ConfigError(`SuppressionFilter ${name} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

function redisError(what: string, cause: unknown): DependencyUnavailableError {
  const detail = cause instanceof Error ? `: ${cause.message}` : "";
  return new DependencyUnavailableError("redis", `${what}${detail}`, { cause });
}

function lostOwnership(scope: string, channel: string): ConflictError {
  return new ConflictError(
    `rebuild of filter ${scope}/${channel} lost its lock or building flag (lock expired, Redis flushed, or a ` +
      "process with another geometry wrote to it); nothing was published: rebuild again",
    { details: { scope, channel } },
  );
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no reply within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
