/**
 * Guarantees 1, 10 and 11 on a 3-node JetStream cluster: the system runs with STREAM_REPLICAS=3;
 * in the middle of a 20,000-STOP ingest the inbound SMS stream's leader is killed with SIGKILL
 * and restarted on its own store. Every STOP is recorded exactly once, nothing is dead-lettered,
 * and the streams are still R3 after workers start again — even one configured with R1.
 */
import t from "tap";
import { jetstream } from "@nats-io/jetstream";
import { connectNats } from "@optout/bus";
import { findOptedOut } from "@optout/store";
import { openInfrastructure, prepareInfrastructure } from "@optout/runtime";
import { startSmsInbound } from "@optout/service-sms-inbound";
import { createCapturingLogger, startNatsCluster, waitFor } from "@optout/testkit";
import { startSystem } from "../helpers/system.js";
import { countRecorded, publishStopWave } from "../helpers/stop-ingest.js";

const TOTAL = 20_000;
const KILL_AFTER_SENT = 6_000;
/** How long the killed node stays down: past a leader election (a few seconds on 2.9). */
const DOWN_MS = 3_000;

const cluster = await startNatsCluster({ name: "optout-faults" });
const system = await startSystem({
  name: "nats-cluster",
  overrides: { natsUrl: cluster.urls, streamReplicas: 3 },
}).catch(async (err: unknown) => {
  await cluster.stop();
  throw err;
});
// The system first: deleting its streams needs the cluster.
t.teardown(async () => {
  await system.stop();
  await cluster.stop();
});
const { infra, config } = system.env;
const { names } = infra;
await system.account("acme-nl", "acme");

t.test("the streams are created R3", async (t) => {
  for (const stream of Object.values(names.streams)) {
    const info = await infra.jsm.streams.info(stream);
    t.equal(info.config.num_replicas, 3, `${stream} is R3`);
  }
});

t.test(
  "SIGKILL of the inbound stream's leader mid-ingest: every STOP recorded once, nothing dead-lettered",
  async (t) => {
    // The gateway has a connection of its own, to every node.
    const gateway = await connectNats({ servers: cluster.urls, name: "gateway" });
    t.teardown(() => gateway.close());
    const started = Date.now();
    let killed: Promise<{ leader: string; recordedAtKill: number; downMs: number }> | undefined;
    const killLeader = async () => {
      const leader = (await infra.jsm.streams.info(names.streams.inboundSms)).cluster?.leader;
      if (!leader) throw new Error("the inbound SMS stream has no leader");
      const recordedAtKill = (await countRecorded(infra.pool)).rows;
      const node = cluster.node(leader);
      const down = Date.now();
      await node.kill("SIGKILL");
      await new Promise((r) => setTimeout(r, DOWN_MS));
      await node.start();
      return { leader, recordedAtKill, downMs: Date.now() - down };
    };
    const wave = await publishStopWave({
      js: jetstream(gateway),
      subject: names.subjects.inboundSms,
      accountId: "acme-nl",
      count: TOTAL,
      deadlineMs: 90_000,
      onProgress: (sent) => {
        if (!killed && sent >= KILL_AFTER_SENT) killed = killLeader();
      },
    });
    const kill = await killed;
    t.ok(kill, "the leader was killed during the ingest");
    t.equal(wave.sent, TOTAL, "every STOP stored in JetStream");
    const stored = await infra.jsm.streams.info(names.streams.inboundSms);
    t.equal(
      stored.state.messages,
      TOTAL,
      "retried publishes were de-duplicated on Nats-Msg-Id: one stream message per STOP",
    );

    const recorded = await waitFor(
      `${TOTAL} STOPs recorded`,
      async () => {
        const r = await countRecorded(infra.pool);
        return r.sources >= TOTAL ? r : undefined;
      },
      90_000,
      500,
    ).catch(async (err: Error) => {
      t.comment(`not all recorded: ${JSON.stringify(await countRecorded(infra.pool))}`);
      throw err;
    });
    const elapsed = Date.now() - started;
    await waitFor(
      "the sms-inbound consumer has nothing pending",
      async () => {
        const info = await infra.jsm.consumers.info(names.streams.inboundSms, names.consumer("sms-inbound"));
        return info.num_pending === 0 && info.num_ack_pending === 0;
      },
      30_000,
      200,
    );
    const dlq = (await infra.jsm.streams.info(names.streams.dlq)).state.messages;
    const events = (await infra.jsm.streams.info(names.streams.events)).state.messages;
    t.comment(
      `sent ${wave.sent} in ${wave.ms} ms (${wave.retries} publish retries, ${wave.deduplicated} de-duplicated); ` +
        `killed leader ${kill?.leader} at ${kill?.recordedAtKill} recorded, down ${kill?.downMs} ms; ` +
        `recorded ${recorded.rows} events (${recorded.sources} distinct ids, duplicates ${recorded.rows - recorded.sources}); ` +
        `dead-lettered ${dlq}; change feed ${events}; all recorded after ${elapsed} ms`,
    );
    t.equal(recorded.rows, TOTAL, "one event per STOP");
    t.equal(recorded.sources, TOTAL, "no STOP lost");
    t.equal(recorded.identifiers, TOTAL, "every number recorded once");
    t.equal(dlq, 0, "nothing dead-lettered: a node failure is an outage, not bad input");
    t.equal(events, TOTAL, "one change-feed message per event: republishes were de-duplicated");
    const optedOut = await findOptedOut(infra.pool, "org:acme", "sms", wave.numbers);
    t.equal(optedOut.size, TOTAL, "every number is opted out");
  },
);

