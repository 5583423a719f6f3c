import { randomUUID } from "node:crypto";
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import type { AccountSettings, Pool } from "@optout/store";
import { sleep } from "./stats.js";

const encoder = new TextEncoder();

/** The account settings of the ingest scenarios: webhook jobs and confirmation SMS on. */
export const INGEST_ACCOUNT_SETTINGS: AccountSettings = {
  webhook: { url: "https://hooks.example/optout", secret: "bench-webhook-secret-0123456789" },
  confirmationSms: {
    enabled: true,
    from: "3010",
    text: { default: "You will no longer receive messages. Reply START to subscribe again." },
  },
};

export interface InboundBatch {
  ids: string[];
  numbers: string[];
  bodies: Uint8Array[];
}

/** `count` STOP messages as a gateway sends them, each from its own number (`+3165` + 7 digits from `offset`). */
export function stopMessages(accountId: string, count: number, offset = 0): InboundBatch {
  const ids: string[] = [];
  const numbers: string[] = [];
  const bodies: Uint8Array[] = [];
  const receivedAt = new Date().toISOString();
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const from = `+3165${String(offset + i).padStart(7, "0")}`;
    ids.push(id);
    numbers.push(from);
    bodies.push(
      encoder.encode(JSON.stringify({ id, accountId, from, to: "3010", text: "STOP", receivedAt })),
    );
  }
  return { ids, numbers, bodies };
}

/**
 * Publishes every body with its id as Nats-Msg-Id, `inFlight` unacknowledged publishes at a
 * time (as a gateway with a window would). Returns the stream sequence of the last one.
 */
export async function publishAll(
  js: JetStreamClient,
  subject: string,
  batch: InboundBatch,
  inFlight = 256,
): Promise<number> {
  let next = 0;
  let last = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < batch.bodies.length) {
        const i = next++;
        const ack = await js.publish(subject, batch.bodies[i]!, { msgID: batch.ids[i]! });
        if (ack.duplicate) throw new Error(`message ${i} was taken for a duplicate`);
        last = Math.max(last, ack.seq);
      }
    }),
  );
  return last;
}

/** Polls the durable consumer until everything up to `seq` is acked; returns when that was seen. */
export async function waitForAckFloor(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
  seq: number,
  options: { timeoutMs?: number; intervalMs?: number; onProgress?: (acked: number) => void } = {},
): Promise<{ at: number; redelivered: number }> {
  const deadline = performance.now() + (options.timeoutMs ?? 600_000);
  let lastReport = performance.now();
  for (;;) {
    const info = await jsm.consumers.info(stream, durable).catch(() => undefined);
    if (info && info.ack_floor.stream_seq >= seq)
      return { at: performance.now(), redelivered: info.num_redelivered };
    if (performance.now() > deadline)
      throw new Error(
        `${durable} did not ack up to ${seq} in time (at ${info?.ack_floor.stream_seq ?? "?"})`,
      );
    if (info && options.onProgress && performance.now() - lastReport > 2_000) {
      lastReport = performance.now();
      options.onProgress(info.ack_floor.stream_seq);
    }
    await sleep(options.intervalMs ?? 20);
  }
}

/** Events recorded for these source ids: total rows and distinct source ids (exactly once: both = messages). */
export async function countEvents(
  pool: Pool,
  sourceIds: readonly string[],
): Promise<{ events: number; distinct: number }> {
  const { rows } = await pool.query<{ events: number; distinct: number }>(
    `SELECT count(*)::int AS events, count(DISTINCT source_id)::int AS distinct FROM optout_events
     WHERE source = 'sms_keyword' AND source_id = ANY($1::text[])`,
    [sourceIds],
  );
  return rows[0] ?? { events: 0, distinct: 0 };
}
