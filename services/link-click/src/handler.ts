import type { BatchItem, Outcome } from "@optout/bus";
import { childTraceparent, maskToken, TRACEPARENT_HEADER, traceIdOf, type Logger } from "@optout/core";
import { isChannel, resolveScope, truncateIp } from "@optout/domain";
import type { Recorder } from "@optout/recorder";
import type { InboundLink } from "@optout/schemas";
import type { Account, Link, NewEvent } from "@optout/store";

/** Everything the handler does to the outside world, injected so it can be tested alone. */
export interface LinkClickPorts {
  getLinks(tokens: readonly string[]): Promise<Map<string, Link>>;
  getAccount(id: string): Promise<Account | null>;
  recorder: Recorder;
  logger: Logger;
}

/** The reason recorded when the recipient picked none on the landing page. */
export const DEFAULT_LINK_REASON = "link_click";

/**
 * Turn a batch of link clicks into opt-out events: resolve each token to its link (one query
 * for the batch), the link's account to its list, and record all events in one transaction.
 * The click id is the event's source id, so a redelivered click, or the same click published
 * twice by a double submit, is one event. A click is acked only after the recorder returns.
 */
export function createLinkClickHandler(ports: LinkClickPorts) {
  return async function handle(items: BatchItem<InboundLink>[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = new Array(items.length);
    const links = await ports.getLinks(items.map((i) => i.payload.token));
    const toRecord: { index: number; event: NewEvent; traceparent: string }[] = [];

    for (const [index, { payload: click, msg }] of items.entries()) {
      const link = links.get(click.token);
      if (!link) {
        outcomes[index] = {
          kind: "dead_letter",
          // The reason goes to logs and a header; the dead letter's body keeps the token itself.
          reason: `UNKNOWN_TOKEN: no link has token "${maskToken(click.token)}"`,
        };
        continue;
      }
      const account = await ports.getAccount(link.accountId);
      if (!account) {
        outcomes[index] = {
          kind: "dead_letter",
          reason: `UNKNOWN_ACCOUNT: account "${link.accountId}" of the link does not exist`,
        };
        continue;
      }
      if (!isChannel(link.channel)) {
        outcomes[index] = {
          kind: "dead_letter",
          reason: `INVALID_PAYLOAD: the link's channel "${link.channel}" is not supported`,
        };
        continue;
      }
      const ip = click.ip === undefined ? undefined : truncateIp(click.ip);
      // The edge's trace (or the publisher's), else a new one: the event and its webhook carry it.
      const traceparent = childTraceparent(msg.headers?.get(TRACEPARENT_HEADER));
      toRecord.push({
        index,
        traceparent,
        event: {
          scope: resolveScope(account),
          channel: link.channel,
          identifier: link.identifier,
          action: "opt_out",
          source: "link_click",
          sourceId: click.id,
          accountId: account.id,
          occurredAt: click.clickedAt,
          reason: click.reason?.trim() || DEFAULT_LINK_REASON,
          evidence: {
            token: link.token,
            ...(link.campaignId === undefined ? {} : { campaignId: link.campaignId }),
            ...(click.userAgent === undefined ? {} : { userAgent: click.userAgent }),
            // Truncated (/24, /48) even if the publisher sent a full address: see truncateIp.
            ...(ip === undefined ? {} : { ip }),
          },
        },
      });
      ports.logger.debug(
        { clickId: click.id, accountId: account.id, traceId: traceIdOf(traceparent) },
        "link click",
      );
    }

    await ports.recorder.record(
      toRecord.map((r) => r.event),
      { traceparents: toRecord.map((r) => r.traceparent) },
    );
    for (const { index } of toRecord) outcomes[index] = { kind: "ack" };
    return outcomes;
  };
}
