import type { JetStreamClient } from "@nats-io/jetstream";
import { childTraceparent, traceIdOf, type Logger, type Names } from "@optout/core";
import { publishJsonBatch } from "@optout/bus";
import type { OutboundSms } from "@optout/schemas";
import {
  decideConfirmations,
  insertWebhookJobs,
  recordEvents,
  typed,
  type Account,
  type ConfirmationCandidate,
  type NewEvent,
  type Pool,
  type PoolClient,
  type RecordedEvent,
} from "@optout/store";
import { toChangeEvent } from "./change-event.js";
import { confirmationFor, confirmationMsgId, hasWebhook, webhookJobMessage } from "./outbound.js";

/** The part of the Redis filter the recorder needs: set the bits of new opt-outs. */
export interface FilterWriter {
  add(scope: string, channel: string, identifiers: readonly string[]): Promise<void>;
}

export interface RecorderDeps {
  pool: Pool;
  filter: FilterWriter;
  js: JetStreamClient;
  names: Names;
  logger: Logger;
  /** The account of an event, for its webhook and confirmation settings (`infra.accounts.get`). */
  getAccount(id: string): Promise<Account | null>;
}

export interface Recorder {
  /**
   * Record events, in the order the guarantees need: commit in Postgres (with the webhook jobs
   * of accounts that have a webhook), then set the filter bits, then publish the change feed,
   * the webhook jobs (both for events that changed the state only) and the confirmation SMS. The caller acks its inbound messages only after
   * this resolves. A redelivery repeats the filter write and the publishes (same Nats-Msg-Id,
   * so JetStream drops the copies; the same confirmation decision) and never creates a second
   * event.
   */
  record(events: readonly NewEvent[], options?: RecordOptions): Promise<RecordedEvent[]>;
}

export interface RecordOptions {
  /**
   * The W3C traceparent of the work each event comes from (index-aligned with the events): the
   * change event, webhook job and confirmation SMS of `events[i]` carry it in their NATS headers.
   * An event without one starts a new trace.
   */
  traceparents?: readonly (string | undefined)[];
  /** More writes that must commit with the events (the API's audit entry of a manual opt-out). */
  beforeCommit?: (client: PoolClient, results: readonly RecordedEvent[]) => Promise<void>;
}

export { toChangeEvent };

/** One entry per event id, the first (a later one with the same id is its duplicate). */
function firstPerEvent(events: readonly RecordedEvent[]): RecordedEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => !seen.has(e.eventId) && (seen.add(e.eventId), true));
}

/**
 * The events the change feed and webhooks carry: those that changed the state. A repeated STOP
 * (or START) is kept in the history as evidence and may get a confirmation SMS (per its window),
 * but announces nothing: for a subscriber nothing changed. A redelivery repeats the stored
 * decision, so an announced event is republished under the same ids.
 */
function announced(events: readonly RecordedEvent[]): RecordedEvent[] {
  return events.filter((e) => e.stateChanged);
}

export function createRecorder(deps: RecorderDeps): Recorder {
  async function loadAccounts(events: readonly NewEvent[]): Promise<Map<string, Account | null>> {
    const accounts = new Map<string, Account | null>();
    for (const id of new Set(events.map((e) => e.accountId))) accounts.set(id, await deps.getAccount(id));
    return accounts;
  }

  return {
    async record(events, options = {}) {
      if (events.length === 0) return [];
      // Read before the commit: the webhook jobs and the confirmation decisions are written in
      // the events' transaction. The dispatcher's per-identifier order check sees a job as soon
      // as its event exists, and a confirmation is decided exactly once with its event.
      const accounts = await loadAccounts(events);
      let confirmations: OutboundSms[] = [];
      const recorded = await typed(() =>
        recordEvents(deps.pool, events, {
          beforeCommit: async (client, results) => {
            // The same source id twice in a batch is one event: once per event id.
            const unique = firstPerEvent(results);
            await insertWebhookJobs(
              client,
              announced(unique)
                .filter((e) => hasWebhook(accounts.get(e.accountId)))
                .map((e) => e.eventId),
            );
            const candidates: ConfirmationCandidate<OutboundSms>[] = [];
            for (const e of unique) {
              const account = accounts.get(e.accountId);
              const candidate = account ? confirmationFor(e, account) : null;
              if (candidate) candidates.push(candidate);
            }
            confirmations = await decideConfirmations(client, candidates);
            if (options.beforeCommit) await options.beforeCommit(client, results);
          },
        }),
      );

      // Opt-ins leave their bits set: a bloom filter cannot delete, and a stale positive is
      // confirmed (and answered "not suppressed") by Postgres. The filter holds the channel-wide
      // list only: a topic check reads topic opt-outs from Postgres (docs/topics.md), and a topic
      // opt-out's bit would only cost checks without a topic a confirm that finds nothing.
      const optOuts = new Map<string, { scope: string; channel: string; identifiers: string[] }>();
      for (const e of recorded) {
        if (e.action !== "opt_out" || e.topic !== undefined) continue;
        const k = `${e.scope}\u0000${e.channel}`;
        let group = optOuts.get(k);
        if (!group) optOuts.set(k, (group = { scope: e.scope, channel: e.channel, identifiers: [] }));
        group.identifiers.push(e.identifier);
      }
      await Promise.all([...optOuts.values()].map((g) => deps.filter.add(g.scope, g.channel, g.identifiers)));

      const unique = announced(firstPerEvent(recorded));
      const { subjects } = deps.names;
      // recordEvents answers in input order: recorded[i] is events[i]. A redelivery carries its
      // traceparent again; the copy JetStream drops keeps the first one's.
      const traceOf = new Map<string, { traceparent: string }>();
      recorded.forEach((e, i) => {
        if (!traceOf.has(e.eventId))
          traceOf.set(e.eventId, { traceparent: options.traceparents?.[i] ?? childTraceparent() });
      });
      const confirmationTrace = new Map([...traceOf].map(([eventId, h]) => [confirmationMsgId(eventId), h]));
      const webhooks = unique.filter((e) => hasWebhook(accounts.get(e.accountId)));
      // One batch for all of them: every message acked before record() resolves (and the caller
      // acks), at less than half the client CPU of one request per message.
      await publishJsonBatch(deps.js, [
        ...unique.map((e) => ({
          subject: subjects.event(e.channel, e.action),
          payload: toChangeEvent(e),
          msgId: `event:${e.eventId}`,
          headers: traceOf.get(e.eventId),
        })),
        ...webhooks.map((e) => webhookJobMessage(subjects.outboundWebhook, e, traceOf.get(e.eventId))),
        // Published directly, never checked against the list: the opt-out it confirms must not block it.
        ...confirmations.map((sms) => ({
          subject: subjects.outboundSms,
          payload: sms,
          msgId: sms.id,
          headers: confirmationTrace.get(sms.id),
        })),
      ]);
      if (webhooks.length > 0 || confirmations.length > 0) {
        deps.logger.debug(
          {
            events: unique.length,
            webhooks: webhooks.length,
            confirmations: confirmations.length,
            traceIds: [...new Set(unique.map((e) => traceIdOf(traceOf.get(e.eventId)?.traceparent)))],
          },
          "outbound published",
        );
      }
      return recorded;
    },
  };
}
