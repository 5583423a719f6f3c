import { InvalidPayloadError } from "@optout/core";
import {
  BulkFormatError,
  decodeBulkCheckRequest,
  encodeBulkCheckReply,
  MAX_BULK_RECIPIENTS,
  MAX_CHECK_RECIPIENTS,
  setSuppressed,
  validatePayload,
  type BulkException,
} from "@optout/schemas";
import { evaluateRecipients, type CheckPorts, type Evaluation } from "./check.js";

/**
 * Answer one `<ns>.check.bulk` request (format: @optout/schemas bulk-check.ts). The numbers go
 * through the same evaluation as `optout.check` (evaluateRecipients), in slices of its
 * 10,000-recipient maximum, so both subjects give the same answers by construction. What the
 * bulk path leaves out is the JSON check's per-recipient cost that packed numbers do not need:
 * the schema pass over each recipient string (they are digits made here) and a result object
 * per recipient (the bitmap is written straight from the evaluation).
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
  // The header is a check request without its recipients: validated by the same schema, with
  // one number standing in for the list.
  const question = validatePayload("checkRequest", { ...header, recipients: [numbers[0]!] });
  const slices: Promise<Evaluation>[] = [];
  for (let start = 0; start < numbers.length; start += MAX_CHECK_RECIPIENTS) {
    slices.push(evaluateRecipients(ports, question, numbers.slice(start, start + MAX_CHECK_RECIPIENTS)));
  }
  const bitmap = new Uint8Array(Math.ceil(numbers.length / 8));
  const exceptions: BulkException[] = [];
  let base = 0;
  for (const { identifiers, transactional, optedOut } of await Promise.all(slices)) {
    for (let i = 0; i < identifiers.length; i++) {
      const identifier = identifiers[i];
      const index = base + i;
      if (identifier === undefined) {
        setSuppressed(bitmap, index);
        exceptions.push([index, "invalid_recipient"]);
      } else if (transactional) {
        exceptions.push([index, "transactional"]);
      } else {
        const found = optedOut.get(identifier);
        if (found === undefined) continue;
        if (found.bypass) {
          exceptions.push([index, "bypass_group"]);
        } else {
          setSuppressed(bitmap, index);
          exceptions.push([index, "opted_out", found.since]);
        }
      }
    }
    base += identifiers.length;
  }
  return encodeBulkCheckReply({ count: numbers.length, bitmap, exceptions });
}
