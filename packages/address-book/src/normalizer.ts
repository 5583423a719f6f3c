import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import type { ContactTask, ContactTaskResult, OptoutTask, OptoutTaskResult } from "./rows.js";

/** Normalizes import batches on worker threads, off the event loop that serves requests. */
export interface Normalizer {
  readonly threads: number;
  contacts(task: ContactTask): Promise<ContactTaskResult>;
  optouts(task: OptoutTask): Promise<OptoutTaskResult>;
  /** Wait for running tasks, then end the threads. Idempotent. */
  close(): Promise<void>;
}

/** Threads stay this long after their last task, so back-to-back imports skip the start-up. */
export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/** IMPORT_THREADS: 0 means one per available CPU. */
export function resolveImportThreads(configured: number | undefined): number {
  return configured && configured > 0 ? configured : availableParallelism();
}

/**
 * Where the worker module is. piscina turns the file URL into a path and loads it with
 * require(), then import(). From the build (this file is normalizer.js) that is
 * normalize.worker.js. From the TypeScript source (tsx, tap), it is a small .mjs entry that
 * makes sure the thread can import TypeScript before it loads normalize.worker.ts: worker
 * threads inherit `--import tsx`, but on Node 20 tsx's ESM hooks do not apply in them (see
 * normalize.worker.dev.mjs).
 */
export function workerFilename(base: string = import.meta.url): string {
  return new URL(base.endsWith(".ts") ? "./normalize.worker.dev.mjs" : "./normalize.worker.js", base).href;
}

export function createNormalizer(options: { threads?: number; idleTimeoutMs?: number } = {}): Normalizer {
  const threads = resolveImportThreads(options.threads);
  // No thread starts before the first import (minThreads 0), and idle ones end.
  const pool = new Piscina({
    filename: workerFilename(),
    minThreads: 0,
    maxThreads: threads,
    idleTimeout: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
  });
  let closing: Promise<void> | undefined;
  return {
    threads,
    contacts: (task) => pool.run(task, { name: "normalizeContactRows" }) as Promise<ContactTaskResult>,
    optouts: (task) => pool.run(task, { name: "normalizeOptoutRows" }) as Promise<OptoutTaskResult>,
    close() {
      closing ??= pool.close();
      return closing;
    },
  };
}
