import type { JetStreamClient, PubAck } from "@nats-io/jetstream";
import {
  createInbox,
  headers as natsHeaders,
  type Msg,
  type MsgHdrs,
  type NatsConnection,
} from "@nats-io/nats-core";
import { DependencyUnavailableError } from "@optout/core";

const encoder = new TextEncoder();

export function encodeJson(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

/** Message headers besides Nats-Msg-Id (e.g. `traceparent`). */
export type ExtraHeaders = Readonly<Record<string, string>>;

function headersOf(msgId: string, extra: ExtraHeaders | undefined): MsgHdrs {
  const h = natsHeaders();
  h.set("Nats-Msg-Id", msgId);
  if (extra) for (const [k, v] of Object.entries(extra)) h.set(k, v);
  return h;
}

/**
 * Publish JSON to a JetStream subject with a Nats-Msg-Id, so a republish after a crash (same
 * id) is dropped by the server's duplicate window instead of delivered twice.
 */
export async function publishJson(
  js: JetStreamClient,
  subject: string,
  payload: unknown,
  msgId: string,
  headers?: ExtraHeaders,
): Promise<PubAck> {
  try {
    return await js.publish(subject, encodeJson(payload), {
      msgID: msgId,
      ...(headers ? { headers: headersOf(msgId, headers) } : {}),
    });
  } catch (err) {
    throw new DependencyUnavailableError("nats", `publish to ${subject} failed: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/** One JSON message for `publishJsonBatch`. */
export interface JsonMessage {
  subject: string;
  payload: unknown;
  /** Nats-Msg-Id: deterministic, so a republish is dropped by the duplicate window. */
  msgId: string;
  /** More headers, e.g. the `traceparent` the message was caused by. */
  headers?: ExtraHeaders;
}

/** How long a batch waits for its last PubAck (the JetStream client's own default). */
export const DEFAULT_PUBLISH_TIMEOUT_MS = 5_000;

/**
 * Publish many JSON messages to JetStream, each with its Nats-Msg-Id, and resolve once every
 * one is acknowledged (stored): the same guarantee as `publishJson` per message. The batch
 * shares one reply subscription and one timer; `js.publish` per message builds a request with
 * its own promise, timer and error objects, which cost 2-2.5x the client CPU for the recorder's
 * three messages per event (docs/performance.md). Rejects with DependencyUnavailableError if
 * any message is refused or not acknowledged in time (the caller retries all: ids dedupe).
 */
export async function publishJsonBatch(
  js: JetStreamClient,
  messages: readonly JsonMessage[],
  timeoutMs = DEFAULT_PUBLISH_TIMEOUT_MS,
): Promise<void> {
  // The client's connection is not part of its public type; without it, publish one by one.
  const nc = (js as unknown as { nc?: NatsConnection }).nc;
  if (messages.length <= 1 || !nc || typeof nc.subscribe !== "function") {
    await Promise.all(messages.map((m) => publishJson(js, m.subject, m.payload, m.msgId, m.headers)));
    return;
  }
  const inbox = createInbox();
  await new Promise<void>((resolve, reject) => {
    let pending = messages.length;
    let failure: string | undefined;
    const sub = nc.subscribe(`${inbox}.*`, {
      max: messages.length,
      callback: (err, msg) => {
        failure ??= err
          ? err.message
          : ackProblem(msg, messages[Number(msg.subject.slice(inbox.length + 1))]?.subject);
        if (--pending > 0) return;
        clearTimeout(timer);
        if (failure === undefined) resolve();
        else reject(new DependencyUnavailableError("nats", `publish failed: ${failure}`));
      },
    });
    // Set before any ack can arrive: the callback above only runs on a later turn.
    const timer = setTimeout(() => {
      sub.unsubscribe();
      reject(
        new DependencyUnavailableError(
          "nats",
          `${pending} of ${messages.length} publishes not acknowledged within ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
    try {
      messages.forEach((m, i) => {
        nc.publish(m.subject, encodeJson(m.payload), {
          reply: `${inbox}.${i}`,
          headers: headersOf(m.msgId, m.headers),
        });
      });
    } catch (err) {
      clearTimeout(timer);
      sub.unsubscribe();
      reject(
        new DependencyUnavailableError("nats", `publish failed: ${(err as Error).message}`, { cause: err }),
      );
    }
  });
}

/** Why a PubAck reply is not an acknowledgement, or undefined when it is one. */
function ackProblem(msg: Msg, subject: string | undefined): string | undefined {
  // A status reply (503: no stream listens on the subject) has no body.
  if (msg.headers && msg.headers.code >= 300)
    return `${subject ?? "?"}: ${msg.headers.code} ${msg.headers.description || "no stream stores this subject"}`;
  try {
    const ack = msg.json<{ stream?: string; error?: { description?: string } }>();
    if (ack.error) return `${subject ?? "?"}: ${ack.error.description ?? "refused"}`;
    return typeof ack.stream === "string" && ack.stream !== "" ? undefined : `${subject ?? "?"}: invalid ack`;
  } catch {
    return `${subject ?? "?"}: unreadable ack`;
  }
}
