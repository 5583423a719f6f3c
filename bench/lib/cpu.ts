import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc times (USER_HZ; 100 on Linux for decades). */
const TICKS_PER_SECOND = 100;

export type CpuGroup = "bench" | "workers" | "nats-server" | "postgres" | "redis-server" | "other";

interface Snapshot {
  at: number;
  ticks: Map<CpuGroup, number>;
}

function procTicks(pid: string): { comm: string; ticks: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const close = stat.lastIndexOf(")");
    const comm = stat.slice(stat.indexOf("(") + 1, close);
    const fields = stat.slice(close + 2).split(" ");
    // fields[0] is the state (field 3); utime and stime are fields 14 and 15.
    return { comm, ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

/**
 * Where the machine's CPU goes during a phase, by process group, from /proc (Linux only;
 * elsewhere every figure is 0). "other" is everything else on the machine, e.g. other jobs
 * sharing it: the bench's figures are only comparable when it stays small.
 */
export class CpuMeter {
  private start: Snapshot | undefined;

  constructor(private readonly workerPids: () => readonly number[]) {}

  private snapshot(): Snapshot {
    const ticks = new Map<CpuGroup, number>();
    let entries: string[] = [];
    try {
      entries = readdirSync("/proc").filter((e) => /^\d+$/.test(e));
    } catch {
      // Not Linux.
    }
    const workers = new Set(this.workerPids().map(String));
    for (const pid of entries) {
      const p = procTicks(pid);
      if (!p) continue;
      const group: CpuGroup =
        pid === String(process.pid)
          ? "bench"
          : workers.has(pid)
            ? "workers"
            : p.comm === "nats-server" || p.comm === "postgres" || p.comm === "redis-server"
              ? p.comm
              : "other";
      ticks.set(group, (ticks.get(group) ?? 0) + p.ticks);
    }
    return { at: performance.now(), ticks };
  }

  begin(): void {
    this.start = this.snapshot();
  }

  /** Cores used by each group since begin() (1.0 = one core fully busy). */
  end(): Record<CpuGroup, number> {
    const end = this.snapshot();
    const start = this.start ?? end;
    const seconds = Math.max(0.001, (end.at - start.at) / 1000);
    const out = {} as Record<CpuGroup, number>;
    for (const g of ["bench", "workers", "nats-server", "postgres", "redis-server", "other"] as const) {
      // A process that ended in between takes its ticks with it: never report below zero.
      out[g] = Math.max(
        0,
        ((end.ticks.get(g) ?? 0) - (start.ticks.get(g) ?? 0)) / TICKS_PER_SECOND / seconds,
      );
    }
    return out;
  }
}

/** "workers 0.95, nats-server 0.41, ..." for progress lines and notes. */
export function formatCores(cores: Record<CpuGroup, number>): string {
  return Object.entries(cores)
    .map(([g, c]) => `${g} ${c.toFixed(2)}`)
    .join(", ");
}
