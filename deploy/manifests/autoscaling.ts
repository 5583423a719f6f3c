/**
 * KEDA ScaledObjects, per overlay: consumers scale on their JetStream consumer's lag, responders
 * and HTTP services on CPU. The stream and consumer names come from namesFor(OPTOUT_NAMESPACE),
 * the same function the workers name them with, and the account from deploy/nats' accountName(),
 * fed from the value the optout-config ConfigMap gives the workers: another OPTOUT_NAMESPACE
 * moves the triggers with it.
 */
import type { IScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import { namesFor } from "../../packages/core/src/index.js";
import { accountName } from "../nats/render-config.js";
import type { DeployParams } from "../overlays.js";
import { WORKERS, type WorkerSpec } from "../workers.js";
import { labels, objectName } from "./pod.js";

type Trigger = NonNullable<IScaledObject["spec"]>["triggers"][number];

export function scaledObjectFor(
  w: WorkerSpec,
  p: DeployParams,
  keda: NonNullable<DeployParams["autoscaling"]>,
): IScaledObject {
  const names = namesFor(p.optoutNamespace);
  const triggers: Trigger[] = [];
  if (w.jetstream) {
    triggers.push({
      type: "nats-jetstream",
      metadata: {
        natsServerMonitoringEndpoint: keda.natsMonitoringEndpoint,
        account: keda.natsAccount ?? accountName(p.optoutNamespace),
        stream: names.streams[w.jetstream.stream],
        consumer: names.consumer(w.name),
        lagThreshold: String(w.jetstream.lagThreshold),
      },
    });
  }
  if (w.cpuTarget) {
    triggers.push({ type: "cpu", metricType: "Utilization", metadata: { value: String(w.cpuTarget) } });
  }
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: objectName(w.name), labels: labels(w.name) },
    spec: {
      scaleTargetRef: { name: objectName(w.name) },
      minReplicaCount: w.minReplicas,
      maxReplicaCount: w.maxReplicas,
      triggers,
    },
  };
}

export function scaledObjects(p: DeployParams): IScaledObject[] {
  const keda = p.autoscaling;
  return keda ? WORKERS.map((w) => scaledObjectFor(w, p, keda)) : [];
}
