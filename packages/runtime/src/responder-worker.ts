import type { Msg } from "@nats-io/nats-core";
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  REPLY_ENVELOPE_BYTES,
  encodeJson,
  replyParts,
  startResponder,
} from "@optout/bus";
import type { Logger } from "@optout/core";
import type { Infrastructure } from "./infrastructure.js";
import { onceStop, type ServiceHandle } from "./service.js";

export interface ResponderWorkerSpec {
  /** Worker name: queue group `<ns>-<worker>`, metric label. */
  worker: string;
  subject: string;
  /** Requests answered at once by this process. */
  concurrency: number;
  /** The parsed request body (undefined when it is not JSON: the handler's validation reports it). */
  /** A reply object (sent as JSON), or the reply's bytes as they are (a binary protocol). */
  handle: (body: unknown, msg: Msg) => Promise<Record<string, unknown> | Uint8Array>;
  /** Hand the handler the raw bytes only (a binary request): no JSON parse attempt. */
  binary?: boolean;
  /**
   * The array that makes a reply big (`results`, `tags`): a reply over the server's max_payload
   * is sent in parts when the request says `"chunked": true`, refused with a clear error otherwise.
   */
  bulkKey?: string;
  /**
   * The same reply without what the request already says (the recipients, in the request's
   * order) or what one field can say for all: tried when the full reply exceeds max_payload and
   * the request did not ask for parts, so the documented maximum works by default.
   */
  compact?: (reply: Record<string, unknown>) => Record<string, unknown>;
  logger: Logger;
  /** Extra work after the subscription drained (e.g. wait for background rebuilds). */
  onStop?: () => Promise<void>;
}

/**
 * The wiring every request-reply worker shares: a queue-group responder, JSON parsing, big
 * replies in parts, metrics, readiness once the subscription is registered, an ordered stop.
 */
export async function startResponderWorker(
  infra: Infrastructure,
  spec: ResponderWorkerSpec,
): Promise<ServiceHandle> {
  const { metrics } = infra;
  const decoder = new TextDecoder();
  const responder = startResponder({
    nc: infra.nc,
    subject: spec.subject,
    queue: infra.names.queueGroup(spec.worker),
    concurrency: spec.concurrency,
    logger: spec.logger,
    handle: async (data, msg) => {
      let body: unknown;
      if (!spec.binary) {
        try {
          body = JSON.parse(decoder.decode(data));
        } catch {
          body = undefined;
        }
      }
      const reply = await spec.handle(body, msg);
      if (reply instanceof Uint8Array || !spec.bulkKey || !Array.isArray(reply[spec.bulkKey])) return reply;
      const chunked = (body as { chunked?: unknown } | undefined)?.chunked === true;
      const maxPayload = infra.nc.info?.max_payload ?? DEFAULT_MAX_PAYLOAD_BYTES;
      if (!chunked) {
        // The usual case, one message: encode the reply once and send those bytes. (Sizing each
        // item first cost as much again as the encoding, on every check: docs/performance.md.)
        const encoded = encodeJson(reply);
        if (encoded.length <= maxPayload - REPLY_ENVELOPE_BYTES) return encoded;
        if (spec.compact) {
          const compact = encodeJson(spec.compact(reply));
          if (compact.length <= maxPayload - REPLY_ENVELOPE_BYTES) return compact;
        }
      }
      const parts = replyParts(reply as Record<string, unknown[]>, spec.bulkKey, maxPayload, chunked);
      // Every part but the last goes out here, in order; the responder sends the last one.
      for (const part of parts.slice(0, -1)) msg.respond(encodeJson(part));
      return parts[parts.length - 1];
    },
    onReply: (ok, ms) => {
      metrics.requests.inc({ worker: spec.worker, outcome: ok ? "ok" : "error" });
      metrics.requestSeconds.observe({ worker: spec.worker }, ms / 1000);
    },
  });
  // Make sure the subscription is registered with the server before we say we are ready.
  await infra.nc.flush();
  let ready = true;
  spec.logger.info({ natsSubject: spec.subject }, `${spec.worker} started`);
  return {
    name: spec.worker,
    isReady: () => ready,
    stop: onceStop(async () => {
      ready = false;
      await responder.stop();
      await spec.onStop?.();
    }),
  };
}
