/**
 * The kustomize base: per worker a Deployment, a PodDisruptionBudget and (api, edge) a Service;
 * the optout-config ConfigMap; the `optout migrate` Job; and the Secret template, which is not a
 * resource of the base (applying the manifests must never overwrite real credentials).
 */
import type { IDeployment } from "kubernetes-models/apps/v1/Deployment";
import type { IJob } from "kubernetes-models/batch/v1/Job";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import type { IConfigMap } from "kubernetes-models/v1/ConfigMap";
import type { IContainerPort } from "kubernetes-models/v1/ContainerPort";
import type { IProbe } from "kubernetes-models/v1/Probe";
import type { ISecret } from "kubernetes-models/v1/Secret";
import type { IService } from "kubernetes-models/v1/Service";
import { ADMIN_USER } from "../nats/render-config.js";
import type { DeployParams } from "../overlays.js";
import { MIGRATE_ENV, WORKERS, type WorkerSpec } from "../workers.js";
import {
  baseContainer,
  CONFIG_MAP,
  HEALTH_PORT,
  HTTP_PORTS,
  labels,
  natsSecretName,
  objectName,
  POD_SECURITY,
  SECRET,
  selectorLabels,
  sharedSecretEnv,
  VOLUMES,
} from "./pod.js";

/** JetStream redelivers after ACK_WAIT_MS (30 s by default): a draining worker finishes within it. */
const DRAIN_SECONDS = 40;
/** HTTP services keep answering this long after SIGTERM is due, while endpoints stop routing to them. */
export const PRE_STOP_SLEEP_SECONDS = 5;
/** The migration Job's name carries the version: a Job's pod template is immutable, a release is a new Job. */
export const migrateJobName = (tag: string): string =>
  `${objectName("migrate")}-${tag.replace(/[^a-z0-9-]/gi, "-")}`;

export const imageOf = (p: DeployParams): string => `${p.image.name}:${p.image.tag}`;

function probes(w: WorkerSpec): { startupProbe: IProbe; readinessProbe: IProbe; livenessProbe: IProbe } {
  return {
    // The health server listens from the first second (before connecting, migrating or waiting
    // for the schema), so a minute is plenty; liveness only starts once this passed.
    startupProbe: { httpGet: { path: "/healthz", port: "health" }, periodSeconds: 2, failureThreshold: 30 },
    // Traffic goes where /readyz says so: on the client port for HTTP services (the listener
    // itself), on the health port for the others (503 while waiting for the schema or NATS).
    readinessProbe: {
      httpGet: { path: "/readyz", port: w.httpPortEnv ? "http" : "health" },
      periodSeconds: 5,
      timeoutSeconds: 2,
    },
    // A throttled event loop answers late, not never: a generous timeout before a restart.
    livenessProbe: {
      httpGet: { path: "/healthz", port: "health" },
      periodSeconds: 10,
      timeoutSeconds: 3,
      failureThreshold: 6,
    },
  };
}

export function deploymentFor(w: WorkerSpec, p: DeployParams): IDeployment {
  const ports: IContainerPort[] = [{ name: "health", containerPort: HEALTH_PORT, protocol: "TCP" }];
  if (w.httpPortEnv) ports.push({ name: "http", containerPort: HTTP_PORTS[w.httpPortEnv], protocol: "TCP" });
  const container = {
    ...baseContainer({
      name: w.name,
      image: imageOf(p),
      args: ["node", `services/${w.name}/dist/main.js`],
      env: w.env,
      component: w.name,
      resources: {
        requests: { cpu: w.cpu, memory: w.memory },
        limits: { cpu: w.cpuLimit, memory: w.memory },
      },
    }),
    ports,
    ...probes(w),
    // Endpoints are removed asynchronously: keep serving a few seconds before the drain starts.
    ...(w.httpPortEnv
      ? { lifecycle: { preStop: { exec: { command: ["sleep", String(PRE_STOP_SLEEP_SECONDS)] } } } }
      : {}),
  };
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: objectName(w.name), labels: labels(w.name) },
    // No `replicas`: KEDA (or the overlay's `replicas`) owns it; a value here would reset the
    // autoscaler's choice on every apply.
    spec: {
      revisionHistoryLimit: 5,
      strategy: { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } },
      selector: { matchLabels: selectorLabels(w.name) },
      template: {
        metadata: {
          labels: labels(w.name),
          annotations: {
            "prometheus.io/scrape": "true",
            "prometheus.io/port": String(HEALTH_PORT),
            "prometheus.io/path": "/metrics",
          },
        },
        spec: {
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: DRAIN_SECONDS + (w.httpPortEnv ? PRE_STOP_SLEEP_SECONDS : 0),
          securityContext: POD_SECURITY,
          topologySpreadConstraints: [
            {
              maxSkew: 1,
              topologyKey: "kubernetes.io/hostname",
              whenUnsatisfiable: "ScheduleAnyway",
              labelSelector: { matchLabels: selectorLabels(w.name) },
            },
          ],
          containers: [container],
          volumes: VOLUMES,
        },
      },
    },
  };
}

