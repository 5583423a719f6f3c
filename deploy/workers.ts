/**
 * The deployable workers, in one table: what runs, which env it reads, how it scales.
 * `render.ts` turns this into Kubernetes manifests; a test checks that every service folder
 * is here and that every variable named exists in packages/config.
 */

export interface WorkerSpec {
  /** services/<name> */
  name: string;
  /** HTTP port served to clients (api, edge); workers only serve health/metrics. */
  httpPortEnv?: "API_PORT" | "EDGE_PORT";
  env: string[];
  /** JetStream consumer whose lag drives KEDA (stream suffix after the namespace, durable suffix). */
  jetstream?: { stream: string; consumer: string; lagThreshold: number };
  /** Request-reply responders scale on CPU. */
  cpuTarget?: number;
  minReplicas: number;
  maxReplicas: number;
  cpu: string;
  memory: string;
}

import { FIELDS, type FieldName } from "../packages/config/src/index.js";

/** What runStandalone reads for every worker (INFRASTRUCTURE_FIELDS + stream replicas + health). */
const BASE: FieldName[] = [
  "natsUrl",
  "databaseUrl",
  "databaseSchema",
  "databasePoolSize",
  "redisUrl",
  "namespace",
  "streamReplicas",
  "bloomExpectedEntries",
  "bloomFalsePositiveRate",
  "bloomBlocksPerEntry",
  "logLevel",
  "host",
];

/**
 * Values the manifests set themselves rather than read from the optout-config ConfigMap: the
 * NATS these manifests expect is a 3-node JetStream cluster (deploy/README.md), so streams a
 * worker creates there are R3. Existing streams keep what an operator set (guarantee 11).
 */
export const FIXED_ENV: Record<string, string> = { STREAM_REPLICAS: "3", HEALTH_PORT: "9090" };
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
  ],
  "suppression-check": [],
  tag: ["linkBaseUrl"],
  edge: ["edgePort", "emailTokenSecret", "edgeRateLimitPerMinute", "edgeTrustedProxies"],
  api: [
    "adminToken",
    "apiPort",
    "emailTokenSecret",
    "linkBaseUrl",
    "webhookAllowPrivateNetworks",
    "importThreads",
  ],
};

const envOf = (name: string): string[] => [...BASE, ...(WORKER_FIELDS[name] ?? [])].map((f) => FIELDS[f].env);

const consumer = (name: string, stream: string, lagThreshold: number): WorkerSpec => ({
  name,
  env: envOf(name),
  jetstream: { stream, consumer: name, lagThreshold },
  minReplicas: 1,
  maxReplicas: 10,
  cpu: "500m",
  memory: "256Mi",
});

export const WORKERS: WorkerSpec[] = [
  consumer("sms-inbound", "INBOUND_SMS", 1000),
  consumer("link-click", "INBOUND_LINK", 500),
  consumer("email-unsubscribe", "INBOUND_EMAIL", 500),
  consumer("webhook-dispatch", "OUTBOUND", 200),
  {
    name: "suppression-check",
    env: envOf("suppression-check"),
    cpuTarget: 60,
    minReplicas: 2,
    maxReplicas: 20,
    cpu: "1000m",
    memory: "256Mi",
  },
  {
    name: "tag",
    env: envOf("tag"),
    cpuTarget: 60,
    minReplicas: 2,
    maxReplicas: 10,
    cpu: "500m",
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
    memory: "256Mi",
  },
  // 512Mi: a bulk import adds 130-180 MiB (its normalizer threads' heaps and the batches in flight).
  {
    name: "api",
    httpPortEnv: "API_PORT",
    env: envOf("api"),
    cpuTarget: 70,
    minReplicas: 2,
    maxReplicas: 6,
    cpu: "500m",
    memory: "512Mi",
  },
];
