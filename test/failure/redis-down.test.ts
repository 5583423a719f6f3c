/**
 * Guarantee 3: with Redis down (kill -9) checks still answer correctly from Postgres; an
 * opt-out arriving meanwhile is not acked until its cache write succeeds, and after Redis comes
 * back empty the filter rebuilds itself.
 */
import t from "tap";
import { randomUUID } from "node:crypto";
import { publishInbound, startRedisServer, waitFor } from "@optout/testkit";
import { startSystem } from "../helpers/system.js";

const redis = await startRedisServer();
const system = await startSystem({ name: "redis-down", overrides: { redisUrl: redis.url } });
t.teardown(async () => {
  await system.stop();
  await redis.kill();
});
const { infra } = system.env;
await system.account("acme-nl", "acme");

t.test("checks stay correct while Redis is dead, and the filter rebuilds when it is back", async (t) => {
  const before = "+31612000001";
  await system.sendSms({ from: before, text: "STOP" });
  t.equal((await system.check({ recipients: [before] })).results[0]?.reason, "opted_out");
  await waitFor("filter ready", () => infra.filter.isReady("org:acme", "sms"));

  await redis.kill();
  const started = Date.now();
  const { results } = await system.check({ recipients: [before, "+31612000002"] });
  t.same(
    results.map((r) => r.reason),
    ["opted_out", "not_opted_out"],
    "answered from Postgres with Redis dead",
  );
  t.comment(`check with Redis dead answered in ${Date.now() - started} ms`);

  // An opt-out while Redis is down: committed in Postgres (so checks see it) but not acked.
  const during = "+31612000003";
  const id = randomUUID();
  await publishInbound(infra.js, infra.names.subjects.inboundSms, {
    id,
    accountId: "acme-nl",
    from: during,
    to: "3010",
    text: "STOP",
    receivedAt: new Date().toISOString(),
  });
  await waitFor("the opt-out is committed in Postgres", async () => {
    const r = await system.check({ recipients: [during] });
    return r.results[0]?.reason === "opted_out";
  });
  const pending = await infra.jsm.consumers.info(
    infra.names.streams.inboundSms,
    infra.names.consumer("sms-inbound"),
  );
  t.ok(
    pending.num_ack_pending + pending.num_pending >= 1 || pending.num_redelivered >= 1,
    "not acked while the cache write fails",
  );

  await redis.restart();
  await waitFor(
    "the pending opt-out is acked once Redis is back",
    async () => {
      const info = await infra.jsm.consumers.info(
        infra.names.streams.inboundSms,
        infra.names.consumer("sms-inbound"),
      );
      return info.num_ack_pending === 0 && info.num_pending === 0;
    },
    60_000,
    200,
  );

  t.same(
    (await system.check({ recipients: [before, during, "+31612000002"] })).results.map((r) => r.reason),
    ["opted_out", "opted_out", "not_opted_out"],
  );
  await waitFor("filter rebuilt after the restart", () => infra.filter.isReady("org:acme", "sms"), 30_000);
  t.same(
    await infra.filter.mightContain("org:acme", "sms", [before, during]),
    [true, true],
    "rebuilt filter holds both opt-outs",
  );
});
