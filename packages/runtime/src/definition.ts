/**
 * What a worker is, said once by each service in its src/definition.ts: its name, its kind, the
 * config fields it reads and how they become its start options, what it consumes or answers,
 * and how Kubernetes runs it. Its src/main.ts (runStandalone), the all-in-one `npm start`
 * (scripts/local.ts) and the manifests (deploy/workers.ts) all read that one definition.
 *
 * Light on purpose (config field names and types only): the manifests import every service's
 * definition without loading NATS, Postgres, Redis or fastify. Import it as
 * `@optout/runtime/definition`.
 */
import { NATS_SECURITY_FIELDS, type ConfigOf, type FieldName } from "@optout/config";
import type { Names } from "@optout/core";
import type { ConsumerWorkerOptions } from "./consumer-worker.js";

/** The connections every process opens (openInfrastructure) and its log level. */
export const INFRASTRUCTURE_FIELDS = [
  "natsUrl",
  ...NATS_SECURITY_FIELDS,
  "databaseUrl",
  "databaseSchema",
  "databasePoolSize",
  "redisUrl",
  "namespace",
  "bloomExpectedEntries",
  "bloomFalsePositiveRate",
  "bloomBlocksPerEntry",
  "logLevel",
] as const;

/**
 * What runStandalone reads for every worker besides the worker's own fields. streamReplicas,
 * migrateOnStart: a worker may be the first to start and create what is missing (the local
 * default), or wait for `optout migrate` (Kubernetes).
 */
export const STANDALONE_FIELDS = [
  ...INFRASTRUCTURE_FIELDS,
  "streamReplicas",
  "migrateOnStart",
  "healthPort",
  "host",
] as const;
export type StandaloneField = (typeof STANDALONE_FIELDS)[number];

/** A stream of the installation: a key of `namesFor(ns).streams`. */
export type StreamKey = keyof Names["streams"];
/** A fixed subject of the installation: a key of `namesFor(ns).subjects` (not the per-event ones). */
export type SubjectKey = {
  [S in keyof Names["subjects"]]: Names["subjects"][S] extends string ? S : never;
}[keyof Names["subjects"]];

/** How Kubernetes runs one replica of the worker, and how many (deploy/workers.ts renders it). */
export interface DeploymentHints {
  minReplicas: number;
  maxReplicas: number;
  /** CPU request (what KEDA's CPU utilization is relative to) and limit. */
  cpu: string;
  cpuLimit: string;
  /** Memory request and limit (the same: memory is not compressible). */
  memory: string;
  /** Egress to the internet on 443/80 (webhook deliveries), besides NATS, Postgres, Redis, DNS. */
  internetEgress?: boolean;
}

interface Definition<K extends FieldName, O> {
  /** services/<name>: the Deployment, the durable consumer suffix, the `worker` metric label. */
  readonly name: string;
  /** The config fields the worker reads besides STANDALONE_FIELDS (the worker's env in the manifests). */
  readonly fields: readonly K[];
  /** Its start options from its configuration (main.ts; the local runner overrides some). */
  readonly options: (config: ConfigOf<K>) => O;
  readonly deployment: DeploymentHints;
}

/** Consumes one subject with its durable consumer `names.consumer(name)`; KEDA scales it on the lag. */
export interface ConsumerDefinition<K extends FieldName = FieldName, O = unknown> extends Definition<K, O> {
  readonly kind: "consumer";
  readonly stream: StreamKey;
  readonly subject: SubjectKey;
  /** Pending messages per replica before KEDA adds one. */
  readonly lagThreshold: number;
}

/** Answers request subjects in its queue group (which ones: its worker.ts); KEDA scales it on CPU. */
export interface ResponderDefinition<K extends FieldName = FieldName, O = unknown> extends Definition<K, O> {
  readonly kind: "responder";
  /** CPU utilization (percent of the request) KEDA keeps it at. */
  readonly cpuTarget: number;
}

/** Serves HTTP to clients on the port of its `port` field; KEDA scales it on CPU. */
export interface HttpDefinition<K extends FieldName = FieldName, O = unknown> extends Definition<K, O> {
  readonly kind: "http";
  readonly port: "apiPort" | "edgePort";
  /** CPU utilization (percent of the request) KEDA keeps it at. */
  readonly cpuTarget: number;
}

export type WorkerDefinition<K extends FieldName = FieldName, O = unknown> =
  ConsumerDefinition<K, O> | ResponderDefinition<K, O> | HttpDefinition<K, O>;

type Described<D> = Omit<D, "kind">;

export function defineConsumer<K extends FieldName, O>(
  d: Described<ConsumerDefinition<K, O>>,
): ConsumerDefinition<K, O> {
  return Object.freeze({ kind: "consumer", ...d });
}

export function defineResponder<K extends FieldName, O>(
  d: Described<ResponderDefinition<K, O>>,
): ResponderDefinition<K, O> {
  return Object.freeze({ kind: "responder", ...d });
}

export function defineHttpWorker<K extends FieldName, O>(
  d: Described<HttpDefinition<K, O>>,
): HttpDefinition<K, O> {
  return Object.freeze({ kind: "http", ...d });
}

/** The fields every JetStream consumer reads (ConsumerWorkerOptions). */
export const CONSUMER_FIELDS = ["maxDeliveries", "ackWaitMs", "maxInFlight"] as const;
export type ConsumerField = (typeof CONSUMER_FIELDS)[number];

export function consumerOptions(config: ConfigOf<ConsumerField>): ConsumerWorkerOptions {
  return {
    maxDeliveries: config.maxDeliveries,
    ackWaitMs: config.ackWaitMs,
    maxInFlight: config.maxInFlight,
  };
}
