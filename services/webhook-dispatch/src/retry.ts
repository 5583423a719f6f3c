/** What one delivery attempt means for the job, from the receiver's answer or the failure. */
export type AttemptVerdict =
  | { kind: "delivered"; status: number }
  | { kind: "retry"; status?: number; reason: string; retryAfterMs?: number }
  | {
      kind: "permanent";
      status?: number;
      reason: string;
      /** The URL itself was refused (scheme, private address). */ refused?: boolean;
    };

export const DEFAULT_WEBHOOK_RETRY_BASE_MS = 2_000;
export const DEFAULT_WEBHOOK_RETRY_MAX_MS = 10 * 60_000;
/** A receiver's Retry-After is followed up to this long; longer asks are shortened to it. */
export const RETRY_AFTER_MAX_MS = 10 * 60_000;

/**
 * Any 2xx is delivered. 408 (request timeout), 429 (too many requests), 5xx and anything else
 * (1xx, 3xx: redirects are not followed) are retried. Other 4xx mean the receiver refuses this
 * request as it is: retrying cannot help, so the job is dead-lettered at once.
 */
export function verdictForStatus(
  status: number,
  retryAfter: string | undefined,
  nowMs = Date.now(),
): AttemptVerdict {
  if (status >= 200 && status < 300) return { kind: "delivered", status };
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return { kind: "permanent", status, reason: `receiver answered ${status}` };
  }
  const retryAfterMs = parseRetryAfter(retryAfter, nowMs);
  return {
    kind: "retry",
    status,
    reason: `receiver answered ${status}`,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

/** Retry-After as delta-seconds or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** Exponential backoff with +-20% jitter after the given attempt (1-based); Retry-After wins, capped. */
export function retryDelayAfter(
  attempt: number,
  verdict: { retryAfterMs?: number },
  baseMs = DEFAULT_WEBHOOK_RETRY_BASE_MS,
  maxMs = DEFAULT_WEBHOOK_RETRY_MAX_MS,
): number {
  if (verdict.retryAfterMs !== undefined) return Math.min(RETRY_AFTER_MAX_MS, verdict.retryAfterMs);
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.max(0, Math.round(exp * (1 + 0.2 * (Math.random() * 2 - 1))));
}
