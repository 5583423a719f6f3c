/**
 * Guarantee 1 (nothing lost): kill -9 an sms-inbound process in the middle of a backlog, start
 * it again, and every STOP is recorded exactly once, visible to checks, with exactly one
 * change-feed message per event. And SIGTERM drains: the process exits 0 with nothing pending.
 */
import t from "tap";
import { randomUUID } from "node:crypto";
import { createTestEnv, spawnService, waitFor, type WorkerProcess } from "@optout/testkit";
import { encodeJson } from "@optout/bus";
import { upsertAccount, upsertOrganization, findOptedOut } from "@optout/store";

const env = await createTestEnv({ name: "worker-crash" });
t.teardown(() => env.teardown());
const { infra, config } = env;
const durable = infra.names.consumer("sms-inbound");
const stream = infra.names.streams.inboundSms;

await upsertOrganization(infra.pool, { id: "crash-org" });
await upsertAccount(infra.pool, { id: "crash-acct", organizationId: "crash-org", defaultCountry: "NL" });

const workerEnv = {
  NATS_URL: config.natsUrl,
  DATABASE_URL: config.databaseUrl,
  DATABASE_SCHEMA: config.databaseSchema,
  REDIS_URL: config.redisUrl,
  OPTOUT_NAMESPACE: config.namespace,
  BLOOM_EXPECTED_ENTRIES: String(config.bloomExpectedEntries),
  HEALTH_PORT: "0",
};

async function publishStops(count: number, offset: number): Promise<{ numbers: string[]; lastSeq: number }> {
  const numbers: string[] = [];
  let lastSeq = 0;
  for (let i = 0; i < count; i += 200) {
    const acks = await Promise.all(
      Array.from({ length: Math.min(200, count - i) }, (_, j) => {
        const from = `+3165${String(offset + i + j).padStart(7, "0")}`;
        numbers.push(from);
        const id = randomUUID();
        return infra.js.publish(
          infra.names.subjects.inboundSms,
          encodeJson({
            id,
            accountId: "crash-acct",
            from,
            to: "3010",
            text: "STOP",
            receivedAt: new Date().toISOString(),
          }),
          { msgID: id },
        );
      }),
    );
    lastSeq = Math.max(lastSeq, ...acks.map((a) => a.seq));
  }
  return { numbers, lastSeq };
}

const ackFloor = async () =>
  (await infra.jsm.consumers.info(stream, durable).catch(() => undefined))?.ack_floor.stream_seq ?? 0;

async function stopProcess(p: WorkerProcess, signal: NodeJS.Signals) {
  p.child.kill(signal);
  return p.exited;
}

t.test("kill -9 mid-backlog loses nothing and doubles nothing", async (t) => {
  const total = 3000;
  const { numbers, lastSeq } = await publishStops(total, 0);

  const first = spawnService("sms-inbound", workerEnv);
  await waitFor("some progress before the kill", async () => (await ackFloor()) >= 300, 60_000, 10);
  const killed = await stopProcess(first, "SIGKILL");
  t.equal(killed.signal, "SIGKILL");
  const floorAtKill = await ackFloor();
  t.ok(floorAtKill < lastSeq, `killed mid-backlog (acked ${floorAtKill} of ${lastSeq})`);

  const second = spawnService("sms-inbound", workerEnv);
  t.teardown(() => void second.child.kill("SIGKILL"));
  await waitFor(
    "the restarted worker finishes the backlog",
    async () => (await ackFloor()) >= lastSeq,
    120_000,
    50,
  );

  const { rows } = await infra.pool.query<{ n: number; distinct_sources: number }>(
    "SELECT count(*)::int AS n, count(DISTINCT source_id)::int AS distinct_sources FROM optout_events",
  );
  t.equal(rows[0]!.n, total, "one event per inbound message");
  t.equal(rows[0]!.distinct_sources, total);
  const found = await findOptedOut(infra.pool, "org:crash-org", "sms", numbers);
  t.equal(found.size, total, "every number is opted out");
  const maybe = await infra.filter.mightContain("org:crash-org", "sms", numbers);
  if (maybe) t.ok(maybe.every(Boolean), "the filter holds every opt-out (no false negatives)");

  const events = await infra.jsm.streams.info(infra.names.streams.events);
  t.equal(events.state.messages, total, "one change-feed message per event: republishes were de-duplicated");

  const drained = await stopProcess(second, "SIGTERM");
  t.equal(drained.code, 0, "SIGTERM drains and exits 0");
  const info = await infra.jsm.consumers.info(stream, durable);
  t.equal(info.num_ack_pending, 0, "nothing left unacked after the drain");
});
