/**
 * webhook-dispatch prunes on its own (./src/retention.ts): a run on the timer deletes what the
 * policy lets go and counts it in optout_retention_pruned_total; stop ends the schedule.
 */
import t from "tap";
import { randomUUID } from "node:crypto";
import { Registry } from "prom-client";
import { createLogger } from "@optout/core";
import { randomSuffix, dropSchema, TEST_DATABASE_URL } from "@optout/testkit";
import { createPool, ensureDatabase, migrate } from "@optout/store";
import { startRetention } from "@optout/service-webhook-dispatch";

const schema = `t_${randomSuffix()}`;
await ensureDatabase(TEST_DATABASE_URL);
const pool = createPool({ url: TEST_DATABASE_URL, schema, max: 2 });
t.teardown(async () => {
  await pool.end();
  await dropSchema(TEST_DATABASE_URL, schema);
});
await migrate(pool, { schema });

async function job(status: string, daysAgo: number): Promise<void> {
  await pool.query(
    `INSERT INTO webhook_jobs (event_id, event_seq, account_id, channel, identifier, status, updated_at)
     VALUES ($1, 1, 'a', 'sms', '+31612345678', $2, now() - make_interval(days => $3))`,
    [randomUUID(), status, daysAgo],
  );
}

const count = async () =>
  (await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM webhook_jobs")).rows[0]!.n;

t.test("runs on its timer, counts what it deleted, stops", async (t) => {
  await job("delivered", 10);
  await job("delivered", 10);
  await job("pending", 10);
  await job("delivered", 1);
  const registry = new Registry();
  const task = startRetention(
    { pool, logger: createLogger({ name: "test", level: "silent" }), registry },
    { webhookJobsDays: 7, confirmationsDays: 30, firstRunDelayMs: 0, intervalMs: 60_000 },
  );
  t.teardown(() => task.stop());
  const deadline = Date.now() + 15_000;
  while ((await count()) !== 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  t.equal(await count(), 2, "the two delivered jobs older than 7 days are gone");
  const metrics = await registry.getMetricsAsJSON();
  const pruned = metrics.find((m) => m.name === "optout_retention_pruned_total");
  t.same(
    pruned?.values.find((v) => v.labels.table === "webhook_jobs")?.value,
    2,
    "optout_retention_pruned_total{table=webhook_jobs}",
  );
  await task.stop();
  await task.stop();
  await job("delivered", 10);
  await task.runOnce();
  t.equal(await count(), 3, "stopped: no more runs");
});
