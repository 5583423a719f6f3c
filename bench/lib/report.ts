import { mkdir, writeFile } from "node:fs/promises";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";

/** A target a figure or ratio is held against. */
export interface Target {
  op: ">=" | "<=";
  value: number;
}

export interface Figure {
  key: string;
  label: string;
  value: number;
  unit: string;
  /** True for the figures measured as this scenario's baseline. */
  baseline?: boolean;
  target?: Target;
  /** Supporting detail (CPU per process, raw counts): in the JSON, summarized below the table. */
  detail?: boolean;
}

export interface Ratio {
  key: string;
  label: string;
  value: number;
  /** Keys of the two figures: value = numerator / denominator. */
  numerator: string;
  denominator: string;
  target?: Target;
}

export interface ScenarioResult {
  name: string;
  title: string;
  figures: Figure[];
  ratios: Ratio[];
  /** Correctness checks made on the way (exactly once, no false negatives...): all must hold. */
  checks: Record<string, boolean>;
  notes: string[];
  elapsedMs: number;
  /** Set when the scenario could not run (e.g. its code is not there yet). */
  skipped?: string;
}

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  loadAverageAtStart: number[];
  node: string;
  natsServer: string;
  postgres: string;
  redis: string;
  platform: string;
}

export interface BenchReport {
  date: string;
  mode: string;
  options: Record<string, unknown>;
  machine: MachineInfo;
  scenarios: ScenarioResult[];
  totalMs: number;
}

/** Collects one scenario's figures, ratios and checks. */
export class ScenarioRecorder {
  readonly figures: Figure[] = [];
  readonly ratios: Ratio[] = [];
  readonly checks: Record<string, boolean> = {};
  readonly notes: string[] = [];

  figure(
    key: string,
    label: string,
    value: number,
    unit: string,
    extra: { baseline?: boolean; target?: Target; detail?: boolean } = {},
  ): number {
    this.figures.push({ key, label, value, unit, ...extra });
    return value;
  }

  ratio(key: string, label: string, numerator: string, denominator: string, target?: Target): number {
    const a = this.value(numerator);
    const b = this.value(denominator);
    const value = a / b;
    this.ratios.push({ key, label, value, numerator, denominator, ...(target ? { target } : {}) });
    return value;
  }

  value(key: string): number {
    const f = this.figures.find((x) => x.key === key);
    if (!f) throw new Error(`no figure ${key}`);
    return f.value;
  }

  /** Cores used per process group during a phase, as figures `<prefix>_cpu_<group>`. */
  cpu(prefix: string, label: string, cores: Record<string, number>): void {
    for (const [group, value] of Object.entries(cores)) {
      this.figure(`${prefix}_cpu_${group.replace(/-/g, "_")}`, `${label}: CPU of ${group}`, value, "cores", {
        detail: true,
      });
    }
  }

  check(name: string, ok: boolean): void {
    this.checks[name] = ok;
  }

  note(text: string): void {
    this.notes.push(text);
  }
}

export function meets(value: number, target: Target): boolean {
  return target.op === ">=" ? value >= target.value : value <= target.value;
}

export function machineInfo(versions: { natsServer: string; postgres: string; redis: string }): MachineInfo {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: list[0]?.model.trim() ?? "unknown",
    memoryBytes: totalmem(),
    loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    ...versions,
  };
}

export function formatNumber(value: number, unit = ""): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  let text: string;
  if (unit === "ms" || unit === "x" || unit === "B" || unit === "%" || unit === "s") {
    text =
      abs >= 100
        ? value.toFixed(0)
        : abs >= 10
          ? value.toFixed(1)
          : abs >= 1
            ? value.toFixed(2)
            : value.toFixed(3);
  } else if (abs >= 1000) {
    text = Math.round(value).toLocaleString("en-US");
  } else {
    text = abs >= 100 ? value.toFixed(0) : value.toFixed(2);
  }
  return unit === "x" ? `${text}x` : unit ? `${text} ${unit}` : text;
}

function targetText(t: Target | undefined, unit: string): string {
  return t ? `${t.op} ${formatNumber(t.value, unit)}` : "";
}

/** The readable table printed at the end: every figure and ratio, its target and whether it is met. */
export function renderTable(report: BenchReport): string {
  const rows: string[][] = [["scenario", "figure", "measured", "target", ""]];
  for (const s of report.scenarios) {
    if (s.skipped) {
      rows.push([s.title, `skipped: ${s.skipped}`, "", "", ""]);
      continue;
    }
    let first = true;
    const name = () => {
      const n = first ? s.title : "";
      first = false;
      return n;
    };
    for (const f of s.figures) {
      if (f.detail) continue;
      rows.push([
        name(),
        `${f.label}${f.baseline ? " (baseline)" : ""}`,
        formatNumber(f.value, f.unit),
        targetText(f.target, f.unit),
        f.target ? (meets(f.value, f.target) ? "ok" : "MISS") : "",
      ]);
    }
    for (const r of s.ratios) {
      rows.push([
        name(),
        r.label,
        formatNumber(r.value, "x"),
        targetText(r.target, "x"),
        r.target ? (meets(r.value, r.target) ? "ok" : "MISS") : "",
      ]);
    }
    for (const [check, ok] of Object.entries(s.checks))
      rows.push([name(), `check: ${check}`, ok ? "yes" : "NO", "yes", ok ? "ok" : "MISS"]);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => (c === 2 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!)))
      .join("  ")
      .trimEnd();
  const out = [line(rows[0]!), widths.map((w) => "-".repeat(w)).join("  ")];
  for (const r of rows.slice(1)) out.push(line(r));
  // CPU per process group, one line per measured phase (the figures are in the JSON).
  const cpu: string[] = [];
  for (const s of report.scenarios) {
    const phases = new Map<string, string[]>();
    for (const f of s.figures) {
      if (f.unit !== "cores") continue;
      const [phase = "", group = ""] = f.label.split(": CPU of ");
      phases.set(phase, [...(phases.get(phase) ?? []), `${group} ${f.value.toFixed(2)}`]);
    }
    for (const [phase, groups] of phases) cpu.push(`  ${s.title}, ${phase}: ${groups.join(", ")}`);
  }
  if (cpu.length > 0)
    out.push(
      "",
      "CPU used per process group during the measured phase (cores; 'other' = everything else on the machine):",
      ...cpu,
    );
  return out.join("\n");
}

export async function writeReport(report: BenchReport, outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  const stamp = report.date.replace(/[:]/g, "-").replace(/\.\d+Z$/, "Z");
  const path = join(outDir, `${stamp}.json`);
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}
