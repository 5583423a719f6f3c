/**
 * Replaying dead letters: publish each one's body to the subject it was first published to,
 * with its original headers (minus what dead-lettering added), then delete it from the
 * dead-letter stream once the publish is acknowledged.
 *
 * Why this is safe to repeat:
 * - the replay's Nats-Msg-Id is `replay:<dlq stream>:<dlq seq>`, so replaying the same dead
 *   letter twice within the stream's duplicate window stores one message;
 * - the payload (and its `id`) is unchanged, and the recorders are idempotent on the source id,
 *   so a message that was recorded meanwhile (its gateway retried it) records nothing new;
 * - the dead letter is deleted only after the publish is stored: a crash in between leaves it
 *   for the next replay.
 * Dead letters are replayed one at a time, in stream order: a STOP and a later START of the same
 * number keep their order.
 */
import { headers as natsHeaders, type MsgHdrs } from "@nats-io/nats-core";
import { JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream";
import { InvalidPayloadError, type Names } from "@optout/core";
import { DEFAULT_PUBLISH_TIMEOUT_MS } from "./publish.js";
import { DLQ_HEADER_PREFIX, DLQ_SUBJECT_HEADER } from "./dead-letter.js";
import {
  natsCall,
  readDeadLetter,
  scanDeadLetters,
  type DeadLetterBus,
  type DeadLetterFilter,
  type RawDeadLetter,
} from "./dead-letters.js";

/** On a replayed message: the dead-letter sequence it came from. */
export const REPLAY_OF_HEADER = "Optout-Replay-Of";
/** Items a report lists one by one; the counts cover everything. */
export const MAX_REPORTED_REPLAY_ITEMS = 1000;

export type ReplaySelection =
  /** These dead-letter sequences (duplicates ignored). */
  | { seqs: readonly number[] }
  /** Every dead letter passing the filter (an empty filter: all of them), at most `limit`. */
  | { filter: DeadLetterFilter; limit?: number };

export interface ReplayProgress {
  /** Dead letters handled so far. */
  done: number;
  replayed: number;
  skipped: number;
  failed: number;
}

export interface ReplayOptions {
  /** Report what would be replayed; publish and delete nothing. */
  dryRun?: boolean;
  /** Keep the dead letters after replaying them (default: delete each once its publish is stored). */
  keep?: boolean;
  /** Called after each dead letter. */
  onProgress?: (progress: ReplayProgress) => void;
  publishTimeoutMs?: number;
}

export type ReplayOutcome = "replayed" | "would_replay" | "skipped" | "failed";

export interface ReplayItem {
  seq: number;
  /** Where it was (or would be) published: the original subject. */
  subject: string | null;
  outcome: ReplayOutcome;
  /** Why it was skipped or failed, or a note on a replay (a duplicate, a dead letter that could not be deleted). */
  message?: string;
  /** Replayed and removed from the dead-letter stream. */
  deleted?: boolean;
}

export interface ReplayReport {
  dryRun: boolean;
  keep: boolean;
  /** Dead letters found (by sequence or by filter). */
  matched: number;
  /** Published to their original subject (0 in a dry run). */
  replayed: number;
  /** Dry run: would have been published. */
  wouldReplay: number;
  /** Asked-for sequences with no dead letter, and dead letters that name no subject of this installation. */
  skipped: number;
  /** The publish failed: the dead letter stays. */
  failed: number;
  /** The first MAX_REPORTED_REPLAY_ITEMS dead letters handled. */
  items: ReplayItem[];
  itemsOmitted: number;
}

/** The Nats-Msg-Id of a replay: one per dead letter, so a repeated replay is de-duplicated. */
export function replayMsgId(dlqStream: string, dlqSeq: number): string {
  return `replay:${dlqStream}:${dlqSeq}`;
}

/**
 * The original headers without those dead-lettering added and without `Nats-*` ones: the
 * replay sets its own Nats-Msg-Id, and an original expectation (Nats-Expected-Last-Sequence,
 * a rollup...) would refuse or damage the replay.
 */
export function replayHeaders(original: MsgHdrs | undefined, dlqSeq: number): MsgHdrs {
  const h = natsHeaders();
  if (original) {
    for (const [k, values] of original) {
      const key = k.toLowerCase();
      if (
        key.startsWith(DLQ_HEADER_PREFIX) ||
        key.startsWith("nats-") ||
        key === REPLAY_OF_HEADER.toLowerCase()
      )
        continue;
      for (const v of values) h.append(k, v);
    }
  }
  h.set(REPLAY_OF_HEADER, String(dlqSeq));
  return h;
}

/** A subject a replay may publish to: this installation's, and not a dead-letter subject (no loops). */
function replayableSubject(names: Names, subject: string | null): subject is string {
  return (
    subject !== null &&
    subject.startsWith(`${names.namespace}.`) &&
    !subject.startsWith(`${names.namespace}.dlq.`) &&
    !/[\s*>]/.test(subject)
  );
}

async function replayOne(
  bus: DeadLetterBus,
  letter: RawDeadLetter,
  options: ReplayOptions,
): Promise<ReplayItem> {
  const subject = letter.headers?.get(DLQ_SUBJECT_HEADER) || null;
  if (!replayableSubject(bus.names, subject)) {
    return {
      seq: letter.seq,
      subject,
      outcome: "skipped",
      message: `no original subject of namespace "${bus.names.namespace}" in ${DLQ_SUBJECT_HEADER}`,
    };
  }
  if (options.dryRun) return { seq: letter.seq, subject, outcome: "would_replay" };
  let duplicate: boolean;
  try {
    const ack = await bus.js.publish(subject, letter.data, {
      headers: replayHeaders(letter.headers, letter.seq),
      msgID: replayMsgId(bus.names.streams.dlq, letter.seq),
      timeout: options.publishTimeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS,
    });
    duplicate = ack.duplicate;
  } catch (err) {
    return {
      seq: letter.seq,
      subject,
      outcome: "failed",
      message: `publish to ${subject} failed: ${(err as Error).message}`,
    };
  }
  const note = duplicate ? "already replayed within the duplicate window: stored once" : undefined;
  if (options.keep)
    return {
      seq: letter.seq,
      subject,
      outcome: "replayed",
      deleted: false,
      ...(note ? { message: note } : {}),
    };
  try {
    await bus.jsm.streams.deleteMessage(bus.names.streams.dlq, letter.seq, false);
  } catch (err) {
    // Another replay deleted it first: the same end state.
    if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.NoMessageFound)) {
      return {
        seq: letter.seq,
        subject,
        outcome: "replayed",
        deleted: false,
        message: `replayed, but the dead letter could not be deleted (${(err as Error).message}): a second replay is harmless`,
      };
    }
  }
  return { seq: letter.seq, subject, outcome: "replayed", deleted: true, ...(note ? { message: note } : {}) };
}

