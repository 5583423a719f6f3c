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

const BASE_ENV = ["NATS_URL", "DATABASE_URL", "DATABASE_SCHEMA", "DATABASE_POOL_SIZE", "REDIS_URL", "OPTOUT_NAMESPACE", "LOG_LEVEL", "BLOOM_EXPECTED_ENTRIES", "BLOOM_FALSE_POSITIVE_RATE"];

export const WORKERS: WorkerSpec[] = [
  {
    name: "sms-inbound",
    env: [...BASE_ENV, "MAX_DELIVERIES", "ACK_WAIT_MS", "MAX_IN_FLIGHT"],
    jetstream: { stream: "INBOUND_SMS", consumer: "sms-inbound", lagThreshold: 1000 },
    minReplicas: 1,
    maxReplicas: 10,
    cpu: "500m",
    memory: "256Mi",
  },
  {
    name: "suppression-check",
    env: BASE_ENV,
    cpuTarget: 60,
    minReplicas: 2,
    maxReplicas: 20,
    cpu: "1000m",
    memory: "256Mi",
  },
  {
    name: "api",
    httpPortEnv: "API_PORT",
    env: [...BASE_ENV, "OPTOUT_ADMIN_TOKEN", "API_PORT", "HOST"],
    cpuTarget: 70,
    minReplicas: 2,
    maxReplicas: 6,
    cpu: "500m",
    memory: "256Mi",
  },
];
