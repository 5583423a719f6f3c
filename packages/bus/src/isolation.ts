import { DependencyUnavailableError, errorCodeOf, isRetryable, type Logger } from "@optout/core";
import type { JsMsg } from "@nats-io/jetstream";
import type { OutageGate } from "./outage.js";

/** What a handler decided for one message. The engine does the acking. */
export type Outcome =
  | { kind: "ack" }
  /** Try again later (nak); `delayMs` overrides the engine's backoff. Counts against max deliveries. */
  | { kind: "retry"; error: unknown; delayMs?: number }
  | { kind: "dead_letter"; reason: string };

/** An outcome, or: hand the message back at once, untried (the worker is stopping). */
export type Resolution = Outcome | { kind: "release" };

export interface BatchItem<T> {
  msg: JsMsg;
  payload: T;
}

export interface IsolationContext<T> {
  handle(items: BatchItem<T>[]): Promise<Outcome[]>;
  gate?: OutageGate | undefined;
  /**
   * Wait out an outage of the named dependencies: the runner stops pulling and keeps every
   * message it holds alive meanwhile. Resolves false when the worker stops first.
   */
  waitOutOutage(down: string[]): Promise<boolean>;
  log: Logger;
}

const RELEASE: Resolution = { kind: "release" };

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** A failure that says a dependency of ours (not the webhook receiver's HTTP server) is away. */
function isOutageError(err: unknown): boolean {
  return err instanceof DependencyUnavailableError && err.dependency !== "http";
}

async function downNow(gate: OutageGate | undefined): Promise<string[]> {
  if (!gate) return [];
  return gate.down().catch(() => ["unknown"]);
}

/**
 * Run the handler so that a message can only fail itself:
 * - the handler failing while a dependency is down is an outage: wait it out, try again
 *   (no delivery is spent, nothing is dead-lettered, however long it lasts);
 * - the handler failing while every dependency answers may be one message's fault: split the
 *   batch in halves and run each on its own, down to the single culprit, which alone is
 *   retried (retryable) or dead-lettered (permanent) while the others are recorded.
 */
export async function runIsolated<T>(items: BatchItem<T>[], ctx: IsolationContext<T>): Promise<Resolution[]> {
  for (;;) {
    let outcomes: Outcome[] | undefined;
    let failure: unknown;
    try {
      outcomes = await ctx.handle(items);
      if (outcomes.length !== items.length) {
        throw new Error(`handler returned ${outcomes.length} outcomes for ${items.length} messages`);
      }
    } catch (err) {
      failure = err;
      outcomes = undefined;
    }

    if (outcomes) return retryOutagesOf(items, outcomes, ctx);

    if (isRetryable(failure)) {
      const down = await downNow(ctx.gate);
      if (down.length > 0) {
        if (!(await ctx.waitOutOutage(down))) return items.map(() => RELEASE);
        continue;
      }
    }
    if (items.length === 1) {
      return [
        isRetryable(failure)
          ? { kind: "retry", error: failure }
          : { kind: "dead_letter", reason: `${errorCodeOf(failure)}: ${errorMessage(failure)}` },
      ];
    }
    ctx.log.warn(
      { err: errorMessage(failure), code: errorCodeOf(failure), size: items.length },
      "batch failed with every dependency answering; splitting it to find the message at fault",
    );
    const mid = Math.ceil(items.length / 2);
    const left = await runIsolated(items.slice(0, mid), ctx);
    const right = await runIsolated(items.slice(mid), ctx);
    return [...left, ...right];
  }
}

/** Per-item retries that an outage caused wait it out too, instead of spending a delivery. */
async function retryOutagesOf<T>(
  items: BatchItem<T>[],
  outcomes: Outcome[],
  ctx: IsolationContext<T>,
): Promise<Resolution[]> {
  const waiting = outcomes.flatMap((o, i) => (o.kind === "retry" && isOutageError(o.error) ? [i] : []));
  if (waiting.length === 0) return outcomes;
  const down = await downNow(ctx.gate);
  if (down.length === 0) return outcomes;
  const resolutions: Resolution[] = [...outcomes];
  const again = (await ctx.waitOutOutage(down))
    ? await runIsolated(
        waiting.map((i) => items[i]!),
        ctx,
      )
    : waiting.map(() => RELEASE);
  waiting.forEach((index, j) => (resolutions[index] = again[j]!));
  return resolutions;
}
