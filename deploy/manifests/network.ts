/**
 * NetworkPolicies, per overlay (where NATS, Postgres and Redis run differs between clusters):
 * each component's pods accept connections only on their client port (api, edge) and their
 * health/metrics port, and open connections only to DNS, NATS, Postgres and Redis; webhook-dispatch
 * also to the internet on 443/80. The kubelet's probes come from the node, which policies never block.
 */
import type { INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import type { INetworkPolicyEgressRule } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyEgressRule";
import type { INetworkPolicyIngressRule } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyIngressRule";
import type { INetworkPolicyPeer } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicyPeer";
import type { DeployParams, Peer } from "../overlays.js";
import { WORKERS, type WorkerSpec } from "../workers.js";
import { labels, objectName, selectorLabels } from "./pod.js";

/**
 * Where a webhook may not go unless WEBHOOK_ALLOW_PRIVATE_NETWORKS is true: private, shared
 * (CGNAT, often the pod network), loopback and link-local (cloud metadata) ranges. The same rule
 * packages/ssrf-guard applies per address, enforced a second time by the network.
 */
export const PRIVATE_IPV4 = [
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
];
export const PRIVATE_IPV6 = ["::1/128", "fc00::/7", "fe80::/10"];

function peers(peer: Peer): INetworkPolicyPeer[] {
  if ("cidrs" in peer) return peer.cidrs.map((cidr) => ({ ipBlock: { cidr } }));
  return [
    {
      podSelector: { matchLabels: peer.podLabels },
      ...(peer.namespace
        ? { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": peer.namespace } } }
        : {}),
    },
  ];
}

function dependencyEgress(
  p: DeployParams,
  needs: ("nats" | "postgres" | "redis")[],
): INetworkPolicyEgressRule[] {
  return [
    // DNS to any resolver: node-local caches listen on link-local addresses, not on kube-dns pods.
    {
      ports: [
        { port: 53, protocol: "UDP" },
        { port: 53, protocol: "TCP" },
      ],
    },
    ...needs.map((dep): INetworkPolicyEgressRule => ({
      to: peers(p.network[dep]),
      ports: [{ port: p.network[dep].port, protocol: "TCP" }],
    })),
  ];
}

function internetEgress(p: DeployParams): INetworkPolicyEgressRule {
  const allowPrivate = p.settings.WEBHOOK_ALLOW_PRIVATE_NETWORKS === "true";
  return {
    to: [
      { ipBlock: { cidr: "0.0.0.0/0", ...(allowPrivate ? {} : { except: PRIVATE_IPV4 }) } },
      { ipBlock: { cidr: "::/0", ...(allowPrivate ? {} : { except: PRIVATE_IPV6 }) } },
    ],
    ports: [
      { port: 443, protocol: "TCP" },
      { port: 80, protocol: "TCP" },
    ],
  };
}

export function networkPolicyFor(w: WorkerSpec, p: DeployParams): INetworkPolicy {
  const ingress: INetworkPolicyIngressRule[] = [];
  // Clients (an ingress controller, a load balancer, other namespaces) reach the HTTP services.
  if (w.httpPortEnv) ingress.push({ ports: [{ port: "http", protocol: "TCP" }] });
  const metricsFrom = p.network.metricsFromNamespace;
  ingress.push({
    ...(metricsFrom
      ? { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": metricsFrom } } }] }
      : {}),
    ports: [{ port: "health", protocol: "TCP" }],
  });
  const egress = dependencyEgress(p, ["nats", "postgres", "redis"]);
  if (w.internetEgress) egress.push(internetEgress(p));
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: objectName(w.name), labels: labels(w.name) },
    spec: {
      podSelector: { matchLabels: selectorLabels(w.name) },
      policyTypes: ["Ingress", "Egress"],
      ingress,
      egress,
    },
  };
}

/**
 * The migration Job: nothing comes in; it talks to Postgres (schema) and NATS (streams), and may
 * open the same connections as a worker (Redis too).
 */
export function migrateNetworkPolicy(p: DeployParams): INetworkPolicy {
  return {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: { name: objectName("migrate"), labels: labels("migrate") },
    spec: {
      podSelector: { matchLabels: selectorLabels("migrate") },
      policyTypes: ["Ingress", "Egress"],
      egress: dependencyEgress(p, ["nats", "postgres", "redis"]),
    },
  };
}

export function networkPolicies(p: DeployParams): INetworkPolicy[] {
  return [...WORKERS.map((w) => networkPolicyFor(w, p)), migrateNetworkPolicy(p)];
}
