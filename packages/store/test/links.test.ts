import t from "tap";
import { ensureLinks, getLink, getLinks, upsertAccount, upsertOrganization } from "@optout/store";
import { migratedSchema } from "./helpers/migrated-schema.js";

const { pool } = await migratedSchema(4);
await upsertOrganization(pool, { id: "org" });
await upsertAccount(pool, { id: "acme", organizationId: "org" });

const target = { accountId: "acme", channel: "sms", campaignId: "c1" };

t.test("links are created once per target and reused", async (t) => {
  const first = await ensureLinks(pool, target, ["+31600000001", "+31600000002", "+31600000001"]);
  t.equal(first.size, 2, "duplicates in a request make one link");
  const again = await ensureLinks(pool, target, ["+31600000002", "+31600000001", "+31600000003"]);
  t.equal(again.get("+31600000001"), first.get("+31600000001"));
  t.equal(again.get("+31600000002"), first.get("+31600000002"));
  t.ok(again.get("+31600000003"));
  const noCampaign = await ensureLinks(pool, { accountId: "acme", channel: "sms" }, ["+31600000001"]);
  t.not(noCampaign.get("+31600000001"), first.get("+31600000001"), "no campaign is a target of its own");
  t.same(
    await ensureLinks(pool, { accountId: "acme", channel: "sms" }, ["+31600000001"]),
    noCampaign,
    "and is reused too",
  );

  const resolved = await getLink(pool, first.get("+31600000001")!);
  t.match(resolved, { accountId: "acme", channel: "sms", identifier: "+31600000001", campaignId: "c1" });
  t.notOk(
    "campaignId" in (await getLink(pool, noCampaign.get("+31600000001")!))!,
    "no campaign: no campaignId",
  );
  t.equal(await getLink(pool, "Unknown1"), null);
  t.equal((await getLinks(pool, [])).size, 0);
});

t.test("a token collision gets a fresh token in the next round", async (t) => {
  const taken = (await ensureLinks(pool, target, ["+31600000010"])).get("+31600000010")!;
  let calls = 0;
  const generate = (n: number) => {
    calls++;
    // First round: every new link draws the token that is already taken.
    return Array.from({ length: n }, (_, i) => (calls === 1 ? taken : `Fresh${String(i).padStart(3, "0")}`));
  };
  const tokens = await ensureLinks(pool, target, ["+31600000011", "+31600000012"], generate);
  t.equal(calls, 2);
  t.same([...tokens.values()].sort(), ["Fresh000", "Fresh001"]);
  t.equal((await getLink(pool, taken))?.identifier, "+31600000010", "the existing link is untouched");
  await t.rejects(
    ensureLinks(pool, target, ["+31600000013"], () => [taken]),
    /could not create 1 links in 5 attempts/,
    "a generator that only collides gives up",
  );
});

t.test("concurrent requests for the same recipients agree on one link each", async (t) => {
  const ids = Array.from({ length: 500 }, (_, i) => `+3161${String(i).padStart(7, "0")}`);
  const [a, b, c] = await Promise.all([
    ensureLinks(pool, target, ids),
    ensureLinks(pool, target, ids),
    ensureLinks(pool, target, [...ids].reverse()),
  ]);
  t.ok(ids.every((id) => a.get(id) === b.get(id) && b.get(id) === c.get(id)));
  const { rows } = await pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM links WHERE identifier = ANY($1)",
    [ids],
  );
  t.equal(rows[0]?.n, 500);
});
