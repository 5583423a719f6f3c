import type { ConsumerMessages, JetStreamClient, JsMsg } from "@nats-io/jetstream";
import { ERROR_CODES, errorCodeOf, isRetryable, OptoutError, type Logger, type Names } from "@optout/core";
import { consumeWithRestarts, openConsumerMessages, publishDeadLetter, retryDelayMs } from "@optout/bus";
import type { Settlement } from "./dispatcher.js";

export type SettledAs = "acked" | "retried" | "dead_lettered";

export interface JobLoopOptions<T> {
  js: JetStreamClient;
  names: Names;
  stream: string;
  durable: string;
  /** Parse and validate; a throw dead-letters the message (bad input never succeeds). */
  decode(data: Uint8Array): T;
  process(payload: T, msg: JsMsg): Promise<Settlement>;
  /** Messages held at once (being delivered or waiting for their turn). */
  maxInFlight: number;
  /** The consumer's ack wait: held messages are kept alive with working() well within it. */
  ackWaitMs: number;
  /** Deliveries after which a message that keeps failing for infrastructure reasons is dead-lettered. */
  maxDeliver: number;
  logger: Logger;
  onSettled?(kind: SettledAs): void;
}

export interface JobLoop {
  isRunning(): boolean;
  /** Stop pulling, let in-flight jobs finish (at most timeoutMs); buffered ones go back to the server. */
  stop(timeoutMs?: number): Promise<void>;
}


/**
 * A pull loop that settles each message on its own, unlike the batch runner of @optout/bus:
 * a webhook job may wait minutes for an earlier job of its identifier, and must not hold a
 * batch (and every other account's deliveries) back while it does.
 */
export function runJobLoop<T>(options: JobLoopOptions<T>): JobLoop {
  const log = options.logger.child({ stream: options.stream, consumer: options.durable });
  const inflight = new Map<JsMsg, Promise<void>>();
  let messages: ConsumerMessages | undefined;
  let running = false;
  let stopping = false;
  let stopPromise: Promise<void> | undefined;

  // Long deliveries and waiting jobs would otherwise be redelivered to another replica.
  const keepAlive = setInterval(
    () => {
      for (const msg of inflight.keys()) msg.working();
    },
    Math.max(200, Math.floor(options.ackWaitMs / 3)),
  );
  keepAlive.unref();

  async function settle(msg: JsMsg, s: Settlement): Promise<SettledAs> {
    if (s.kind === "ack") {
      msg.ack();
      return "acked";
    }
    if (s.kind === "nak") {
      msg.nak(s.delayMs);
      return "retried";
    }
    try {
      await publishDeadLetter(options.js, options.names, {
        subject: msg.subject,
        data: msg.data,
        headers: msg.headers,
        reason: s.reason,
        stream: options.stream,
        streamSeq: msg.info.streamSequence,
      });
    } catch (err) {
      log.error({ err: (err as Error).message }, "dead-letter publish failed; will retry the message");
      msg.nak(retryDelayMs(msg.info.deliveryCount));
      return "retried";
    }
    msg.term();
    return "dead_lettered";
  }

  async function handle(msg: JsMsg): Promise<void> {
    let settlement: Settlement;
    try {
      const payload = options.decode(msg.data);
      try {
        settlement = await options.process(payload, msg);
      } catch (err) {
        const deliveries = msg.info.deliveryCount;
        const reason = `${errorCodeOf(err)}: ${(err as Error).message}`;
        if (!isRetryable(err)) settlement = { kind: "dead_letter", reason };
        else if (deliveries >= options.maxDeliver)
          settlement = {
            kind: "dead_letter",
            reason: `max deliveries (${options.maxDeliver}) exhausted: ${reason}`,
          };
        else {
          log.warn({ err: reason, seq: msg.info.streamSequence }, "job failed; retrying");
          settlement = { kind: "nak", delayMs: retryDelayMs(deliveries) };
        }
      }
    } catch (err) {
      // Whatever decode throws, the message itself is bad: it can never succeed.
      const code = err instanceof OptoutError ? err.code : ERROR_CODES.INVALID_PAYLOAD;
      settlement = { kind: "dead_letter", reason: `${code}: ${(err as Error).message}` };
    }
    options.onSettled?.(await settle(msg, settlement));
  }

  async function consumeOnce(): Promise<void> {
    messages = await openConsumerMessages(options.js, options.stream, options.durable, options.maxInFlight, log);
    const current = messages;
    running = true;
    for await (const msg of current) {
      if (stopping) {
        msg.nak();
        continue;
      }
      const p = handle(msg)
        .catch((err) => log.error({ err: (err as Error).message }, "job handling crashed"))
        .finally(() => inflight.delete(msg));
      inflight.set(msg, p);
      while (inflight.size >= options.maxInFlight) await Promise.race(inflight.values());
    }
    running = false;
  }

  const loop = consumeWithRestarts(
    consumeOnce,
    () => stopping,
    (err) => {
      running = false;
      log.error({ err: (err as Error).message }, "consumer failed; restarting");
    },
  );

  return {
    isRunning: () => running && !stopping,
    stop(timeoutMs = 15_000) {
      stopPromise ??= (async () => {
        stopping = true;
        await messages?.close().catch(() => undefined);
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          Promise.all([loop, ...inflight.values()]),
          new Promise<void>((resolve) => {
            timer = setTimeout(() => {
              log.warn(
                { inflight: inflight.size },
                "stop timed out with jobs in flight; they will be redelivered",
              );
              resolve();
            }, timeoutMs);
          }),
        ]);
        clearTimeout(timer);
        clearInterval(keepAlive);
        running = false;
      })();
      return stopPromise;
    },
  };
}
