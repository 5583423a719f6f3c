/**
 * Soak: the whole system in this process (the workers of test/helpers/system.ts, on an isolated
 * namespace and schema that are removed at the end) under a steady load for a long time:
 *
 * - STOPs published on the inbound SMS subject at SOAK_RATE per second (default 400), each from
 *   its own number, for SOAK_SECONDS (default 600);
 * - single-recipient `optout.check` requests at SOAK_CHECK_RATE per second (default 200);
 * - a few STOPs per second (SOAK_VISIBILITY_SAMPLES, default 5) followed from the publish until
 *   a check sees them suppressed: the ingest latency a sender sees;
 * - RSS sampled every 10 s.
 *
 * After the load, the workers get up to SOAK_DRAIN_SECONDS (default 600) to work off a backlog;
 * then the STOPs are counted in Postgres. The report: RSS at start (after a warm-up) and end and
 * its growth, p50/p99 per minute of the visible ingest latency and of the check latency, and how
 * many STOPs were lost or recorded twice. Exit 0 when RSS grew less than 10% and every STOP
 * was recorded exactly once. The JSON report goes to bench/results/soak-<timestamp>.json.
 *
 *   npm run soak                                # 10 minutes
 *   SOAK_SECONDS=120 SOAK_RATE=400 npm run soak
 */
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism, loadavg } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { headers as natsHeaders } from "@nats-io/nats-core";
import { readinessOf } from "@optout/runtime";
import type { CheckReply, ErrorReply } from "@optout/schemas";
import { REPO_ROOT } from "@optout/testkit";
import { startSystem } from "../test/helpers/system.js";

function numberEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) {
    process.stderr.write(`soak: ${name} must be a non-negative number, got "${raw}"\n`);
    process.exit(78);
  }
  return value;
}

const RATE = numberEnv("SOAK_RATE", 400);
const SECONDS = numberEnv("SOAK_SECONDS", 600);
const CHECK_RATE = numberEnv("SOAK_CHECK_RATE", 200);
const VISIBILITY_SAMPLES = numberEnv("SOAK_VISIBILITY_SAMPLES", 5);
const RSS_INTERVAL_MS = 10_000;
const MAX_RSS_GROWTH = 0.1;
/** Publishes awaiting their JetStream ack, at most; beyond that the generator counts itself behind. */
const PUBLISH_WINDOW = 2_000;
const CHECK_WINDOW = 256;
const VISIBLE_TIMEOUT_MS = 30_000;
/** After the load, how long the workers may take to work off a backlog before the counting. */
const DRAIN_SECONDS = numberEnv("SOAK_DRAIN_SECONDS", 600);
const TICK_MS = 20;

// The capturing logger of the test environment keeps its lines in memory: warnings and errors
// only, so a quiet system does not grow for it (how many there were is in the report).
process.env.TEST_LOG_LEVEL ??= "warn";

class Samples {
  private readonly values: number[] = [];
  add(ms: number): void {
    this.values.push(ms);
  }
  summary(): { count: number; p50: number | null; p99: number | null; max: number | null } {
    const n = this.values.length;
    if (n === 0) return { count: 0, p50: null, p99: null, max: null };
    const sorted = Float64Array.from(this.values).sort();
    const at = (p: number) => round(sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]!);
    return { count: n, p50: at(50), p99: at(99), max: round(sorted[n - 1]!) };
  }
}

/** Samples per minute of the run (minute 0 is the first). */
class PerMinute {
  private readonly minutes: Samples[] = [];
  add(elapsedMs: number, ms: number): void {
    const m = Math.floor(elapsedMs / 60_000);
    (this.minutes[m] ??= new Samples()).add(ms);
  }
  report(): { minute: number; count: number; p50: number | null; p99: number | null; max: number | null }[] {
    return Array.from({ length: this.minutes.length }, (_, m) => ({
      minute: m + 1,
      ...(this.minutes[m] ?? new Samples()).summary(),
    }));
  }
}

const round = (ms: number) => Math.round(ms * 100) / 100;
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const encoder = new TextEncoder();
const log = (line: string) => process.stdout.write(`${line}\n`);

/** The number of the i-th STOP: each its own, so each STOP is its own opt-out. */
const stopNumber = (i: number) => `+3161${String(i).padStart(7, "0")}`;
/** Numbers that never opt out: a check of one must answer not_opted_out. */
const neverNumber = (i: number) => `+3162${String(i % 10_000_000).padStart(7, "0")}`;

