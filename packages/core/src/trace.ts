/**
 * W3C Trace Context (`traceparent`, https://www.w3.org/TR/trace-context/) without a tracing SDK:
 * an inbound message's trace id travels in NATS headers to everything it causes (change event,
 * webhook job, confirmation SMS) and on to the webhook POST, and is logged as `traceId`. A
 * collector that understands traceparent (the gateway's, the webhook receiver's) joins the dots;
 * this project records no spans itself.
 */
import { randomFillSync } from "node:crypto";

/** The header, in NATS messages and HTTP requests alike. */
export const TRACEPARENT_HEADER = "traceparent";

export interface TraceContext {
  /** 32 lower-case hex digits, not all zero. */
  traceId: string;
  /** 16 lower-case hex digits, not all zero: the span this context was sent from. */
  spanId: string;
  /** Two hex digits; "01" = sampled. */
  flags: string;
}

// Version 00 is exactly 55 characters; a later version may append fields after a "-".
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);

/** A valid traceparent header value, or undefined (absent, malformed, version ff, zero ids). */
export function parseTraceparent(value: string | null | undefined): TraceContext | undefined {
  if (typeof value !== "string") return undefined;
  const m = TRACEPARENT.exec(value.trim());
  if (!m) return undefined;
  const [, version, traceId, spanId, flags, rest] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  if (version === "ff" || (version === "00" && rest !== undefined)) return undefined;
  if (traceId === ZERO_TRACE || spanId === ZERO_SPAN) return undefined;
  return { traceId, spanId, flags };
}

export function formatTraceparent(context: TraceContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.flags}`;
}

/**
 * Random bytes for ids, drawn from a pool refilled 4 KiB at a time: a randomBytes call per id
 * (a system call each) was ~3% of an inbound worker's CPU, one span id per message.
 */
const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let poolOffset = POOL_BYTES;

function nonZeroHex(bytes: number): string {
  for (;;) {
    if (poolOffset + bytes > POOL_BYTES) {
      randomFillSync(pool);
      poolOffset = 0;
    }
    const hex = pool.toString("hex", poolOffset, poolOffset + bytes);
    poolOffset += bytes;
    if (/[^0]/.test(hex)) return hex;
  }
}

/**
 * The context of work done on behalf of `parent` (a traceparent header value): the same trace id
 * and flags with a span id of its own. Without a valid parent, a new trace, marked sampled so
 * that downstream collectors which follow their parent's decision keep it.
 */
export function childTraceparent(parent?: string | null): string {
  const p = parseTraceparent(parent);
  return formatTraceparent({
    traceId: p?.traceId ?? nonZeroHex(16),
    spanId: nonZeroHex(8),
    flags: p?.flags ?? "01",
  });
}

/** The trace id of a traceparent value (for the `traceId` log field), or undefined. */
export function traceIdOf(traceparent: string | null | undefined): string | undefined {
  return parseTraceparent(traceparent)?.traceId;
}