async function* selected(
  bus: DeadLetterBus,
  selection: ReplaySelection,
  through: number,
): AsyncGenerator<RawDeadLetter | { missing: number }> {
  if ("seqs" in selection) {
    for (const seq of new Set(selection.seqs)) {
      const letter = await readDeadLetter(bus, seq);
      yield letter ?? { missing: seq };
    }
    return;
  }
  const limit = selection.limit ?? Number.POSITIVE_INFINITY;
  let count = 0;
  for await (const { letter, matches } of scanDeadLetters(bus, selection.filter, { through })) {
    if (!matches) continue;
    yield letter;
    if (++count >= limit) return;
  }
}

/** Replay dead letters by sequence or by filter; see the module comment for why a repeat is harmless. */
export async function replayDeadLetters(
  bus: DeadLetterBus,
  selection: ReplaySelection,
  options: ReplayOptions = {},
): Promise<ReplayReport> {
  if ("seqs" in selection) {
    const bad = selection.seqs.find((s) => !Number.isSafeInteger(s) || s < 1);
    if (bad !== undefined)
      throw new InvalidPayloadError(`dead-letter sequences are positive whole numbers, not ${String(bad)}`);
  } else if (selection.limit !== undefined && (!Number.isInteger(selection.limit) || selection.limit < 1)) {
    throw new InvalidPayloadError(`"limit" must be a positive integer`);
  }
  // Fails before anything is replayed when the stream is missing (wrong namespace). A replay that
  // fails again is dead-lettered again, after this sequence: a filter replay stops here.
  const info = await natsCall(bus, "reading the dead-letter stream", () =>
    bus.jsm.streams.info(bus.names.streams.dlq),
  );
  const report: ReplayReport = {
    dryRun: options.dryRun ?? false,
    keep: options.keep ?? false,
    matched: 0,
    replayed: 0,
    wouldReplay: 0,
    skipped: 0,
    failed: 0,
    items: [],
    itemsOmitted: 0,
  };
  let done = 0;
  for await (const entry of selected(bus, selection, info.state.last_seq)) {
    let item: ReplayItem;
    if ("missing" in entry) {
      item = {
        seq: entry.missing,
        subject: null,
        outcome: "skipped",
        message: "no dead letter with this sequence (replayed already, deleted or expired)",
      };
    } else {
      report.matched++;
      item = await replayOne(bus, entry, options);
    }
    if (item.outcome === "replayed") report.replayed++;
    else if (item.outcome === "would_replay") report.wouldReplay++;
    else if (item.outcome === "skipped") report.skipped++;
    else if (item.outcome === "failed") report.failed++;
    if (report.items.length < MAX_REPORTED_REPLAY_ITEMS) report.items.push(item);
    else report.itemsOmitted++;
    done++;
    options.onProgress?.({ done, replayed: report.replayed, skipped: report.skipped, failed: report.failed });
  }
  return report;
}
