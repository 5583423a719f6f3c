import type { NatsConnection } from "@nats-io/nats-core";
import { AckPolicy, type JetStreamClient, type JetStreamManager, type JsMsg } from "@nats-io/jetstream";
import type { Infrastructure } from "@optout/runtime";
import { createInbox, headers as natsHeaders } from "@nats-io/nats-core";

const encoder = new TextEncoder();

/** Publish like a gateway does: JSON body, Nats-Msg-Id = the message's id. */
export async function publishInbound(
  js: JetStreamClient,
  subject: string,
  payload: unknown,
  msgId?: string,
): Promise<number> {
  const body =
    typeof payload === "string"
      ? encoder.encode(payload)
      : payload instanceof Uint8Array
        ? payload
        : encoder.encode(JSON.stringify(payload));
  const id = msgId ?? (payload as { id?: string }).id;
  const ack = await js.publish(subject, body, id ? { msgID: id, headers: natsHeaders() } : undefined);
  return ack.seq;
}

/** A request-reply call returning the parsed JSON reply and its headers. */
export async function requestJson<T = unknown>(
  nc: NatsConnection,
  subject: string,
  body: unknown,
  timeoutMs = 10_000,
): Promise<{ reply: T; headers: Map<string, string> }> {
  const msg = await nc.request(subject, encoder.encode(JSON.stringify(body)), { timeout: timeoutMs });
  const headers = new Map<string, string>();
  if (msg.headers) for (const [k, v] of msg.headers) headers.set(k, v.join(","));
  return { reply: msg.json<T>(), headers };
}

/** Poll until the condition holds (or fail after timeoutMs): for eventually-true states in tests. */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Wait until a durable consumer has acked (or terminated) everything up to this stream sequence. */
export async function waitForAck(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
  seq: number,
  timeoutMs = 15_000,
): Promise<void> {
  await waitFor(
    `${durable} to ack stream sequence ${seq}`,
    async () => (await jsm.consumers.info(stream, durable)).ack_floor.stream_seq >= seq,
    timeoutMs,
    20,
  );
}

/** Read (and ack) at least `count` dead letters of this installation, waiting for them to arrive. */
export async function readDeadLetters(
  infra: Infrastructure,
  count: number,
  timeoutMs = 30_000,
): Promise<JsMsg[]> {
  const durable = `dlq-reader-${Math.random().toString(36).slice(2, 8)}`;
  await infra.jsm.consumers.add(infra.names.streams.dlq, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
  });
  const consumer = await infra.js.consumers.get(infra.names.streams.dlq, durable);
  const got: JsMsg[] = [];
  await waitFor(
    `${count} dead letters`,
    async () => {
      const batch = await consumer.fetch({ max_messages: Math.max(1, count - got.length), expires: 1000 });
      for await (const m of batch) {
        got.push(m);
        m.ack();
      }
      return got.length >= count;
    },
    timeoutMs,
  );
  return got;
}

/**
 * A chunked request, the way a caller reads one: send with `"chunked": true` and read reply
 * messages on one inbox until the `key` array reaches `total`. Returns the items and the number
 * of parts; an error reply throws.
 */
export async function requestChunked<T>(
  nc: NatsConnection,
  subject: string,
  body: Record<string, unknown>,
  key: string,
  timeoutMs = 30_000,
): Promise<{ items: T[]; parts: number }> {
  const inbox = createInbox();
  const sub = nc.subscribe(inbox, { timeout: timeoutMs });
  nc.publish(subject, encoder.encode(JSON.stringify({ ...body, chunked: true })), { reply: inbox });
  const items: T[] = [];
  let parts = 0;
  for await (const m of sub) {
    const part = m.json<
      Record<string, unknown> & { offset?: number; total?: number; error?: { code: string; message: string } }
    >();
    if (part.error) throw new Error(`${subject} failed: ${part.error.code} ${part.error.message}`);
    if (part.offset !== items.length) throw new Error(`part at ${part.offset}, expected ${items.length}`);
    items.push(...(part[key] as T[]));
    parts++;
    if (items.length >= (part.total ?? 0)) break;
  }
  sub.unsubscribe();
  return { items, parts };
}
