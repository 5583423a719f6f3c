import { availableParallelism } from "node:os";

/** How big and how long: `full` for the published figures, `quick` for a look in under 3 minutes, `smoke` to prove the harness runs. */
export type Mode = "full" | "quick" | "smoke";

export const SCENARIO_NAMES = [
  "single",
  "batch",
  "bulk",
  "fresh",
  "large",
  "ingest",
  "scale",
  "export",
  "import",
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface BenchOptions {
  readonly mode: Mode;
  /** Length of each timed loop (a responder measured, a baseline measured). */
  readonly durationMs: number;
  /** Untimed requests before each timed loop, for the JIT and the connection pools. */
  readonly warmupMs: number;
  /** Recipients per `optout.check` request in the batch scenarios. */
  readonly batchSize: number;
  /** Requests in flight from the client in the batch scenarios. */
  readonly batchInFlight: number;
  /** Opt-outs in the list of the batch scenario and in the small list of the large-list scenario. */
  readonly smallList: number;
  /** Opt-outs in the large list (10M; `--quick` uses 1M and says so). */
  readonly largeList: number;
  /** Non-members checked against the large filter to measure its false-positive rate. */
  readonly fprSample: number;
  /** STOP messages of the ingest throughput run (and of the raw JetStream baseline). */
  readonly messages: number;
  /** Opt-outs published at `latencyRate` per second while the visibility latency is measured. */
  readonly latencyProbes: number;
  readonly latencyRate: number;
  /** Backlog of the scale scenario, and the worker process counts it is drained with. */
  readonly backlog: number;
  readonly scaleProcesses: readonly number[];
  /** Address book: rows imported, contacts in the exported group. */
  readonly importRows: number;
  readonly exportContacts: number;
  readonly importThreads: number;
  readonly scenarios: readonly ScenarioName[];
  /** Directory of `<date>.json`. */
  readonly outDir: string;
  readonly databaseUrl: string;
}

const PRESETS: Record<Mode, Omit<BenchOptions, "mode" | "scenarios" | "outDir" | "databaseUrl">> = {
  full: {
    durationMs: 5_000,
    warmupMs: 1_000,
    batchSize: 1_000,
    batchInFlight: 8,
    smallList: 100_000,
    largeList: 10_000_000,
    fprSample: 1_000_000,
    messages: 40_000,
    latencyProbes: 2_000,
    latencyRate: 500,
    backlog: 40_000,
    scaleProcesses: [1, 2, 4],
    importRows: 200_000,
    exportContacts: 500_000,
    importThreads: Math.max(2, availableParallelism()),
  },
  quick: {
    durationMs: 2_000,
    warmupMs: 1_000,
    batchSize: 1_000,
    batchInFlight: 8,
    smallList: 100_000,
    largeList: 1_000_000,
    fprSample: 200_000,
    messages: 10_000,
    latencyProbes: 500,
    latencyRate: 500,
    backlog: 10_000,
    scaleProcesses: [1, 2, 4],
    importRows: 50_000,
    exportContacts: 100_000,
    importThreads: Math.max(2, availableParallelism()),
  },
  smoke: {
    durationMs: 250,
    warmupMs: 50,
    batchSize: 1_000,
    batchInFlight: 2,
    smallList: 1_000,
    largeList: 5_000,
    fprSample: 5_000,
    messages: 300,
    latencyProbes: 20,
    latencyRate: 100,
    backlog: 300,
    scaleProcesses: [1, 2],
    importRows: 300,
    exportContacts: 300,
    importThreads: 2,
  },
};

export const USAGE = `npm run bench -- [options]

  --quick              smaller sizes and 2 s loops: finishes in under 3 minutes (1M-entry large list)
  --smoke              a few hundred items per scenario, seconds: proves the harness runs
  --scenarios=a,b      run only these (${SCENARIO_NAMES.join(", ")})
  --duration=SECONDS   length of each timed loop (default 5, quick 2, smoke 0.25)
  --large-list=N       opt-outs in the large list (default 10000000, quick 1000000)
  --small-list=N       opt-outs in the batch/small list (default 100000)
  --messages=N         STOP messages of the ingest run (default 40000, quick 10000)
  --backlog=N          backlog drained in the scale scenario (default 40000, quick 10000)
  --processes=1,2,4    worker process counts of the scale scenario
  --in-flight=N        check requests in flight in the batch scenarios (default 8)
  --latency-rate=N     STOP messages per second while the opt-out-to-visible latency is measured (default 500)
  --out=DIR            where <date>.json goes (default bench/results)
  --database-url=URL   Postgres for the bench schemas (default $BENCH_DATABASE_URL or postgres://127.0.0.1:5432/optout_bench)
  --help

NATS and Redis come from NATS_URL / REDIS_URL (defaults 127.0.0.1). Every scenario works in its
own namespace, schema and Redis prefix and removes them when done.`;

export class UsageError extends Error {}

export function parseOptions(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): BenchOptions | "help" {
  const flags = new Map<string, string | true>();
  for (const arg of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`unexpected argument "${arg}"`);
    flags.set(m[1]!, m[2] ?? true);
  }
  if (flags.has("help")) return "help";
  const mode: Mode = flags.has("smoke") ? "smoke" : flags.has("quick") ? "quick" : "full";
  const preset = PRESETS[mode];
  const known = new Set([
    "quick",
    "smoke",
    "scenarios",
    "duration",
    "large-list",
    "small-list",
    "messages",
    "backlog",
    "processes",
    "in-flight",
    "latency-rate",
    "out",
    "database-url",
  ]);
  for (const name of flags.keys()) if (!known.has(name)) throw new UsageError(`unknown option --${name}`);

  const int = (name: string, fallback: number, min = 1): number => {
    const raw = flags.get(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (raw === true || !Number.isSafeInteger(n) || n < min)
      throw new UsageError(`--${name} needs an integer >= ${min}`);
    return n;
  };
  const durationRaw = flags.get("duration");
  let durationMs = preset.durationMs;
  if (durationRaw !== undefined) {
    const s = Number(durationRaw);
    if (durationRaw === true || !(s > 0)) throw new UsageError("--duration needs a number of seconds > 0");
    durationMs = Math.round(s * 1000);
  }
  const list = (name: string): string[] | undefined => {
    const raw = flags.get(name);
    if (raw === undefined) return undefined;
    if (raw === true || raw === "") throw new UsageError(`--${name} needs a comma-separated list`);
    return raw.split(",").map((s) => s.trim());
  };
  const scenarios = list("scenarios") ?? [...SCENARIO_NAMES];
  for (const s of scenarios) {
    if (!(SCENARIO_NAMES as readonly string[]).includes(s))
      throw new UsageError(`unknown scenario "${s}": use ${SCENARIO_NAMES.join(", ")}`);
  }
  const processes = list("processes")?.map((s) => {
    const n = Number(s);
    if (!Number.isSafeInteger(n) || n < 1 || n > 16)
      throw new UsageError("--processes takes counts between 1 and 16");
    return n;
  });
  const out = flags.get("out");
  const db = flags.get("database-url");
  return {
    ...preset,
    mode,
    durationMs,
    warmupMs: Math.min(preset.warmupMs, durationMs),
    largeList: int("large-list", preset.largeList, 1_000),
    smallList: int("small-list", preset.smallList, 100),
    messages: int("messages", preset.messages, 10),
    backlog: int("backlog", preset.backlog, 10),
    batchInFlight: int("in-flight", preset.batchInFlight),
    latencyRate: int("latency-rate", preset.latencyRate),
    scaleProcesses: processes ?? preset.scaleProcesses,
    scenarios: scenarios as ScenarioName[],
    outDir: typeof out === "string" ? out : "bench/results",
    databaseUrl:
      typeof db === "string" ? db : (env.BENCH_DATABASE_URL ?? "postgres://127.0.0.1:5432/optout_bench"),
  };
}
