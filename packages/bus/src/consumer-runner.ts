import type { ConsumerMessages, JetStreamClient, JsMsg } from "@nats-io/jetstream";
import { ERROR_CODES, errorCodeOf, isRetryable, OptoutError, type Logger, type Names } from "@optout/core";
import { retryDelayMs } from "./backoff.js";
import { publishDeadLetter } from "./dead-letter.js";
import { openConsumerMessages, RELEASE_DELAY_MS } from "./consumer-messages.js";
import { errorMessage, runIsolated, type BatchItem, type Outcome, type Resolution } from "./isolation.js";
import { sleep, waitForDependencies, type OutageGate } from "./outage.js";

export type { BatchItem, Outcome } from "./isolation.js";

export type OutcomeKind = "acked" | "retried" | "dead_lettered" | "released";

export interface RunConsumerOptions<T> {
  js: JetStreamClient;
  names: Names;
  stream: string;
  durable: string;
  /** Parse and validate one message; a throw means bad input and dead-letters it. */
  decode: (data: Uint8Array) => T;
  /**
   * Process a batch; return one outcome per item, in order. A throw is isolated: waited out when
   * a dependency is down, else the batch is split until the message at fault is found.
   */
  handle: (items: BatchItem<T>[]) => Promise<Outcome[]>;
  maxDeliver: number;
  /** Messages buffered from the server and being processed, at most. */
  maxInFlight: number;
  /** Messages handed to `handle` at once, at most (1: each message settles on its own). */
  batchSize?: number;
  /** Batches processed concurrently, at most. */
  concurrency?: number;
  /** The consumer's ack wait: messages held longer (slow work, an outage) are kept alive with working(). */
  ackWaitMs?: number;
  /** Which dependencies are down: failures during an outage wait instead of spending deliveries. */
  gate?: OutageGate;
  /** First and longest pause between probes while waiting out an outage. */
  outageProbeMs?: { first?: number; max?: number };
  logger: Logger;
  onOutcome?: (kind: OutcomeKind, count: number) => void;
  onBatch?: (size: number, ms: number) => void;
  /** After a message went to the dead-letter stream (e.g. to release state kept for it elsewhere). */
  onDeadLettered?: (msg: JsMsg, reason: string) => Promise<void>;
}

export interface ConsumerRunner {
  /** True while pulling from the server (false while waiting out an outage). */
  isRunning(): boolean;
  /** The dependencies an outage wait is for; empty when not waiting. */
  waitingFor(): readonly string[];
  /** Stop pulling, release what was pulled but not started, finish in-flight batches (at most timeoutMs). */
  stop(timeoutMs?: number): Promise<void>;
}

/**
 * Messages per transaction. 512 (with MAX_IN_FLIGHT 1,024) records ~24% more opt-outs per second
 * than 128 on the ingest bench (5,300-5,400 vs 4,000-4,350/s, docs/performance.md round three):
 * the fixed cost of a batch (about ten statements, one publish batch) is spread wider. A batch
 * only fills under load: at low rates a partial batch still goes at once.
 */
export const DEFAULT_BATCH_SIZE = 512;
export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_ACK_WAIT_MS = 30_000;
/**
 * A partial batch takes a free slot while others run once it holds this fraction of a batch.
 * (Also letting it go after waiting 2 ms was measured: no better than launching every turn.)
 */
const MIN_BATCH_FRACTION = 1 / 8;
/** Pause before opening a new subscription after one failed or closed. */
const RESTART_DELAY_MS = 1_000;

