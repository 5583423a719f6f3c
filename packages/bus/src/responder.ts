import { headers as natsHeaders, type Msg, type NatsConnection, type Subscription } from "@nats-io/nats-core";
import { errorCodeOf, natsStatusOf, OptoutError, type ErrorCode, type Logger } from "@optout/core";
import { encodeJson } from "./publish.js";

/** Error headers of the NATS services (micro) protocol, so generic tooling sees failures. */
export const SERVICE_ERROR_HEADER = "Nats-Service-Error";
export const SERVICE_ERROR_CODE_HEADER = "Nats-Service-Error-Code";

export interface ResponderOptions {
  nc: NatsConnection;
  subject: string;
  queue: string;
  /**
   * Turn a request body into a reply object (sent as JSON) or into the reply's bytes. A throw
   * becomes an error reply, never a crash.
   */
  handle: (data: Uint8Array, msg: Msg) => Promise<unknown>;
  /** Requests handled at once; more wait in the subscription's buffer. */
  concurrency?: number;
  logger: Logger;
  onReply?: (ok: boolean, ms: number) => void;
}

export interface Responder {
  stop(): Promise<void>;
}

/** The reply and the `Nats-Service-Error-Code` of a failed request: both from @optout/core's error registry. */
export function errorReply(err: unknown): {
  body: { error: { code: ErrorCode; message: string } };
  status: number;
} {
  const code = errorCodeOf(err);
  const message = err instanceof OptoutError ? err.message : "internal error";
  return { body: { error: { code, message } }, status: natsStatusOf(code) };
}

/** A core-NATS request-reply responder in a queue group, with bounded concurrency. */
export function startResponder(options: ResponderOptions): Responder {
  const concurrency = options.concurrency ?? 64;
  const sub: Subscription = options.nc.subscribe(options.subject, { queue: options.queue });
  const inflight = new Set<Promise<void>>();

  async function answer(msg: Msg): Promise<void> {
    const started = performance.now();
    try {
      const reply = await options.handle(msg.data, msg);
      // A handler may return the bytes already encoded (it had to encode to know the size).
      msg.respond(reply instanceof Uint8Array ? reply : encodeJson(reply));
      options.onReply?.(true, performance.now() - started);
    } catch (err) {
      const { body, status } = errorReply(err);
      if (status >= 500)
        options.logger.error({ err: (err as Error).message, code: body.error.code }, "request failed");
      const h = natsHeaders();
      h.set(SERVICE_ERROR_HEADER, body.error.message.replace(/[\r\n]+/g, " ").slice(0, 500));
      h.set(SERVICE_ERROR_CODE_HEADER, String(status));
      msg.respond(encodeJson(body), { headers: h });
      options.onReply?.(false, performance.now() - started);
    }
  }

  const loop = (async () => {
    for await (const msg of sub) {
      const p = answer(msg).finally(() => inflight.delete(p));
      inflight.add(p);
      if (inflight.size >= concurrency) await Promise.race(inflight);
    }
  })();

  let stopping: Promise<void> | undefined;
  return {
    stop() {
      // drain() lets the server stop routing to us, then delivers what was already sent.
      stopping ??= sub
        .drain()
        .then(() => loop)
        .then(() => Promise.all(inflight))
        .then(() => undefined);
      return stopping;
    },
  };
}
