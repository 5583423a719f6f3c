import type { Redis } from "ioredis";
import type { Registry } from "prom-client";
import type { NatsConnection } from "@optout/bus";
import { appliedSchemaVersion, requiredSchemaVersion, type Pool } from "@optout/store";
import { gaugeIn } from "@optout/metrics";
import { DEPENDENCY_UP } from "./metrics.js";

export type DependencyName = "postgres" | "redis" | "nats";
export const DEPENDENCY_NAMES: readonly DependencyName[] = ["postgres", "redis", "nats"];

/** A probe answers within this or the dependency counts as down. */
export const DEFAULT_PROBE_TIMEOUT_MS = 2_000;
/** Background probing, so /readyz and the gauge follow an outage with no traffic flowing. */
export const DEFAULT_PROBE_INTERVAL_MS = 2_000;

export interface DependencyState {
  up: boolean;
  /** When the state last changed (ISO). */
  since: string;
  /** Why it is down, without secrets (the driver's message). */
  error?: string;
}

/**
 * Knows which of Postgres, Redis and NATS answer: probed in the background and on demand
 * (a failure in a consumer asks at once). Feeds readiness, the `optout_dependency_up` gauge and
 * the consumers' outage gate, which holds messages instead of spending their deliveries.
 */
export interface DependencyMonitor {
  /** Probe now (one probe at a time is shared by concurrent callers); the names that are down. */
  probe(names?: readonly DependencyName[]): Promise<DependencyName[]>;
  /** Last known state, without probing: the reasons the named dependencies are down. */
  downReasons(names?: readonly DependencyName[]): string[];
  state(): Readonly<Record<DependencyName, DependencyState>>;
  close(): void;
}

type Probe = () => Promise<void>;

/** What `work` resolves to, or a rejection after `ms` naming `what`. */
export function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export function createDependencyMonitor(options: {
  pool: Pool;
  /** A connection of its own for the probe (else the shared pool). */
  probePool?: Pool;
  /** The schema whose version is checked against this release's migrations (omit: not checked). */
  schema?: string;
  redis: Redis;
  nc: NatsConnection;
  registry: Registry;
  timeoutMs?: number;
  intervalMs?: number;
}): DependencyMonitor {
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  let required: Promise<number> | undefined;
  const probes: Record<DependencyName, Probe> = {
    postgres: async () => {
      // Its own connection: a pool busy with real work is not an outage, and a probe queued
      // behind that work would say it is (readiness flapping under load).
      const pool = options.probePool ?? options.pool;
      await withTimeout(pool.query("select 1"), timeoutMs, "postgres");
      if (options.schema !== undefined) {
        // A release ahead of its migrations cannot record anything: an outage to wait out
        // (until `optout migrate` runs), not a reason to dead-letter every message.
        required ??= requiredSchemaVersion();
        const [applied, needed] = await Promise.all([
          withTimeout(appliedSchemaVersion(pool, options.schema), timeoutMs, "postgres"),
          required,
        ]);
        if (applied < needed)
          throw new Error(
            `schema version ${applied} is older than this release needs (${needed}): run \`optout migrate\``,
          );
      }
    },
    redis: async () => {
      // No offline queue: a disconnected client rejects at once rather than hanging.
      if (options.redis.status !== "ready") throw new Error(`redis connection is ${options.redis.status}`);
      await withTimeout(options.redis.ping(), timeoutMs, "redis");
    },
    nats: async () => {
      if (options.nc.isClosed()) throw new Error("nats connection is closed");
      await withTimeout(options.nc.flush(), timeoutMs, "nats");
    },
  };
  const now = new Date().toISOString();
  const states = Object.fromEntries(DEPENDENCY_NAMES.map((n) => [n, { up: true, since: now }])) as Record<
    DependencyName,
    DependencyState
  >;
  const gauge = gaugeIn(options.registry, DEPENDENCY_UP);
  for (const n of DEPENDENCY_NAMES) gauge.set({ dependency: n }, 1);

  const running = new Map<DependencyName, Promise<boolean>>();
  function probeOne(name: DependencyName): Promise<boolean> {
    let p = running.get(name);
    if (!p) {
      p = probes[name]()
        .then(
          () => set(name, true),
          (err: unknown) => set(name, false, err instanceof Error ? err.message : String(err)),
        )
        .finally(() => running.delete(name));
      running.set(name, p);
    }
    return p;
  }
  function set(name: DependencyName, up: boolean, error?: string): boolean {
    const before = states[name];
    if (before.up !== up) states[name] = { up, since: new Date().toISOString(), ...(error ? { error } : {}) };
    else if (!up && error) states[name] = { ...before, error };
    gauge.set({ dependency: name }, up ? 1 : 0);
    return up;
  }

  const timer = setInterval(() => {
    for (const n of DEPENDENCY_NAMES) void probeOne(n);
  }, options.intervalMs ?? DEFAULT_PROBE_INTERVAL_MS);
  timer.unref();

  return {
    async probe(names = DEPENDENCY_NAMES) {
      const results = await Promise.all(names.map((n) => probeOne(n)));
      return names.filter((_, i) => !results[i]);
    },
    downReasons(names = DEPENDENCY_NAMES) {
      return names.filter((n) => !states[n].up).map((n) => `${n} is down: ${states[n].error ?? "no answer"}`);
    },
    state: () => states,
    close: () => clearInterval(timer),
  };
}