log(
  `soak: ${RATE} STOP/s and ${CHECK_RATE} checks/s for ${SECONDS} s, ${VISIBILITY_SAMPLES} visibility samples/s`,
);
const rssBeforeStart = process.memoryUsage().rss;
const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100);
// The pool size of a production process (DATABASE_POOL_SIZE default), not the tests' smaller one.
const system = await startSystem({ name: "soak", overrides: { databasePoolSize: 5 } });
const { infra } = system.env;
const { names } = infra;
await system.account("acme-nl", "acme");
const schema = system.env.config.databaseSchema;

let stopping = false;
process.once("SIGINT", () => {
  log("soak: interrupted, finishing early");
  stopping = true;
});

// ---------------------------------------------------------------------------------------------
// Load.

const started = performance.now();
const elapsed = () => performance.now() - started;
const durationMs = SECONDS * 1000;

let published = 0;
let publishAcked = 0;
let publishFailed = 0;
let publishBehind = 0;
let publishInFlight = 0;
const visible = new PerMinute();
let visibilityTimeouts = 0;
let visibilityInFlight = 0;

let checksSent = 0;
let checksAnswered = 0;
let checkErrors = 0;
let checksWrong = 0;
let checkBehind = 0;
let checkInFlight = 0;
const checkLatency = new PerMinute();

const rss: { atSeconds: number; rssMb: number; heapUsedMb: number }[] = [];
let notReadySamples = 0;

async function check(recipient: string): Promise<CheckReply["results"][number] | undefined> {
  const msg = await infra.nc.request(
    names.subjects.check,
    encoder.encode(JSON.stringify({ accountId: "acme-nl", channel: "sms", recipients: [recipient] })),
    { timeout: 10_000 },
  );
  const reply = msg.json<CheckReply | ErrorReply>();
  if ("error" in reply) throw new Error(`${reply.error.code}: ${reply.error.message}`);
  return reply.results[0];
}

/** Poll checks until the opt-out is visible; the latency counts from before the publish. */
async function followVisibility(number: string, publishedAt: number): Promise<void> {
  visibilityInFlight++;
  try {
    const deadline = publishedAt + VISIBLE_TIMEOUT_MS;
    while (performance.now() < deadline) {
      const result = await check(number).catch(() => undefined);
      if (result?.reason === "opted_out") {
        visible.add(publishedAt - started, performance.now() - publishedAt);
        return;
      }
      await sleep(5);
    }
    visibilityTimeouts++;
  } finally {
    visibilityInFlight--;
  }
}

async function publishStop(i: number, follow: boolean): Promise<void> {
  const id = `soak-${i}`;
  const number = stopNumber(i);
  const body = encoder.encode(
    JSON.stringify({
      id,
      accountId: "acme-nl",
      from: number,
      to: "3010",
      text: "STOP",
      receivedAt: new Date().toISOString(),
    }),
  );
  const at = performance.now();
  publishInFlight++;
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await infra.js.publish(names.subjects.inboundSms, body, {
          msgID: id,
          headers: natsHeaders(),
          timeout: 10_000,
        });
        publishAcked++;
        break;
      } catch (err) {
        if (attempt >= 5) {
          publishFailed++;
          log(`soak: publish of ${id} failed: ${(err as Error).message}`);
          return;
        }
        await sleep(100 * attempt);
      }
    }
  } finally {
    publishInFlight--;
  }
  if (follow) void followVisibility(number, at);
}

async function oneCheck(i: number): Promise<void> {
  checkInFlight++;
  // Half the checks ask about a number that opted out (already published), half about one that never will.
  const member = i % 2 === 0 && published > 0;
  const recipient = member ? stopNumber(Math.floor(Math.random() * published)) : neverNumber(i);
  const at = performance.now();
  try {
    const result = await check(recipient);
    checkLatency.add(at - started, performance.now() - at);
    checksAnswered++;
    if (!member && result?.reason !== "not_opted_out") checksWrong++;
  } catch {
    checkErrors++;
  } finally {
    checkInFlight--;
  }
}

const rssTimer = setInterval(() => {
  const m = process.memoryUsage();
  rss.push({ atSeconds: Math.round(elapsed() / 1000), rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed) });
  if (!readinessOf(system.workers).ready) notReadySamples++;
  log(
    `soak: ${Math.round(elapsed() / 1000)} s  published ${published} (acked ${publishAcked})  checks ${checksAnswered}  rss ${mb(m.rss)} MB  heap ${mb(m.heapUsed)} MB`,
  );
}, RSS_INTERVAL_MS);