export function runConsumer<T>(options: RunConsumerOptions<T>): ConsumerRunner {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const log = options.logger.child({ stream: options.stream, consumer: options.durable });
  const stopSignal = new AbortController();
  let stopping = false;
  let running = false;
  let messages: ConsumerMessages | undefined;
  /** Every message received and not yet settled: kept alive, handed back on stop. */
  const live = new Set<JsMsg>();
  /** Received, not yet handed to a batch. */
  let pending: JsMsg[] = [];
  const inflight = new Set<Promise<void>>();
  let stopPromise: Promise<void> | undefined;

  // Outage waits in progress; pulling stops while there is one.
  let outageWaits = 0;
  let waitingFor: string[] = [];
  let pauseBegan = deferred();
  let resumed = deferred();

  const ackWaitMs = options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
  const keepAlive = setInterval(
    () => {
      for (const msg of live) msg.working();
    },
    Math.max(200, Math.floor(ackWaitMs / 3)),
  );
  keepAlive.unref();

  async function waitOutOutage(down: string[]): Promise<boolean> {
    if (stopping) return false;
    if (outageWaits++ === 0) {
      waitingFor = down;
      log.warn(
        { down },
        "dependency down: pausing this consumer until it answers (messages are held, not retried)",
      );
      options.gate?.onPause?.(true, down);
      resumed = deferred();
      pauseBegan.resolve();
      // The subscription stays open and what it brings is held (kept alive, not started): a
      // closed subscription loses the messages of its outstanding pulls in transit, and the
      // server would redeliver them later, spending a delivery each. The server's
      // max_ack_pending bounds what can be held.
    }
    try {
      return await waitForDependencies({
        gate: options.gate!,
        signal: stopSignal.signal,
        ...(options.outageProbeMs?.first === undefined ? {} : { firstProbeMs: options.outageProbeMs.first }),
        ...(options.outageProbeMs?.max === undefined ? {} : { maxProbeMs: options.outageProbeMs.max }),
      });
    } finally {
      if (--outageWaits === 0) {
        log.info({ was: waitingFor }, "dependencies answer again: resuming");
        options.gate?.onPause?.(false, waitingFor);
        waitingFor = [];
        pauseBegan = deferred();
        resumed.resolve();
        schedule();
      }
    }
  }

  async function settle(msg: JsMsg, resolution: Resolution): Promise<OutcomeKind> {
    live.delete(msg);
    if (resolution.kind === "ack") {
      msg.ack();
      return "acked";
    }
    if (resolution.kind === "release") {
      msg.nak(RELEASE_DELAY_MS);
      return "released";
    }
    const deliveries = msg.info.deliveryCount;
    if (resolution.kind === "retry" && isRetryable(resolution.error) && deliveries < options.maxDeliver) {
      msg.nak(resolution.delayMs ?? retryDelayMs(deliveries));
      return "retried";
    }
    const reason =
      resolution.kind === "dead_letter"
        ? resolution.reason
        : isRetryable(resolution.error)
          ? `max deliveries (${options.maxDeliver}) exhausted: ${errorMessage(resolution.error)}`
          : `${errorCodeOf(resolution.error)}: ${errorMessage(resolution.error)}`;
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
    await options
      .onDeadLettered?.(msg, reason)
      .catch((err: unknown) => log.error({ err: errorMessage(err) }, "dead-letter hook failed"));
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
      const resolutions = await runIsolated(items, {
        handle: options.handle,
        gate: options.gate,
        waitOutOutage,
        log,
      });
      items.forEach((item, i) => settled.push(settle(item.msg, resolutions[i]!)));
    }
    const kinds = await Promise.all(settled);
    for (const kind of ["acked", "retried", "dead_lettered", "released"] as const) {
      const n = kinds.filter((k) => k === kind).length;
      if (n > 0) options.onOutcome?.(kind, n);
    }
    options.onBatch?.(batch.length, performance.now() - started);
  }

  function launch(batch: JsMsg[]): void {
    const p = processBatch(batch)
      .catch((err) => log.error({ err: errorMessage(err) }, "batch processing crashed"))
      .finally(() => {
        inflight.delete(p);
        if (pending.length > 0) schedule();
      });
    inflight.add(p);
  }

  // Group commit: a full batch goes at once; a partial one goes at the end of a turn (the
  // messages already buffered arrive in the same turn) when nothing is in flight, or when a
  // slot is free and it holds MIN_BATCH_FRACTION of a batch. Otherwise it waits for a running
  // batch to finish. At moderate rates this sends fewer, larger transactions than one per
  // turn; under load batches fill up and run `concurrency` at a time.
  const minBatch = Math.max(1, Math.floor(batchSize * MIN_BATCH_FRACTION));
  let flushScheduled = false;
  function flush(force: boolean): void {
    flushScheduled = false;
    if (stopping || outageWaits > 0) return;
    while (pending.length > 0) {
      const worthASlot = inflight.size === 0 || (inflight.size < concurrency && pending.length >= minBatch);
      if (!force && pending.length < batchSize && !worthASlot) return;
      launch(pending.splice(0, batchSize));
    }
  }
  function schedule(): void {
    if (flushScheduled) return;
    flushScheduled = true;
    setImmediate(() => flush(false));
  }

  async function consumeOnce(): Promise<void> {
    messages = await openConsumerMessages(
      options.js,
      options.stream,
      options.durable,
      options.maxInFlight,
      log,
    );
    const current = messages;
    running = true;
    try {
      for await (const msg of current) {
        if (stopping) {
          // Buffered after stop began: hand it back for another replica (after this one's pulls expired).
          msg.nak(RELEASE_DELAY_MS);
          continue;
        }
        live.add(msg);
        pending.push(msg);
        if (outageWaits > 0) continue; // held until the outage ends
        if (pending.length >= batchSize) flush(false);
        else schedule();
        // Backpressure: stop taking from the iterator (so it stops pulling) while every slot is
        // busy, unless an outage begins, when the rest of the buffer must come out to be held.
        while (!stopping && outageWaits === 0 && inflight.size >= concurrency) {
          await Promise.race([...inflight, pauseBegan.promise]);
        }
      }
    } finally {
      running = false;
    }
    if (!stopping && outageWaits === 0) flush(true);
  }

  const loop = (async () => {
    while (!stopping) {
      if (outageWaits > 0) {
        await Promise.race([resumed.promise, sleep(60_000, stopSignal.signal)]);
        continue;
      }
      try {
        await consumeOnce();
      } catch (err) {
        if (stopping) break;
        log.error({ err: errorMessage(err) }, "consumer failed; restarting");
      }
      if (!stopping && outageWaits === 0) await sleep(RESTART_DELAY_MS, stopSignal.signal);
    }
  })();

  return {
    isRunning: () => running && !stopping && outageWaits === 0,
    waitingFor: () => waitingFor,
    stop(timeoutMs = 10_000) {
      stopPromise ??= (async () => {
        stopping = true;
        // Wakes outage waits (their messages are released) and the restart pause.
        stopSignal.abort();
        await messages?.close().catch(() => undefined);
        // Pulled but not started: another replica gets them within seconds instead of after ACK_WAIT.
        const notStarted = pending;
        pending = [];
        for (const msg of notStarted) {
          live.delete(msg);
          msg.nak(RELEASE_DELAY_MS);
        }
        if (notStarted.length > 0) options.onOutcome?.("released", notStarted.length);
        const drained = (async () => {
          await loop;
          while (inflight.size > 0) await Promise.all(inflight);
        })();
        let timer: NodeJS.Timeout | undefined;
        const timedOut = await Promise.race([
          drained.then(() => false),
          new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(true), timeoutMs);
          }),
        ]);
        clearTimeout(timer);
        if (timedOut) {
          // Still running: hand them back now; the batch finishing later acks harmlessly
          // (recording is idempotent on the source id).
          log.warn(
            { inflight: inflight.size, messages: live.size },
            "stop timed out with batches in flight; releasing their messages",
          );
          for (const msg of live) msg.nak(RELEASE_DELAY_MS);
          live.clear();
        }
        clearInterval(keepAlive);
        running = false;
      })();
      return stopPromise;
    },
  };
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
