import type { NatsConnection } from "@nats-io/nats-core";
import { OptoutError, runBounded, type ErrorCode } from "@optout/core";
import {
  decodeBulkCheckReply,
  encodeBulkCheckRequest,
  isSuppressed,
  MAX_BULK_RECIPIENTS,
  setSuppressed,
  type BulkCheckHeader,
  type BulkCheckReply,
} from "@optout/schemas";

/**
 * For campaign senders: check any number of E.164 numbers on `<ns>.check.bulk`, 100,000 per
 * request, `inFlight` requests at a time, and get one bitmap (bit i = numbers[i] suppressed) and
 * the exceptions with indexes into `numbers`. Numbers must be normalized E.164 ("+31612345678").
 */
export async function requestBulkCheck(
  nc: NatsConnection,
  subject: string,
  header: BulkCheckHeader,
  numbers: readonly string[],
  options: { inFlight?: number; timeoutMs?: number; perRequest?: number } = {},
): Promise<BulkCheckReply> {
  const perRequest = Math.min(options.perRequest ?? MAX_BULK_RECIPIENTS, MAX_BULK_RECIPIENTS);
  const starts: number[] = [];
  for (let start = 0; start < numbers.length; start += perRequest) starts.push(start);
  const parts = await runBounded(starts.length, options.inFlight ?? 4, async (slot) => {
    const start = starts[slot]!;
    const request = encodeBulkCheckRequest(header, numbers.slice(start, start + perRequest));
    const reply = await nc.request(subject, request, { timeout: options.timeoutMs ?? 30_000 });
    if (reply.data[0] === 0x7b /* "{": a JSON error reply */) {
      const { error } = reply.json<{ error: { code: ErrorCode; message: string } }>();
      throw new OptoutError(error.code, error.message, false);
    }
    return decodeBulkCheckReply(reply.data);
  });
  const bitmap = new Uint8Array(Math.ceil(numbers.length / 8));
  const exceptions: BulkCheckReply["exceptions"] = [];
  parts.forEach((part, slot) => {
    const offset = starts[slot]!;
    for (let i = 0; i < part.count; i++) if (isSuppressed(part.bitmap, i)) setSuppressed(bitmap, offset + i);
    for (const [index, ...rest] of part.exceptions) exceptions.push([offset + index, ...rest]);
  });
  return { count: numbers.length, bitmap, exceptions };
}