const visibilityEvery = VISIBILITY_SAMPLES > 0 ? Math.max(1, Math.round(RATE / VISIBILITY_SAMPLES)) : 0;
let nextVisibilityAt = 0;
while (!stopping && elapsed() < durationMs) {
  const now = elapsed();
  const stopsDue = Math.floor((now / 1000) * RATE);
  while (published < stopsDue) {
    if (publishInFlight >= PUBLISH_WINDOW) {
      publishBehind += stopsDue - published;
      published = stopsDue; // what was not sent is counted, not sent late
      break;
    }
    const i = published++;
    const follow =
      visibilityEvery > 0 &&
      i % visibilityEvery === 0 &&
      now >= nextVisibilityAt &&
      visibilityInFlight < VISIBILITY_SAMPLES * 10;
    if (follow) nextVisibilityAt = now;
    void publishStop(i, follow);
  }
  const checksDue = Math.floor((now / 1000) * CHECK_RATE);
  while (checksSent < checksDue) {
    if (checkInFlight >= CHECK_WINDOW) {
      checkBehind += checksDue - checksSent;
      checksSent = checksDue;
      break;
    }
    void oneCheck(checksSent++);
  }
  await sleep(TICK_MS);
}
const loadMs = elapsed();
log(`soak: load done after ${(loadMs / 1000).toFixed(1)} s; waiting for the workers to finish`);

// ---------------------------------------------------------------------------------------------
// Drain, then count what was recorded.

// Whatever the load left unprocessed is worked off before counting: a backlog is not a loss.
// Only what is still unprocessed after SOAK_DRAIN_SECONDS is reported (as a backlog, not as lost).
const durable = names.consumer("sms-inbound");
async function backlog(): Promise<number> {
  const info = await infra.jsm.consumers.info(names.streams.inboundSms, durable);
  const last = (await infra.jsm.streams.info(names.streams.inboundSms)).state.last_seq;
  return Math.max(info.num_pending + info.num_ack_pending, last - info.ack_floor.stream_seq);
}
const backlogAtLoadEnd = await backlog();
const drainStarted = performance.now();
const drainDeadline = Date.now() + DRAIN_SECONDS * 1000;
while ((publishInFlight > 0 || checkInFlight > 0 || visibilityInFlight > 0) && Date.now() < drainDeadline)
  await sleep(50);
let backlogAtEnd = await backlog();
while (backlogAtEnd > 0 && Date.now() < drainDeadline) {
  await sleep(250);
  backlogAtEnd = await backlog();
}
const drainSeconds = round((performance.now() - drainStarted) / 1000);
clearInterval(rssTimer);
const endMemory = process.memoryUsage();

const sent = publishAcked;
const { rows } = await infra.pool.query<{ events: string; distinct_ids: string }>(
  `SELECT count(*) AS events, count(DISTINCT source_id) AS distinct_ids
     FROM ${JSON.stringify(schema)}.optout_events WHERE source = 'sms_keyword' AND source_id LIKE 'soak-%'`,
);
const events = Number(rows[0]!.events);
const distinctIds = Number(rows[0]!.distinct_ids);
// Published (acked by JetStream), settled by the worker, and still not recorded.
const lost = Math.max(0, sent - distinctIds - backlogAtEnd);
const duplicated = events - distinctIds;
const dlq = (await infra.jsm.streams.info(names.streams.dlq)).state.messages;

// RSS: the start is the first sample after a warm-up (connection pools, buffers and the JIT
// settle in the first tens of seconds: 25% of the run, between 10 and 60 s); the end is the last
// sample, taken after the workers finished. The slope over the samples after the warm-up tells
// a leak (steady growth) from noise.
const warmupSeconds = Math.min(60, Math.max(10, SECONDS / 4));
const afterWarmup = rss.filter((s) => s.atSeconds >= warmupSeconds);
const startRss = afterWarmup[0]?.rssMb ?? rss[0]?.rssMb ?? mb(rssBeforeStart);
const endRss = mb(endMemory.rss);
const growth = (endRss - startRss) / startRss;
const slopeMbPerMinute =
  afterWarmup.length >= 3 ? round(slope(afterWarmup.map((s) => [s.atSeconds / 60, s.rssMb]))) : null;

function slope(points: [number, number][]): number {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  const num = points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0);
  const den = points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

