/**
 * A rollout on a fresh installation: every service started at once, as Kubernetes does, on a
 * database that does not exist yet. Concurrent creation is not an error: all of them come up.
 * And the Kubernetes way: workers with MIGRATE_ON_START=false answer /healthz from the first
 * second, say on /readyz that they wait for the schema, and start once `optout migrate` ran.
 */
import t from "tap";
import { spawn } from "node:child_process";
import pg from "pg";
import {
  freePort,
  randomSuffix,
  REPO_ROOT,
  spawnService,
  TEST_DATABASE_URL,
  TEST_NATS_URL,
  TEST_REDIS_URL,
  waitFor,
  type WorkerProcess,
} from "@optout/testkit";
import { namesFor } from "@optout/core";
import { connectNats } from "@optout/bus";
import { jetstreamManager } from "@nats-io/jetstream";

const SERVICES = [
  "sms-inbound",
  "link-click",
  "email-unsubscribe",
  "suppression-check",
  "tag",
  "webhook-dispatch",
  "edge",
  "api",
];

function installation() {
  const suffix = randomSuffix();
  const db = new URL(TEST_DATABASE_URL);
  db.pathname = `/optout_rollout_${suffix}`;
  return {
    namespace: `r${suffix}`,
    databaseUrl: db.toString(),
    env: {
      NATS_URL: TEST_NATS_URL,
      DATABASE_URL: db.toString(),
      REDIS_URL: TEST_REDIS_URL,
      OPTOUT_NAMESPACE: `r${suffix}`,
      OPTOUT_ADMIN_TOKEN: "rollout-admin-token-0123456789",
      EMAIL_TOKEN_SECRET: "rollout-email-secret-0123456789abcdef",
      ERASURE_HASH_SECRET: "rollout-erasure-secret-0123456789abcdef",
      API_PORT: "0",
      EDGE_PORT: "0",
      LOG_LEVEL: "info",
    } as Record<string, string>,
  };
}

async function dropDatabase(url: string): Promise<void> {
  const admin = new URL(url);
  const name = admin.pathname.slice(1);
  admin.pathname = "/postgres";
  const client = new pg.Client({
    connectionString: admin.toString().replace("postgres://", `postgres://${process.env.PGUSER ?? "root"}@`),
  });
  await client.connect().catch(() => undefined);
  await client
    .query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`)
    .catch(() => undefined);
  await client.end().catch(() => undefined);
}

async function deleteStreams(namespace: string): Promise<void> {
  const nc = await connectNats({ servers: TEST_NATS_URL, name: "rollout-cleanup" });
  const jsm = await jetstreamManager(nc);
  for (const stream of Object.values(namesFor(namespace).streams))
    await jsm.streams.delete(stream).catch(() => undefined);
  await nc.drain();
}

async function readyz(
  port: number,
): Promise<{ status: number; body: { status?: string; reasons?: string[] } }> {
  const res = await fetch(`http://127.0.0.1:${port}/readyz`);
  return { status: res.status, body: (await res.json()) as { status?: string; reasons?: string[] } };
}

t.test("every service started at once on a database that does not exist: all come up", async (t) => {
  const install = installation();
  const processes: WorkerProcess[] = [];
  t.teardown(async () => {
    for (const p of processes) p.child.kill("SIGKILL");
    await dropDatabase(install.databaseUrl);
    await deleteStreams(install.namespace);
  });
  for (const service of SERVICES) processes.push(spawnService(service, { ...install.env, HEALTH_PORT: "0" }));
  const isUp = (p: WorkerProcess) => /"msg":"[a-z-]+ ready"/.test(p.output());
  await waitFor(
    "every service ready or exited",
    async () => processes.every((p) => isUp(p) || p.child.exitCode !== null),
    180_000,
    250,
  ).catch(() => undefined);
  for (const [i, p] of processes.entries()) {
    t.ok(isUp(p), `${SERVICES[i]} came up${isUp(p) ? "" : `: ${p.output().slice(-600)}`}`);
    t.notMatch(p.output(), /failed to start|duplicate key/, `${SERVICES[i]} started without error`);
  }
});

t.test("MIGRATE_ON_START=false: alive at once, waits for `optout migrate`, then ready", async (t) => {
  const install = installation();
  // The database exists (an operator or the chart creates it) but has no schema yet.
  const admin = new URL(install.databaseUrl);
  const name = admin.pathname.slice(1);
  admin.pathname = "/postgres";
  const client = new pg.Client({
    connectionString: admin.toString().replace("postgres://", `postgres://${process.env.PGUSER ?? "root"}@`),
  });
  await client.connect();
  await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  await client.end();
  const healthPort = await freePort();
  const worker = spawnService("sms-inbound", {
    ...install.env,
    HEALTH_PORT: String(healthPort),
    MIGRATE_ON_START: "false",
  });
  t.teardown(async () => {
    worker.child.kill("SIGKILL");
    await dropDatabase(install.databaseUrl);
    await deleteStreams(install.namespace);
  });

  const healthz = await waitFor(
    "/healthz answers while the worker waits",
    async () => {
      const res = await fetch(`http://127.0.0.1:${healthPort}/healthz`).catch(() => undefined);
      return res?.status === 200 ? res : undefined;
    },
    60_000,
    100,
  );
  t.equal(healthz.status, 200, "alive before its schema exists");
  const waiting = await waitFor(
    "readiness says what it waits for",
    async () => {
      const r = await readyz(healthPort);
      return r.body.reasons?.some((x) => /waiting for schema version/.test(x)) ? r : undefined;
    },
    60_000,
    200,
  );
  t.equal(waiting.status, 503);
  t.match(waiting.body.reasons?.join(" "), /optout migrate/, "and names the command that ends the wait");

  const migrated = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      ["--conditions=development", "--import", "tsx", "packages/cli/src/main.ts", "migrate", "--json"],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, ...install.env },
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
  t.equal(
    migrated.code,
    0,
    migrated.code === 0 ? "optout migrate exits 0" : `optout migrate failed: ${migrated.stderr}`,
  );
  const report = JSON.parse(migrated.stdout) as { applied: number[]; schemaVersion: number; streams: string };
  t.ok(
    report.applied.length > 0 && report.schemaVersion === Math.max(...report.applied),
    "it applied every migration",
  );
  t.equal(report.streams, "ensured");

  const ready = await waitFor(
    "ready once migrated",
    async () => {
      const r = await readyz(healthPort);
      return r.status === 200 ? r : undefined;
    },
    60_000,
    200,
  );
  t.same(ready.body, { status: "ready" });
});
