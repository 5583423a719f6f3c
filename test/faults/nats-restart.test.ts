/**
 * Guarantees 1 and 10 when the only NATS server goes away: a throw-away nats-server is killed
 * with SIGKILL in the middle of a STOP ingest while checks (optout.check request-reply) keep
 * coming, and restarted on its own store. Clients reconnect by themselves, no STOP is lost or
 * doubled, nothing is dead-lettered, and checks answer again after the reconnection.
 */
import t from "tap";
import { jetstream } from "@nats-io/jetstream";
import { connectNats } from "@optout/bus";
import type { CheckReply, ErrorReply } from "@optout/schemas";
import { requestJson, startNatsServer, waitFor } from "@optout/testkit";
import { startSystem } from "../helpers/system.js";
import { countRecorded, publishStopWave } from "../helpers/stop-ingest.js";

const TOTAL = 10_000;
const KILL_AFTER_SENT = 3_000;
const DOWN_MS = 3_000;
const CHECK_EVERY_MS = 50;
const CHECK_TIMEOUT_MS = 2_000;

const nats = await startNatsServer({ name: "restart" });
const system = await startSystem({ name: "nats-restart", overrides: { natsUrl: nats.url } }).catch(
  async (err: unknown) => {
    await nats.stop();
    throw err;
  },
);
t.teardown(async () => {
  await system.stop();
  await nats.stop();
});
const { infra } = system.env;
const { names } = infra;
await system.account("acme-nl", "acme");

interface CheckLog {
  at: number;
  ms: number;
  ok: boolean;
}

/** A campaign sender checking a few recipients in a loop, on its own connection, until stopped. */
function checkLoop(
  nc: Awaited<ReturnType<typeof connectNats>>,
  recipients: string[],
): { log: CheckLog[]; stop: () => Promise<void> } {
  const log: CheckLog[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      const at = Date.now();
      try {
        const { reply } = await requestJson<CheckReply | ErrorReply>(
          nc,
          names.subjects.check,
          { accountId: "acme-nl", channel: "sms", recipients },
          CHECK_TIMEOUT_MS,
        );
        log.push({
          at,
          ms: Date.now() - at,
          ok: "results" in reply && reply.results.length === recipients.length,
        });
      } catch {
        log.push({ at, ms: Date.now() - at, ok: false });
      }
      await new Promise((r) => setTimeout(r, CHECK_EVERY_MS));
    }
  })();
  return {
    log,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

t.test(
  "nats-server killed and restarted mid-ingest: clients reconnect, 0 STOPs lost, checks answer again",
  async (t) => {
    const gateway = await connectNats({ servers: nats.url, name: "gateway" });
    const sender = await connectNats({ servers: nats.url, name: "campaign-sender" });
    t.teardown(async () => {
      await gateway.close();
      await sender.close();
    });
    const reconnects = { system: 0 };
    void (async () => {
      for await (const s of infra.nc.status()) if (s.type === "reconnect") reconnects.system++;
    })();
    const checks = checkLoop(sender, ["+31650000001", "+31699999999", "06 5000 0002"]);
    await waitFor(
      "checks answered before the ingest",
      async () => checks.log.filter((c) => c.ok).length >= 5,
      10_000,
    );
    const started = Date.now();
    let outage: Promise<{ downAt: number; upAt: number; recordedAtKill: number }> | undefined;
    const restartServer = async () => {
      const recordedAtKill = (await countRecorded(infra.pool)).rows;
      const downAt = Date.now();
      await nats.kill("SIGKILL");
      await new Promise((r) => setTimeout(r, DOWN_MS));
      await nats.start();
      return { downAt, upAt: Date.now(), recordedAtKill };
    };
    const wave = await publishStopWave({
      js: jetstream(gateway),
      subject: names.subjects.inboundSms,
      accountId: "acme-nl",
      count: TOTAL,
      deadlineMs: 60_000,
      onProgress: (sent) => {
        if (!outage && sent >= KILL_AFTER_SENT) outage = restartServer();
      },
    });
    const restart = await outage;
    if (!restart) throw new Error("the server was not restarted during the ingest");
    t.equal(wave.sent, TOTAL, "every STOP stored once the server is back");
    t.equal(
      (await infra.jsm.streams.info(names.streams.inboundSms)).state.messages,
      TOTAL,
      "retries de-duplicated: one stream message per STOP",
    );

    const recorded = await waitFor(
      `${TOTAL} STOPs recorded`,
      async () => {
        const r = await countRecorded(infra.pool);
        return r.sources >= TOTAL ? r : undefined;
      },
      60_000,
      500,
    ).catch(async (err: Error) => {
      t.comment(`not all recorded: ${JSON.stringify(await countRecorded(infra.pool))}`);
      throw err;
    });
    const elapsed = Date.now() - started;
    // A few more checks after everything is recorded, then stop the loop.
    await new Promise((r) => setTimeout(r, 500));
    await checks.stop();

    const dlq = (await infra.jsm.streams.info(names.streams.dlq)).state.messages;
    // Checks that ended before the kill, overlapped the outage, started after the restart.
    const before = checks.log.filter((c) => c.at + c.ms < restart.downAt);
    const during = checks.log.filter((c) => c.at + c.ms >= restart.downAt && c.at < restart.upAt);
    const after = checks.log.filter((c) => c.at >= restart.upAt);
    const firstOkAfter = after.find((c) => c.ok);
    const answeredAgainMs = firstOkAfter ? firstOkAfter.at - restart.upAt : undefined;
    t.comment(
      `sent ${wave.sent} in ${wave.ms} ms (${wave.retries} publish retries, ${wave.deduplicated} de-duplicated); ` +
        `server down ${restart.upAt - restart.downAt} ms at ${restart.recordedAtKill} recorded; ` +
        `recorded ${recorded.rows} events (${recorded.sources} distinct ids, duplicates ${recorded.rows - recorded.sources}); dead-lettered ${dlq}; ` +
        `system reconnects ${reconnects.system}; checks ok before/during/after: ` +
        `${before.filter((c) => c.ok).length}/${before.length}, ${during.filter((c) => c.ok).length}/${during.length}, ${after.filter((c) => c.ok).length}/${after.length}; ` +
        `first check answered ${answeredAgainMs ?? "never"} ms after the restart; slowest answered check ${Math.max(...checks.log.filter((c) => c.ok).map((c) => c.ms))} ms; ` +
        `all recorded after ${elapsed} ms`,
    );
    t.equal(recorded.rows, TOTAL, "one event per STOP");
    t.equal(recorded.sources, TOTAL, "no STOP lost");
    t.equal(dlq, 0, "nothing dead-lettered: the outage delayed, it did not drop");
    t.ok(reconnects.system >= 1, "the system's connection reconnected");
    t.ok(before.length > 0 && before.every((c) => c.ok), "checks answered before the outage");
    t.ok(firstOkAfter, "checks answer again after the reconnection");
    const settled = after.filter((c) => firstOkAfter && c.at >= firstOkAfter.at);
    t.ok(settled.length > 0 && settled.every((c) => c.ok), "once answering again, every check is answered");

    // Read after ack, end to end: every number is suppressed for a sender.
    for (let i = 0; i < TOTAL; i += 5_000) {
      const { results } = await system.check({ recipients: wave.numbers.slice(i, i + 5_000) });
      t.equal(
        results.filter((r) => r.reason === "opted_out").length,
        Math.min(5_000, TOTAL - i),
        `numbers ${i}.. are opted out`,
      );
    }
  },
);
