/**
 * The periodic retention run (packages/store/src/retention.ts says what goes and why): finished
 * webhook jobs and old confirmation records, deleted in batches. It lives here because this is
 * the one worker that always runs, needs only Postgres, and owns the outbound bookkeeping; every
 * replica schedules it and the store's advisory lock lets one of them run at a time.
 * `optout prune` runs the same function on demand.
 */
import type { Logger } from "@optout/core";
import type { Registry } from "@optout/metrics";
import {
  DEFAULT_CONFIRMATION_WINDOW_HOURS,
  pruneExpired,
  type Pool,
  type RetentionTable,
} from "@optout/store";
import { webhookDispatchMetrics } from "./metrics.js";

/** How often a replica tries to prune (the first time after a random part of it). */
export const DEFAULT_RETENTION_INTERVAL_MS = 60 * 60 * 1000;
/** Pause between two batches of a periodic run: the deliveries share the database. */
export const RETENTION_PAUSE_MS = 100;

export interface RetentionOptions {
  /** WEBHOOK_JOBS_RETENTION_DAYS. */
  webhookJobsDays: number;
  /** CONFIRMATIONS_RETENTION_DAYS. */
  confirmationsDays: number;
  intervalMs?: number;
  /** Delay of the first run (default: random, up to one interval, so replicas spread out). */
  firstRunDelayMs?: number;
}

export interface RetentionTask {
  /** Run now (also what the timer calls); resolves when the run ended. */
  runOnce(): Promise<void>;
  /** Stop the timer, end a running run after its current batch, wait for it. Idempotent. */
  stop(): Promise<void>;
}

export function startRetention(
  deps: { pool: Pool; logger: Logger; registry: Registry },
  options: RetentionOptions,
): RetentionTask {
  const { pruned, retentionRuns: runs } = webhookDispatchMetrics(deps.registry);
  const interval = options.intervalMs ?? DEFAULT_RETENTION_INTERVAL_MS;
  const abort = new AbortController();
  let running: Promise<void> | undefined;
  let stopping: Promise<void> | undefined;

  const runOnce = (): Promise<void> => {
    if (abort.signal.aborted) return Promise.resolve();
    running ??= (async () => {
      try {
        const report = await pruneExpired(
          deps.pool,
          {
            webhookJobsDays: options.webhookJobsDays,
            confirmationsDays: options.confirmationsDays,
            defaultWindowHours: DEFAULT_CONFIRMATION_WINDOW_HOURS,
          },
          {
            pauseMs: RETENTION_PAUSE_MS,
            signal: abort.signal,
            onBatch: (table: RetentionTable, n: number) => pruned.inc({ table }, n),
          },
        );
        runs.inc({ result: report.ran ? "done" : "skipped" });
        if (report.ran && Object.values(report.deleted).some((n) => n > 0))
          deps.logger.info(
            { deleted: report.deleted, batches: report.batches, ms: report.ms },
            "retention: pruned",
          );
      } catch (err) {
        // Postgres down or slow: the next run tries again; nothing depends on it meanwhile.
        runs.inc({ result: "failed" });
        deps.logger.warn({ err: (err as Error).message }, "retention run failed");
      } finally {
        running = undefined;
      }
    })();
    return running;
  };

  let timer: NodeJS.Timeout = setTimeout(
    function tick() {
      void runOnce().finally(() => {
        if (!abort.signal.aborted) timer = setTimeout(tick, interval).unref();
      });
    },
    options.firstRunDelayMs ?? Math.floor(Math.random() * interval),
  ).unref();

  return {
    runOnce,
    stop() {
      stopping ??= (async () => {
        abort.abort();
        clearTimeout(timer);
        await running;
      })();
      return stopping;
    },
  };
}
