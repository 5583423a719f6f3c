import type { JetStreamClient, PubAck } from "@nats-io/jetstream";
import { DependencyUnavailableError } from "@optout/core";

const encoder = new TextEncoder();

export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/**
 * Publish JSON to a JetStream subject with a Nats-Msg-Id, so a republish after a crash (same
 * id) is dropped by the server's duplicate window instead of delivered twice.
 */
export async function publishJson(js: JetStreamClient, subject: string, payload: unknown, msgId: string): Promise<PubAck> {
  try {
    return await js.publish(subject, encodeJson(payload), { msgID: msgId });
  } catch (err) {
    throw new DependencyUnavailableError("nats", `publish to ${subject} failed: ${(err as Error).message}`, { cause: err });
  }
}
