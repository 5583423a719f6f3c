/**
 * Prometheus operator objects, per overlay: a headless metrics Service per worker (a
 * ServiceMonitor selects Services, and the client Services of api and edge do not expose the
 * health port) and a ServiceMonitor scraping /metrics on it.
 */
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import type { IService } from "kubernetes-models/v1/Service";
import type { DeployParams } from "../overlays.js";
import { WORKERS, type WorkerSpec } from "../workers.js";
import { HEALTH_PORT, labels, objectName, selectorLabels } from "./pod.js";

const METRICS_LABEL = { "optout/metrics": "true" };

export function metricsServiceFor(w: WorkerSpec): IService {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: `${objectName(w.name)}-metrics`, labels: { ...labels(w.name), ...METRICS_LABEL } },
    spec: {
      clusterIP: "None",
      selector: selectorLabels(w.name),
      ports: [{ name: "metrics", port: HEALTH_PORT, targetPort: "health", protocol: "TCP" }],
    },
  };
}

export function serviceMonitorFor(
  w: WorkerSpec,
  monitoring: NonNullable<DeployParams["monitoring"]>,
): IServiceMonitor {
  return {
    apiVersion: "monitoring.coreos.com/v1",
    kind: "ServiceMonitor",
    metadata: { name: objectName(w.name), labels: { ...labels(w.name), ...monitoring.serviceMonitorLabels } },
    spec: {
      selector: { matchLabels: { ...selectorLabels(w.name), ...METRICS_LABEL } },
      endpoints: [{ port: "metrics", path: "/metrics", interval: "30s" }],
    },
  };
}

export function monitoringObjects(p: DeployParams): (IService | IServiceMonitor)[] {
  const monitoring = p.monitoring;
  if (!monitoring) return [];
  return WORKERS.flatMap((w) => [metricsServiceFor(w), serviceMonitorFor(w, monitoring)]);
}
