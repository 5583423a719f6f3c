/**
 * Postgres unreachable (cut behind a TCP proxy): inbound opt-outs are not acked and are
 * recorded once it is back; checks never answer "not suppressed" for a recipient the filter
 * cannot rule out, and keep answering from the filter for those it can.
 */
import t from "tap";
import { randomUUID } from "node:crypto";
import { publishInbound, startTcpProxy, TEST_DATABASE_URL, waitFor } from "@optout/testkit";
import { getHistory } from "@optout/store";
import { startSystem } from "../helpers/system.js";

const target = new URL(TEST_DATABASE_URL);
const proxy = await startTcpProxy(Number(target.port || 5432), target.hostname);
const proxied = new URL(TEST_DATABASE_URL);
proxied.port = String(proxy.port);
const system = await startSystem({ name: "postgres-down", overrides: { databaseUrl: proxied.toString() } });
t.teardown(async () => {
  proxy.restore();
  await system.stop();
  await proxy.close();
});
const { infra } = system.env;
await system.account("acme-nl", "acme");

t.test("nothing is lost or wrongly answered while Postgres is down", async (t) => {
  const opted = "+31613000001";
  await system.sendSms({ from: opted, text: "STOP" });
  await system.check({ recipients: [opted] });
  await waitFor("filter ready", () => infra.filter.isReady("org:acme", "sms"));

  proxy.cut();
  const clean = "+31613000002";
  const reply = await system.checkRaw({ accountId: "acme-nl", channel: "sms", recipients: [clean] });
  t.same(
    "results" in reply.reply ? reply.reply.results.map((r) => r.reason) : reply.reply,
    ["not_opted_out"],
    "the filter vouches for a clean number without Postgres",
  );
  const unsure = await system.checkRaw({ accountId: "acme-nl", channel: "sms", recipients: [opted] });
  t.match(
    unsure.reply,
    { error: { code: "DEPENDENCY_UNAVAILABLE" } },
    "a possible opt-out is never answered 'not suppressed' without Postgres",
  );

  const during = "+31613000003";
  const id = randomUUID();
  await publishInbound(infra.js, infra.names.subjects.inboundSms, {
    id,
    accountId: "acme-nl",
    from: during,
    to: "3010",
    text: "STOP",
    receivedAt: new Date().toISOString(),
  });
  await new Promise((r) => setTimeout(r, 1500));
  const info = await infra.jsm.consumers.info(
    infra.names.streams.inboundSms,
    infra.names.consumer("sms-inbound"),
  );
  t.ok(info.num_ack_pending + info.num_pending >= 1, "the opt-out is not acked while Postgres is down");

  proxy.restore();
  await waitFor(
    "recorded once Postgres is back",
    async () => {
      const r = await system.check({ recipients: [during] });
      return r.results[0]?.reason === "opted_out";
    },
    60_000,
    200,
  );
  t.equal((await getHistory(infra.pool, "org:acme", "sms", during)).length, 1, "recorded exactly once");
});
