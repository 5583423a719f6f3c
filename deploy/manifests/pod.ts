/**
 * What every optout pod shares: names and labels, where each variable comes from (ConfigMap,
 * Secret, the manifest itself, the CPU limit), the security context and the volumes a read-only
 * root filesystem needs.
 */
import type { IContainer } from "kubernetes-models/v1/Container";
import type { IEnvVar } from "kubernetes-models/v1/EnvVar";
import type { IEnvFromSource } from "kubernetes-models/v1/EnvFromSource";
import type { IPodSecurityContext } from "kubernetes-models/v1/PodSecurityContext";
import type { ISecurityContext } from "kubernetes-models/v1/SecurityContext";
import type { IVolume } from "kubernetes-models/v1/Volume";
import type { IVolumeMount } from "kubernetes-models/v1/VolumeMount";
import { FIELDS } from "../../packages/config/src/index.js";

export const APP = "optout";
export const CONFIG_MAP = "optout-config";
export const SECRET = "optout-secrets";
/** The image's `node` user (deploy/Dockerfile): numeric, so the kubelet can verify runAsNonRoot. */
export const RUN_AS_UID = 1000;

export const objectName = (component: string): string => `${APP}-${component}`;
/** One NATS identity per component (deploy/nats has a user per service), loaded whole when present. */
export const natsSecretName = (component: string): string => `${APP}-${component}-nats`;

/** The selector labels of a component's pods (never change them: a Deployment's selector is immutable). */
export function selectorLabels(component: string): Record<string, string> {
  return { "app.kubernetes.io/name": APP, "app.kubernetes.io/component": component };
}

export function labels(component: string): Record<string, string> {
  return { ...selectorLabels(component), "app.kubernetes.io/part-of": APP };
}

const fieldOf = (env: string) => Object.values(FIELDS).find((f) => f.env === env);
const defaultPort = (env: string): number =>
  Number((fieldOf(env) as { default?: number } | undefined)?.default);

export const HEALTH_PORT = defaultPort("HEALTH_PORT");
export const HTTP_PORTS: Record<"API_PORT" | "EDGE_PORT", number> = {
  API_PORT: defaultPort("API_PORT"),
  EDGE_PORT: defaultPort("EDGE_PORT"),
};

/**
 * Set in the manifest, never from the ConfigMap: the ports the probes, Services and
 * NetworkPolicies name, and the address a pod must listen on. Explicit `env` wins over `envFrom`.
 */
export const FIXED_ENV: Record<string, string> = {
  HEALTH_PORT: String(HEALTH_PORT),
  API_PORT: String(HTTP_PORTS.API_PORT),
  EDGE_PORT: String(HTTP_PORTS.EDGE_PORT),
  HOST: "0.0.0.0",
};

/** Connection strings may carry credentials (user:password@), so they live in the Secret. */
const CONNECTION_ENV = new Set(["NATS_URL", "DATABASE_URL", "REDIS_URL"]);
/** A component's own NATS identity: from its optional Secret natsSecretName(component), via envFrom. */
export const NATS_IDENTITY_ENV = new Set(["NATS_USER", "NATS_PASSWORD", "NATS_TOKEN", "NATS_NKEY_SEED"]);

export function isSecretEnv(env: string): boolean {
  const field = fieldOf(env) as { secret?: boolean } | undefined;
  return CONNECTION_ENV.has(env) || field?.secret === true || NATS_IDENTITY_ENV.has(env);
}

/** Variables taken one by one from the optout-secrets Secret (NATS identities come whole from their own). */
export function sharedSecretEnv(env: readonly string[]): string[] {
  return env.filter((name) => isSecretEnv(name) && !NATS_IDENTITY_ENV.has(name));
}

/**
 * The container's env: secrets by key (a component sees only the secrets it reads), fixed values,
 * and IMPORT_THREADS from the CPU limit (rounded up to whole cores) rather than the node's cores.
 * Everything else comes from the optout-config ConfigMap (envFrom), so a setting added there
 * reaches every worker that reads it.
 */
export function envFor(container: string, env: readonly string[]): IEnvVar[] {
  const out: IEnvVar[] = sharedSecretEnv(env).map((name) => ({
    name,
    valueFrom: { secretKeyRef: { name: SECRET, key: name } },
  }));
  for (const name of env) {
    const fixed = FIXED_ENV[name];
    if (fixed !== undefined) out.push({ name, value: fixed });
  }
  if (env.includes("IMPORT_THREADS")) {
    out.push({
      name: "IMPORT_THREADS",
      valueFrom: { resourceFieldRef: { containerName: container, resource: "limits.cpu", divisor: "1" } },
    });
  }
  return out;
}

export function envFromFor(component: string): IEnvFromSource[] {
  return [
    { configMapRef: { name: CONFIG_MAP } },
    { secretRef: { name: natsSecretName(component), optional: true } },
  ];
}

export const POD_SECURITY: IPodSecurityContext = {
  runAsNonRoot: true,
  runAsUser: RUN_AS_UID,
  runAsGroup: RUN_AS_UID,
  fsGroup: RUN_AS_UID,
  seccompProfile: { type: "RuntimeDefault" },
};

export const CONTAINER_SECURITY: ISecurityContext = {
  runAsNonRoot: true,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/** Mount path of the optional NATS TLS Secret (CA bundle, client certificate): NATS_TLS_*_FILE point here. */
export const NATS_TLS_DIR = "/var/run/secrets/nats-tls";

/** /tmp stays writable (read-only root); the NATS TLS files appear when the Secret exists. */
export const VOLUMES: IVolume[] = [
  { name: "tmp", emptyDir: { sizeLimit: "64Mi" } },
  { name: "nats-tls", secret: { secretName: `${APP}-nats-tls`, optional: true } },
];
export const VOLUME_MOUNTS: IVolumeMount[] = [
  { name: "tmp", mountPath: "/tmp" },
  { name: "nats-tls", mountPath: NATS_TLS_DIR, readOnly: true },
];

/** The parts of a container every component has. */
export function baseContainer(options: {
  name: string;
  image: string;
  args: string[];
  env: readonly string[];
  component: string;
  resources: IContainer["resources"];
}): IContainer {
  return {
    name: options.name,
    image: options.image,
    imagePullPolicy: "IfNotPresent",
    args: options.args,
    env: envFor(options.name, options.env),
    envFrom: envFromFor(options.component),
    resources: options.resources,
    securityContext: CONTAINER_SECURITY,
    volumeMounts: VOLUME_MOUNTS,
  };
}
