/**
 * The bench is a command, not a test: no timing is asserted here. This only proves that
 * `npm run bench` still runs end to end at a tiny size (--smoke) and writes its JSON, with a
 * finite number for every figure and ratio.
 */
import t from "tap";
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT } from "@optout/testkit";

interface Report {
  machine: {
    cpus: number;
    memoryBytes: number;
    node: string;
    natsServer: string;
    postgres: string;
    redis: string;
  };
  scenarios: Array<{
    name: string;
    skipped?: string;
    figures: Array<{ key: string; value: unknown }>;
    ratios: Array<{ key: string; value: unknown }>;
    checks: Record<string, boolean>;
  }>;
}

t.test("npm run bench -- --smoke runs every scenario and writes finite figures", async (t) => {
  const out = await mkdtemp(join(tmpdir(), "optout-bench-"));
  t.teardown(() => rm(out, { recursive: true, force: true }));
  const child = spawn(
    process.execPath,
    ["--conditions=development", "--import", "tsx", "bench/run.ts", "--smoke", `--out=${out}`],
    {
      cwd: REPO_ROOT,
      env: { ...process.env },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  t.equal(code, 0, `bench exited 0\n${output.slice(-3000)}`);

  const files = (await readdir(out)).filter((f) => f.endsWith(".json"));
  t.equal(files.length, 1, "one results file written");
  const report = JSON.parse(await readFile(join(out, files[0]!), "utf8")) as Report;
  t.ok(report.machine.cpus > 0 && report.machine.memoryBytes > 0, "machine recorded");
  for (const v of [
    report.machine.node,
    report.machine.natsServer,
    report.machine.postgres,
    report.machine.redis,
  ])
    t.match(v, /\d+\.\d+/);

  const ran = report.scenarios.filter((s) => !s.skipped);
  t.same(
    ran.map((s) => s.name),
    ["single", "batch", "bulk", "fresh", "ingest", "scale", "large"].concat(
      report.scenarios
        .filter((s) => !s.skipped && (s.name === "export" || s.name === "import"))
        .map((s) => s.name),
    ),
    "every core scenario ran",
  );
  for (const s of report.scenarios.filter((x) => x.skipped))
    t.match(s.skipped, /address-book/, `${s.name} is skipped only when its hook is missing`);
  for (const s of ran) {
    t.ok(s.figures.length > 0, `${s.name} has figures`);
    for (const f of [...s.figures, ...s.ratios])
      t.ok(typeof f.value === "number" && Number.isFinite(f.value), `${s.name}.${f.key} is a finite number`);
  }
});