const failures = [
  ...(growth < MAX_RSS_GROWTH ? [] : [`RSS grew ${round(growth * 100)}%`]),
  ...(lost === 0 ? [] : [`${lost} STOPs lost`]),
  ...(duplicated === 0 ? [] : [`${duplicated} STOPs recorded twice`]),
  ...(backlogAtEnd === 0 ? [] : [`${backlogAtEnd} STOPs still unprocessed after ${DRAIN_SECONDS} s`]),
  ...(publishFailed === 0 ? [] : [`${publishFailed} publishes failed`]),
];
const ok = failures.length === 0;
const report = {
  kind: "soak",
  at: new Date().toISOString(),
  ok,
  failures,
  settings: {
    rate: RATE,
    seconds: SECONDS,
    checkRate: CHECK_RATE,
    visibilitySamplesPerSecond: VISIBILITY_SAMPLES,
  },
  machine: {
    cpus: availableParallelism(),
    node: process.version,
    // The machine is shared: its load says how much of the CPU this run had.
    loadAverageAtStart: loadAtStart,
    loadAverageAtEnd: loadavg().map((l) => round(l)),
  },
  loadSeconds: round(loadMs / 1000),
  rss: {
    beforeStartMb: mb(rssBeforeStart),
    startMb: startRss,
    endMb: endRss,
    maxMb: Math.max(...rss.map((s) => s.rssMb), endRss),
    warmupSeconds,
    growthPercent: round(growth * 100),
    slopeMbPerMinuteAfterWarmup: slopeMbPerMinute,
    limitPercent: MAX_RSS_GROWTH * 100,
    samples: rss,
  },
  ingest: {
    published: sent,
    achievedPerSecond: round(sent / (loadMs / 1000)),
    publishFailed,
    notSentBehind: publishBehind,
    recordedEvents: events,
    recordedDistinct: distinctIds,
    backlogAtLoadEnd,
    drainSeconds,
    backlogAtEnd,
    lost,
    duplicated,
    deadLettered: dlq,
    visibleLatencyMs: visible.report(),
    visibilityTimeouts,
  },
  checks: {
    answered: checksAnswered,
    achievedPerSecond: round(checksAnswered / (loadMs / 1000)),
    errors: checkErrors,
    wrongAnswers: checksWrong,
    notSentBehind: checkBehind,
    latencyMs: checkLatency.report(),
  },
  workers: { notReadySamples, warningLogLines: system.env.logLines.length },
};

log("");
log(`soak report (${report.loadSeconds} s of load)`);
log(
  `  RSS: before start ${report.rss.beforeStartMb} MB, start ${startRss} MB (after ${warmupSeconds} s of warm-up), end ${endRss} MB, max ${report.rss.maxMb} MB: growth ${report.rss.growthPercent}% (limit ${report.rss.limitPercent}%), slope after the warm-up ${slopeMbPerMinute ?? "n/a"} MB/min`,
);
log(
  `  ingest: ${sent} STOPs published (${report.ingest.achievedPerSecond}/s, ${publishBehind} not sent: generator behind, ${publishFailed} failed); backlog ${backlogAtLoadEnd} when the load stopped, worked off in ${drainSeconds} s (${backlogAtEnd} left); recorded ${distinctIds}; lost ${lost}; duplicated ${duplicated}; dead-lettered ${dlq}; visibility timeouts (${VISIBLE_TIMEOUT_MS / 1000} s) ${visibilityTimeouts}`,
);
log(
  `  checks: ${checksAnswered} answered (${report.checks.achievedPerSecond}/s), ${checkErrors} errors, ${checksWrong} wrong, ${checkBehind} not sent: generator behind`,
);
log(`  minute | visible p50 / p99 (n)        | check p50 / p99 (n)`);
const visibleRows = report.ingest.visibleLatencyMs;
const checkRows = report.checks.latencyMs;
for (let m = 0; m < Math.max(visibleRows.length, checkRows.length); m++) {
  const v = visibleRows[m];
  const c = checkRows[m];
  log(
    `  ${String(m + 1).padStart(6)} | ${`${v?.p50 ?? "-"} / ${v?.p99 ?? "-"} ms (${v?.count ?? 0})`.padEnd(28)} | ${c?.p50 ?? "-"} / ${c?.p99 ?? "-"} ms (${c?.count ?? 0})`,
  );
}
log(
  `  workers: not ready at ${notReadySamples} samples; ${report.workers.warningLogLines} warning/error log lines`,
);

const dir = join(REPO_ROOT, "bench", "results");
await mkdir(dir, { recursive: true });
const file = join(dir, `soak-${report.at.replace(/[:.]/g, "-")}.json`);
await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
log(`  report: ${file}`);
log(ok ? "soak: OK" : `soak: FAILED: ${failures.join("; ")}`);

await system.stop();
process.exit(ok ? 0 : 1);
