import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type JetStreamManager,
  type StreamConfig,
} from "@nats-io/jetstream";
import type { Names } from "@optout/core";

/** JetStream API error: "stream name already in use with a different configuration". */
const STREAM_NAME_EXIST = 10058;
/** JetStream API error: consumer already exists with a different configuration. */
const CONSUMER_NAME_EXIST = 10148;

const NS_PER_MS = 1_000_000;

export interface StreamOptions {
  /** R3 in a cluster; 1 on a single server. */
  replicas?: number;
  /** How long inbound messages are kept after they are acked (replay, recovery of dead letters). */
  inboundMaxAgeMs?: number;
  /** JetStream de-duplication window for Nats-Msg-Id. */
  duplicateWindowMs?: number;
}

export const DEFAULT_INBOUND_MAX_AGE_MS = 7 * 24 * 3600 * 1000;
export const DEFAULT_DUPLICATE_WINDOW_MS = 2 * 60 * 1000;

/** The streams of one installation: one per inbound subject (each scaled on its own lag), outbound, events, dead letters. */
export function streamConfigs(names: Names, options: StreamOptions = {}): Array<Partial<StreamConfig> & { name: string }> {
  const base = {
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    num_replicas: options.replicas ?? 1,
    duplicate_window: (options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS) * NS_PER_MS,
    max_age: (options.inboundMaxAgeMs ?? DEFAULT_INBOUND_MAX_AGE_MS) * NS_PER_MS,
  };
  const s = names.subjects;
  return [
    { ...base, name: names.streams.inboundSms, subjects: [s.inboundSms] },
    { ...base, name: names.streams.inboundLink, subjects: [s.inboundLink] },
    { ...base, name: names.streams.inboundEmail, subjects: [s.inboundEmail] },
    { ...base, name: names.streams.outbound, subjects: [s.outboundWebhook, s.outboundSms] },
    { ...base, name: names.streams.events, subjects: [s.eventsAll] },
    { ...base, name: names.streams.dlq, subjects: [s.dlqAll], max_age: 30 * 24 * 3600 * 1000 * NS_PER_MS },
  ];
}

/** Create each stream, or update it when its configuration changed. Safe to run from every worker at start. */
export async function ensureStreams(jsm: JetStreamManager, names: Names, options: StreamOptions = {}): Promise<void> {
  for (const config of streamConfigs(names, options)) {
    try {
      await jsm.streams.add(config);
    } catch (err) {
      if (err instanceof JetStreamApiError && err.code === STREAM_NAME_EXIST) {
        const { name, ...update } = config;
        await jsm.streams.update(name, update);
      } else {
        throw err;
      }
    }
  }
}

export interface DurableConsumerOptions {
  stream: string;
  durable: string;
  filterSubject: string;
  ackWaitMs: number;
  maxDeliver: number;
  /** Unacked messages the server lets all replicas of this consumer hold. */
  maxAckPending?: number;
}

/** Create or update a durable pull consumer that starts at the beginning of its stream. */
export async function ensureDurableConsumer(jsm: JetStreamManager, options: DurableConsumerOptions): Promise<void> {
  const config = {
    durable_name: options.durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: options.filterSubject,
    ack_wait: options.ackWaitMs * NS_PER_MS,
    max_deliver: options.maxDeliver,
    max_ack_pending: options.maxAckPending ?? 10_000,
  };
  try {
    await jsm.consumers.add(options.stream, config);
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === CONSUMER_NAME_EXIST) {
      const { durable_name: _name, deliver_policy: _deliver, filter_subject: _filter, ...update } = config;
      await jsm.consumers.update(options.stream, options.durable, update);
    } else {
      throw err;
    }
  }
}
