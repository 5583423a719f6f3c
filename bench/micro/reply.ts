/**
 * Before/after of encoding a check reply of 1,000 results: every item stringified to size the
 * reply for max_payload and then the whole reply encoded (before), vs encoding once and
 * checking the byte length (after).
 *   node --conditions=development --import tsx bench/micro/reply.ts
 */
import { DEFAULT_MAX_PAYLOAD_BYTES, REPLY_ENVELOPE_BYTES, encodeJson, replyParts } from "@optout/bus";
import { checkBatches } from "../lib/check-load.js";
import { abRounds, cpuPerCall } from "./lib.js";

const replies = checkBatches("micro", { count: 64, size: 1000, listSize: 100_000, seed: 2 }).recipients.map(
  (rs) => ({
    results: rs.map((r, j) =>
      j < 10
        ? {
            recipient: r,
            identifier: r,
            suppressed: true,
            reason: "opted_out",
            since: "2026-01-01T00:00:00.000Z",
          }
        : { recipient: r, identifier: r, suppressed: false, reason: "not_opted_out" },
    ),
  }),
);
await abRounds("CPU per reply of 1,000 results (microseconds)", "µs", {
  "size every item, then encode (before)": () =>
    cpuPerCall(3000, (i) => {
      const parts = replyParts(replies[i % 64]!, "results", DEFAULT_MAX_PAYLOAD_BYTES, false);
      return parts.map((p) => encodeJson(p));
    }),
  "encode once, check the length (after)": () =>
    cpuPerCall(3000, (i) => {
      const bytes = encodeJson(replies[i % 64]!);
      return bytes.length <= DEFAULT_MAX_PAYLOAD_BYTES - REPLY_ENVELOPE_BYTES ? bytes : null;
    }),
});
