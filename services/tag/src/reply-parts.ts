import { ERROR_CODES, OptoutError } from "@optout/core";
import type { TagReply } from "@optout/schemas";

/** Room left in a message for the reply's envelope, NATS headers and the subject. */
const ENVELOPE_BYTES = 4 * 1024;

/**
 * Fit a tag reply into NATS messages of at most `maxPayload` bytes. One message when it fits
 * (the usual case). Otherwise, a caller that asked for `chunked` gets consecutive parts, each
 * a TagReply with `offset` and `total`; any other caller gets a TOO_MANY_RECIPIENTS error
 * that says how to get the reply, rather than a reply cut short (a sender that appended the
 * footers of a partial reply would send the rest of its campaign without one).
 */
export function replyParts(reply: TagReply, maxPayload: number, chunked: boolean): TagReply[] {
  const budget = Math.max(1024, maxPayload - ENVELOPE_BYTES);
  const sizes = reply.tags.map((tag) => Buffer.byteLength(JSON.stringify(tag)) + 1);
  const totalBytes = sizes.reduce((a, b) => a + b, 0);
  if (totalBytes <= budget) return [chunked ? { ...reply, offset: 0, total: reply.tags.length } : reply];

  if (!chunked) {
    const fit = Math.floor((reply.tags.length * budget) / totalBytes);
    throw new OptoutError(
      ERROR_CODES.TOO_MANY_RECIPIENTS,
      `the tags of ${reply.tags.length} recipients take ${totalBytes} bytes, more than the NATS server's max_payload (${maxPayload}): ` +
        `ask with "chunked": true to get the reply in parts, send at most about ${fit} recipients per request, or raise max_payload`,
      false,
      { details: { recipients: reply.tags.length, replyBytes: totalBytes, maxPayload } },
    );
  }
  const total = reply.tags.length;
  const parts: TagReply[] = [];
  let start = 0;
  let bytes = 0;
  sizes.forEach((size, i) => {
    if (bytes + size > budget && i > start) {
      parts.push({ tags: reply.tags.slice(start, i), offset: start, total });
      start = i;
      bytes = 0;
    }
    bytes += size;
  });
  parts.push({ tags: reply.tags.slice(start), offset: start, total });
  return parts;
}
