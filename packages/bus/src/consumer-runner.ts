import type { ConsumerMessages, JetStreamClient, JsMsg } from "@nats-io/jetstream";
import { ERROR_CODES, errorCodeOf, isRetryable, OptoutError, type Logger, type Names } from "@optout/core";
import { retryDelayMs } from "./backoff.js";
import { publishDeadLetter } from "./dead-letter.js";
import { consumeWithRestarts, openConsumerMessages } from "./consumer-messages.js";

/** What a handler decided for one message. The runner does the acking. */
export type Outcome =
  | { kind: "ack" }
  | { kind: "retry"; error: unknown }
  | { kind: "dead_letter"; reason: string };

export interface BatchItem<T> {
  msg: JsMsg;
  payload: T;
}

export type OutcomeKind = "acked" | "retried" | "dead_lettered";

export interface RunConsumerOptions<T> {
  js: JetStreamClient;
  names: Names;
  stream: string;
  durable: string;
  /** Parse and validate one message; a throw means bad input and dead-letters it. */
  decode: (data: Uint8Array) => T;
  /** Process a batch; return one outcome per item, in order. A throw retries the whole batch. */
  handle: (items: BatchItem<T>[]) => Promise<Outcome[]>;
  maxDeliver: number;
  /** Messages buffered from the server and being processed, at most. */
  maxInFlight: number;
  /** Messages handed to `handle` at once, at most. */
  batchSize?: number;
  /** Batches processed concurrently, at most. */
  concurrency?: number;
  logger: Logger;
  onOutcome?: (kind: OutcomeKind, count: number) => void;
  onBatch?: (size: number, ms: number) => void;
}

export interface ConsumerRunner {
  /** True while pulling from the server. */
  isRunning(): boolean;
  /** Stop pulling, finish in-flight batches (at most timeoutMs), nak what was buffered but not started. */
  stop(timeoutMs?: number): Promise<void>;
}

export const DEFAULT_BATCH_SIZE = 128;
export const DEFAULT_CONCURRENCY = 4;
/**
 * A partial batch takes a free slot while others run once it holds this fraction of a batch.
 * (Also letting it go after waiting 2 ms was measured: no better than launching every turn.)
 */
const MIN_BATCH_FRACTION = 1 / 8;

