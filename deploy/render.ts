/**
 * Render deploy/kubernetes/*.yaml from workers.ts: one Deployment per worker (health probes,
 * Prometheus annotations, SIGTERM drain within the grace period), a Service for HTTP workers,
 * and a KEDA ScaledObject: JetStream consumer lag for consumers, CPU for responders.
 * Run: node --conditions=development --import tsx deploy/render.ts
 */
import { writeFile } from "node:fs/promises";
import { WORKERS, type WorkerSpec } from "./workers.js";

const NAMESPACE = "optout";
const IMAGE = "ghcr.io/optout/optout:latest";
const SECRET_ENV = new Set(["DATABASE_URL", "OPTOUT_ADMIN_TOKEN", "EMAIL_TOKEN_SECRET", "REDIS_URL"]);

type Yaml = string | number | boolean | null | Yaml[] | { [k: string]: Yaml };

function scalar(v: string | number | boolean | null): string {
  if (typeof v !== "string") return String(v);
  return /^[A-Za-z0-9_./:-]+$/.test(v) && !/^(true|false|null|yes|no|\d.*)$/i.test(v) ? v : JSON.stringify(v);
}

/** A minimal YAML emitter for plain data: enough for manifests, no dependency. */
export function toYaml(value: Yaml, indent = 0): string {
  const pad = " ".repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return value
      .map((item) => {
        if (item !== null && typeof item === "object") {
          const inner = toYaml(item, indent + 2).trimStart();
          return `${pad}- ${inner}`;
        }
        return `${pad}- ${scalar(item)}`;
      })
      .join("\n");
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 0) return "{}";
    return entries
      .map(([k, v]) => {
        if (v !== null && typeof v === "object" && (Array.isArray(v) ? v.length > 0 : Object.keys(v).length > 0)) {
          return `${pad}${k}:\n${toYaml(v, Array.isArray(v) ? indent : indent + 2)}`;
        }
        return `${pad}${k}: ${v !== null && typeof v === "object" ? toYaml(v) : scalar(v)}`;
      })
      .join("\n");
  }
  return scalar(value);
}

function envFor(w: WorkerSpec): Yaml[] {
  const env: Yaml[] = w.env.map((name) =>
    SECRET_ENV.has(name)
      ? { name, valueFrom: { secretKeyRef: { name: "optout-secrets", key: name } } }
      : { name, valueFrom: { configMapKeyRef: { name: "optout-config", key: name, optional: true } } },
  );
  env.push({ name: "HEALTH_PORT", value: "9090" });
  return env;
}

export function manifestsFor(w: WorkerSpec): Yaml[] {
  const labels = { "app.kubernetes.io/name": "optout", "app.kubernetes.io/component": w.name };
  const ports: Yaml[] = [{ name: "health", containerPort: 9090 }];
  if (w.httpPortEnv) ports.push({ name: "http", containerPort: w.httpPortEnv === "API_PORT" ? 3000 : 8080 });
  const probePort = w.httpPortEnv ? "http" : "health";
  const docs: Yaml[] = [
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: `optout-${w.name}`, namespace: NAMESPACE, labels },
      spec: {
        replicas: w.minReplicas,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels, annotations: { "prometheus.io/scrape": "true", "prometheus.io/port": "9090", "prometheus.io/path": "/metrics" } },
          spec: {
            terminationGracePeriodSeconds: 40,
            containers: [
              {
                name: w.name,
                image: IMAGE,
                args: ["node", `services/${w.name}/dist/main.js`],
                env: envFor(w),
                ports,
                resources: { requests: { cpu: w.cpu, memory: w.memory }, limits: { memory: w.memory } },
                readinessProbe: { httpGet: { path: "/readyz", port: probePort }, periodSeconds: 5 },
                livenessProbe: { httpGet: { path: "/healthz", port: probePort }, periodSeconds: 10, failureThreshold: 6 },
              },
            ],
          },
        },
      },
    },
  ];
  if (w.httpPortEnv) {
    docs.push({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: `optout-${w.name}`, namespace: NAMESPACE, labels },
      spec: { selector: labels, ports: [{ name: "http", port: 80, targetPort: "http" }] },
    });
  }
  const triggers: Yaml[] = [];
  if (w.jetstream) {
    triggers.push({
      type: "nats-jetstream",
      metadata: {
        natsServerMonitoringEndpoint: "nats.nats.svc.cluster.local:8222",
        account: "$G",
        stream: `OPTOUT_${w.jetstream.stream}`,
        consumer: `optout-${w.jetstream.consumer}`,
        lagThreshold: String(w.jetstream.lagThreshold),
      },
    });
  }
  if (w.cpuTarget) triggers.push({ type: "cpu", metricType: "Utilization", metadata: { value: String(w.cpuTarget) } });
  docs.push({
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: `optout-${w.name}`, namespace: NAMESPACE, labels },
    spec: { scaleTargetRef: { name: `optout-${w.name}` }, minReplicaCount: w.minReplicas, maxReplicaCount: w.maxReplicas, triggers },
  });
  return docs;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const w of WORKERS) {
    const text = manifestsFor(w).map((d) => toYaml(d)).join("\n---\n");
    const file = new URL(`./kubernetes/${w.name}.yaml`, import.meta.url);
    await writeFile(file, `# Generated by deploy/render.ts from deploy/workers.ts: edit those, then re-render.\n${text}\n`);
    process.stdout.write(`wrote deploy/kubernetes/${w.name}.yaml\n`);
  }
}
