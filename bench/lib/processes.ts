import { spawn } from "node:child_process";
import { REPO_ROOT, type WorkerProcess } from "@optout/testkit";
import { sleep } from "./stats.js";

/** Every child the bench started, so that a failure or Ctrl-C still ends them (by pid). */
const children = new Set<WorkerProcess>();

process.once("exit", () => {
  for (const w of children)
    if (w.child.exitCode === null && w.child.pid !== undefined) process.kill(w.child.pid, "SIGKILL");
});

export interface BenchProcess extends WorkerProcess {
  stop(): Promise<void>;
}

/**
 * Runs a TypeScript entry point as its own process, like testkit's spawnService. With
 * BENCH_CPU_PROF_DIR=dir every spawned process writes a V8 CPU profile there when it stops
 * (`--cpu-prof` cannot go through NODE_OPTIONS).
 */
function spawnEntry(entry: string, env: Record<string, string>): BenchProcess {
  const dir = process.env.BENCH_CPU_PROF_DIR;
  const profile = dir ? ["--cpu-prof", `--cpu-prof-dir=${dir}`] : [];
  let output = "";
  const child = spawn(process.execPath, [...profile, "--conditions=development", "--import", "tsx", entry], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  const w: WorkerProcess = { child, output: () => output, exited };
  children.add(w);
  void exited.then(() => children.delete(w));
  return {
    ...w,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const gone = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
      if (!gone && child.pid !== undefined) process.kill(child.pid, "SIGKILL");
      await exited;
    },
  };
}

/** Pids of the processes the bench started that are still running. */
export function childPids(): number[] {
  return [...children].map((w) => w.child.pid).filter((pid): pid is number => pid !== undefined);
}

/** services/<name>/src/main.ts as its own process, the way a Deployment runs it. */
export function startService(service: string, env: Record<string, string>): BenchProcess {
  return spawnEntry(`services/${service}/src/main.ts`, { HEALTH_PORT: "0", LOG_LEVEL: "info", ...env });
}

/** A bench worker script (bench/workers/<file>) as its own process. */
export function startScript(file: string, env: Record<string, string>): BenchProcess {
  return spawnEntry(`bench/workers/${file}`, env);
}

/** Wait until the process printed `marker` (its "ready" line); fail with its output if it exits first. */
export async function waitForOutput(p: WorkerProcess, marker: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!p.output().includes(marker)) {
    if (p.child.exitCode !== null || p.child.signalCode !== null) {
      throw new Error(`process exited before "${marker}":\n${p.output().slice(-2000)}`);
    }
    if (Date.now() > deadline)
      throw new Error(`no "${marker}" within ${timeoutMs} ms:\n${p.output().slice(-2000)}`);
    await sleep(25);
  }
}

/** Batches a worker process handled (count, total seconds, messages acked), from its /metrics. */
export async function workerBatchStats(
  port: number,
): Promise<{ batches: number; seconds: number; acked: number }> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const sum = (name: string, filter = "") =>
    text
      .split("\n")
      .filter((l) => l.startsWith(name) && l.includes(filter))
      .reduce((acc, l) => acc + Number(l.slice(l.lastIndexOf(" ") + 1)), 0);
  return {
    batches: sum("optout_batch_seconds_count"),
    seconds: sum("optout_batch_seconds_sum"),
    acked: sum("optout_messages_total", 'outcome="acked"'),
  };
}
