/**
 * The parameters of each kustomize overlay: where it runs, what it is called, how it scales and
 * what it may reach. `render.ts` renders the base from BASE_PARAMS and writes, for each overlay,
 * only what differs from the base (deploy/kubernetes/overlays/<name>/). To change a value,
 * edit it here and run `npm run deploy:render`: derived values (the KEDA stream and consumer
 * names from OPTOUT_NAMESPACE, the egress allowed to webhook-dispatch) follow.
 */
import { readFileSync } from "node:fs";
import { FIELDS } from "../packages/config/src/index.js";

/** Where a dependency runs: pods (in `namespace`, or the overlay's own) or addresses outside the cluster. */
export type Peer =
  { namespace?: string; podLabels: Record<string, string>; port: number } | { cidrs: string[]; port: number };

export interface DeployParams {
  /** The overlay's folder under deploy/kubernetes/overlays ("base" for the base). */
  name: string;
  /** Kubernetes namespace of every object. */
  namespace: string;
  /** OPTOUT_NAMESPACE: NATS subject prefix, stream and consumer names, Redis keys. */
  optoutNamespace: string;
  image: { name: string; tag: string };
  /**
   * The optout-config ConfigMap (non-secret settings, loaded whole by every worker); OPTOUT_NAMESPACE
   * is added from `optoutNamespace`. Variables not listed keep their packages/config default.
   */
  settings: Record<string, string>;
  /** Fixed replicas of every Deployment (no autoscaler); unset: KEDA scales them. */
  replicas?: number;
  /** CPU request of every container (a laptop cluster); unset: the worker table's. */
  cpuRequest?: string;
  /** KEDA ScaledObjects (needs KEDA's CRDs); unset: none. */
  autoscaling?: {
    /** NATS monitoring endpoint (host:port of its /jsz) that KEDA reads consumer lag from. */
    natsMonitoringEndpoint: string;
    /**
     * NATS account of the streams. Unset: the account deploy/nats configures for OPTOUT_NAMESPACE
     * (accountName(), "OPTOUT" for "optout"); "$G" for a NATS without accounts.
     */
    natsAccount?: string;
  };
  /** Metrics Services and ServiceMonitors (needs the Prometheus operator's CRDs); unset: none. */
  monitoring?: {
    /** Labels the Prometheus resource selects ServiceMonitors by (e.g. release: kube-prometheus-stack). */
    serviceMonitorLabels: Record<string, string>;
  };
  network: {
    nats: Peer;
    postgres: Peer;
    redis: Peer;
    /** Namespace allowed to scrape /metrics on the health port; unset: any source. */
    metricsFromNamespace?: string;
  };
}

const rootPackage = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

/** Image tags follow the root package.json version: a release is one tag, never `latest`. */
export const IMAGE = { name: "ghcr.io/optout/optout", tag: rootPackage.version };

const defaultOf = (env: string): string => {
  const field = Object.values(FIELDS).find((f) => f.env === env);
  if (!field || !("default" in field)) throw new Error(`${env} has no default in packages/config`);
  return String(field.default);
};

/** Settings an operator decides per installation, with packages/config's defaults. */
const DEFAULT_SETTINGS: Record<string, string> = Object.fromEntries(
  [
    "STREAM_REPLICAS",
    "MIGRATE_ON_START",
    "LINK_BASE_URL",
    "LOG_LEVEL",
    "DATABASE_POOL_SIZE",
    "WEBHOOK_ALLOW_PRIVATE_NETWORKS",
    "EDGE_TRUSTED_PROXIES",
  ].map((env) => [env, defaultOf(env)]),
);

const inNamespace = (name: string): Record<string, string> => ({ "app.kubernetes.io/name": name });

export const BASE_PARAMS: DeployParams = {
  name: "base",
  namespace: "optout",
  optoutNamespace: String(FIELDS.namespace.default),
  image: IMAGE,
  settings: DEFAULT_SETTINGS,
  network: {
    nats: { podLabels: inNamespace("nats"), port: 4222 },
    postgres: { podLabels: inNamespace("postgresql"), port: 5432 },
    redis: { podLabels: inNamespace("redis"), port: 6379 },
  },
};

/**
 * A laptop cluster (kind, k3d, minikube) with NATS, Postgres and Redis installed from their charts
 * in the same namespace: one replica each, small CPU requests, workers migrate at start, no CRDs
 * needed (no KEDA, no Prometheus operator).
 */
export const LOCAL: DeployParams = {
  ...BASE_PARAMS,
  name: "local",
  settings: { ...DEFAULT_SETTINGS, LOG_LEVEL: "debug" },
  replicas: 1,
  cpuRequest: "50m",
};

/**
 * A production cluster: a 3-node JetStream cluster from the NATS chart in namespace `nats`,
 * Postgres from CloudNativePG (cluster `optout-db`) and Redis in the optout namespace, KEDA and
 * the Prometheus operator installed. Streams are R3; `optout migrate` (a Job) owns the schema and
 * the streams, and workers wait for them.
 */
export const PRODUCTION: DeployParams = {
  ...BASE_PARAMS,
  name: "production",
  settings: {
    ...DEFAULT_SETTINGS,
    STREAM_REPLICAS: "3",
    MIGRATE_ON_START: "false",
    LINK_BASE_URL: "https://optout.example.com/",
  },
  autoscaling: { natsMonitoringEndpoint: "nats.nats.svc.cluster.local:8222" },
  monitoring: { serviceMonitorLabels: {} },
  network: {
    nats: { namespace: "nats", podLabels: inNamespace("nats"), port: 4222 },
    postgres: { podLabels: { "cnpg.io/cluster": "optout-db" }, port: 5432 },
    redis: { podLabels: inNamespace("redis"), port: 6379 },
    metricsFromNamespace: "monitoring",
  },
};

export const OVERLAYS: DeployParams[] = [LOCAL, PRODUCTION];
