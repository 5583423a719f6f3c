import { headers as natsHeaders, type MsgHdrs } from "@nats-io/nats-core";
import type { JetStreamClient } from "@nats-io/jetstream";
import type { Names } from "@optout/core";

export const DLQ_REASON_HEADER = "Optout-Dlq-Reason";
export const DLQ_SUBJECT_HEADER = "Optout-Dlq-Subject";
export const DLQ_STREAM_SEQ_HEADER = "Optout-Dlq-Stream-Seq";

export interface DeadLetter {
  subject: string;
  data: Uint8Array;
  headers?: MsgHdrs | undefined;
  reason: string;
  /** The original's stream and sequence: make the dead letter's Nats-Msg-Id, so a retried publish is not doubled. */
  stream: string;
  streamSeq: number;
}

/** Publish the original body and headers to `<ns>.dlq.<rest of subject>` with the reason. */
export async function publishDeadLetter(js: JetStreamClient, names: Names, letter: DeadLetter): Promise<void> {
  const h = natsHeaders();
  if (letter.headers) {
    for (const [k, values] of letter.headers) {
      // Nats-Msg-Id of the original would make JetStream drop the dead letter as a duplicate.
      if (k.toLowerCase() === "nats-msg-id") continue;
      for (const v of values) h.append(k, v);
    }
  }
  // Header values are one line; keep reasons short and single-line.
  h.set(DLQ_REASON_HEADER, letter.reason.replace(/[\r\n]+/g, " ").slice(0, 500));
  h.set(DLQ_SUBJECT_HEADER, letter.subject);
  h.set(DLQ_STREAM_SEQ_HEADER, String(letter.streamSeq));
  await js.publish(names.subjects.dlqFor(letter.subject), letter.data, {
    headers: h,
    msgID: `dlq:${letter.stream}:${letter.streamSeq}`,
  });
}
