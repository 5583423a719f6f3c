/**
 * `npm run bench`: every scenario of docs/performance.md against the local NATS, Postgres and
 * Redis, each with its baseline measured in the same run. Progress on stderr, a table on
 * stdout, the figures as JSON in bench/results/<date>.json. See `npm run bench -- --help`.
 */
import pg from "pg";
import { Redis } from "ioredis";
import { connectNats } from "@optout/bus";
import { withDefaultUser, ensureDatabase } from "@optout/store";
import { TEST_NATS_URL, TEST_REDIS_URL } from "@optout/testkit";
import { SkipScenario, type BenchContext, type Scenario } from "./lib/context.js";
import { parseOptions, USAGE, UsageError, type BenchOptions } from "./lib/options.js";
import {
  machineInfo,
  renderTable,
  ScenarioRecorder,
  writeReport,
  type BenchReport,
  type ScenarioResult,
} from "./lib/report.js";
import { singleCheck } from "./scenarios/single-check.js";
import { batchCheck } from "./scenarios/batch-check.js";
import { largeList } from "./scenarios/large-list.js";
import { ingest } from "./scenarios/ingest.js";
import { scale } from "./scenarios/scale.js";
import { bulkCheck } from "./scenarios/bulk-check.js";
import { freshList } from "./scenarios/fresh-list.js";
import { filteredExport, importContacts } from "./scenarios/address-book-hooks.js";

// The large list runs after ingest and scale: seeding and dropping 10M rows leaves Postgres
// writing gigabytes in the background for minutes, which slowed every commit measured after it.
const SCENARIOS: readonly Scenario[] = [
  singleCheck,
  batchCheck,
  bulkCheck,
  freshList,
  ingest,
  scale,
  largeList,
  filteredExport,
  importContacts,
];

async function serverVersions(
  options: BenchOptions,
): Promise<{ natsServer: string; postgres: string; redis: string }> {
  const nc = await connectNats({ servers: TEST_NATS_URL, name: "bench-versions" });
  const natsServer = nc.info?.version ?? "unknown";
  await nc.close();
  await ensureDatabase(options.databaseUrl);
  const client = new pg.Client({ connectionString: withDefaultUser(options.databaseUrl) });
  await client.connect();
  const postgres =
    (await client.query<{ server_version: string }>("SHOW server_version")).rows[0]?.server_version ??
    "unknown";
  await client.end();
  const redis = new Redis(TEST_REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const info = await redis.info("server");
  redis.disconnect();
  return { natsServer, postgres, redis: /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown" };
}

/** Runs the selected scenarios in order; a failing scenario is reported and the others still run. */
export async function runBench(
  options: BenchOptions,
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<{ report: BenchReport; path: string; failed: number }> {
  const started = performance.now();
  const ctx: BenchContext = {
    options,
    progress: (message) =>
      log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)}s] ${message}`),
  };
  ctx.progress(`bench (${options.mode}): ${options.scenarios.join(", ")}`);
  const machine = machineInfo(await serverVersions(options));
  ctx.progress(
    `machine: ${machine.cpus} cpus, ${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB, node ${machine.node}, nats-server ${machine.natsServer}, postgres ${machine.postgres}, redis ${machine.redis}, load ${machine.loadAverageAtStart.join(" ")}`,
  );

  const results: ScenarioResult[] = [];
  let failed = 0;
  for (const scenario of SCENARIOS) {
    if (!options.scenarios.includes(scenario.name)) continue;
    ctx.progress(`${scenario.title}: starting`);
    const rec = new ScenarioRecorder();
    const t = performance.now();
    let skipped: string | undefined;
    try {
      await scenario.run(ctx, rec);
    } catch (err) {
      if (err instanceof SkipScenario) skipped = err.message;
      else {
        failed++;
        skipped = `failed: ${(err as Error).message}`;
        ctx.progress(`${scenario.title}: FAILED ${(err as Error).stack ?? String(err)}`);
      }
    }
    const elapsedMs = performance.now() - t;
    results.push({
      name: scenario.name,
      title: scenario.title,
      figures: rec.figures,
      ratios: rec.ratios,
      checks: rec.checks,
      notes: rec.notes,
      elapsedMs,
      ...(skipped ? { skipped } : {}),
    });
    ctx.progress(`${scenario.title}: ${skipped ?? "done"} in ${(elapsedMs / 1000).toFixed(1)} s`);
  }
  const report: BenchReport = {
    date: new Date().toISOString(),
    mode: options.mode,
    options: { ...options, databaseUrl: undefined },
    machine,
    scenarios: results,
    totalMs: performance.now() - started,
  };
  const path = await writeReport(report, options.outDir);
  ctx.progress(`results written to ${path}`);
  return { report, path, failed };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  let options: BenchOptions | "help";
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`bench: ${err.message}\n\n${USAGE}\n`);
    process.exit(64);
  }
  if (options === "help") {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const { report, failed } = await runBench(options);
  process.stdout.write(`\n${renderTable(report)}\n`);
  for (const s of report.scenarios) for (const n of s.notes) process.stdout.write(`  ${s.title}: ${n}\n`);
  process.exit(failed > 0 ? 1 : 0);
}
