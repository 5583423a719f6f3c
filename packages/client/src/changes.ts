/**
 * `changes()`: follow the change feed (`<ns>.events.<channel>.<action>`, stored in the
 * `<NS>_EVENTS` stream) from a saved position, and save positions as the caller acks.
 *
 * Reading uses an ordered consumer: ephemeral, in memory on the server, no server-side acks,
 * recreated by the client from the last sequence it saw if it stalls. Nothing on the server
 * remembers the follower, so the position is the follower's: the stream sequence of each event
 * is its position, and `ack()` saves the highest position up to which every yielded event was
 * acked. After a restart (or a crash) the feed starts right after the saved position: an event
 * is never skipped, and one handled but not yet saved is delivered again (at-least-once). Works
 * on nats-server 2.9 (one filter subject, no newer consumer features).
 */
import { join } from "node:path";
import {
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type ConsumerMessages,
  type JetStreamClient,
  type JsMsg,
  type OrderedConsumerOptions,
} from "@nats-io/jetstream";
import {
  DependencyUnavailableError,
  InvalidPayloadError,
  NotFoundError,
  OptoutError,
  type Names,
} from "@optout/core";
import type { ChangeEvent, Channel, OptAction } from "@optout/schemas";
import { AckTracker } from "./ack-tracker.js";
import { ChangeFeedGapError } from "./errors.js";
import { filePositionStore, type PositionStore } from "./position-store.js";

export interface ChangesOptions {
  /**
   * Where the position is kept: a PositionStore, or the path of a file (filePositionStore).
   * Default: `.optout/changes.<namespace>.json` under the working directory.
   */
  store?: PositionStore | string;
  /** Only this channel's events (filtered on the server). */
  channel?: Channel;
  /** Only opt-outs or only opt-ins (filtered on the server). */
  action?: OptAction;
  /** With no saved position: every event the stream still holds (default), or only new ones. */
  from?: "beginning" | "new";
  /**
   * The saved position is older than the stream's oldest event (or newer than its newest):
   * "throw" a ChangeFeedGapError (default: events would be missed silently otherwise), or
   * "skip" to the oldest event the stream holds.
   */
  onGap?: "throw" | "skip";
}

/** One change event and where it is in the feed. */
export interface Change {
  /** Its stream sequence: what `ack()` saves, and what the feed resumes after. */
  readonly position: number;
  readonly subject: string;
  readonly event: ChangeEvent;
  /** When the event was stored in the stream. */
  readonly storedAt: Date;
  /**
   * Done with this event. The saved position moves up to the highest position whose event and
   * every earlier one were acked; the promise resolves once that is saved.
   */
  ack(): Promise<void>;
}

export interface ChangeFeed extends AsyncIterable<Change> {
  /** The last saved position (undefined until one is saved or loaded). */
  readonly position: number | undefined;
  /** Stop following: ends the iteration, waits for positions being saved, deletes the server's consumer. Idempotent. */
  close(): Promise<void>;
}

export interface ChangesContext {
  js: JetStreamClient;
  names: Names;
}

export function defaultPositionPath(namespace: string): string {
  return join(process.cwd(), ".optout", `changes.${namespace}.json`);
}

const decoder = new TextDecoder();

/** JetStream failures as typed errors: a missing stream is a wrong namespace, anything else NATS being unavailable. */
function typedNatsError(err: unknown, stream: string, namespace: string): OptoutError {
  if (err instanceof OptoutError) return err;
  if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)
    return new NotFoundError(
      `no change feed stream ${stream}: check the namespace ("${namespace}"); the workers create it at start`,
      { cause: err },
    );
  return new DependencyUnavailableError("nats", `reading ${stream} failed: ${(err as Error).message}`, {
    cause: err,
  });
}

/** The event's JSON; anything else in the stream is reported with its position (save past it to skip it). */
function parseEvent(m: JsMsg, stream: string): ChangeEvent {
  try {
    return JSON.parse(decoder.decode(m.data)) as ChangeEvent;
  } catch (err) {
    throw new InvalidPayloadError(`${stream} #${m.seq} (${m.subject}) is not a JSON change event`, {
      cause: err,
      details: { position: m.seq },
    });
  }
}

