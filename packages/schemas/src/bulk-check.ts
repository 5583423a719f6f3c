/**
 * The compact bulk check (`<ns>.check.bulk`), for campaigns of millions: a binary request of
 * packed E.164 numbers answered with a bitmap plus exceptions, about 8 bytes per recipient in
 * and one bit out, against ~60 and ~90 bytes of JSON. Same answers as `optout.check`.
 *
 * Request:  "OBQ1" | u32 LE header length | header JSON | count x u64 LE
 *           header: {accountId, channel: "sms", category?, groupIds?, topic?}; each u64 is an E.164
 *           number's digits as an integer (+31612345678 -> 31612345678).
 * Reply:    "OBR1" | u32 LE header length | header JSON | bitmap of ceil(count / 8) bytes
 *           bit i (byte i >> 3, bit i & 7, least significant first) = recipient i is suppressed;
 *           header: {count, exceptions: [[index, reason, since?], ...]} listing every result
 *           that is not a plain not_opted_out: opted_out with its since, bypass_group,
 *           transactional, invalid_recipient.
 * An error is a JSON error reply ({"error": {code, message}}), as on `optout.check`.
 */
import type { CheckReason, CheckRequest } from "./types.js";

export const BULK_REQUEST_MAGIC = "OBQ1";
export const BULK_REPLY_MAGIC = "OBR1";
/** Per request: 800 KB of numbers, under the default 1 MiB max_payload with the header. */
export const MAX_BULK_RECIPIENTS = 100_000;
const PREFIX_BYTES = 8;
const NUMBER_BYTES = 8;
const TWO_32 = 2 ** 32;

export type BulkCheckHeader = Pick<CheckRequest, "accountId" | "category" | "groupIds" | "topic"> & {
  channel: "sms";
};

export type BulkException = [index: number, reason: Exclude<CheckReason, "not_opted_out">, since?: string];

export interface BulkCheckReply {
  count: number;
  /** Bit i set: recipient i is suppressed. */
  bitmap: Uint8Array;
  exceptions: BulkException[];
}

export class BulkFormatError extends Error {
  override readonly name = "BulkFormatError";
}

function frame(magic: string, header: unknown, bodyBytes: number): { buffer: Buffer; bodyOffset: number } {
  const json = Buffer.from(JSON.stringify(header));
  const buffer = Buffer.allocUnsafe(PREFIX_BYTES + json.length + bodyBytes);
  buffer.write(magic, 0, "latin1");
  buffer.writeUInt32LE(json.length, 4);
  json.copy(buffer, PREFIX_BYTES);
  return { buffer, bodyOffset: PREFIX_BYTES + json.length };
}

function unframe(bytes: Uint8Array, magic: string): { header: unknown; body: Buffer } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < PREFIX_BYTES || buffer.toString("latin1", 0, 4) !== magic) {
    throw new BulkFormatError(`not a bulk message: it must start with "${magic}"`);
  }
  const headerLength = buffer.readUInt32LE(4);
  if (PREFIX_BYTES + headerLength > buffer.length)
    throw new BulkFormatError("the header length runs past the message");
  let header: unknown;
  try {
    header = JSON.parse(buffer.toString("utf8", PREFIX_BYTES, PREFIX_BYTES + headerLength));
  } catch {
    throw new BulkFormatError("the header is not JSON");
  }
  return { header, body: buffer.subarray(PREFIX_BYTES + headerLength) };
}

/** Pack E.164 numbers ("+31612345678") for a bulk check. Throws on anything else. */
export function encodeBulkCheckRequest(header: BulkCheckHeader, numbers: readonly string[]): Uint8Array {
  const { buffer, bodyOffset } = frame(BULK_REQUEST_MAGIC, header, numbers.length * NUMBER_BYTES);
  numbers.forEach((n, i) => {
    if (!/^\+[1-9][0-9]{1,14}$/.test(n))
      throw new BulkFormatError(`recipient ${i} is not an E.164 number: normalize it first`);
    const value = Number(n.slice(1));
    const at = bodyOffset + i * NUMBER_BYTES;
    buffer.writeUInt32LE(value % TWO_32, at);
    buffer.writeUInt32LE(Math.floor(value / TWO_32), at + 4);
  });
  return buffer;
}

/** The header and the numbers as "+<digits>" strings (0 -> "+0", which no check accepts). */
export function decodeBulkCheckRequest(bytes: Uint8Array): { header: unknown; numbers: string[] } {
  const { header, body } = unframe(bytes, BULK_REQUEST_MAGIC);
  if (body.length % NUMBER_BYTES !== 0)
    throw new BulkFormatError(`the numbers take ${body.length} bytes, not a multiple of 8`);
  const count = body.length / NUMBER_BYTES;
  const numbers = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const at = i * NUMBER_BYTES;
    numbers[i] = `+${body.readUInt32LE(at + 4) * TWO_32 + body.readUInt32LE(at)}`;
  }
  return { header, numbers };
}

export function encodeBulkCheckReply(reply: BulkCheckReply): Uint8Array {
  const { buffer, bodyOffset } = frame(
    BULK_REPLY_MAGIC,
    { count: reply.count, exceptions: reply.exceptions },
    reply.bitmap.length,
  );
  buffer.set(reply.bitmap, bodyOffset);
  return buffer;
}

export function decodeBulkCheckReply(bytes: Uint8Array): BulkCheckReply {
  const { header, body } = unframe(bytes, BULK_REPLY_MAGIC);
  const { count, exceptions } = header as { count: number; exceptions: BulkException[] };
  if (body.length !== Math.ceil(count / 8)) throw new BulkFormatError("the bitmap does not match the count");
  return { count, exceptions, bitmap: body };
}

export function isSuppressed(bitmap: Uint8Array, index: number): boolean {
  return ((bitmap[index >> 3]! >> (index & 7)) & 1) === 1;
}

export function setSuppressed(bitmap: Uint8Array, index: number): void {
  bitmap[index >> 3] = (bitmap[index >> 3] ?? 0) | (1 << (index & 7));
}
