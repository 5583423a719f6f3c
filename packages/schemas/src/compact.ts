import type { CheckReply, CheckResult, TagReply, TagResult } from "./types.js";

/**
 * For senders: a compact reply (sent when the full one would exceed the NATS max_payload)
 * back in the full form, given the request's recipients. A full reply is returned as it is.
 */
export function expandCheckReply(recipients: readonly string[], reply: CheckReply): CheckReply {
  if (!reply.compact) return reply;
  const results = reply.results.map((r, i): CheckResult => {
    // An invalid recipient has no identifier; any other result left it out as equal to the recipient.
    const identifier = r.identifier ?? (r.reason === "invalid_recipient" ? undefined : recipients[i]!);
    return {
      recipient: recipients[i]!,
      ...(identifier === undefined ? {} : { identifier }),
      ...stripRecipient(r),
    };
  });
  return { results };
}

export function expandTagReply(recipients: readonly string[], reply: TagReply): TagReply {
  if (!reply.compact) return reply;
  const { linkBase } = reply;
  const tags = reply.tags.map((tag, i): TagResult => {
    const full: TagResult = { recipient: recipients[i]!, ...stripRecipient(tag) };
    if (linkBase !== undefined && full.token !== undefined && full.link === undefined)
      full.link = `${linkBase}${full.token}`;
    return full;
  });
  return { tags };
}

function stripRecipient<T extends { recipient?: string }>(item: T): Omit<T, "recipient"> {
  const { recipient: _recipient, ...rest } = item;
  return rest;
}
