/**
 * Two kinds of failure: a message that is wrong, and a message that cannot be processed *now*
 * because Postgres, Redis or NATS is away. The second kind must never spend the message's
 * delivery budget (a long outage would otherwise dead-letter every STOP in flight): the engine
 * asks the gate which dependencies are down, holds the messages and waits it out.
 */
export interface OutageGate {
  /**
   * Probe the dependencies now and return the ones that do not answer (empty when all do).
   * Called after a retryable failure and while waiting for the outage to end.
   */
  down(): Promise<string[]>;
  /** Told when a consumer starts and ends waiting out an outage (metrics, logs, readiness). */
  onPause?(paused: boolean, down: readonly string[]): void;
}

export const DEFAULT_OUTAGE_FIRST_PROBE_MS = 500;
export const DEFAULT_OUTAGE_MAX_PROBE_MS = 10_000;

export interface OutageWaitOptions {
  gate: OutageGate;
  signal: AbortSignal;
  firstProbeMs?: number;
  maxProbeMs?: number;
}

/** Sleep `ms`, or less when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * Wait, probing with a capped exponential backoff, until every dependency answers again.
 * Resolves true when they do, false when the signal aborted first (the worker is stopping).
 */
export async function waitForDependencies(options: OutageWaitOptions): Promise<boolean> {
  const first = options.firstProbeMs ?? DEFAULT_OUTAGE_FIRST_PROBE_MS;
  const max = options.maxProbeMs ?? DEFAULT_OUTAGE_MAX_PROBE_MS;
  let delay = first;
  for (;;) {
    await sleep(delay, options.signal);
    if (options.signal.aborted) return false;
    const down = await options.gate.down().catch(() => ["unknown"]);
    if (down.length === 0) return true;
    delay = Math.min(max, delay * 2);
  }
}
