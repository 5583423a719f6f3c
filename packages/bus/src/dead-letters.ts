/**
 * Reading the dead-letter stream (`<NS>_DLQ`, subjects `<ns>.dlq.>`): list with filters, show
 * one, for the operator CLI and the admin API. Replaying is in ./dead-letter-replay.ts.
 *
 * A list reads the stream with an ordered consumer (ephemeral, in memory, no acks: one pull
 * request per batch instead of one request per message, and deleted sequences cost nothing),
 * filtered by subject on the server when the filter names the original subject, and started at
 * the cursor or at `since`. nats-server 2.9 has no batched direct get, so this is the efficient
 * path there too. One dead letter by sequence is a plain STREAM.MSG.GET.
 */
import type { MsgHdrs } from "@nats-io/nats-core";
import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
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
import {
  DLQ_MSG_ID_HEADER,
  DLQ_REASON_HEADER,
  DLQ_STREAM_HEADER,
  DLQ_STREAM_SEQ_HEADER,
  DLQ_SUBJECT_HEADER,
} from "./dead-letter.js";

/** The connections dead-letter tools need. */
export interface DeadLetterBus {
  js: JetStreamClient;
  jsm: JetStreamManager;
  names: Names;
}

export interface DeadLetterFilter {
  /** The original subject, with or without the namespace (`inbound.sms`); NATS wildcards allowed. */
  subject?: string;
  /** Case-insensitive substring of the reason. */
  reason?: string;
  /** The `accountId` of the JSON body (link clicks carry none: they never match). */
  accountId?: string;
  /** Dead-lettered at or after (the dead letter's stream timestamp). */
  since?: Date;
  /** Dead-lettered at or before. */
  until?: Date;
}

export interface DeadLetterSummary {
  /** Sequence in the dead-letter stream: what `show` and `replay` take. */
  seq: number;
  /** When it was dead-lettered: the dead letter's own stream timestamp. */
  deadLetteredAt: string;
  /** The subject it was published to (null: not written by publishDeadLetter). */
  subject: string | null;
  reason: string;
  /** The original's stream and sequence, and its Nats-Msg-Id (dead letters written before these headers existed: null). */
  stream: string | null;
  streamSeq: number | null;
  msgId: string | null;
  accountId: string | null;
  /** Body size in bytes. */
  size: number;
}

export type DeadLetterBody =
  | { encoding: "json"; value: unknown }
  | { encoding: "utf8"; value: string }
  /** Not UTF-8. */
  | { encoding: "base64"; value: string };

export interface DeadLetterDetail extends DeadLetterSummary {
  /** The dead letter's own subject, `<ns>.dlq.<rest>`. */
  dlqSubject: string;
  headers: Record<string, string[]>;
  body: DeadLetterBody;
}

export interface ListDeadLettersOptions extends DeadLetterFilter {
  /** Start after this dead-letter sequence (the `last` of the previous page). */
  after?: number;
  /** Items per page (default DEFAULT_DEAD_LETTER_PAGE_SIZE). */
  limit?: number;
  /** Stop after examining this many dead letters even if the page is not full (hasMore then says whether to go on). */
  maxScanned?: number;
}

export interface DeadLetterPage {
  items: DeadLetterSummary[];
  /** The last sequence examined (or `after` when none was): pass it as `after` to continue. */
  last: number;
  /** More dead letters follow `last` (some may not match the filter). */
  hasMore: boolean;
  /** Dead letters examined for this page. */
  scanned: number;
}

export const DEFAULT_DEAD_LETTER_PAGE_SIZE = 100;
/** Messages per pull request of a scan. */
const SCAN_BATCH = 256;
/** How long one pull waits when fewer messages than asked for are left (only at the end of a scan). */
const SCAN_FETCH_EXPIRES_MS = 2_000;

/** A dead letter as read from the stream. */
export interface RawDeadLetter {
  seq: number;
  dlqSubject: string;
  headers: MsgHdrs | undefined;
  data: Uint8Array;
  time: Date;
}

// ---- errors ---------------------------------------------------------------------------------

/** NATS failures become typed errors: the stream missing is the operator's to fix, anything else is NATS being unavailable. */
export async function natsCall<T>(bus: DeadLetterBus, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof OptoutError) throw err;
    if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound) {
      throw new NotFoundError(
        `no dead-letter stream ${bus.names.streams.dlq}: check OPTOUT_NAMESPACE ("${bus.names.namespace}"); the workers create the stream at start`,
        { cause: err },
      );
    }
    throw new DependencyUnavailableError("nats", `${what} failed: ${(err as Error).message}`, { cause: err });
  }
}

// ---- decoding -------------------------------------------------------------------------------