export function runConsumer<T>(options: RunConsumerOptions<T>): ConsumerRunner {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const log = options.logger.child({ stream: options.stream, consumer: options.durable });
  let stopping = false;
  let running = false;
  let messages: ConsumerMessages | undefined;
  const inflight = new Set<Promise<void>>();
  let stopPromise: Promise<void> | undefined;

  async function settle(msg: JsMsg, outcome: Outcome): Promise<OutcomeKind> {
    if (outcome.kind === "ack") {
      msg.ack();
      return "acked";
    }
    const deliveries = msg.info.deliveryCount;
    if (outcome.kind === "retry" && isRetryable(outcome.error) && deliveries < options.maxDeliver) {
      msg.nak(retryDelayMs(deliveries));
      return "retried";
    }
    const reason =
      outcome.kind === "dead_letter"
        ? outcome.reason
        : isRetryable(outcome.error)
          ? `max deliveries (${options.maxDeliver}) exhausted: ${errorMessage(outcome.error)}`
          : `${errorCodeOf(outcome.error)}: ${errorMessage(outcome.error)}`;
    try {
      await publishDeadLetter(options.js, options.names, {
        subject: msg.subject,
        data: msg.data,
        headers: msg.headers,
        reason,
        stream: options.stream,
        streamSeq: msg.info.streamSequence,
      });
    } catch (err) {
      // Never drop a message because the dead-letter stream was unreachable: try it again later.
      log.error({ err: errorMessage(err) }, "dead-letter publish failed; will retry the message");
      msg.nak(retryDelayMs(deliveries));
      return "retried";
    }
    // nats-server 2.9 ignores term(reason): the reason travels in the dead letter's headers.
    msg.term();
    log.warn({ seq: msg.info.streamSequence, reason }, "message dead-lettered");
    return "dead_lettered";
  }

  async function processBatch(batch: JsMsg[]): Promise<void> {
    const started = performance.now();
    const items: BatchItem<T>[] = [];
    const settled: Promise<OutcomeKind>[] = [];
    for (const msg of batch) {
      try {
        items.push({ msg, payload: options.decode(msg.data) });
      } catch (err) {
        // Whatever decode throws, the message itself is bad: it can never succeed.
        const code = err instanceof OptoutError ? err.code : ERROR_CODES.INVALID_PAYLOAD;
        settled.push(settle(msg, { kind: "dead_letter", reason: `${code}: ${errorMessage(err)}` }));
      }
    }
    if (items.length > 0) {
      let outcomes: Outcome[];
      try {
        outcomes = await options.handle(items);
        if (outcomes.length !== items.length) throw new Error(`handler returned ${outcomes.length} outcomes for ${items.length} messages`);
      } catch (err) {
        log.warn({ err: errorMessage(err), code: errorCodeOf(err), size: items.length }, "batch failed; retrying");
        outcomes = items.map(() => ({ kind: "retry", error: err }));
      }
      items.forEach((item, i) => settled.push(settle(item.msg, outcomes[i]!)));
    }
    const kinds = await Promise.all(settled);
    for (const kind of ["acked", "retried", "dead_lettered"] as const) {
      const n = kinds.filter((k) => k === kind).length;
      if (n > 0) options.onOutcome?.(kind, n);
    }
    options.onBatch?.(batch.length, performance.now() - started);
  }

  function launch(batch: JsMsg[], onSettled: () => void): void {
    const p = processBatch(batch)
      .catch((err) => log.error({ err: errorMessage(err) }, "batch processing crashed"))
      .finally(() => {
        inflight.delete(p);
        onSettled();
      });
    inflight.add(p);
  }

  async function consumeOnce(): Promise<void> {
    messages = await openConsumerMessages(options.js, options.stream, options.durable, options.maxInFlight, log);
    const current = messages;
    running = true;

    const pending: JsMsg[] = [];
    let flushScheduled = false;
    // Group commit: a full batch goes at once; a partial one goes at the end of a turn (the
    // messages already buffered arrive in the same turn) when nothing is in flight, or when a
    // slot is free and it holds MIN_BATCH_FRACTION of a batch. Otherwise it waits for a running
    // batch to finish. At moderate rates this sends fewer, larger transactions than one per
    // turn (each costs a commit and its round trips, and concurrent small ones slow each other
    // down); under load batches fill up and run `concurrency` at a time as before.
    const minBatch = Math.max(1, Math.floor(batchSize * MIN_BATCH_FRACTION));
    const flush = (force: boolean) => {
      flushScheduled = false;
      while (pending.length > 0) {
        const worthASlot = inflight.size === 0 || (inflight.size < concurrency && pending.length >= minBatch);
        if (!force && pending.length < batchSize && !worthASlot) return;
        launch(pending.splice(0, batchSize), onSettled);
      }
    };
    const schedule = () => {
      if (flushScheduled) return;
      flushScheduled = true;
      setImmediate(() => flush(false));
    };
    const onSettled = () => {
      if (pending.length > 0) schedule();
    };
    for await (const msg of current) {
      if (stopping) {
        // Buffered after stop began: hand it back at once for another replica.
        msg.nak();
        continue;
      }
      pending.push(msg);
      if (pending.length >= batchSize) flush(false);
      else schedule();
      while (inflight.size >= concurrency) await Promise.race(inflight);
    }
    flush(true);
    running = false;
  }

  const loop = consumeWithRestarts(
    consumeOnce,
    () => stopping,
    (err) => {
      running = false;
      log.error({ err: errorMessage(err) }, "consumer failed; restarting");
    },
  );

  return {
    isRunning: () => running && !stopping,
    stop(timeoutMs = 10_000) {
      stopPromise ??= (async () => {
        stopping = true;
        await messages?.close().catch(() => undefined);
        // Batches launched by the loop's last flush join `inflight` after this point.
        const drained = (async () => {
          await loop;
          while (inflight.size > 0) await Promise.all(inflight);
        })();
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<void>((resolve) => {
          timer = setTimeout(() => {
            log.warn({ inflight: inflight.size }, "stop timed out with batches in flight; they will be redelivered");
            resolve();
          }, timeoutMs);
        });
        await Promise.race([drained, timeout]);
        clearTimeout(timer);
        running = false;
      })();
      return stopPromise;
    },
  };
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
