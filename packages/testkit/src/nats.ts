import type { NatsConnection } from "@nats-io/nats-core";
import type { JetStreamClient } from "@nats-io/jetstream";
import { headers as natsHeaders } from "@nats-io/nats-core";

const encoder = new TextEncoder();

/** Publish like a gateway does: JSON body, Nats-Msg-Id = the message's id. */
export async function publishInbound(js: JetStreamClient, subject: string, payload: unknown, msgId?: string): Promise<void> {
  const body = typeof payload === "string" ? encoder.encode(payload) : payload instanceof Uint8Array ? payload : encoder.encode(JSON.stringify(payload));
  const id = msgId ?? (payload as { id?: string }).id;
  await js.publish(subject, body, id ? { msgID: id, headers: natsHeaders() } : undefined);
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
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