const utf8 = new TextDecoder("utf-8", { fatal: true });

function header(headers: MsgHdrs | undefined, name: string): string | null {
  const value = headers?.get(name);
  return value === undefined || value === "" ? null : value;
}

function accountIdOf(data: Uint8Array): string | null {
  // Every inbound JSON payload is an object; skip the parse for anything else.
  let i = 0;
  while (i < data.length && (data[i] === 0x20 || data[i] === 0x0a || data[i] === 0x0d || data[i] === 0x09))
    i++;
  if (data[i] !== 0x7b) return null;
  try {
    const value = (JSON.parse(utf8.decode(data)) as { accountId?: unknown }).accountId;
    return typeof value === "string" ? value : null;
  } catch {
    return null;
  }
}

export function decodeBody(data: Uint8Array): DeadLetterBody {
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    return { encoding: "base64", value: Buffer.from(data).toString("base64") };
  }
  try {
    return { encoding: "json", value: JSON.parse(text) as unknown };
  } catch {
    return { encoding: "utf8", value: text };
  }
}

export function summarize(letter: RawDeadLetter): DeadLetterSummary {
  const streamSeq = Number(header(letter.headers, DLQ_STREAM_SEQ_HEADER));
  return {
    seq: letter.seq,
    deadLetteredAt: letter.time.toISOString(),
    subject: header(letter.headers, DLQ_SUBJECT_HEADER),
    reason: header(letter.headers, DLQ_REASON_HEADER) ?? "",
    stream: header(letter.headers, DLQ_STREAM_HEADER),
    streamSeq: Number.isSafeInteger(streamSeq) && streamSeq > 0 ? streamSeq : null,
    msgId: header(letter.headers, DLQ_MSG_ID_HEADER),
    accountId: accountIdOf(letter.data),
    size: letter.data.length,
  };
}

export function detail(letter: RawDeadLetter): DeadLetterDetail {
  const headers: Record<string, string[]> = {};
  if (letter.headers) for (const [k, values] of letter.headers) headers[k] = [...values];
  return { ...summarize(letter), dlqSubject: letter.dlqSubject, headers, body: decodeBody(letter.data) };
}

function fromJsMsg(m: JsMsg): RawDeadLetter {
  return {
    seq: m.seq,
    dlqSubject: m.subject,
    headers: m.headers,
    data: m.data,
    time: new Date(Math.floor(m.info.timestampNanos / 1e6)),
  };
}

// ---- filters --------------------------------------------------------------------------------

const TOKEN = /^[^\s.*>]+$/;

/** The original subject of a filter in full (`inbound.sms` -> `<ns>.inbound.sms`), checked. */
export function originalSubjectPattern(names: Names, subject: string): string {
  const full =
    subject === names.namespace || subject.startsWith(`${names.namespace}.`)
      ? subject
      : `${names.namespace}.${subject}`;
  const tokens = full.split(".");
  const valid = tokens.every((t, i) => TOKEN.test(t) || t === "*" || (t === ">" && i === tokens.length - 1));
  if (!valid || tokens.length < 2) {
    throw new InvalidPayloadError(
      `subject "${subject}" is not a NATS subject (tokens separated by ".", wildcards "*" and a final ">")`,
    );
  }
  return full;
}

