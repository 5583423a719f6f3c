/**
 * Offline checks of a built overlay: every object against its kubernetes-models schema (core
 * kinds, KEDA, the Prometheus operator), then the rules these manifests promise: hardened pods
 * with probes and limits, one PDB and one NetworkPolicy per Deployment, KEDA triggers naming the
 * streams and consumers the workers create (namesFor of the OPTOUT_NAMESPACE they read), no secret
 * in the ConfigMap. Returns the problems found (empty: valid).
 */
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Job } from "kubernetes-models/batch/v1/Job";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { isValidNamespace, namesFor } from "../packages/core/src/index.js";
import type { KObject } from "./kustomize.js";
import { accountName } from "./nats/render-config.js";
import { CONFIG_MAP, isSecretEnv, SECRET } from "./manifests/pod.js";
import { sharedSecretKeys } from "./manifests/workload.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- walking untyped YAML */
type Any = any;

const MODELS: Record<string, new (data: Any) => { validate(): void }> = {
  "apps/v1/Deployment": Deployment,
  "batch/v1/Job": Job,
  "networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "v1/ConfigMap": ConfigMap,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "keda.sh/v1alpha1/ScaledObject": ScaledObject,
  "monitoring.coreos.com/v1/ServiceMonitor": ServiceMonitor,
};

const id = (o: Any): string => `${o.kind}/${o.metadata?.name}`;

/** The kubernetes-models schema check of one object; null when valid. */
export function schemaProblem(o: KObject): string | null {
  const Model = MODELS[`${String(o.apiVersion)}/${String(o.kind)}`];
  if (!Model) return `${id(o)}: no kubernetes-models schema for ${String(o.apiVersion)} ${String(o.kind)}`;
  try {
    new Model(o).validate();
    return null;
  } catch (err) {
    return `${id(o)}: ${(err as Error).message}`;
  }
}

/** A URL carrying a password (scheme://user:password@host). */
const CREDENTIAL_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^@\s/]+@/i;

function containerProblems(owner: string, pod: Any, kind: "Deployment" | "Job"): string[] {
  const out: string[] = [];
  const ps = pod?.securityContext ?? {};
  if (ps.runAsNonRoot !== true) out.push(`${owner}: pod securityContext.runAsNonRoot is not true`);
  if (ps.seccompProfile?.type !== "RuntimeDefault")
    out.push(`${owner}: pod seccompProfile is not RuntimeDefault`);
  for (const c of pod?.containers ?? []) {
    const where = `${owner} container ${c.name}`;
    const sc = c.securityContext ?? {};
    if (sc.allowPrivilegeEscalation !== false) out.push(`${where}: allowPrivilegeEscalation is not false`);
    if (sc.readOnlyRootFilesystem !== true) out.push(`${where}: readOnlyRootFilesystem is not true`);
    if (sc.runAsNonRoot !== true) out.push(`${where}: runAsNonRoot is not true`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) out.push(`${where}: capabilities do not drop ALL`);
    if (sc.seccompProfile?.type !== "RuntimeDefault")
      out.push(`${where}: seccompProfile is not RuntimeDefault`);
    for (const kindOf of ["requests", "limits"]) {
      for (const r of ["cpu", "memory"]) {
        if (c.resources?.[kindOf]?.[r] === undefined) out.push(`${where}: no ${r} ${kindOf}`);
      }
    }
    const tag = /:([^/:@]+)$/.exec(String(c.image))?.[1];
    if (!tag || tag === "latest") out.push(`${where}: image ${c.image} has no version tag`);
    for (const env of c.env ?? []) {
      if (env.value !== undefined && isSecretEnv(env.name))
        out.push(`${where}: ${env.name} is a secret set as a literal`);
      const ref = env.valueFrom?.secretKeyRef;
      if (ref && (ref.name !== SECRET || !sharedSecretKeys().includes(ref.key))) {
        out.push(
          `${where}: ${env.name} reads ${ref.name}/${ref.key}, which the Secret template does not define`,
        );
      }
      if (ref && !isSecretEnv(env.name))
        out.push(`${where}: ${env.name} is not a secret but is read from a Secret`);
    }
    if (kind !== "Deployment") continue;
    if (c.startupProbe?.httpGet?.path !== "/healthz") out.push(`${where}: no startupProbe on /healthz`);
    if (c.readinessProbe?.httpGet?.path !== "/readyz") out.push(`${where}: no readinessProbe on /readyz`);
    if (c.livenessProbe?.httpGet?.path !== "/healthz") out.push(`${where}: no livenessProbe on /healthz`);
    const servesHttp = (c.ports ?? []).some((p: Any) => p.name === "http");
    const sleep = c.lifecycle?.preStop?.exec?.command;
    if (servesHttp && !(Array.isArray(sleep) && sleep[0] === "sleep"))
      out.push(`${where}: HTTP service without a preStop sleep`);
    if (servesHttp && Number(sleep?.[1]) >= Number(pod.terminationGracePeriodSeconds ?? 30)) {
      out.push(`${where}: the preStop sleep uses up terminationGracePeriodSeconds`);
    }
  }
  return out;
}

