/**
 * `npm start` serves /metrics: the all-in-one process (scripts/local.ts) exposes its one
 * registry, with every worker's series, on HEALTH_PORT, and says where in its ready log line.
 */
import t from "tap";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { namesFor } from "@optout/core";
import { dropSchema, randomSuffix, REPO_ROOT, TEST_DATABASE_URL, waitFor } from "@optout/testkit";

const suffix = randomSuffix();
const namespace = `t${suffix}`;
const schema = `t_${suffix}`;
const dir = await mkdtemp(join(tmpdir(), "optout-local-metrics-"));

t.teardown(async () => {
  const nc = await connect({ servers: process.env.TEST_NATS_URL ?? "127.0.0.1:4222" });
  const jsm = await jetstreamManager(nc);
  for (const s of Object.values(namesFor(namespace).streams))
    await jsm.streams.delete(s).catch(() => undefined);
  await nc.close();
  await dropSchema(TEST_DATABASE_URL, schema);
  await rm(dir, { recursive: true, force: true });
});

t.test("the local process serves every worker's metrics on HEALTH_PORT", async (t) => {
  let output = "";
  const child = spawn(process.execPath, ["--conditions=development", "--import", "tsx", "scripts/local.ts"], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      OPTOUT_NAMESPACE: namespace,
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schema,
      API_PORT: "0",
      EDGE_PORT: "0",
      HEALTH_PORT: "0",
      HOST: "",
      OPTOUT_ADMIN_TOKEN: "local-metrics-admin-token-0123456789",
      EMAIL_TOKEN_SECRET: "local-metrics-email-secret-0123456789",
      LINK_BASE_URL: "",
      OPTOUT_LOCAL_SECRETS_FILE: join(dir, ".optout-local.json"),
      BLOOM_EXPECTED_ENTRIES: "10000",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });

  const ready = await waitFor(
    "the ready log line",
    async () =>
      output
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as { msg?: string; metrics?: string; api?: string })
        .find((l) => l.msg === "optout ready"),
    90_000,
    200,
  );
  t.match(ready.metrics, /^http:\/\/127\.0\.0\.1:\d+\/metrics$/, "the ready line says where /metrics is");
  t.equal((await fetch(`${ready.api}/healthz`)).status, 200);
  const res = await fetch(ready.metrics!);
  t.equal(res.status, 200);
  const text = await res.text();
  for (const worker of ["sms-inbound", "email-unsubscribe", "link-click", "webhook-dispatch"])
    t.match(
      text,
      new RegExp(`optout_consumer_pending_messages\\{worker="${worker}"\\} \\d+`),
      `${worker}'s lag`,
    );
  t.match(text, /optout_dependency_up\{dependency="postgres"\} 1/);
  t.match(
    text,
    /http_requests_total\{worker="api",method="GET",route="\/healthz",status="200"\} 1/,
    "the API's requests",
  );
  t.match(text, /^process_cpu_user_seconds_total /m, "Node's default metrics, standard names");
  const readyz = await fetch(ready.metrics!.replace("/metrics", "/readyz"));
  t.equal(readyz.status, 200, "/readyz beside it answers for every worker");

  child.kill("SIGTERM");
  t.equal(await exited, 0, "a clean exit");
});