function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split(".");
  const s = subject.split(".");
  for (let i = 0; i < p.length; i++) {
    if (p[i] === ">") return s.length > i;
    if (i >= s.length || (p[i] !== "*" && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}

/** Does this dead letter pass the filter? (`subject` as given to originalSubjectPattern.) */
export function matchesFilter(
  letter: RawDeadLetter,
  filter: DeadLetterFilter,
  subjectPattern: string | undefined,
): boolean {
  if (filter.since && letter.time < filter.since) return false;
  if (filter.until && letter.time > filter.until) return false;
  if (
    subjectPattern !== undefined &&
    !subjectMatches(subjectPattern, header(letter.headers, DLQ_SUBJECT_HEADER) ?? "")
  )
    return false;
  if (
    filter.reason !== undefined &&
    !(header(letter.headers, DLQ_REASON_HEADER) ?? "").toLowerCase().includes(filter.reason.toLowerCase())
  )
    return false;
  if (filter.accountId !== undefined && accountIdOf(letter.data) !== filter.accountId) return false;
  return true;
}

function checkFilter(filter: DeadLetterFilter): void {
  for (const key of ["since", "until"] as const) {
    const value = filter[key];
    if (value !== undefined && Number.isNaN(value.getTime()))
      throw new InvalidPayloadError(`"${key}" is not a valid time`);
  }
}

// ---- reading --------------------------------------------------------------------------------

export interface ScanRange {
  /** Start after this sequence. */
  after?: number;
  /** Stop after this sequence (a replay stops at the end the stream had when it began: its own new dead letters are not replayed again). */
  through?: number;
}

/**
 * Every dead letter after `after` with whether it passes the filter, in stream order, and how
 * many follow it in the scan (`pending`, matching or not). Stops at the first one after `until`
 * (stream timestamps only grow). Breaking out of the loop deletes the consumer.
 */
export async function* scanDeadLetters(
  bus: DeadLetterBus,
  filter: DeadLetterFilter,
  range: ScanRange = {},
): AsyncGenerator<{ letter: RawDeadLetter; matches: boolean; pending: number }> {
  const after = range.after ?? 0;
  const through = range.through ?? Number.POSITIVE_INFINITY;
  checkFilter(filter);
  const stream = bus.names.streams.dlq;
  const subjectPattern =
    filter.subject === undefined ? undefined : originalSubjectPattern(bus.names, filter.subject);
  const options: Partial<OrderedConsumerOptions> = {};
  // <ns>.dlq.<rest> maps one to one onto the original subject: the server filters.
  if (subjectPattern !== undefined) options.filter_subjects = bus.names.subjects.dlqFor(subjectPattern);
  if (after > 0) options.opt_start_seq = after + 1;
  else if (filter.since) options.opt_start_time = filter.since.toISOString();
  const consumer = await natsCall(bus, "reading the dead-letter stream", () =>
    bus.js.consumers.get(stream, options),
  );
  try {
    let pending = (await consumer.info(true)).num_pending;
    while (pending > 0) {
      // Collect the batch before yielding: the caller's work (a replay's publishes) must not
      // hold the pull request open.
      const batch: RawDeadLetter[] = [];
      const max = Math.min(pending, SCAN_BATCH);
      await natsCall(bus, "reading the dead-letter stream", async () => {
        for await (const m of await consumer.fetch({ max_messages: max, expires: SCAN_FETCH_EXPIRES_MS })) {
          batch.push(fromJsMsg(m));
          pending = m.info.pending;
        }
      });
      // Dead letters deleted since the count (replayed elsewhere): nothing more to read.
      if (batch.length === 0) break;
      for (const [i, letter] of batch.entries()) {
        if ((filter.until && letter.time > filter.until) || letter.seq > through) return;
        // After this one: the rest of its batch plus what the server still holds.
        yield {
          letter,
          matches: matchesFilter(letter, filter, subjectPattern),
          pending: batch.length - 1 - i + pending,
        };
      }
    }
  } finally {
    await consumer.delete().catch(() => undefined);
  }
}

/** One page of dead letters passing the filter, oldest first. */
export async function listDeadLetters(
  bus: DeadLetterBus,
  options: ListDeadLettersOptions = {},
): Promise<DeadLetterPage> {
  const limit = options.limit ?? DEFAULT_DEAD_LETTER_PAGE_SIZE;
  const maxScanned = options.maxScanned ?? Number.POSITIVE_INFINITY;
  if (!Number.isInteger(limit) || limit < 1)
    throw new InvalidPayloadError(`"limit" must be a positive integer`);
  const after = options.after ?? 0;
  if (!Number.isSafeInteger(after) || after < 0)
    throw new InvalidPayloadError(`"after" must be a dead-letter sequence (a whole number)`);
  const items: DeadLetterSummary[] = [];
  let last = after;
  let scanned = 0;
  let hasMore = false;
  for await (const { letter, matches, pending } of scanDeadLetters(bus, options, { after })) {
    last = letter.seq;
    scanned++;
    if (matches) items.push(summarize(letter));
    if (items.length >= limit || scanned >= maxScanned) {
      hasMore = pending > 0;
      break;
    }
  }
  return { items, last, hasMore, scanned };
}

/** One dead letter as stored, or null when there is none with this sequence (replayed, or expired). */
export async function readDeadLetter(bus: DeadLetterBus, seq: number): Promise<RawDeadLetter | null> {
  if (!Number.isSafeInteger(seq) || seq < 1)
    throw new InvalidPayloadError(`dead-letter sequence must be a positive whole number, not ${String(seq)}`);
  const stored = await natsCall(bus, "reading a dead letter", () =>
    bus.jsm.streams.getMessage(bus.names.streams.dlq, { seq }),
  );
  if (!stored) return null;
  return {
    seq: stored.seq,
    dlqSubject: stored.subject,
    headers: stored.header,
    data: stored.data,
    time: stored.time,
  };
}

/** One dead letter with its headers and body, or null. */
export async function getDeadLetter(bus: DeadLetterBus, seq: number): Promise<DeadLetterDetail | null> {
  const letter = await readDeadLetter(bus, seq);
  return letter ? detail(letter) : null;
}