const selects = (selector: Any, podLabels: Record<string, string>): boolean =>
  Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => podLabels[k] === v) &&
  Object.keys(selector?.matchLabels ?? {}).length > 0;

function kedaProblems(objects: Any[], namespace: string | undefined): string[] {
  const out: string[] = [];
  const deployments = objects.filter((o) => o.kind === "Deployment");
  for (const so of objects.filter((o) => o.kind === "ScaledObject")) {
    const target = deployments.find((d) => d.metadata.name === so.spec?.scaleTargetRef?.name);
    if (!target) {
      out.push(`${id(so)}: scales ${so.spec?.scaleTargetRef?.name}, which is not rendered`);
      continue;
    }
    const component: string = target.spec.template.metadata.labels["app.kubernetes.io/component"];
    const container = target.spec.template.spec.containers[0];
    if (!(container.envFrom ?? []).some((e: Any) => e.configMapRef?.name === CONFIG_MAP)) {
      out.push(`${id(so)}: ${id(target)} does not read OPTOUT_NAMESPACE from ${CONFIG_MAP}`);
    }
    for (const trigger of so.spec.triggers ?? []) {
      if (trigger.type !== "nats-jetstream") continue;
      if (!namespace || !isValidNamespace(namespace)) {
        out.push(`${id(so)}: ${CONFIG_MAP} has no valid OPTOUT_NAMESPACE to check the trigger against`);
        continue;
      }
      const names = namesFor(namespace);
      const { stream, consumer, account } = trigger.metadata ?? {};
      if (account !== "$G" && account !== accountName(namespace)) {
        out.push(
          `${id(so)}: account ${account} is neither $G nor the installation's (${accountName(namespace)})`,
        );
      }
      if (!Object.values(names.streams).includes(stream)) {
        out.push(`${id(so)}: stream ${stream} is not one namesFor("${namespace}") creates`);
      }
      if (consumer !== names.consumer(component)) {
        out.push(`${id(so)}: consumer ${consumer} is not ${component}'s (${names.consumer(component)})`);
      }
    }
  }
  return out;
}

export function validateAll(input: readonly KObject[]): string[] {
  const objects = input as Any[];
  const out: string[] = [];
  for (const o of objects) {
    const problem = schemaProblem(o);
    if (problem) out.push(problem);
  }
  const config = objects.find((o) => o.kind === "ConfigMap" && o.metadata?.name === CONFIG_MAP);
  if (!config) out.push(`no ConfigMap ${CONFIG_MAP}`);
  for (const [key, value] of Object.entries<string>(config?.data ?? {})) {
    if (isSecretEnv(key)) out.push(`ConfigMap ${CONFIG_MAP}: ${key} is a secret`);
    if (CREDENTIAL_URL.test(String(value))) out.push(`ConfigMap ${CONFIG_MAP}: ${key} carries credentials`);
  }
  for (const o of objects) {
    if (o.kind === "Deployment") out.push(...containerProblems(id(o), o.spec?.template?.spec, "Deployment"));
    if (o.kind === "Job") out.push(...containerProblems(id(o), o.spec?.template?.spec, "Job"));
  }
  for (const d of objects.filter((o) => o.kind === "Deployment" || o.kind === "Job")) {
    const podLabels = d.spec?.template?.metadata?.labels ?? {};
    const policies = objects.filter(
      (o) => o.kind === "NetworkPolicy" && selects(o.spec?.podSelector, podLabels),
    );
    if (policies.length === 0) out.push(`${id(d)}: no NetworkPolicy selects its pods`);
    if (d.kind !== "Deployment") continue;
    if (!objects.some((o) => o.kind === "PodDisruptionBudget" && selects(o.spec?.selector, podLabels))) {
      out.push(`${id(d)}: no PodDisruptionBudget`);
    }
  }
  for (const sm of objects.filter((o) => o.kind === "ServiceMonitor")) {
    const port = sm.spec?.endpoints?.[0]?.port;
    const ok = objects.some(
      (s) =>
        s.kind === "Service" &&
        selects(sm.spec?.selector, s.metadata?.labels ?? {}) &&
        s.spec?.ports?.some((p: Any) => p.name === port),
    );
    if (!ok) out.push(`${id(sm)}: selects no Service with a port named ${port}`);
  }
  out.push(...kedaProblems(objects, config?.data?.OPTOUT_NAMESPACE));
  return out;
}