export function serviceFor(w: WorkerSpec): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: objectName(w.name), labels: labels(w.name) },
    spec: {
      type: "ClusterIP",
      selector: selectorLabels(w.name),
      ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
    },
  };
}

/** One pod at a time during node drains; with maxUnavailable a single replica can still be evicted. */
export function disruptionBudgetFor(w: WorkerSpec): IPodDisruptionBudget {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: objectName(w.name), labels: labels(w.name) },
    spec: { maxUnavailable: 1, selector: { matchLabels: selectorLabels(w.name) } },
  };
}

/** The non-secret settings every worker loads whole (envFrom); OPTOUT_NAMESPACE first. */
export function configData(p: DeployParams): Record<string, string> {
  return { OPTOUT_NAMESPACE: p.optoutNamespace, ...p.settings };
}

export function configMap(p: DeployParams): IConfigMap {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: {
      name: CONFIG_MAP,
      labels: { "app.kubernetes.io/name": "optout", "app.kubernetes.io/part-of": "optout" },
    },
    data: configData(p),
  };
}

/** Runs the migrations and creates the streams; workers with MIGRATE_ON_START=false wait for it. */
export function migrateJob(p: DeployParams): IJob {
  const container = baseContainer({
    name: "migrate",
    image: imageOf(p),
    args: ["node", "packages/cli/dist/main.js", "migrate"],
    env: MIGRATE_ENV,
    component: "migrate",
    resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { cpu: "500m", memory: "256Mi" } },
  });
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: migrateJobName(p.image.tag), labels: labels("migrate") },
    spec: {
      backoffLimit: 6,
      activeDeadlineSeconds: 900,
      // Finished Jobs go away after a day; applying the same release again reruns it (idempotent).
      ttlSecondsAfterFinished: 86_400,
      template: {
        metadata: { labels: labels("migrate") },
        spec: {
          restartPolicy: "Never",
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          securityContext: POD_SECURITY,
          containers: [container],
          volumes: VOLUMES,
        },
      },
    },
  };
}

/** Every key of optout-secrets some component reads, in a stable order. */
export function sharedSecretKeys(): string[] {
  const keys = new Set<string>(sharedSecretEnv(MIGRATE_ENV));
  for (const w of WORKERS) for (const k of sharedSecretEnv(w.env)) keys.add(k);
  return [...keys];
}

/**
 * The Secrets the Deployments and the Job reference, with empty values: copy, fill in, apply
 * (or create them with your secret manager). An empty required value fails the worker's start
 * with a message naming it.
 */
export function secretTemplates(): ISecret[] {
  const shared: ISecret = {
    apiVersion: "v1",
    kind: "Secret",
    metadata: {
      name: SECRET,
      labels: { "app.kubernetes.io/name": "optout", "app.kubernetes.io/part-of": "optout" },
    },
    type: "Opaque",
    stringData: Object.fromEntries(sharedSecretKeys().map((k) => [k, ""])),
  };
  const nats = [...WORKERS.map((w) => w.name), "migrate"].map((component): ISecret => ({
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name: natsSecretName(component), labels: labels(component) },
    type: "Opaque",
    // The user deploy/nats configures for this component (one per service, its admin user for
    // migrations) and its password (render-config.ts --passwords); or NATS_TOKEN, or
    // NATS_NKEY_SEED instead. Optional: without it the component connects with what NATS_URL carries.
    stringData: { NATS_USER: component === "migrate" ? ADMIN_USER : component, NATS_PASSWORD: "" },
  }));
  return [shared, ...nats];
}
