/**
 * A STOP wave the way a gateway sends one while NATS fails under it: unique ids and numbers,
 * `Nats-Msg-Id` = the id, and a publish that fails (timeout, no leader, connection lost) is sent
 * again with the same id until JetStream acks it, so a retry of a message that was stored after
 * all is de-duplicated, never doubled.
 */
import { randomUUID } from "node:crypto";
import type { JetStreamClient } from "@nats-io/jetstream";
import { encodeJson } from "@optout/bus";
import type { Pool } from "@optout/store";

const PUBLISH_TIMEOUT_MS = 2_000;
const RETRY_FIRST_MS = 50;
const RETRY_MAX_MS = 1_000;
/** Publishes awaiting their ack at once. */
const WINDOW = 250;

export interface StopIngest {
  /** The numbers sent, in order (+3165 and seven digits from `offset`). */
  numbers: string[];
  /** Messages stored (first ack per message). */
  sent: number;
  /** Publishes that failed and were sent again. */
  retries: number;
  /** Retries JetStream recognised as already stored (duplicate ack): de-duplicated by Nats-Msg-Id. */
  deduplicated: number;
  ms: number;
}

export interface StopIngestOptions {
  js: JetStreamClient;
  subject: string;
  accountId: string;
  count: number;
  /** First number: distinct offsets give distinct numbers. */
  offset?: number;
  /** Give up on a message after this long (the test fails rather than hangs). */
  deadlineMs?: number;
  /** Called after each window with the number of messages stored so far. */
  onProgress?: (sent: number) => void;
}

export async function publishStopWave(options: StopIngestOptions): Promise<StopIngest> {
  const started = Date.now();
  const deadline = started + (options.deadlineMs ?? 60_000);
  const offset = options.offset ?? 0;
  const result: StopIngest = { numbers: [], sent: 0, retries: 0, deduplicated: 0, ms: 0 };
  const publishOne = async (i: number) => {
    const from = `+3165${String(offset + i).padStart(7, "0")}`;
    result.numbers[i] = from;
    const id = randomUUID();
    const body = encodeJson({
      id,
      accountId: options.accountId,
      from,
      to: "3010",
      text: "STOP",
      receivedAt: new Date().toISOString(),
    });
    for (let attempt = 0; ; attempt++) {
      try {
        const ack = await options.js.publish(options.subject, body, {
          msgID: id,
          timeout: PUBLISH_TIMEOUT_MS,
        });
        if (attempt > 0 && ack.duplicate) result.deduplicated++;
        result.sent++;
        return;
      } catch (err) {
        if (Date.now() > deadline)
          throw new Error(`STOP ${i} not stored after ${attempt + 1} attempts: ${(err as Error).message}`, {
            cause: err,
          });
        result.retries++;
        await new Promise((r) => setTimeout(r, Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** attempt)));
      }
    }
  };
  for (let i = 0; i < options.count; i += WINDOW) {
    await Promise.all(
      Array.from({ length: Math.min(WINDOW, options.count - i) }, (_, j) => publishOne(i + j)),
    );
    options.onProgress?.(result.sent);
  }
  result.ms = Date.now() - started;
  return result;
}

/** Events recorded for these STOPs: rows, distinct source ids and distinct numbers (all equal when nothing doubled). */
export async function countRecorded(
  pool: Pool,
): Promise<{ rows: number; sources: number; identifiers: number }> {
  const { rows } = await pool.query<{ rows: number; sources: number; identifiers: number }>(
    "SELECT count(*)::int AS rows, count(DISTINCT source_id)::int AS sources, count(DISTINCT identifier)::int AS identifiers FROM optout_events WHERE source = 'sms_keyword'",
  );
  return rows[0] ?? { rows: 0, sources: 0, identifiers: 0 };
}
