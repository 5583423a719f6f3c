/**
 * The deployable workers, in one table: what runs, which env it reads, how it scales, what it
 * may reach. `render.ts` turns this into the kustomize base and overlays under deploy/kubernetes;
 * a test checks that every service folder is here, that every variable named exists in
 * packages/config and that each worker's fields are the ones its src/main.ts reads.
 */
import { FIELDS, type FieldName } from "../packages/config/src/index.js";
import type { Names } from "../packages/core/src/index.js";
import { INFRASTRUCTURE_FIELDS } from "../packages/runtime/src/index.js";

export interface WorkerSpec {
  /** services/<name>; also the durable consumer suffix (namesFor(ns).consumer(name)). */
  name: string;
  /** HTTP port served to clients (api, edge); the others only serve health and metrics. */
  httpPortEnv?: "API_PORT" | "EDGE_PORT";
  /** Every variable the worker reads. */
  env: string[];
  /** The JetStream stream (a key of namesFor(ns).streams) whose consumer lag drives KEDA. */
  jetstream?: { stream: keyof Names["streams"]; lagThreshold: number };
  /** Request-reply responders and HTTP services scale on CPU utilization (percent of the request). */
  cpuTarget?: number;
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

/** What runStandalone reads for every worker besides INFRASTRUCTURE_FIELDS (packages/runtime/src/standalone.ts). */
const STANDALONE: FieldName[] = ["streamReplicas", "migrateOnStart", "healthPort", "host"];
const BASE: FieldName[] = [...INFRASTRUCTURE_FIELDS, ...STANDALONE];
const CONSUMER: FieldName[] = ["maxDeliveries", "ackWaitMs", "maxInFlight"];

/** Each worker's own fields: the same list its src/main.ts passes to runStandalone (a test compares them). */
export const WORKER_FIELDS: Record<string, FieldName[]> = {
  "sms-inbound": CONSUMER,
  "link-click": CONSUMER,
  "email-unsubscribe": [...CONSUMER, "emailTokenSecret"],
  "webhook-dispatch": [
    "webhookMaxAttempts",
    "webhookTimeoutMs",
    "webhookAllowPrivateNetworks",
    "ackWaitMs",
    "maxInFlight",
    "webhookJobsRetentionDays",
    "confirmationsRetentionDays",
  ],
  "suppression-check": ["erasureHashSecret"],
  tag: ["linkBaseUrl"],
  edge: ["edgePort", "emailTokenSecret", "edgeRateLimitPerMinute", "edgeTrustedProxies"],
  api: [
    "adminToken",
    "apiPort",
    "emailTokenSecret",
    "erasureHashSecret",
    "linkBaseUrl",
    "webhookAllowPrivateNetworks",
    "importThreads",
  ],
};

/** What `optout migrate` reads: Postgres for the schema, NATS for the streams it creates. */
export const MIGRATE_ENV: string[] = [...INFRASTRUCTURE_FIELDS, "streamReplicas"].map(
  (f) => FIELDS[f as FieldName].env,
);

const envOf = (name: string): string[] => [
  ...new Set([...BASE, ...(WORKER_FIELDS[name] ?? [])].map((f) => FIELDS[f].env)),
];

// Consumers: handlers wait on Postgres and NATS; a 1-core limit is one event loop's worth.
const consumer = (
  name: string,
  stream: keyof Names["streams"],
  lagThreshold: number,
  extra: Partial<WorkerSpec> = {},
): WorkerSpec => ({
  name,
  env: envOf(name),
  jetstream: { stream, lagThreshold },
  minReplicas: 1,
  maxReplicas: 10,
  cpu: "500m",
  cpuLimit: "1",
  memory: "256Mi",
  ...extra,
});

export const WORKERS: WorkerSpec[] = [
  consumer("sms-inbound", "inboundSms", 1000),
  consumer("link-click", "inboundLink", 500),
  consumer("email-unsubscribe", "inboundEmail", 500),
  consumer("webhook-dispatch", "outbound", 200, { internetEgress: true }),
  // The hot path (one check per outgoing message): two cores when a burst comes.
  {
    name: "suppression-check",
    env: envOf("suppression-check"),
    cpuTarget: 60,
    minReplicas: 2,
    maxReplicas: 20,
    cpu: "1000m",
    cpuLimit: "2",
    memory: "256Mi",
  },
  {
    name: "tag",
    env: envOf("tag"),
    cpuTarget: 60,
    minReplicas: 2,
    maxReplicas: 10,
    cpu: "500m",
    cpuLimit: "1",
    memory: "256Mi",
  },
  {
    name: "edge",
    httpPortEnv: "EDGE_PORT",
    env: envOf("edge"),
    cpuTarget: 70,
    minReplicas: 2,
    maxReplicas: 10,
    cpu: "500m",
    cpuLimit: "1",
    memory: "256Mi",
  },
  // 512Mi: a bulk import adds 130-180 MiB (its normalizer threads' heaps and the batches in flight).
  // The 2-core limit is what IMPORT_THREADS is set from (resourceFieldRef limits.cpu).
  {
    name: "api",
    httpPortEnv: "API_PORT",
    env: envOf("api"),
    cpuTarget: 70,
    minReplicas: 2,
    maxReplicas: 6,
    cpu: "500m",
    cpuLimit: "2",
    memory: "512Mi",
  },
];
