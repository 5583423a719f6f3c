import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
  type ConsumerConfig,
  type JetStreamManager,
  type StreamConfig,
} from "@nats-io/jetstream";
import type { Logger, Names } from "@optout/core";

/** JetStream API error: "stream name already in use with a different configuration". */
const STREAM_NAME_EXIST = 10058;

const NS_PER_MS = 1_000_000;

export interface StreamOptions {
  /** STREAM_REPLICAS: R3 in a cluster; 1 on a single server. Applied when a stream is created. */
  replicas?: number;
  /** How long inbound messages are kept after they are acked (replay, recovery of dead letters). */
  inboundMaxAgeMs?: number;
  /** JetStream de-duplication window for Nats-Msg-Id. */
  duplicateWindowMs?: number;
  /** Where drift between the configuration and an existing stream is reported (a warning). */
  logger?: Logger;
}

export const DEFAULT_INBOUND_MAX_AGE_MS = 7 * 24 * 3600 * 1000;
export const DEFAULT_DUPLICATE_WINDOW_MS = 2 * 60 * 1000;
export const DEFAULT_DLQ_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

export type WantedStream = Partial<StreamConfig> & { name: string; subjects: string[] };

/** The streams of one installation: one per inbound subject (each scaled on its own lag), outbound, events, dead letters. */
export function streamConfigs(names: Names, options: StreamOptions = {}): WantedStream[] {
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
    { ...base, name: names.streams.dlq, subjects: [s.dlqAll], max_age: DEFAULT_DLQ_MAX_AGE_MS * NS_PER_MS },
  ];
}

/** A setting of an existing stream that is not what this process would have created. */
export interface StreamDrift {
  field: "num_replicas" | "max_age" | "max_bytes" | "max_msgs" | "duplicate_window";
  configured: number;
  actual: number;
}

const DRIFT_FIELDS: StreamDrift["field"][] = [
  "num_replicas",
  "max_age",
  "max_bytes",
  "max_msgs",
  "duplicate_window",
];

/** JetStream says "unlimited" with 0 (max_age) or -1 (max_bytes, max_msgs): the longest of all. */
const asLimit = (v: number | undefined): number => (v === undefined || v <= 0 ? Number.POSITIVE_INFINITY : v);

/** Where an existing stream differs from the configuration (retention limits compared with 0/-1 as unlimited). */
export function streamDrift(wanted: WantedStream, actual: StreamConfig): StreamDrift[] {
  const drift: StreamDrift[] = [];
  for (const field of DRIFT_FIELDS) {
    const configured = wanted[field] ?? (field === "num_replicas" ? 1 : 0);
    const current = actual[field];
    const same =
      field === "num_replicas" || field === "duplicate_window"
        ? configured === current
        : asLimit(configured) === asLimit(current);
    if (!same) drift.push({ field, configured, actual: current });
  }
  return drift;
}

/**
 * Create the streams that are missing, with the configured replicas and retention. An existing
 * stream belongs to its operator (guarantee 11): its replicas, retention and every other setting
 * are kept as they are, even when they are lower than configured — raising them back would
 * revert a deliberate change (a node drained, a disk filling up). Only what a stream lacks is
 * added (a subject this version needs); drift is logged as a warning. Safe to run from every
 * worker at start, concurrently.
 */
export async function ensureStreams(
  jsm: JetStreamManager,
  names: Names,
  options: StreamOptions = {},
): Promise<void> {
  for (const wanted of streamConfigs(names, options)) await ensureStream(jsm, wanted, options.logger);
}

async function ensureStream(
  jsm: JetStreamManager,
  wanted: WantedStream,
  logger: Logger | undefined,
): Promise<void> {
  let actual = await streamConfig(jsm, wanted.name);
  if (!actual) {
    try {
      await jsm.streams.add(wanted);
      logger?.info({ stream: wanted.name, replicas: wanted.num_replicas }, "stream created");
      return;
    } catch (err) {
      // Another worker created it between our look-up and our add, with other settings.
      if (!(err instanceof JetStreamApiError && err.code === STREAM_NAME_EXIST)) throw err;
      actual = await streamConfig(jsm, wanted.name);
      if (!actual) throw err;
    }
  }
  const missing = wanted.subjects.filter((s) => !actual.subjects.includes(s));
  if (missing.length > 0) {
    // streams.update sends the stream's current configuration with only the subjects changed.
    await jsm.streams.update(wanted.name, { subjects: [...actual.subjects, ...missing] });
    logger?.info({ stream: wanted.name, added: missing }, "stream subjects added");
  }
  const drift = streamDrift(wanted, actual);
  if (drift.length > 0) {
    logger?.warn(
      { stream: wanted.name, drift },
      `stream ${wanted.name} differs from the configuration (STREAM_REPLICAS / retention): keeping its current settings; change them on the stream itself if the difference is not deliberate`,
    );
  }
}

async function streamConfig(jsm: JetStreamManager, name: string): Promise<StreamConfig | undefined> {
  try {
    return (await jsm.streams.info(name)).config;
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound) return undefined;
    throw err;
  }
}

export interface DurableConsumerOptions {
  stream: string;
  durable: string;
  filterSubject: string;
  ackWaitMs: number;
  maxDeliver: number;
  /** Unacked messages the server lets all replicas of this consumer hold. Default 10,000 at creation. */
  maxAckPending?: number;
}

export const DEFAULT_MAX_ACK_PENDING = 10_000;

/**
 * Create a durable pull consumer that starts at the beginning of its stream, or bring an existing
 * one's ack_wait and max_deliver (which the worker's retry logic depends on) to the configured
 * values. Everything else an operator may have tuned (max_ack_pending unless given, replicas,
 * sampling...) is kept: consumers.update merges into the consumer's current configuration.
 */
export async function ensureDurableConsumer(
  jsm: JetStreamManager,
  options: DurableConsumerOptions,
): Promise<void> {
  const ours: Partial<ConsumerConfig> = {
    ack_wait: options.ackWaitMs * NS_PER_MS,
    max_deliver: options.maxDeliver,
    ...(options.maxAckPending === undefined ? {} : { max_ack_pending: options.maxAckPending }),
  };
  const existing = await consumerConfig(jsm, options.stream, options.durable);
  if (!existing) {
    // On nats-server 2.9 an add of an existing durable silently updates it: only add what is missing.
    await jsm.consumers.add(options.stream, {
      durable_name: options.durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      filter_subject: options.filterSubject,
      max_ack_pending: DEFAULT_MAX_ACK_PENDING,
      ...ours,
    });
    return;
  }
  const changed = (Object.keys(ours) as (keyof typeof ours)[]).some((k) => existing[k] !== ours[k]);
  if (changed) await jsm.consumers.update(options.stream, options.durable, ours);
}

async function consumerConfig(
  jsm: JetStreamManager,
  stream: string,
  durable: string,
): Promise<ConsumerConfig | undefined> {
  try {
    return (await jsm.consumers.info(stream, durable)).config;
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.ConsumerNotFound) return undefined;
    throw err;
  }
}
