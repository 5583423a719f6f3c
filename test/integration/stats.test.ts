/**
 * Opt-out statistics over real events: per day / channel / source / campaign, and a campaign's
 * opt-out rate (links issued by optout.tag against opt-outs through them).
 */
import t from "tap";
import { ensureLinks, recordEvents, type NewEvent } from "@optout/store";
import { startApiEnv } from "../helpers/api-env.js";

const sys = await startApiEnv("stats");
t.teardown(() => sys.stop());
const { pool } = sys.env.infra;
const A = "stats-a";
await sys.account(A, "stats-org");
await sys.account("stats-b", "stats-org");
const SCOPE = "org:stats-org";

let n = 0;
const event = (e: Partial<NewEvent> & Pick<NewEvent, "identifier" | "occurredAt">): NewEvent => ({
  scope: SCOPE,
  channel: "sms",
  action: "opt_out",
  source: "sms_keyword",
  sourceId: `s-${++n}`,
  accountId: A,
  ...e,
});

// Three recipients get links of campaign "spring" (one also an email link), two opt out
// through them; the first clicks twice (one opt-out, two requests).
const links = await ensureLinks(pool, { accountId: A, channel: "sms", campaignId: "spring" }, [
  "+31611110001",
  "+31611110002",
  "+31611110003",
]);
const emailLinks = await ensureLinks(pool, { accountId: A, channel: "email", campaignId: "spring" }, [
  "x@example.com",
]);
const click = (identifier: string, occurredAt: string, token: string, channel: "sms" | "email" = "sms") =>
  event({
    identifier,
    occurredAt,
    channel,
    source: "link_click",
    evidence: { token, campaignId: "spring" },
  });
// One at a time, as they would arrive: in one batch the latest event of an identifier would be
// the only one to change its state.
for (const e of [
  click("+31611110001", "2026-03-01T10:00:00Z", links.get("+31611110001")!),
  click("+31611110001", "2026-03-01T11:00:00Z", links.get("+31611110001")!),
  click("+31611110002", "2026-03-02T09:00:00Z", links.get("+31611110002")!),
  click("x@example.com", "2026-03-02T09:30:00Z", emailLinks.get("x@example.com")!, "email"),
  event({ identifier: "+31611110009", occurredAt: "2026-03-01T23:59:59Z" }),
  event({ identifier: "+31611110010", occurredAt: "2026-03-02T00:00:00Z", source: "api" }),
  // Not counted: an opt-in, another account, outside the range.
  event({ identifier: "+31611110009", occurredAt: "2026-03-02T12:00:00Z", action: "opt_in" }),
  event({ identifier: "+31611110011", occurredAt: "2026-03-02T12:00:00Z", accountId: "stats-b" }),
  event({ identifier: "+31611110012", occurredAt: "2026-03-05T00:00:00Z" }),
])
  await recordEvents(pool, [e]);

const RANGE = "from=2026-03-01T00:00:00Z&to=2026-03-03T00:00:00Z";

t.test("per day and source, per campaign, per channel; people and requests", async (t) => {
  const res = await sys.request("GET", `/v1/accounts/${A}/stats/optouts?${RANGE}&groupBy=day,source`);
  t.equal(res.status, 200, res.text);
  t.same(res.body.items, [
    { day: "2026-03-01", source: "link_click", optOuts: 1, requests: 2 },
    { day: "2026-03-01", source: "sms_keyword", optOuts: 1, requests: 1 },
    { day: "2026-03-02", source: "api", optOuts: 1, requests: 1 },
    { day: "2026-03-02", source: "link_click", optOuts: 2, requests: 2 },
  ]);
  t.same(res.body.total, { optOuts: 5, requests: 6 });
  t.same(res.body.groupBy, ["day", "source"]);

  const byCampaign = await sys.request(
    "GET",
    `/v1/accounts/${A}/stats/optouts?${RANGE}&groupBy=campaign,channel`,
  );
  t.same(byCampaign.body.items, [
    { channel: "email", campaign: "spring", optOuts: 1, requests: 1 },
    { channel: "sms", campaign: "spring", optOuts: 2, requests: 3 },
    { channel: "sms", campaign: null, optOuts: 2, requests: 2 },
  ]);

  const smsOnly = await sys.request(
    "GET",
    `/v1/accounts/${A}/stats/optouts?${RANGE}&groupBy=channel&channel=sms`,
  );
  t.same(smsOnly.body.items, [{ channel: "sms", optOuts: 4, requests: 5 }]);

  const token = await sys.token(A, ["email"], ["read"]);
  const typed = await sys.request("GET", `/v1/accounts/${A}/stats/optouts?${RANGE}&groupBy=channel`, {
    token,
  });
  t.same(typed.body.items, [{ channel: "email", optOuts: 1, requests: 1 }], "a token sees its types only");
});

t.test("a campaign's opt-out rate", async (t) => {
  const res = await sys.request("GET", `/v1/accounts/${A}/stats/campaigns/spring`);
  t.equal(res.status, 200, res.text);
  t.match(res.body, {
    campaign: "spring",
    linksIssued: 4,
    optOuts: 3,
    rate: 0.75,
    lastOptOutAt: "2026-03-02T09:30:00.000Z",
  });
  t.same(res.body.channels, [
    { channel: "sms", linksIssued: 3, optOuts: 2, rate: 2 / 3 },
    { channel: "email", linksIssued: 1, optOuts: 1, rate: 1 },
  ]);
  const none = await sys.request("GET", `/v1/accounts/${A}/stats/campaigns/nothing`);
  t.match(none.body, { linksIssued: 0, optOuts: 0, rate: null, channels: [] });
});

t.test("bad requests", async (t) => {
  for (const query of [
    "groupBy=week",
    "from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z",
    "from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
    "from=yesterday",
  ]) {
    const res = await sys.request("GET", `/v1/accounts/${A}/stats/optouts?${query}`);
    t.equal(res.status, 400, query);
    t.equal(res.body.error.code, "INVALID_PAYLOAD");
  }
  t.equal((await sys.request("GET", "/v1/accounts/nobody/stats/optouts")).status, 404);
});

t.test("the stats query reads the account's range from its index", async (t) => {
  const { rows } = await pool.query<{ "QUERY PLAN": string }>(
    `EXPLAIN SELECT count(*) FROM optout_events
      WHERE account_id = $1 AND action = 'opt_out' AND occurred_at >= $2 AND occurred_at < $3`,
    [A, "2026-03-01T00:00:00Z", "2026-03-03T00:00:00Z"],
  );
  const plan = rows.map((r) => r["QUERY PLAN"]).join("\n");
  t.match(plan, /optout_events_account_optouts_idx/, plan);
});
