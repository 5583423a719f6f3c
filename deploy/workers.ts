/**
 * The deployable workers, in one table: what runs, which env it reads, how it scales, what it
 * may reach. Each row is read from the service's own definition (services/<name>/src/definition.ts,
 * imported without the service's code); `render.ts` turns the table into the kustomize base and
 * overlays under deploy/kubernetes. A test checks that every service folder is here and that every
 * variable named exists in packages/config.
 */
import { FIELDS, type FieldName } from "../packages/config/src/index.js";
import type { Names } from "../packages/core/src/index.js";
import { INFRASTRUCTURE_FIELDS, STANDALONE_FIELDS, type WorkerDefinition } from "@optout/runtime/definition";
import { API_WORKER } from "@optout/service-api/definition";
import { EDGE_WORKER } from "@optout/service-edge/definition";
import { EMAIL_UNSUBSCRIBE_WORKER } from "@optout/service-email-unsubscribe/definition";
import { LINK_CLICK_WORKER } from "@optout/service-link-click/definition";
import { SMS_INBOUND_WORKER } from "@optout/service-sms-inbound/definition";
import { SUPPRESSION_CHECK_WORKER } from "@optout/service-suppression-check/definition";
import { TAG_WORKER } from "@optout/service-tag/definition";
import { WEBHOOK_DISPATCH_WORKER } from "@optout/service-webhook-dispatch/definition";

/** Every service's definition, in the order the manifests list them. */
export const DEFINITIONS: readonly WorkerDefinition[] = [
  SMS_INBOUND_WORKER,
  LINK_CLICK_WORKER,
  EMAIL_UNSUBSCRIBE_WORKER,
  WEBHOOK_DISPATCH_WORKER,
  SUPPRESSION_CHECK_WORKER,
  TAG_WORKER,
  EDGE_WORKER,
  API_WORKER,
];

/** What the manifests builders (manifests/*.ts) read of a worker. */
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

/** What `optout migrate` reads: Postgres for the schema, NATS for the streams it creates. */
export const MIGRATE_ENV: string[] = [...INFRASTRUCTURE_FIELDS, "streamReplicas"].map(
  (f) => FIELDS[f as FieldName].env,
);

/** What runStandalone reads: STANDALONE_FIELDS, then the worker's own fields. */
export const envOf = (d: WorkerDefinition): string[] => [
  ...new Set([...STANDALONE_FIELDS, ...d.fields].map((f) => FIELDS[f].env)),
];

export function specOf(d: WorkerDefinition): WorkerSpec {
  const { deployment } = d;
  return {
    name: d.name,
    ...(d.kind === "http" ? { httpPortEnv: FIELDS[d.port].env } : {}),
    env: envOf(d),
    ...(d.kind === "consumer"
      ? { jetstream: { stream: d.stream, lagThreshold: d.lagThreshold } }
      : { cpuTarget: d.cpuTarget }),
    minReplicas: deployment.minReplicas,
    maxReplicas: deployment.maxReplicas,
    cpu: deployment.cpu,
    cpuLimit: deployment.cpuLimit,
    memory: deployment.memory,
    ...(deployment.internetEgress ? { internetEgress: true } : {}),
  };
}

export const WORKERS: WorkerSpec[] = DEFINITIONS.map(specOf);
