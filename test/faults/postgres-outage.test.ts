/**
 * Guarantee 10 with Postgres: away (behind a cut TCP proxy) for 40 s, longer than the whole
 * default retry budget (5 deliveries, 1+2+4+8 s of backoff), while STOPs keep arriving.
 */
import t from "tap";
import { startTcpProxy, TEST_DATABASE_URL } from "@optout/testkit";
import { startSystem } from "../helpers/system.js";
import { runOutageScenario } from "../helpers/outage-scenario.js";

const target = new URL(TEST_DATABASE_URL);
const proxy = await startTcpProxy(Number(target.port || 5432), target.hostname);
const proxied = new URL(TEST_DATABASE_URL);
proxied.port = String(proxy.port);
const system = await startSystem({ name: "postgres-outage", overrides: { databaseUrl: proxied.toString() } });
t.teardown(async () => {
  proxy.restore();
  await system.stop();
  await proxy.close();
});
await system.account("acme-nl", "acme");

t.test("a Postgres outage longer than the retry budget delays STOPs and loses none", async (t) => {
  await runOutageScenario(t, system, {
    dependency: "postgres",
    outageMs: 40_000,
    cut: () => proxy.cut(),
    restore: () => proxy.restore(),
  });
});
