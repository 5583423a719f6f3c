import { headers as natsHeaders, type MsgHdrs } from "@nats-io/nats-core";
import type { JetStreamClient } from "@nats-io/jetstream";
import type { Names } from "@optout/core";

export const DLQ_REASON_HEADER = "Optout-Dlq-Reason";
export const DLQ_SUBJECT_HEADER = "Optout-Dlq-Subject";
export const DLQ_STREAM_HEADER = "Optout-Dlq-Stream";
export const DLQ_STREAM_SEQ_HEADER = "Optout-Dlq-Stream-Seq";
/** The original's Nats-Msg-Id (the dead letter cannot carry it as Nats-Msg-Id: see below). */
export const DLQ_MSG_ID_HEADER = "Optout-Dlq-Msg-Id";
/** Every header the dead-lettering adds starts with this (lower case); a replay removes them. */
export const DLQ_HEADER_PREFIX = "optout-dlq-";

export interface DeadLetter {
  subject: string;
  data: Uint8Array;
  headers?: MsgHdrs | undefined;
  reason: string;
  /** The original's stream and sequence: make the dead letter's Nats-Msg-Id, so a retried publish is not doubled. */
  stream: string;
  streamSeq: number;
}

/**
 * Publish the original body and headers to `<ns>.dlq.<rest of subject>` with the reason, the
 * original subject, stream, stream sequence and Nats-Msg-Id. The time of dead-lettering is the
 * dead letter's own stream timestamp.
 */
export async function publishDeadLetter(
  js: JetStreamClient,
  names: Names,
  letter: DeadLetter,
): Promise<void> {
  const h = natsHeaders();
  let msgId: string | undefined;
  if (letter.headers) {
    for (const [k, values] of letter.headers) {
      const key = k.toLowerCase();
      // Nats-Msg-Id of the original would make JetStream drop the dead letter as a duplicate:
      // it travels in Optout-Dlq-Msg-Id instead.
      if (key === "nats-msg-id") {
        msgId = values[0];
        continue;
      }
      // A replayed message that failed again: its new dead letter describes this failure only.
      if (key.startsWith(DLQ_HEADER_PREFIX)) continue;
      for (const v of values) h.append(k, v);
    }
  }
  // Header values are one line; keep reasons short and single-line.
  h.set(DLQ_REASON_HEADER, letter.reason.replace(/[\r\n]+/g, " ").slice(0, 500));
  h.set(DLQ_SUBJECT_HEADER, letter.subject);
  h.set(DLQ_STREAM_HEADER, letter.stream);
  h.set(DLQ_STREAM_SEQ_HEADER, String(letter.streamSeq));
  if (msgId !== undefined && msgId !== "") h.set(DLQ_MSG_ID_HEADER, msgId);
  await js.publish(names.subjects.dlqFor(letter.subject), letter.data, {
    headers: h,
    msgID: `dlq:${letter.stream}:${letter.streamSeq}`,
  });
}
