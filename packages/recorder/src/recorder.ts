import type { JetStreamClient } from "@nats-io/jetstream";
import type { Logger, Names } from "@optout/core";
import { publishJson } from "@optout/bus";
import type { ChangeEvent } from "@optout/schemas";
import { recordEvents, typed, type NewEvent, type Pool, type RecordedEvent } from "@optout/store";

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
}

export interface Recorder {
  /**
   * Record events, in the order the guarantees need: commit in Postgres, then set the filter
   * bits, then publish the change feed. The caller acks its inbound messages only after this
   * resolves. A redelivery repeats the filter write and the publishes (same Nats-Msg-Id, so
   * JetStream drops the copies) and never creates a second event.
   */
  record(events: readonly NewEvent[]): Promise<RecordedEvent[]>;
}

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
  return event;
}

export function createRecorder(deps: RecorderDeps): Recorder {
  return {
    async record(events) {
      if (events.length === 0) return [];
      const recorded = await typed(() => recordEvents(deps.pool, events));

      // Opt-ins leave their bits set: a bloom filter cannot delete, and a stale positive is
      // confirmed (and answered "not suppressed") by Postgres.
      const optOuts = new Map<string, { scope: string; channel: string; identifiers: string[] }>();
      for (const e of recorded) {
        if (e.action !== "opt_out") continue;
        const k = `${e.scope}\u0000${e.channel}`;
        let group = optOuts.get(k);
        if (!group) optOuts.set(k, (group = { scope: e.scope, channel: e.channel, identifiers: [] }));
        group.identifiers.push(e.identifier);
      }
      await Promise.all([...optOuts.values()].map((g) => deps.filter.add(g.scope, g.channel, g.identifiers)));

      await Promise.all(
        recorded.map((e) =>
          publishJson(deps.js, deps.names.subjects.event(e.channel, e.action), toChangeEvent(e), `event:${e.eventId}`),
        ),
      );
      return recorded;
    },
  };
}
