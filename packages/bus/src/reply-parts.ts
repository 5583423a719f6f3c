import { ERROR_CODES, OptoutError } from "@optout/core";

/** The NATS server default max_payload, used until the connection has seen the server's INFO. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 1024 * 1024;

/** Room left in a message for the reply's envelope, NATS headers and the subject. */
export const ENVELOPE_BYTES = 4 * 1024;

/**
 * Fit a reply whose bulk is one array (`results` of a check, `tags` of a tag request) into NATS
 * messages of at most `maxPayload` bytes. One message when it fits (the usual case). Otherwise
 * a caller that asked for `chunked` gets consecutive parts, each the same shape with `offset`
 * and `total`; any other caller gets a TOO_MANY_RECIPIENTS error that says how to get the
 * reply, never a reply cut short (a sender acting on part of a reply would treat the rest of
 * its recipients wrongly).
 */
export function replyParts<K extends string, T>(
  reply: { [P in K]: T[] },
  key: K,
  maxPayload: number,
  chunked: boolean,
): Array<{ [P in K]: T[] } & { offset?: number; total?: number }> {
  const items = reply[key];
  const budget = Math.max(1024, maxPayload - ENVELOPE_BYTES);
  const sizes = items.map((item) => Buffer.byteLength(JSON.stringify(item)) + 1);
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  const part = (slice: T[], offset: number) =>
    ({ [key]: slice, offset, total: items.length }) as { [P in K]: T[] } & { offset: number; total: number };
  if (totalBytes <= budget) return [chunked ? part(items, 0) : reply];
  if (!chunked) {
    const fit = Math.floor((items.length * budget) / totalBytes);
    throw new OptoutError(
      ERROR_CODES.TOO_MANY_RECIPIENTS,
      `the reply for ${items.length} recipients takes ${totalBytes} bytes, more than the NATS server's max_payload (${maxPayload}): ` +
        `ask with "chunked": true to get the reply in parts, send at most about ${fit} recipients per request, or raise max_payload`,
      false,
      { details: { recipients: items.length, replyBytes: totalBytes, maxPayload } },
    );
  }
  const parts: Array<{ [P in K]: T[] } & { offset: number; total: number }> = [];
  let start = 0;
  let bytes = 0;
  sizes.forEach((size, i) => {
    if (bytes + size > budget && i > start) {
      parts.push(part(items.slice(start, i), start));
      start = i;
      bytes = 0;
    }
    bytes += size;
  });
  parts.push(part(items.slice(start), start));
  return parts;
}
