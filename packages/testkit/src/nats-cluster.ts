/**
 * Throw-away nats-server processes for failure tests: one server or a JetStream cluster, each
 * node on free loopback ports with its own store directory, which a node keeps across a kill
 * and a restart (a crashed node comes back with its data, the way a pod with a volume does).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { waitFor } from "./nats.js";
import { freePort } from "./processes.js";

export const NATS_SERVER_BIN = process.env.NATS_SERVER_BIN ?? "nats-server";
/** How long a node may take to answer /healthz after a (re)start. */
export const DEFAULT_NATS_START_TIMEOUT_MS = 30_000;
/** The tail of a node's log kept for the error message when it does not come up. */
const LOG_TAIL_CHARS = 4_000;

export interface NatsServerNode {
  /** server_name, as JetStream reports it in `cluster.leader` and `replicas[].name`. */
  readonly name: string;
  readonly port: number;
  readonly url: string;
  readonly monitorPort: number;
  readonly storeDir: string;
  isRunning(): boolean;
  /** Kill the process (SIGKILL unless told otherwise) and wait until it is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Start again with the same ports and store directory; resolves once /healthz answers 200. */
  start(): Promise<void>;
  /** The last lines the server logged, for failure messages. */
  logTail(): string;
}

interface NodeSpec {
  name: string;
  port: number;
  monitorPort: number;
  storeDir: string;
  extraArgs: string[];
}

function createNode(spec: NodeSpec): NatsServerNode {
  let child: ChildProcess | undefined;
  let log = "";
  const killOnExit = () => child?.kill("SIGKILL");
  const node: NatsServerNode = {
    name: spec.name,
    port: spec.port,
    url: `nats://127.0.0.1:${spec.port}`,
    monitorPort: spec.monitorPort,
    storeDir: spec.storeDir,
    isRunning: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    logTail: () => log,
    async kill(signal: NodeJS.Signals = "SIGKILL") {
      const c = child;
      if (!c || c.exitCode !== null || c.signalCode !== null) return;
      const gone = new Promise((resolve) => c.once("exit", resolve));
      c.kill(signal);
      await gone;
      process.off("exit", killOnExit);
    },
    async start() {
      if (node.isRunning()) return;
      const args = [
        "-a",
        "127.0.0.1",
        "-p",
        String(spec.port),
        "-m",
        String(spec.monitorPort),
        "-n",
        spec.name,
        "-js",
        "-sd",
        spec.storeDir,
        ...spec.extraArgs,
      ];
      const c = spawn(NATS_SERVER_BIN, args, { stdio: ["ignore", "pipe", "pipe"] });
      child = c;
      const keep = (d: Buffer) => (log = (log + d.toString()).slice(-LOG_TAIL_CHARS));
      c.stdout?.on("data", keep);
      c.stderr?.on("data", keep);
      // A test that crashes must not leave servers behind on the shared machine.
      process.once("exit", killOnExit);
      try {
        await waitFor(
          `nats-server ${spec.name} on ${spec.port}`,
          async () => {
            if (c.exitCode !== null) throw new Error(`exited with ${c.exitCode}`);
            const res = await fetch(`http://127.0.0.1:${spec.monitorPort}/healthz`);
            return res.ok;
          },
          DEFAULT_NATS_START_TIMEOUT_MS,
          100,
        );
      } catch (err) {
        throw new Error(`${(err as Error).message}\n${log}`, { cause: err });
      }
    },
  };
  return node;
}

/** Ports and a store directory for one node (the directory is created by nats-server). */
async function nodeSpec(dir: string, name: string, extraArgs: string[] = []): Promise<NodeSpec> {
  return {
    name,
    port: await freePort(),
    monitorPort: await freePort(),
    storeDir: join(dir, name),
    extraArgs,
  };
}

export interface NatsServer extends NatsServerNode {
  /** Kill the server and delete its store directory. */
  stop(): Promise<void>;
}

/** One JetStream-enabled nats-server on a free port, for tests that kill or restart it. */
export async function startNatsServer(options: { name?: string } = {}): Promise<NatsServer> {
  const dir = await mkdtemp(join(tmpdir(), "optout-nats-"));
  const node = createNode(await nodeSpec(dir, options.name ?? "solo"));
  await node.start();
  return Object.assign(node, {
    async stop() {
      await node.kill();
      await rm(dir, { recursive: true, force: true });
    },
  });
}

export interface NatsCluster {
  readonly name: string;
  readonly nodes: readonly NatsServerNode[];
  /** Every node's client URL, comma-separated (the NATS_URL of a client of the cluster). */
  readonly urls: string;
  node(name: string): NatsServerNode;
  /** Wait until every running node sees the same JetStream meta leader; returns its name. */
  waitForMetaLeader(timeoutMs?: number): Promise<string>;
  /** Kill every node and delete the store directories. */
  stop(): Promise<void>;
}

interface Jsz {
  meta_cluster?: { leader?: string; cluster_size?: number };
}

/** A JetStream cluster of `size` nats-server processes on loopback (default 3: what R3 needs). */
export async function startNatsCluster(options: { size?: number; name?: string } = {}): Promise<NatsCluster> {
  const size = options.size ?? 3;
  const name = options.name ?? `optout-${Math.random().toString(36).slice(2, 8)}`;
  const dir = await mkdtemp(join(tmpdir(), "optout-nats-cluster-"));
  const clusterPorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const nodes: NatsServerNode[] = [];
  for (let i = 0; i < size; i++) {
    const routes = clusterPorts.filter((_, j) => j !== i).map((p) => `nats://127.0.0.1:${p}`);
    const clusterArgs = [
      "--cluster_name",
      name,
      "--cluster",
      `nats://127.0.0.1:${clusterPorts[i]}`,
      "--routes",
      routes.join(","),
    ];
    nodes.push(createNode(await nodeSpec(dir, `n${i + 1}`, clusterArgs)));
  }
  // Together: a node's /healthz waits for JetStream, which needs a quorum of its peers.
  await Promise.all(nodes.map((n) => n.start()));
  const cluster: NatsCluster = {
    name,
    nodes,
    urls: nodes.map((n) => n.url).join(","),
    node(nodeName) {
      const found = nodes.find((n) => n.name === nodeName);
      if (!found)
        throw new Error(
          `no node ${nodeName} in cluster ${name} (nodes: ${nodes.map((n) => n.name).join(", ")})`,
        );
      return found;
    },
    async waitForMetaLeader(timeoutMs = DEFAULT_NATS_START_TIMEOUT_MS) {
      return waitFor(
        `a JetStream meta leader in cluster ${name}`,
        async () => {
          const running = nodes.filter((n) => n.isRunning());
          const leaders = await Promise.all(
            running.map(
              async (n) =>
                ((await (await fetch(`http://127.0.0.1:${n.monitorPort}/jsz`)).json()) as Jsz).meta_cluster
                  ?.leader,
            ),
          );
          const [first] = leaders;
          return first && leaders.every((l) => l === first) ? first : undefined;
        },
        timeoutMs,
        100,
      );
    },
    async stop() {
      await Promise.all(nodes.map((n) => n.kill()));
      await rm(dir, { recursive: true, force: true });
    },
  };
  await cluster.waitForMetaLeader();
  return cluster;
}