t.test(
  "streams are still R3 when workers start again, even one configured with STREAM_REPLICAS=1",
  async (t) => {
    for (const w of [...system.workers].reverse()) await w.stop();
    // A new worker process: its own connection, prepareInfrastructure as runStandalone does it.
    for (const streamReplicas of [3, 1]) {
      const { logger, lines } = createCapturingLogger(`restart-r${streamReplicas}`);
      const again = await openInfrastructure(config, { name: `restart-r${streamReplicas}`, logger });
      t.teardown(() => again.close());
      await prepareInfrastructure(again, { ...config, streamReplicas });
      for (const stream of Object.values(names.streams)) {
        const info = await again.jsm.streams.info(stream);
        t.equal(
          info.config.num_replicas,
          3,
          `${stream} still R3 after a start with STREAM_REPLICAS=${streamReplicas}`,
        );
        t.equal(info.cluster?.replicas?.length, 2, `${stream}: a leader and two replicas`);
      }
      // The restarted node caught up from its own store and its peers.
      await waitFor(
        "every replica of the inbound SMS stream current",
        async () =>
          (await again.jsm.streams.info(names.streams.inboundSms)).cluster?.replicas?.every(
            (r) => r.current && !r.offline,
          ),
        30_000,
        200,
      );
      const replicaWarnings = lines.filter((l) => l.includes('"num_replicas"'));
      if (streamReplicas === 1)
        t.equal(
          replicaWarnings.length,
          Object.values(names.streams).length,
          "each stream's replica drift is logged",
        );
      else t.equal(replicaWarnings.length, 0, "no drift to report at R3");
    }
    // And the restarted worker still records.
    const { logger } = createCapturingLogger("sms-inbound-again");
    const worker = await openInfrastructure(config, { name: "sms-inbound-again", logger });
    t.teardown(() => worker.close());
    await prepareInfrastructure(worker, config);
    const handle = await startSmsInbound(worker, { maxDeliveries: 5, ackWaitMs: 10_000, maxInFlight: 256 });
    t.teardown(() => handle.stop());
    const late = await publishStopWave({
      js: worker.js,
      subject: names.subjects.inboundSms,
      accountId: "acme-nl",
      count: 10,
      offset: TOTAL,
    });
    await waitFor(
      "the late STOPs recorded",
      async () => (await countRecorded(infra.pool)).sources >= TOTAL + late.sent,
      30_000,
      200,
    );
    t.equal((await countRecorded(infra.pool)).rows, TOTAL + 10);
  },
);
