/**
 * `npm start`'s process: every worker in one process, one ready line, /readyz 200 only when
 * all workers are ready, a generated admin token that works, and a clean exit on SIGTERM.
 */
import t from "tap";
import { spawn } from "node:child_process";
import { dropSchema, randomSuffix, REPO_ROOT, TEST_DATABASE_URL, waitFor } from "@optout/testkit";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { namesFor } from "@optout/core";

const suffix = randomSuffix();
const namespace = `t${suffix}`;
const schema = `t_${suffix}`;
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
    OPTOUT_ADMIN_TOKEN: "",
    BLOOM_EXPECTED_ENTRIES: "10000",
    LOG_LEVEL: "info",
  },
  stdio: ["ignore", "pipe", "pipe"],
});
child.stdout.on("data", (d: Buffer) => (output += d.toString()));
child.stderr.on("data", (d: Buffer) => (output += d.toString()));
const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));

t.teardown(async () => {
  if (child.exitCode === null) child.kill("SIGKILL");
  const nc = await connect({ servers: process.env.TEST_NATS_URL ?? "127.0.0.1:4222" });
  const jsm = await jetstreamManager(nc);
  for (const s of Object.values(namesFor(namespace).streams)) await jsm.streams.delete(s).catch(() => undefined);
  await nc.close();
  await dropSchema(TEST_DATABASE_URL, schema);
});

t.test("all workers in one process: ready line, readiness, generated token, clean stop", async (t) => {
  const match = await waitFor("the ready line", async () => /optout is ready: API (http:\/\/127\.0\.0\.1:\d+).*admin token: (\w+)/.exec(output), 60_000);
  const [, api, token] = match;
  const ready = await fetch(`${api}/readyz`);
  t.equal(ready.status, 200, "/readyz is 200 once every worker runs");
  const put = await fetch(`${api}/v1/organizations/acme`, {
    method: "PUT",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "ACME" }),
  });
  t.equal(put.status, 201, "the generated admin token works");
  const denied = await fetch(`${api}/v1/organizations/acme`, { method: "GET", headers: { authorization: "Bearer wrong-token-wrong-token" } });
  t.equal(denied.status, 401);
  child.kill("SIGTERM");
  t.equal(await exited, 0, "exits 0 after a graceful stop");
  t.equal(output.match(/"msg":"optout ready"/g)?.length, 1, "one structured ready log line");
  t.notOk(/"level":(50|60)/.test(output), "no error or fatal log lines");
});
