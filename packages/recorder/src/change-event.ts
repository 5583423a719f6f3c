import type { ChangeEvent } from "@optout/schemas";
import type { RecordedEvent } from "@optout/store";

/** The change-feed payload of a recorded event: what `<ns>.events.*` and webhooks carry. */
export function toChangeEvent(e: RecordedEvent): ChangeEvent {
  const event: ChangeEvent = {
    eventId: e.eventId,
    accountId: e.accountId,
    scope: e.scope,
    channel: e.channel,
    identifier: e.identifier,
    action: e.action,
    source: e.source,
    occurredAt: e.occurredAt,
  };
  if (e.reason !== undefined) event.reason = e.reason;
  if (e.topic !== undefined) event.topic = e.topic;
  return event;
}
