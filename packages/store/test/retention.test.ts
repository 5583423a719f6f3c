/**
 * Retention (packages/store/src/retention.ts): what goes, what stays (pending jobs, records
 * inside an account's confirmation window, decisions younger than the redelivery horizon), in
 * batches, one run at a time per installation.
 */
import t from "tap";
import { randomUUID } from "node:crypto";
import pg from "pg";
import { TEST_DATABASE_URL } from "@optout/testkit";
import {
  DECISION_MIN_RETENTION_DAYS,
  pruneExpired,
  RETENTION_LOCK_CLASS,
  upsertAccount,
  upsertOrganization,
  withDefaultUser,
  type RetentionPolicy,
} from "@optout/store";
import { migratedSchema } from "./helpers/migrated-schema.js";

const { pool, schema } = await migratedSchema(3);
await upsertOrganization(pool, { id: "org" });
await upsertAccount(pool, { id: "plain", organizationId: "org" });
// A window of 2,000 hours (~83 days): its records must outlive the 30-day retention.
await upsertAccount(pool, {
  id: "long-window",
  organizationId: "org",
  settings: { confirmationSms: { enabled: true, text: { default: "Bye" }, windowHours: 2000 } },
});

const POLICY: RetentionPolicy = { webhookJobsDays: 30, confirmationsDays: 30, defaultWindowHours: 24 };

async function job(status: string, daysAgo: number): Promise<string> {
  const id = randomUUID();
  await pool.query(
    `INSERT INTO webhook_jobs (event_id, event_seq, account_id, channel, identifier, status, updated_at)
     VALUES ($1, 1, 'plain', 'sms', $2, $3, now() - make_interval(days => $4))`,
    [id, `+3161${Math.floor(Math.random() * 1e7)}`, status, daysAgo],
  );
  return id;
}

async function confirmation(accountId: string, identifier: string, daysAgo: number): Promise<void> {
  await pool.query(
    `INSERT INTO sms_confirmations (account_id, channel, identifier, action, last_sent_at, last_event_id)
     VALUES ($1, 'sms', $2, 'opt_out', now() - make_interval(days => $3), $4)`,
    [accountId, identifier, daysAgo, randomUUID()],
  );
}

async function decision(daysAgo: number): Promise<string> {
  const id = randomUUID();
  await pool.query(
    "INSERT INTO sms_confirmation_decisions (event_id, decided_at) VALUES ($1, now() - make_interval(days => $2))",
    [id, daysAgo],
  );
  return id;
}

const ids = async (sql: string) => (await pool.query<{ id: string }>(sql)).rows.map((r) => r.id).sort();

t.test("finished webhook jobs past retention go; pending and recent ones stay", async (t) => {
  const gone = [await job("delivered", 40), await job("skipped", 31), await job("dead", 400)];
  const kept = [await job("pending", 400), await job("delivered", 29), await job("dead", 1)];
  const dry = await pruneExpired(pool, POLICY, { dryRun: true });
  t.equal(dry.deleted.webhook_jobs, 3, "a dry run counts them");
  t.same(
    await ids("SELECT event_id AS id FROM webhook_jobs"),
    [...gone, ...kept].sort(),
    "and deletes nothing",
  );
  const report = await pruneExpired(pool, POLICY);
  t.equal(report.ran, true);
  t.equal(report.deleted.webhook_jobs, 3);
  t.same(await ids("SELECT event_id AS id FROM webhook_jobs"), kept.sort());
  t.equal((await pruneExpired(pool, POLICY)).deleted.webhook_jobs, 0, "a second run finds nothing");
});

t.test("a confirmation record is never pruned inside its account's window", async (t) => {
  await confirmation("plain", "+31600000001", 40); // past 30 days and the 24 h default window
  await confirmation("plain", "+31600000002", 10); // younger than the retention
  await confirmation("long-window", "+31600000003", 40); // past retention, inside the 83-day window
  await confirmation("long-window", "+31600000004", 90); // past both
  await confirmation("gone-account", "+31600000005", 40); // the account is gone: the default window
  const report = await pruneExpired(pool, POLICY);
  t.equal(report.deleted.sms_confirmations, 3);
  t.same(await ids("SELECT identifier AS id FROM sms_confirmations"), ["+31600000002", "+31600000003"]);
});

t.test("decisions stay at least until no message of their event can come back", async (t) => {
  const old = await decision(DECISION_MIN_RETENTION_DAYS + 1);
  const young = await decision(DECISION_MIN_RETENTION_DAYS - 2); // past the 30 days, within the floor
  const report = await pruneExpired(pool, POLICY);
  t.equal(report.deleted.sms_confirmation_decisions, 1);
  const left = await ids("SELECT event_id AS id FROM sms_confirmation_decisions");
  t.notOk(left.includes(old));
  t.ok(left.includes(young));
  const longer = await pruneExpired(pool, { ...POLICY, confirmationsDays: 60 });
  t.equal(longer.deleted.sms_confirmation_decisions, 0, "a longer retention keeps it too");
});

t.test("batches: a backlog goes in several short deletes", async (t) => {
  for (let i = 0; i < 7; i++) await job("delivered", 50);
  const batches: number[] = [];
  const report = await pruneExpired(pool, POLICY, { batchSize: 3, onBatch: (_t, n) => batches.push(n) });
  t.equal(report.deleted.webhook_jobs, 7);
  t.same(batches, [3, 3, 1]);
  t.ok(report.batches >= 3 + 2, "one batch per table at least, three for the jobs");
});

t.test("stopped between batches: what was done is reported", async (t) => {
  for (let i = 0; i < 5; i++) await job("dead", 50);
  const abort = new AbortController();
  const report = await pruneExpired(pool, POLICY, {
    batchSize: 2,
    signal: abort.signal,
    onBatch: () => abort.abort(),
  });
  t.equal(report.deleted.webhook_jobs, 2, "the first batch, then it stopped");
  t.equal((await pruneExpired(pool, POLICY)).deleted.webhook_jobs, 3, "the next run takes the rest");
});

t.test("one run at a time per installation", async (t) => {
  const other = new pg.Client({ connectionString: withDefaultUser(TEST_DATABASE_URL) });
  await other.connect();
  t.teardown(() => other.end());
  await other.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
  await other.query("SELECT pg_advisory_lock($1, hashtext(current_schema()))", [RETENTION_LOCK_CLASS]);
  await job("delivered", 50);
  const blocked = await pruneExpired(pool, POLICY);
  t.equal(blocked.ran, false, "another holder: nothing done");
  t.equal(blocked.deleted.webhook_jobs, 0);
  await other.query("SELECT pg_advisory_unlock($1, hashtext(current_schema()))", [RETENTION_LOCK_CLASS]);
  t.equal((await pruneExpired(pool, POLICY)).deleted.webhook_jobs, 1, "then it runs");
});

t.test("policies are checked", async (t) => {
  await t.rejects(pruneExpired(pool, { ...POLICY, webhookJobsDays: 0 }), RangeError);
  await t.rejects(pruneExpired(pool, { ...POLICY, confirmationsDays: 1.5 }), RangeError);
});
