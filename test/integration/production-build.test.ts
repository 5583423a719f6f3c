/**
 * The production path: `npm run build` output runs with plain `node` (workspace packages
 * resolve to their dist/ through the "default" export condition), serves /readyz and answers.
 */
import t from "tap";
import { spawn, spawnSync } from "node:child_process";
import { createTestEnv, REPO_ROOT, requestJson, waitFor } from "@optout/testkit";
import { upsertAccount, upsertOrganization } from "@optout/store";

const build = spawnSync(process.execPath, ["--import", "tsx", "scripts/build.ts"], {
  cwd: REPO_ROOT,
  encoding: "utf8",
});
t.equal(build.status, 0, `build succeeds: ${build.stderr}`);

const env = await createTestEnv({ name: "prod-build" });
t.teardown(() => env.teardown());
await upsertOrganization(env.infra.pool, { id: "o" });
await upsertAccount(env.infra.pool, { id: "a", organizationId: "o" });

t.test("a built worker starts with plain node and answers", async (t) => {
  let output = "";
  const child = spawn(process.execPath, ["services/suppression-check/dist/main.js"], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      NATS_URL: env.config.natsUrl,
      DATABASE_URL: env.config.databaseUrl,
      DATABASE_SCHEMA: env.config.databaseSchema,
      REDIS_URL: env.config.redisUrl,
      OPTOUT_NAMESPACE: env.config.namespace,
      BLOOM_EXPECTED_ENTRIES: "10000",
      ERASURE_HASH_SECRET: "prod-build-erasure-secret-0123456789",
      HEALTH_PORT: "0",
      NODE_OPTIONS: "",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
  t.teardown(() => void (child.exitCode === null && child.kill("SIGKILL")));

  const [, port] = await waitFor("the ready log line", async () => /"healthPort":(\d+)/.exec(output), 30_000);
  t.equal((await fetch(`http://127.0.0.1:${port}/readyz`)).status, 200);
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  t.match(metrics, /optout_requests_total|process_cpu/, "serves Prometheus metrics");
  const { reply } = await requestJson<{ results: { reason: string }[] }>(
    env.infra.nc,
    env.infra.names.subjects.check,
    {
      accountId: "a",
      channel: "sms",
      recipients: ["+31612345678"],
    },
  );
  t.equal(reply.results[0]?.reason, "not_opted_out");
  child.kill("SIGTERM");
  t.equal(await exited, 0, "drains and exits 0 on SIGTERM");
});
