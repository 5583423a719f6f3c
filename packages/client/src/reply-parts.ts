/**
 * One request whose reply may come in several messages: the caller's half of @optout/bus's
 * `replyParts`. The request says `"chunked": true`, so a reply over the server's max_payload
 * arrives as consecutive parts (`offset`, `total`) on one inbox instead of an error; a reply
 * that fits is one message. `nc.request` takes one message only, hence the own inbox.
 */
import { createInbox, type Msg, type NatsConnection } from "@nats-io/nats-core";
import { DependencyUnavailableError } from "@optout/core";
import type { ErrorReply } from "@optout/schemas";

/** A part of a reply: the same shape as the whole, with where it starts and how many there are in all. */
export interface ReplyPart<T> {
  items: T[];
  offset: number;
  total: number;
}

/**
 * What a request came back with: the items in order (`compact` when a part came in the compact
 * form, see `expandCheckReply`), or the service's error reply.
 */
export type PartsOutcome<T> = { items: T[]; compact: boolean } | ErrorReply;

/** Why a request got no usable reply: `details.reason` of the DependencyUnavailableError. */
export type UnansweredReason = "no_responders" | "timeout" | "failed";

const encoder = new TextEncoder();

/** NATS answers a request nobody listens to with an empty 503 status message. */
function isNoResponders(msg: Msg): boolean {
  return msg.data.length === 0 && msg.headers?.code === 503;
}

/**
 * Send `body` with `"chunked": true` to `subject` and collect the `key` array of every part, in
 * order, until `total` items arrived. An error reply is returned as it is (the caller decides
 * whether to retry); no responder, a timeout (for the whole reply) or parts out of order throw
 * DependencyUnavailableError, which is retryable: the request is read-only, sending it again is safe.
 */
export async function requestInParts<T>(
  nc: NatsConnection,
  subject: string,
  body: Record<string, unknown>,
  key: string,
  timeoutMs: number,
): Promise<PartsOutcome<T>> {
  const inbox = createInbox();
  return await new Promise<PartsOutcome<T>>((resolve, reject) => {
    const items: T[] = [];
    let compact = false;
    const fail = (message: string, reason: UnansweredReason = "failed") => {
      clearTimeout(timer);
      sub.unsubscribe();
      reject(
        new DependencyUnavailableError("nats", `${subject}: ${message}`, { details: { subject, reason } }),
      );
    };
    const done = (outcome: PartsOutcome<T>) => {
      clearTimeout(timer);
      sub.unsubscribe();
      resolve(outcome);
    };
    const sub = nc.subscribe(inbox, {
      callback: (err, msg) => {
        if (err) return fail(err.message);
        if (isNoResponders(msg)) return fail("no responder", "no_responders");
        let part: Partial<ReplyPart<T>> & Record<string, unknown>;
        try {
          part = msg.json();
        } catch {
          return fail("a reply that is not JSON");
        }
        if (part.error !== undefined) return done(part as unknown as ErrorReply);
        const slice = part[key];
        if (!Array.isArray(slice)) return fail(`a reply without "${key}"`);
        const offset = typeof part.offset === "number" ? part.offset : 0;
        if (offset !== items.length) return fail(`reply part at #${offset}, expected #${items.length}`);
        items.push(...(slice as T[]));
        if (part.compact === true) compact = true;
        const total = typeof part.total === "number" ? part.total : items.length;
        if (items.length >= total) done({ items, compact });
      },
    });
    const timer = setTimeout(
      () => fail(`no complete reply within ${timeoutMs} ms (${items.length} items so far)`, "timeout"),
      timeoutMs,
    );
    try {
      nc.publish(subject, encoder.encode(JSON.stringify({ ...body, chunked: true })), { reply: inbox });
    } catch (err) {
      fail(`publish failed: ${(err as Error).message}`);
    }
  });
}
