import { retryDelayMs } from "@optout/bus";

/** How a request that failed in a way that may pass (503, no responder, timeout) is tried again. */
export interface RetryOptions {
  /** Tries in all, the first included (default DEFAULT_RETRY_ATTEMPTS; 1 = no retry). */
  attempts?: number;
  /** Delay before the first retry, doubled each time, with +-20% jitter. */
  baseMs?: number;
  /** The cap of that delay. */
  maxMs?: number;
}

export const DEFAULT_RETRY_ATTEMPTS = 6;
export const DEFAULT_RETRY_BASE_MS = 250;
export const DEFAULT_RETRY_MAX_MS = 5_000;

/** Resolved retry settings (validated, every field set). */
export type RetryPolicy = Readonly<Required<RetryOptions>>;

export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  const policy = {
    attempts: options.attempts ?? DEFAULT_RETRY_ATTEMPTS,
    baseMs: options.baseMs ?? DEFAULT_RETRY_BASE_MS,
    maxMs: options.maxMs ?? DEFAULT_RETRY_MAX_MS,
  };
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1)
    throw new RangeError(`retry.attempts must be an integer >= 1, got ${policy.attempts}`);
  if (!(policy.baseMs >= 0) || !(policy.maxMs >= policy.baseMs))
    throw new RangeError(`retry needs 0 <= baseMs <= maxMs, got ${policy.baseMs} and ${policy.maxMs}`);
  return Object.freeze(policy);
}

/** The capped, jittered wait before try `attempt + 1` (the bus's backoff, the client's bounds). */
export function retryWait(policy: RetryPolicy, attempt: number): Promise<void> {
  const ms = retryDelayMs(attempt, policy.baseMs, policy.maxMs);
  return new Promise((resolve) => setTimeout(resolve, ms));
}
