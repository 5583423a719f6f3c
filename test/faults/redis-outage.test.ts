/**
 * Guarantee 10 with Redis: killed for 40 s (longer than the whole default retry budget) while
 * STOPs keep arriving, then started again empty. The events could be committed meanwhile, but
 * no STOP is acked, and none dead-lettered, before its filter bits and change feed are out.
 */
import t from "tap";
import { startRedisServer } from "@optout/testkit";
import { startSystem } from "../helpers/system.js";
import { runOutageScenario } from "../helpers/outage-scenario.js";

const redis = await startRedisServer();
const system = await startSystem({ name: "redis-outage", overrides: { redisUrl: redis.url } });
t.teardown(async () => {
  await system.stop();
  await redis.kill();
});
await system.account("acme-nl", "acme");

t.test("a Redis outage longer than the retry budget delays STOPs and loses none", async (t) => {
  await runOutageScenario(t, system, {
    dependency: "redis",
    outageMs: 40_000,
    cut: () => redis.kill(),
    restore: () => redis.restart(),
  });
  const { results } = await system.check({ recipients: ["+31620000000", "+31620000450", "+31620001199"] });
  t.same(
    results.map((r) => r.reason),
    ["opted_out", "opted_out", "opted_out"],
    "checks see the STOPs from before, during and after the outage",
  );
});
