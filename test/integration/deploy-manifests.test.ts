/**
 * The Kubernetes manifests, offline: deploy/kubernetes is what deploy/render.ts makes of the worker
 * table; every overlay builds from its committed kustomization (deploy/kustomize.ts) into the
 * committed rendered/<overlay>.yaml; every object passes its kubernetes-models schema and the
 * rules deploy/validate.ts checks; parameters (namespaces, OPTOUT_NAMESPACE) flow where they must.
 */
import t from "tap";
import { readdir, readFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
import { FIELDS } from "@optout/config";
import { namesFor } from "@optout/core";
import { REPO_ROOT } from "@optout/testkit";
import { DEFINITIONS, WORKERS } from "../../deploy/workers.js";
import { buildOverlay, existingFiles, KUBERNETES_DIR, renderTree } from "../../deploy/render.js";
import { OVERLAYS, PRODUCTION, LOCAL, IMAGE } from "../../deploy/overlays.js";
import { schemaProblem, validateAll } from "../../deploy/validate.js";
import { parseDocuments, type KObject } from "../../deploy/kustomize.js";
import { ADMIN_USER, SERVICE_USERS } from "../../deploy/nats/render-config.js";

/* eslint-disable @typescript-eslint/no-explicit-any -- reading Kubernetes objects */
type Any = any;

const readCommitted = (path: string): string => readFileSync(`${KUBERNETES_DIR}${path}`, "utf8");
const built = new Map<string, Any[]>(OVERLAYS.map((o) => [o.name, buildOverlay(o.name, readCommitted)]));
const objectsOf = (overlay: string): Any[] => structuredClone(built.get(overlay)!);
const find = (objects: Any[], kind: string, name: string): Any => {
  const o = objects.find((x) => x.kind === kind && x.metadata.name === name);
  if (!o) throw new Error(`${kind}/${name} is not rendered`);
  return o;
};

t.test("every deployable service is in the worker table, read from its own definition", async (t) => {
  const services = (await readdir(`${REPO_ROOT}services`)).sort();
  t.same(WORKERS.map((w) => w.name).sort(), services, "one Deployment per service folder");
  t.same([...SERVICE_USERS].sort(), services, "one NATS user per service (deploy/nats)");
  const known = new Set<string>(Object.values(FIELDS).map((f) => f.env));
  for (const w of WORKERS)
    for (const name of w.env) t.ok(known.has(name), `${w.name}: ${name} is a config field`);
  for (const d of DEFINITIONS) {
    // The definition deploy/ reads is the one the service runs with.
    const main = await readFile(`${REPO_ROOT}services/${d.name}/src/main.ts`, "utf8");
    t.match(main, /from "\.\/definition\.js"/, `${d.name}: main.ts runs its definition`);
    const service = (await import(`@optout/service-${d.name}`)) as Record<string, unknown>;
    t.ok(Object.values(service).includes(d), `${d.name}: the service exports this definition`);
    if (d.kind === "http") t.ok(d.fields.includes(d.port), `${d.name}: reads the port it serves`);
  }
});

t.test("deploy/kubernetes is exactly what deploy/render.ts produces (npm run deploy:render)", async (t) => {
  const files = renderTree();
  t.same(await existingFiles(), [...files.keys()].sort(), "no missing and no stale files");
  for (const [path, text] of files) t.equal(readCommitted(path), text, `${path} is current`);
});

t.test("every overlay builds from its committed kustomization into its rendered file, valid", async (t) => {
  for (const overlay of OVERLAYS) {
    const objects = objectsOf(overlay.name);
    const rendered = readCommitted(`rendered/${overlay.name}.yaml`);
    t.same(
      parseDocuments(rendered, overlay.name),
      objects,
      `${overlay.name}: rendered/${overlay.name}.yaml is the build`,
    );
    // kubectl reads YAML 1.1 (yes/no/on/off are booleans there): the text must mean the same.
    const as11 = parseAllDocuments(rendered, { version: "1.1" }).map((d) => d.toJS() as KObject);
    t.same(as11, objects, `${overlay.name}: the same objects under YAML 1.1`);
    for (const o of objects)
      t.equal(schemaProblem(o), null, `${overlay.name}: ${o.kind}/${o.metadata.name} passes its schema`);
    t.same(validateAll(objects), [], `${overlay.name}: every rule holds`);
    for (const o of objects)
      t.equal(o.metadata.namespace, overlay.namespace, `${o.kind}/${o.metadata.name} namespace`);
    const deployments = objects.filter((o) => o.kind === "Deployment");
    t.equal(deployments.length, WORKERS.length, `${overlay.name}: a Deployment per worker`);
    for (const d of deployments) {
      t.equal(
        d.spec.template.spec.containers[0].image,
        `${IMAGE.name}:${IMAGE.tag}`,
        `${d.metadata.name}: versioned image`,
      );
    }
  }
});

t.test(
  "production: R3 streams, a migration Job, workers that wait for it, KEDA and ServiceMonitors",
  async (t) => {
    const objects = objectsOf("production");
    const config = find(objects, "ConfigMap", "optout-config");
    t.equal(config.data.STREAM_REPLICAS, "3", "streams are R3 on the JetStream cluster");
    t.equal(config.data.MIGRATE_ON_START, "false", "workers wait for the schema");
    t.equal(config.data.OPTOUT_NAMESPACE, PRODUCTION.optoutNamespace);
    const jobs = objects.filter((o) => o.kind === "Job");
    t.equal(jobs.length, 1, "one migration Job");
    t.same(jobs[0].spec.template.spec.containers[0].args, ["node", "packages/cli/dist/main.js", "migrate"]);
    t.match(
      jobs[0].metadata.name,
      new RegExp(`-${IMAGE.tag.replace(/\./g, "-")}$`),
      "named after the release",
    );
    for (const w of WORKERS) {
      const d = find(objects, "Deployment", `optout-${w.name}`);
      const c = d.spec.template.spec.containers[0];
      t.notOk(
        c.env.some((e: Any) => e.name === "STREAM_REPLICAS"),
        `${w.name}: STREAM_REPLICAS only from the ConfigMap`,
      );
      t.ok(
        c.envFrom.some((e: Any) => e.configMapRef?.name === "optout-config"),
        `${w.name}: loads the ConfigMap`,
      );
      t.notOk("replicas" in d.spec, `${w.name}: replicas left to KEDA`);
      t.ok(c.resources.limits.cpu, `${w.name}: CPU limit`);
      const so = find(objects, "ScaledObject", `optout-${w.name}`);
      t.equal(so.spec.minReplicaCount, w.minReplicas);
      t.ok(
        find(objects, "ServiceMonitor", `optout-${w.name}`),
        `${w.name}: scraped by the Prometheus operator`,
      );
      t.ok(find(objects, "PodDisruptionBudget", `optout-${w.name}`), `${w.name}: PDB`);
    }
    const api = find(objects, "Deployment", "optout-api").spec.template.spec.containers[0];
    t.same(
      api.env.find((e: Any) => e.name === "IMPORT_THREADS")?.valueFrom?.resourceFieldRef,
      { containerName: "api", resource: "limits.cpu", divisor: "1" },
      "IMPORT_THREADS follows the api's CPU limit, not the node's cores",
    );
    for (const name of ["api", "edge"])
      t.equal(find(objects, "Service", `optout-${name}`).spec.ports[0].targetPort, "http");
  },
);

t.test("local: one replica each, no CRDs needed, workers migrate at start", async (t) => {
  const objects = objectsOf("local");
  t.same(
    objects.filter((o) => ["ScaledObject", "ServiceMonitor"].includes(o.kind)),
    [],
    "no KEDA or operator objects",
  );
  const config = find(objects, "ConfigMap", "optout-config");
  t.equal(config.data.MIGRATE_ON_START, "true");
  t.equal(config.data.STREAM_REPLICAS, "1");
  for (const d of objects.filter((o) => o.kind === "Deployment")) {
    t.equal(d.spec.replicas, LOCAL.replicas, `${d.metadata.name}: replicas`);
    t.equal(
      d.spec.template.spec.containers[0].resources.requests.cpu,
      LOCAL.cpuRequest,
      `${d.metadata.name}: small request`,
    );
  }
});

t.test("another namespace and OPTOUT_NAMESPACE flow into every object and the KEDA triggers", async (t) => {
  const acme = { ...PRODUCTION, name: "acme", namespace: "acme-messaging", optoutNamespace: "acme-eu" };
  const files = renderTree([acme]);
  const objects: Any[] = buildOverlay("acme", (path) => files.get(path)!);
  t.same(validateAll(objects), []);
  for (const o of objects)
    t.equal(o.metadata.namespace, "acme-messaging", `${o.kind}/${o.metadata.name} namespace`);
  t.equal(
    find(objects, "ConfigMap", "optout-config").data.OPTOUT_NAMESPACE,
    "acme-eu",
    "what the workers read",
  );
  const names = namesFor("acme-eu");
  const trigger = find(objects, "ScaledObject", "optout-sms-inbound").spec.triggers[0];
  t.equal(trigger.metadata.stream, "ACME_EU_INBOUND_SMS");
  t.equal(trigger.metadata.stream, names.streams.inboundSms);
  t.equal(trigger.metadata.consumer, names.consumer("sms-inbound"));
  t.equal(trigger.metadata.account, "ACME_EU", "the account deploy/nats configures for the namespace");
  t.equal(
    find(objects, "ScaledObject", "optout-webhook-dispatch").spec.triggers[0].metadata.stream,
    names.streams.outbound,
  );
});

t.test("network: clients reach only api and edge, only webhook-dispatch reaches the internet", async (t) => {
  const objects = objectsOf("production");
  for (const w of WORKERS) {
    const policy = find(objects, "NetworkPolicy", `optout-${w.name}`);
    const ingressPorts = policy.spec.ingress.flatMap((r: Any) => r.ports.map((p: Any) => p.port)).sort();
    t.same(ingressPorts, w.httpPortEnv ? ["health", "http"] : ["health"], `${w.name}: ingress ports`);
    const internet = policy.spec.egress.some((r: Any) =>
      (r.to ?? []).some((p: Any) => p.ipBlock?.cidr === "0.0.0.0/0"),
    );
    t.equal(internet, w.name === "webhook-dispatch", `${w.name}: internet egress`);
    const egressPorts = policy.spec.egress.flatMap((r: Any) => r.ports.map((p: Any) => p.port));
    for (const port of [53, 4222, 5432, 6379])
      t.ok(egressPorts.includes(port), `${w.name}: egress to ${port}`);
  }
  const webhook = find(objects, "NetworkPolicy", "optout-webhook-dispatch").spec.egress.at(-1);
  t.same(
    webhook.ports.map((p: Any) => p.port),
    [443, 80],
  );
  t.ok(webhook.to[0].ipBlock.except.includes("169.254.0.0/16"), "no cloud metadata endpoint");
});

t.test(
  "secrets: a template with no values, never applied by an overlay, never in the ConfigMap",
  async (t) => {
    const template = parseDocuments(readCommitted("base/secret.example.yaml"), "template") as Any[];
    for (const s of template) {
      t.equal(s.kind, "Secret");
      for (const [k, v] of Object.entries(s.stringData))
        if (k !== "NATS_USER") t.equal(v, "", `${s.metadata.name}: ${k} empty`);
    }
    const shared = template.find((s) => s.metadata.name === "optout-secrets");
    t.same(Object.keys(shared.stringData).sort(), [
      "DATABASE_URL",
      "EMAIL_TOKEN_SECRET",
      "ERASURE_HASH_SECRET",
      "NATS_URL",
      "OPTOUT_ADMIN_TOKEN",
      "REDIS_URL",
    ]);
    const natsUsers = Object.fromEntries(template.map((s) => [s.metadata.name, s.stringData.NATS_USER]));
    for (const user of SERVICE_USERS)
      t.equal(natsUsers[`optout-${user}-nats`], user, `${user}: its deploy/nats user`);
    t.equal(
      natsUsers["optout-migrate-nats"],
      ADMIN_USER,
      "migrations as the admin user, the only one creating streams",
    );
    t.notMatch(readCommitted("base/kustomization.yaml"), /secret/, "not a resource of the base");
    for (const overlay of OVERLAYS) {
      const objects = objectsOf(overlay.name);
      t.same(
        objects.filter((o) => o.kind === "Secret"),
        [],
        `${overlay.name}: applies no Secret`,
      );
      const edge = find(objects, "Deployment", "optout-edge").spec.template.spec.containers[0];
      t.notOk(
        edge.env.some((e: Any) => e.name === "OPTOUT_ADMIN_TOKEN"),
        "a worker sees only the secrets it reads",
      );
    }
  },
);

t.test("the rules catch what they promise", async (t) => {
  const problemsAfter = (change: (objects: Any[]) => void): string[] => {
    const objects = objectsOf("production");
    change(objects);
    return validateAll(objects);
  };
  const apiContainer = (objects: Any[]) =>
    find(objects, "Deployment", "optout-api").spec.template.spec.containers[0];
  t.match(
    problemsAfter((o) => (apiContainer(o).securityContext.readOnlyRootFilesystem = false)),
    [/readOnlyRootFilesystem/],
  );
  t.match(
    problemsAfter((o) => delete apiContainer(o).resources.limits.cpu),
    [/no cpu limits/],
  );
  t.match(
    problemsAfter((o) => delete apiContainer(o).startupProbe),
    [/startupProbe/],
  );
  t.match(
    problemsAfter((o) => delete apiContainer(o).lifecycle),
    [/preStop/],
  );
  t.match(
    problemsAfter((o) => (apiContainer(o).image = "ghcr.io/optout/optout:latest")),
    [/no version tag/],
  );
  t.match(
    problemsAfter((o) => (find(o, "ConfigMap", "optout-config").data.DATABASE_URL = "postgres://x")),
    [/is a secret/],
  );
  t.match(
    problemsAfter((o) => (find(o, "ConfigMap", "optout-config").data.OTHER_URL = "nats://u:p@nats:4222")),
    [/carries credentials/],
  );
  t.match(
    problemsAfter((o) => (find(o, "ConfigMap", "optout-config").data.OPTOUT_NAMESPACE = "acme")),
    [
      /account OPTOUT is neither \$G nor the installation's \(ACME\)/,
      /stream OPTOUT_INBOUND_SMS is not one namesFor\("acme"\) creates/,
    ],
    "a prefix the triggers do not follow",
  );
  t.match(
    problemsAfter((o) => (find(o, "ScaledObject", "optout-tag").spec.minReplicaCount = "two")),
    [/minReplicaCount must be integer/],
    "kubernetes-models schema",
  );
  t.match(
    problemsAfter((o) =>
      o.splice(
        o.findIndex((x) => x.kind === "PodDisruptionBudget"),
        1,
      ),
    ),
    [/no PodDisruptionBudget/],
  );
});

t.test("the image: Node 24, non-root, built dist with the CLI on PATH, a lean build context", async (t) => {
  const dockerfile = await readFile(`${REPO_ROOT}deploy/Dockerfile`, "utf8");
  t.match(dockerfile, /^ARG NODE_IMAGE=node:24-bookworm-slim$/m, "Node 24 LTS");
  t.match(dockerfile, /npm run build/);
  t.match(dockerfile, /npm prune --omit=dev/, "no dev dependencies (tsx) at run time");
  t.match(dockerfile, /^USER 1000:1000$/m, "numeric non-root user (runAsNonRoot can verify it)");
  t.match(dockerfile, /\/usr\/local\/bin\/optout/, "the optout CLI on PATH");
  t.notMatch(dockerfile, /:latest/);
  const build = await readFile(`${REPO_ROOT}scripts/build.ts`, "utf8");
  t.match(
    build,
    /for \(const group of \["packages", "services"\]\)/,
    "the build covers every workspace, packages/cli too",
  );
  const ignore = (await readFile(`${REPO_ROOT}.dockerignore`, "utf8")).split("\n");
  for (const entry of [
    "**/node_modules",
    "**/dist",
    ".git",
    ".cache",
    "bench/results",
    "test-artifacts",
    "**/*.log",
    "**/.env*",
    "**/.optout-local*",
  ]) {
    t.ok(ignore.includes(entry), `.dockerignore: ${entry}`);
  }
});
