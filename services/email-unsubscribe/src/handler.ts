import type { Outcome, BatchItem } from "@optout/bus";
import { childTraceparent, TRACEPARENT_HEADER, traceIdOf, type Logger } from "@optout/core";
import { isAutomaticReply, normalizeEmail, resolveScope, unsubscribeTopic } from "@optout/domain";
import type { Recorder } from "@optout/recorder";
import type { EventSource, InboundEmail } from "@optout/schemas";
import type { Account, NewEvent, RecordedEvent } from "@optout/store";
import { resolveTarget } from "./target.js";

/** Why an inbound email was acked without an event. */
export type IgnoredReason = "automatic_reply";

/** Everything the handler does to the outside world, injected so it can be tested alone. */
export interface EmailUnsubscribePorts {
  getAccount(id: string): Promise<Account | null>;
  recorder: Recorder;
  /** Key of the signed tokens a mailto subject may carry (`unsubscribe-<token>`). */
  emailTokenSecret: string;
  logger: Logger;
  onIgnored?(reason: IgnoredReason): void;
  onRecorded?(events: readonly RecordedEvent[]): void;
}

export const SOURCE_BY_METHOD: Readonly<Record<InboundEmail["method"], EventSource>> = {
  one_click: "email_one_click",
  link: "email_link",
  mailto: "email_mailto",
};

/**
 * Turn a batch of inbound unsubscribes into opt-out events. Every method is an opt-out: a
 * mailto reply is never read as an opt-in, whatever its body says ("subscribe", "START"),
 * because the address it was sent to exists only to unsubscribe, and a misread opt-in would
 * resume mail to someone who asked for none. Automatic replies to the mailto address are
 * acked as ignored (counted, logged without address, subject or body). The batch's events are
 * recorded in one transaction and acked only after the recorder returns.
 *
 * An unsubscribe about one of the account's topics (the preference page's choice, else the
 * List-Id) opts out of that topic only; "all", or a list that is not a topic, opts out of the
 * channel (docs/topics.md).
 */
export function createEmailUnsubscribeHandler(ports: EmailUnsubscribePorts) {
  return async function handle(items: BatchItem<InboundEmail>[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = new Array(items.length);
    const toRecord: { index: number; event: NewEvent; traceparent: string }[] = [];

    for (const [index, { payload: email, msg }] of items.entries()) {
      // The mail gateway's or the edge's trace, else a new one: the event and its webhook carry it.
      const traceparent = childTraceparent(msg.headers?.get(TRACEPARENT_HEADER));
      const target = resolveTarget(email, ports.emailTokenSecret);
      const account = await ports.getAccount(target.accountId);
      if (!account) {
        outcomes[index] = {
          kind: "dead_letter",
          reason: `UNKNOWN_ACCOUNT: account "${target.accountId}" does not exist`,
        };
        continue;
      }
      if (
        email.method === "mailto" &&
        isAutomaticReply({ autoSubmitted: email.autoSubmitted, subject: email.subject })
      ) {
        ports.onIgnored?.("automatic_reply");
        ports.logger.info(
          {
            messageId: email.id,
            accountId: account.id,
            method: email.method,
            traceId: traceIdOf(traceparent),
          },
          "inbound email ignored: automatic reply (Auto-Submitted or out-of-office subject)",
        );
        outcomes[index] = { kind: "ack" };
        continue;
      }
      const address = normalizeEmail(target.email);
      if (!address.ok) {
        const field = target.via === "subject_token" ? "the subject's token" : '"email"';
        outcomes[index] = {
          kind: "dead_letter",
          reason: `INVALID_RECIPIENT: ${field} is not an email address (${address.reason})`,
        };
        continue;
      }
      const topic = unsubscribeTopic(account.settings.topics, {
        ...(email.all === undefined ? {} : { all: email.all }),
        ...(email.topic === undefined ? {} : { topic: email.topic }),
        ...(target.listId === undefined ? {} : { listId: target.listId }),
      });
      toRecord.push({
        index,
        traceparent,
        event: {
          scope: resolveScope(account),
          channel: "email",
          identifier: address.identifier,
          action: "opt_out",
          source: SOURCE_BY_METHOD[email.method],
          sourceId: email.id,
          accountId: account.id,
          occurredAt: email.receivedAt,
          reason: email.reason ?? email.method,
          evidence: {
            method: email.method,
            ...(target.listId === undefined ? {} : { listId: target.listId }),
            ...(email.method === "mailto" && email.subject !== undefined ? { subject: email.subject } : {}),
            ...(target.via === "subject_token" ? { via: target.via } : {}),
            ...(email.all === true ? { all: true } : {}),
          },
          ...(topic === undefined ? {} : { topic: topic.id }),
        },
      });
    }

    const recorded = await ports.recorder.record(
      toRecord.map((r) => r.event),
      { traceparents: toRecord.map((r) => r.traceparent) },
    );
    ports.onRecorded?.(recorded);
    for (const { index } of toRecord) outcomes[index] = { kind: "ack" };
    return outcomes;
  };
}