export function followChanges(ctx: ChangesContext, options: ChangesOptions = {}): ChangeFeed {
  const { names } = ctx;
  const stream = names.streams.events;
  const store =
    typeof options.store === "string"
      ? filePositionStore(options.store)
      : (options.store ?? filePositionStore(defaultPositionPath(names.namespace)));
  const filter =
    options.channel || options.action
      ? names.subjects.event(options.channel ?? "*", options.action ?? "*")
      : undefined;
  let tracker: AckTracker | undefined;
  let saved: number | undefined;
  let saving: Promise<void> = Promise.resolve();
  let messages: ConsumerMessages | undefined;
  let deleteConsumer: (() => Promise<unknown>) | undefined;
  let closed = false;
  let closing: Promise<void> | undefined;
  let iterating = false;

  /** Save the committed position, one save at a time, skipping what a later save covers. */
  function persist(): Promise<void> {
    saving = saving.then(async () => {
      const target = tracker?.committed;
      if (target === undefined || (saved !== undefined && target <= saved)) return;
      await store.save(target);
      saved = target;
    });
    return saving;
  }

  /** Where to start: after the saved position, unless the stream no longer holds what follows it. */
  async function startOptions(position: number | undefined): Promise<Partial<OrderedConsumerOptions>> {
    const opts: Partial<OrderedConsumerOptions> = filter ? { filter_subjects: filter } : {};
    if (position === undefined) {
      if (options.from === "new") opts.deliver_policy = DeliverPolicy.New;
      return opts;
    }
    const { state } = await (await ctx.js.streams.get(stream)).info(true);
    // An empty stream reports first_seq = last_seq + 1: a follower that saw everything has no gap.
    const gap = position + 1 < state.first_seq || position > state.last_seq;
    if (gap && options.onGap !== "skip")
      throw new ChangeFeedGapError(stream, position, state.first_seq, state.last_seq);
    opts.opt_start_seq = gap ? state.first_seq : position + 1;
    return opts;
  }

  async function* iterate(): AsyncGenerator<Change> {
    if (iterating) throw new Error("a change feed is iterated once: open another with changes()");
    iterating = true;
    // The store's own failures (a damaged file, a permission) are its to report, as they are.
    saved = await store.load();
    tracker = new AckTracker(saved);
    try {
      const opts = await startOptions(saved);
      if (closed) return;
      const consumer = await ctx.js.consumers.get(stream, opts);
      deleteConsumer = () => consumer.delete();
      messages = await consumer.consume();
      if (closed) messages.stop();
      // Errors of the caller's loop body do not come here: leaving the loop returns the generator.
      for await (const m of messages) yield toChange(m, tracker);
    } catch (err) {
      throw typedNatsError(err, stream, names.namespace);
    } finally {
      await close();
      // A close() that came while the consumer was being created could not delete it (a second
      // delete of the same consumer is refused by the server, and ignored).
      await deleteConsumer?.().catch(() => undefined);
    }
  }

  function toChange(m: JsMsg, acks: AckTracker): Change {
    const position = m.seq;
    acks.yielded(position);
    return {
      position,
      subject: m.subject,
      // The recorders validated it before publishing; parsed, not validated again, so a newer
      // server's optional fields do not stop an older client.
      event: parseEvent(m, stream),
      storedAt: new Date(Math.floor(m.info.timestampNanos / 1e6)),
      ack: () => (acks.ack(position) === undefined ? saving : persist()),
    };
  }

  function close(): Promise<void> {
    closed = true;
    closing ??= (async () => {
      messages?.stop();
      await saving;
      await deleteConsumer?.().catch(() => undefined);
    })();
    return closing;
  }

  return {
    get position() {
      return saved;
    },
    [Symbol.asyncIterator]: () => iterate(),
    close,
  };
}
