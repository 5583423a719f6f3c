import { InvalidPayloadError } from "@optout/core";
import {
  BulkFormatError,
  decodeBulkCheckRequest,
  encodeBulkCheckReply,
  MAX_BULK_RECIPIENTS,
  MAX_CHECK_RECIPIENTS,
  setSuppressed,
  type BulkException,
} from "@optout/schemas";
import { checkRecipients, type CheckPorts } from "./check.js";

/**
 * Answer one `<ns>.check.bulk` request (format: @optout/schemas bulk-check.ts): the packed
 * numbers go through the very same check as `optout.check`, in slices of its 10,000-recipient
 * maximum, so both subjects give the same answers by construction; only the encoding differs.
 */
export async function checkBulk(ports: CheckPorts, data: Uint8Array): Promise<Uint8Array> {
  let decoded: ReturnType<typeof decodeBulkCheckRequest>;
  try {
    decoded = decodeBulkCheckRequest(data);
  } catch (err) {
    if (err instanceof BulkFormatError) throw new InvalidPayloadError(`bulk check request: ${err.message}`);
    throw err;
  }
  const { header, numbers } = decoded;
  if (numbers.length === 0 || numbers.length > MAX_BULK_RECIPIENTS) {
    throw new InvalidPayloadError(
      `a bulk check takes 1 to ${MAX_BULK_RECIPIENTS} numbers, not ${numbers.length}`,
    );
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) {
    throw new InvalidPayloadError(
      "bulk check header: an object {accountId, channel, category?, groupIds?} is expected",
    );
  }
  const slices: Promise<Awaited<ReturnType<typeof checkRecipients>>>[] = [];
  for (let start = 0; start < numbers.length; start += MAX_CHECK_RECIPIENTS) {
    slices.push(
      checkRecipients(ports, { ...header, recipients: numbers.slice(start, start + MAX_CHECK_RECIPIENTS) }),
    );
  }
  const bitmap = new Uint8Array(Math.ceil(numbers.length / 8));
  const exceptions: BulkException[] = [];
  let index = 0;
  for (const { results } of await Promise.all(slices)) {
    for (const r of results) {
      if (r.suppressed) setSuppressed(bitmap, index);
      if (r.reason === "opted_out")
        exceptions.push(r.since === undefined ? [index, r.reason] : [index, r.reason, r.since]);
      else if (r.reason !== "not_opted_out") exceptions.push([index, r.reason]);
      index++;
    }
  }
  return encodeBulkCheckReply({ count: numbers.length, bitmap, exceptions });
}
