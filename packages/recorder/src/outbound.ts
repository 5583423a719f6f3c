import type { JsonMessage } from "@optout/bus";
import type { OutboundSms, OutboundWebhook } from "@optout/schemas";
import { DEFAULT_CONFIRMATION_WINDOW_HOURS } from "@optout/store";
import type { Account, ConfirmationCandidate, RecordedEvent } from "@optout/store";
import { toChangeEvent } from "./change-event.js";

// Defined by the store, whose retention must know it too (never prune inside a window).
export { DEFAULT_CONFIRMATION_WINDOW_HOURS };
const MS_PER_HOUR = 3_600_000;

/** Nats-Msg-Id of the webhook job of an event: a redelivery republishes under the same id. */
export const webhookMsgId = (eventId: string) => `webhook:${eventId}`;
/** Nats-Msg-Id (and payload id) of the confirmation SMS of an event. */
export const confirmationMsgId = (eventId: string) => `confirm:${eventId}`;

export function hasWebhook(account: Account | null | undefined): account is Account {
  return typeof account?.settings.webhook?.url === "string" && account.settings.webhook.url.length > 0;
}

/** The delivery job for an account's webhook: the change-feed event, as the receiver gets it. */
export function webhookJob(e: RecordedEvent): OutboundWebhook {
  return { id: webhookMsgId(e.eventId), accountId: e.accountId, event: toChangeEvent(e) };
}

/**
 * The message of an event's webhook job on `<ns>.outbound.webhook`. `redelivery` (an operator's
 * POST .../redeliver, counted per job) gives the message an id of its own: the first one's is
 * still in JetStream's duplicate window, or its message is gone after a dead letter.
 */
export function webhookJobMessage(
  subject: string,
  e: RecordedEvent,
  headers: { traceparent: string } | undefined,
  redelivery?: number,
): JsonMessage {
  return {
    subject,
    payload: webhookJob(e),
    msgId:
      redelivery === undefined
        ? webhookMsgId(e.eventId)
        : `${webhookMsgId(e.eventId)}:redelivery:${redelivery}`,
    ...(headers ? { headers } : {}),
  };
}

/** A text in the keyword's language, else the account's "default", else the first configured. */
export function pickText(
  texts: Record<string, string> | undefined,
  language: string | undefined,
): string | undefined {
  if (!texts) return undefined;
  return (language ? texts[language] : undefined) ?? texts.default ?? Object.values(texts)[0];
}

/**
 * The confirmation SMS an event may get: only for an SMS keyword (a STOP, or a START when the
 * account sets `optInText`) on an account that enables confirmations. Imports, API calls and
 * link clicks never text anyone. The sender is the account's `from`, else the number the
 * keyword was sent to; the language is the keyword's, as the classifier guessed it.
 */
export function confirmationFor(
  e: RecordedEvent,
  account: Account,
): ConfirmationCandidate<OutboundSms> | null {
  const settings = account.settings.confirmationSms;
  if (!settings?.enabled || e.channel !== "sms" || e.source !== "sms_keyword") return null;
  const evidence = e.evidence ?? {};
  const language = typeof evidence.language === "string" ? evidence.language : undefined;
  const text = pickText(e.action === "opt_out" ? settings.text : settings.optInText, language);
  const from = settings.from ?? (typeof evidence.to === "string" ? evidence.to : undefined);
  if (!text || !from) return null;
  const payload: OutboundSms = {
    id: confirmationMsgId(e.eventId),
    accountId: e.accountId,
    to: e.identifier,
    from,
    text,
    inReplyTo: e.sourceId,
    kind: "confirmation",
  };
  return {
    eventId: e.eventId,
    accountId: e.accountId,
    channel: e.channel,
    identifier: e.identifier,
    action: e.action,
    occurredAt: e.occurredAt,
    stateChanged: e.stateChanged,
    windowMs: (settings.windowHours ?? DEFAULT_CONFIRMATION_WINDOW_HOURS) * MS_PER_HOUR,
    payload,
  };
}
