import type { Outcome, BatchItem } from "@optout/bus";
import { childTraceparent, TRACEPARENT_HEADER, traceIdOf, type Logger } from "@optout/core";
import { classificationReason, normalizePhone, resolveScope, type SmsClassification } from "@optout/domain";
import type { Recorder } from "@optout/recorder";
import type { InboundSms, OutboundSms } from "@optout/schemas";
import type { Account, NewEvent } from "@optout/store";
import { AccountClassifiers } from "./classify-message.js";

/** Everything the handler does to the outside world, injected so it can be tested alone. */
export interface SmsInboundPorts {
  getAccount(id: string): Promise<Account | null>;
  recorder: Recorder;
  /** Publish a reply SMS (HELP text) to the outbound subject with this Nats-Msg-Id and traceparent. */
  publishSms(sms: OutboundSms, msgId: string, traceparent?: string): Promise<void>;
  logger: Logger;
  onClassified?(c: SmsClassification): void;
}

/** Help text in the keyword's language, else the account's "default", else the first configured. */
export function pickText(
  texts: Record<string, string> | undefined,
  language: string | undefined,
): string | undefined {
  if (!texts) return undefined;
  return (language ? texts[language] : undefined) ?? texts.default ?? Object.values(texts)[0];
}

/**
 * Turn a batch of inbound SMS into events. Ignored messages are acked at once (counted, logged
 * without their text); opt-outs and opt-ins of the whole batch are recorded in one transaction
 * and acked only after the recorder returns. Each message's work continues the gateway's trace
 * (its `traceparent` header) or starts one: the events and replies it causes carry it.
 */
export function createSmsInboundHandler(ports: SmsInboundPorts) {
  const classifiers = new AccountClassifiers();

  return async function handle(items: BatchItem<InboundSms>[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = new Array(items.length);
    const toRecord: { index: number; event: NewEvent; traceparent: string }[] = [];
    const replies: Promise<void>[] = [];

    for (const [index, { payload: sms, msg }] of items.entries()) {
      const traceparent = childTraceparent(msg.headers?.get(TRACEPARENT_HEADER));
      const account = await ports.getAccount(sms.accountId);
      if (!account) {
        outcomes[index] = {
          kind: "dead_letter",
          reason: `UNKNOWN_ACCOUNT: account "${sms.accountId}" does not exist`,
        };
        continue;
      }
      const c = classifiers.classify(account, sms.text, sms.to);
      ports.onClassified?.(c);
      if (c.action === "ignored") {
        ports.logger.debug(
          { messageId: sms.id, accountId: sms.accountId, traceId: traceIdOf(traceparent) },
          "inbound sms ignored: not a keyword",
        );
        outcomes[index] = { kind: "ack" };
        continue;
      }
      const phone = normalizePhone(sms.from, sms.country ?? account.defaultCountry ?? undefined);
      if (!phone.ok) {
        outcomes[index] = {
          kind: "dead_letter",
          reason: `INVALID_RECIPIENT: "from" is not a phone number (${phone.reason})`,
        };
        continue;
      }
      if (c.action === "help") {
        const text = pickText(account.settings.helpText, c.language);
        if (text) {
          const reply: OutboundSms = {
            id: `help:${sms.id}`,
            accountId: account.id,
            to: phone.identifier,
            from: sms.to,
            text,
            inReplyTo: sms.id,
            kind: "help",
          };
          replies.push(ports.publishSms(reply, reply.id, traceparent));
        }
        outcomes[index] = { kind: "ack" };
        continue;
      }
      const reason = classificationReason(c);
      toRecord.push({
        index,
        traceparent,
        event: {
          scope: resolveScope(account),
          channel: "sms",
          identifier: phone.identifier,
          action: c.action,
          source: "sms_keyword",
          sourceId: sms.id,
          accountId: account.id,
          occurredAt: sms.receivedAt,
          ...(reason === undefined ? {} : { reason }),
          evidence: { text: sms.text, to: sms.to, rule: c.rule, match: c.match, language: c.language },
        },
      });
    }

    // Help replies failing must not ack their message: the whole batch retries, and the
    // recorder's idempotency makes the retry safe.
    await Promise.all(replies);
    await ports.recorder.record(
      toRecord.map((r) => r.event),
      { traceparents: toRecord.map((r) => r.traceparent) },
    );
    for (const { index } of toRecord) outcomes[index] = { kind: "ack" };
    return outcomes;
  };
}
