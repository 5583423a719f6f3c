/** Shared bits of the micro A/B benchmarks: interleaved rounds, medians, a throughput loop. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Runs every variant `rounds` times, interleaved (A B A B ...), and prints each result and the medians. */
export async function abRounds(
  title: string,
  unit: string,
  variants: Record<string, () => Promise<number>>,
  rounds = Number(process.env.ROUNDS ?? 3),
): Promise<Record<string, number>> {
  const results: Record<string, number[]> = {};
  for (let r = 0; r < rounds; r++) {
    for (const [name, run] of Object.entries(variants)) {
      const value = await run();
      (results[name] ??= []).push(value);
    }
  }
  const medians: Record<string, number> = {};
  process.stdout.write(`${title}\n`);
  for (const [name, values] of Object.entries(results)) {
    medians[name] = median(values);
    process.stdout.write(
      `  ${name.padEnd(44)} median ${fmt(medians[name])} ${unit}   (${values.map(fmt).join(", ")})\n`,
    );
  }
  return medians;
}

function fmt(x: number): string {
  return x >= 100 ? Math.round(x).toLocaleString("en-US") : x.toFixed(3);
}

/** Calls `fn` from `concurrency` loops for `ms`; returns units per second. */
export async function rate(ms: number, concurrency: number, fn: () => Promise<number>): Promise<number> {
  const started = performance.now();
  let units = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() - started < ms) {
        const done = await fn();
        units += done;
      }
    }),
  );
  return (units / (performance.now() - started)) * 1000;
}

/** CPU microseconds of this process per call of `fn`, called `n` times back to back. */
export async function cpuPerCall(n: number, fn: (i: number) => Promise<unknown> | unknown): Promise<number> {
  for (let i = 0; i < Math.min(200, n); i++) await fn(i);
  const before = process.cpuUsage();
  for (let i = 0; i < n; i++) await fn(i);
  const used = process.cpuUsage(before);
  return (used.user + used.system) / n;
}
