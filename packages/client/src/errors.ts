/**
 * The client's typed errors. Every code comes from the one registry (@optout/core's
 * error-registry.ts); branch on `code` or `instanceof`, never on the message.
 */
import { ERROR_CODES, errorSpec, isErrorCode, OptoutError, type ErrorCode } from "@optout/core";

/**
 * The suppression-check service answered a request with an error reply (or kept answering with
 * a retryable one until the retries ran out). `code` is the service's: INVALID_PAYLOAD (a bad
 * country, group id...), UNKNOWN_ACCOUNT, TOO_MANY_RECIPIENTS, DEPENDENCY_UNAVAILABLE...
 * `retryable` is the registry's word on whether the same request may succeed later.
 */
export class CheckFailedError extends OptoutError {
  /** Index, in the caller's recipients, of the first recipient of the failed request. */
  readonly offset: number;
  constructor(code: string, message: string, offset: number, attempts: number) {
    const known: ErrorCode = isErrorCode(code) ? code : ERROR_CODES.INTERNAL;
    super(
      known,
      `check of the recipients from #${offset} failed after ${attempts} attempt(s): ${code}: ${message}`,
      errorSpec(known).retryable,
      {
        details: { offset, attempts, code },
      },
    );
    this.offset = offset;
  }
}

/**
 * The change feed cannot continue from the saved position without missing events: the stream
 * no longer holds the events right after it (retention removed them: the follower was away
 * longer than the events stream's max age), or the stream is younger than the position (it was
 * deleted and created again). Resync from the list API (`GET /v1/accounts/{id}/optouts`), then
 * follow again from `firstAvailable - 1` (or with `onGap: "skip"`).
 */
export class ChangeFeedGapError extends OptoutError {
  readonly position: number;
  readonly firstAvailable: number;
  constructor(stream: string, position: number, firstAvailable: number, lastInStream: number) {
    const why =
      position > lastInStream
        ? `the stream's last event is #${lastInStream}, before the saved position: it was deleted and created again`
        : `its oldest event is #${firstAvailable}: events #${position + 1}-#${firstAvailable - 1} were removed by its retention`;
    super(
      ERROR_CODES.CHANGE_FEED_GAP,
      `${stream} cannot be followed from the saved position #${position} without a gap (${why}): resync from GET /v1/accounts/{id}/optouts, then follow again (onGap: "skip" continues from the oldest event)`,
      false,
      { details: { stream, position, firstAvailable, lastInStream } },
    );
    this.position = position;
    this.firstAvailable = firstAvailable;
  }
}
