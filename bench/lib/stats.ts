/** Latency samples in milliseconds, summarized once at the end of a loop. */
export class Samples {
  private values = new Float64Array(1024);
  private n = 0;

  add(ms: number): void {
    if (this.n === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.n++] = ms;
  }

  get count(): number {
    return this.n;
  }

  /** Nearest-rank percentile (p in 0..100); NaN without samples. */
  percentile(p: number): number {
    if (this.n === 0) return Number.NaN;
    const sorted = this.values.slice(0, this.n).sort();
    const rank = Math.min(this.n - 1, Math.max(0, Math.ceil((p / 100) * this.n) - 1));
    return sorted[rank]!;
  }

  summary(): { count: number; p50: number; p99: number; max: number } {
    if (this.n === 0) return { count: 0, p50: Number.NaN, p99: Number.NaN, max: Number.NaN };
    const sorted = this.values.slice(0, this.n).sort();
    const at = (p: number) => sorted[Math.min(this.n - 1, Math.max(0, Math.ceil((p / 100) * this.n) - 1))]!;
    return { count: this.n, p50: at(50), p99: at(99), max: sorted[this.n - 1]! };
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs `inFlight` loops of `once()` back to back until `durationMs` has passed; each call's
 * latency is recorded. Returns the completed calls, the units they carried and the wall time.
 */
export async function timedLoop(
  options: { durationMs: number; inFlight: number },
  once: (i: number) => Promise<number>,
): Promise<{ calls: number; units: number; elapsedMs: number; latency: Samples }> {
  const latency = new Samples();
  const started = performance.now();
  const deadline = started + options.durationMs;
  let next = 0;
  let units = 0;
  const loops = Array.from({ length: options.inFlight }, async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      // Not `units += await ...`: that reads `units` before the await and loses the other loops' additions.
      const done = await once(next++);
      units += done;
      latency.add(performance.now() - t);
    }
  });
  await Promise.all(loops);
  return { calls: latency.count, units, elapsedMs: performance.now() - started, latency };
}
