import type { NatsConnection } from "@optout/bus";
import { encodeCheck, member, nonMember, prng } from "./env.js";
import { timedLoop } from "./stats.js";

/** Pre-encoded batches of `size` recipients, 1% of them members of a list of `listSize`. */
export function checkBatches(
  accountId: string,
  options: { count: number; size: number; listSize: number; seed: number },
): {
  payloads: Uint8Array[];
  recipients: string[][];
  members: number;
} {
  const random = prng(options.seed);
  const perBatch = Math.max(1, Math.round(options.size / 100));
  const recipients: string[][] = [];
  for (let b = 0; b < options.count; b++) {
    const batch: string[] = [];
    // Distinct members (a client de-duplicates its recipients; Postgres answers once per identifier).
    const chosen = new Set<number>();
    while (chosen.size < Math.min(perBatch, options.listSize))
      chosen.add(Math.floor(random() * options.listSize));
    for (const m of chosen) batch.push(member(m));
    while (batch.length < options.size) batch.push(nonMember(random));
    // Members spread over the batch, as in a real campaign.
    for (let i = batch.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [batch[i], batch[j]] = [batch[j]!, batch[i]!];
    }
    recipients.push(batch);
  }
  return { payloads: recipients.map((r) => encodeCheck(accountId, r)), recipients, members: perBatch };
}

/**
 * Sends the batches as `optout.check` requests, `inFlight` at a time, for `durationMs`, and
 * parses every reply (a client would): recipients per second end to end. Every reply must
 * carry one result per recipient and exactly the members as suppressed.
 */
export async function measureCheckRate(
  nc: NatsConnection,
  subject: string,
  batches: { payloads: Uint8Array[]; recipients: string[][]; members: number },
  options: { durationMs: number; inFlight: number },
): Promise<{ recipientsPerSecond: number; p50: number; p99: number; wrong: number; requests: number }> {
  let wrong = 0;
  const r = await timedLoop(options, async (i) => {
    const b = i % batches.payloads.length;
    const msg = await nc.request(subject, batches.payloads[b]!, { timeout: 30_000 });
    const reply = JSON.parse(msg.string()) as { results?: Array<{ suppressed: boolean }> };
    const results = reply.results;
    if (!results) throw new Error(`check failed: ${msg.string().slice(0, 300)}`);
    let suppressed = 0;
    for (const x of results) if (x.suppressed) suppressed++;
    if (results.length !== batches.recipients[b]!.length || suppressed !== batches.members) wrong++;
    return results.length;
  });
  const s = r.latency.summary();
  return {
    recipientsPerSecond: (r.units / r.elapsedMs) * 1000,
    p50: s.p50,
    p99: s.p99,
    wrong,
    requests: r.calls,
  };
}
