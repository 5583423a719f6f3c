/**
 * `check()` for campaign senders: any number of recipients, in requests of at most 10,000 (the
 * contract's limit) with a bounded number in flight, each reply read in parts when it is big,
 * retried while the failure may pass (no responder, timeout, a retryable error code such as
 * DEPENDENCY_UNAVAILABLE), and the results put back in the caller's order.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { ERROR_CODES, errorSpec, isErrorCode, isRetryable, runBounded } from "@optout/core";
import {
  expandCheckReply,
  MAX_CHECK_RECIPIENTS,
  type CheckRequest,
  type CheckResult,
  type ErrorReply,
} from "@optout/schemas";
import { CheckFailedError } from "./errors.js";
import { requestInParts } from "./reply-parts.js";
import { retryWait, type RetryPolicy } from "./retry.js";

/** What to ask about the recipients: everything of a check request but the recipients. */
export type CheckQuery = Omit<CheckRequest, "recipients" | "chunked">;

export interface CheckOptions {
  /** Recipients per request, 1 to 10,000 (default 10,000: fewest round trips). */
  batchSize?: number;
  /** Requests in flight at once (default DEFAULT_CHECK_CONCURRENCY). */
  concurrency?: number;
  /** Time for one request's whole reply (default DEFAULT_CHECK_TIMEOUT_MS); a timeout is retried. */
  timeoutMs?: number;
  /** Called after each request is answered: recipients answered so far, of how many. */
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_CHECK_CONCURRENCY = 4;
export const DEFAULT_CHECK_TIMEOUT_MS = 30_000;

/** The connection, subject and retry policy a client checks with. */
export interface CheckContext {
  nc: NatsConnection;
  subject: string;
  retry: RetryPolicy;
}

function positiveInteger(name: string, value: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < 1 || value > max)
    throw new RangeError(`${name} must be an integer from 1 to ${max}, got ${value}`);
  return value;
}

/** Whether an error reply's code says the same request may be answered later. */
function retryableReply(reply: ErrorReply): boolean {
  return isErrorCode(reply.error.code) && errorSpec(reply.error.code).retryable;
}

/** One request of at most 10,000 recipients, tried until it is answered or the policy gives up. */
async function checkBatch(
  ctx: CheckContext,
  query: CheckQuery,
  recipients: string[],
  offset: number,
  timeoutMs: number,
): Promise<CheckResult[]> {
  for (let attempt = 1; ; attempt++) {
    const last = attempt >= ctx.retry.attempts;
    let outcome;
    try {
      outcome = await requestInParts<CheckResult>(
        ctx.nc,
        ctx.subject,
        { ...query, recipients },
        "results",
        timeoutMs,
      );
    } catch (err) {
      if (last || !isRetryable(err)) throw err;
      await retryWait(ctx.retry, attempt);
      continue;
    }
    if (!("error" in outcome)) {
      const { results } = expandCheckReply(recipients, { results: outcome.items, compact: outcome.compact });
      // Results are matched to recipients by position: a reply of another length cannot be used.
      if (results.length !== recipients.length)
        throw new CheckFailedError(
          ERROR_CODES.INTERNAL,
          `${results.length} results for ${recipients.length} recipients`,
          offset,
          attempt,
        );
      return results;
    }
    if (last || !retryableReply(outcome))
      throw new CheckFailedError(outcome.error.code, outcome.error.message, offset, attempt);
    await retryWait(ctx.retry, attempt);
  }
}

/** Check every recipient; the results are in the order of `recipients`, one per recipient. */
export async function checkRecipients(
  ctx: CheckContext,
  query: CheckQuery,
  recipients: readonly string[],
  options: CheckOptions = {},
): Promise<CheckResult[]> {
  const batchSize = positiveInteger(
    "batchSize",
    options.batchSize ?? MAX_CHECK_RECIPIENTS,
    MAX_CHECK_RECIPIENTS,
  );
  const concurrency = positiveInteger("concurrency", options.concurrency ?? DEFAULT_CHECK_CONCURRENCY);
  const timeoutMs = positiveInteger("timeoutMs", options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS);
  const batches = Math.ceil(recipients.length / batchSize);
  let done = 0;
  const answers = await runBounded(batches, concurrency, async (index) => {
    const offset = index * batchSize;
    const part = recipients.slice(offset, offset + batchSize);
    const results = await checkBatch(ctx, query, part, offset, timeoutMs);
    done += part.length;
    options.onProgress?.(done, recipients.length);
    return results;
  });
  return answers.flat();
}
