/**
 * A change of an account's list scope never makes an opted-out recipient reachable: the old
 * list's opt-outs are carried to the new list as `scope_change` events, in the change's
 * transaction, and a recorder with a stale scope cannot slip an opt-out past it.
 */
import t from "tap";
import { setTimeout as sleep } from "node:timers/promises";
import { randomSuffix, dropSchema, TEST_DATABASE_URL } from "@optout/testkit";
import { EVENT_SOURCES } from "@optout/schemas";
import {
  createPool,
  ensureDatabase,
  getHistory,
  getState,
  migrate,
  recordEvents,
  updateAccount,
  upsertAccount,
  upsertOrganization,
  type NewEvent,
} from "@optout/store";

const schema = `t_${randomSuffix()}`;
await ensureDatabase(TEST_DATABASE_URL);
const pool = createPool({ url: TEST_DATABASE_URL, schema, max: 4 });
await migrate(pool, { schema });
t.teardown(async () => {
  await pool.end();
  await dropSchema(TEST_DATABASE_URL, schema);
});
await upsertOrganization(pool, { id: "acme" });
await upsertOrganization(pool, { id: "other" });

let n = 0;
const event = (over: Partial<NewEvent>): NewEvent => ({
  scope: "org:acme",
  channel: "sms",
  identifier: "+31600000000",
  action: "opt_out",
  source: "sms_keyword",
  sourceId: `m-${n++}`,
  accountId: "ghost",
  occurredAt: new Date(Date.now() - 3_600_000).toISOString(),
  reason: "keyword:STOP",
  ...over,
});
const status = async (scope: string, identifier: string) =>
  (await getState(pool, scope, "sms", identifier))?.status ?? "none";

t.test("the database allows exactly the sources of EVENT_SOURCES", async (t) => {
  const { rows } = await pool.query<{ def: string }>(
    "SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'optout_events_source_check' AND conrelid = 'optout_events'::regclass",
  );
  const allowed = [...rows[0]!.def.matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1]);
  t.same(allowed.sort(), [...EVENT_SOURCES].sort());
});

for (const pageSize of [5_000, 1]) {
  t.test(
    `organization -> own list -> organization carries every opt-out (page size ${pageSize})`,
    async (t) => {
      const id = `acct-${pageSize}`;
      const own = `account:${id}`;
      const org = `org-${pageSize}`;
      const orgList = `org:${org}`;
      await upsertOrganization(pool, { id: org });
      const [x, y, v, u] = ["+31611111101", "+31611111102", "+31611111103", "+31611111104"].map((p) =>
        p.replace("111111", String(pageSize).padStart(6, "0")),
      );
      await upsertAccount(pool, { id, organizationId: org, listScope: "organization" });
      // On the organization list: x and v opted out, y opted out then back in.
      await recordEvents(pool, [
        event({ scope: orgList, identifier: x! }),
        event({ scope: orgList, identifier: v! }),
        event({ scope: orgList, identifier: y! }),
        event({
          scope: orgList,
          identifier: y!,
          action: "opt_in",
          occurredAt: new Date(Date.now() - 1_800_000).toISOString(),
        }),
      ]);
      // On the account's own list (from an earlier time it had one): u opted out, v opted in
      // an hour from now (within the clock skew the boundary allows).
      await recordEvents(pool, [
        event({ scope: own, identifier: u! }),
        event({
          scope: own,
          identifier: v!,
          action: "opt_in",
          occurredAt: new Date(Date.now() + 3_600_000).toISOString(),
        }),
      ]);

      const filterWrites: [string, string, string[]][] = [];
      const toOwn = await updateAccount(pool, id, (current) => ({ ...current!, listScope: "account" }), {
        pageSize,
        onCarried: async (scope, channel, identifiers) =>
          void filterWrites.push([scope, channel, [...identifiers]]),
      });
      t.same(toOwn.scopeChange, { fromScope: orgList, toScope: own, carried: 2 });
      t.same(
        filterWrites.flatMap(([scope, channel, ids]) => ids.map((i) => `${scope}/${channel}/${i}`)).sort(),
        [`${own}/sms/${x}`, `${own}/sms/${v}`].sort(),
        "the carried identifiers' filter bits",
      );
      t.same(
        await Promise.all([x, y, v, u].map((i) => status(own, i!))),
        ["opted_out", "none", "opted_out", "opted_out"],
        "x carried; y (opted in) not; v carried over its later opt-in; u stays",
      );
      const [carried] = await getHistory(pool, own, "sms", x!);
      t.match(carried, {
        action: "opt_out",
        source: "scope_change",
        reason: "keyword:STOP",
        accountId: id,
        evidence: { fromScope: orgList, originalSource: "sms_keyword" },
      });
      t.equal((await getHistory(pool, own, "sms", u!)).length, 1, "already opted out there: no second event");
      t.equal(await status(orgList, x!), "opted_out", "the old list is left as it is");

      const back = await updateAccount(pool, id, (current) => ({ ...current!, listScope: "organization" }), {
        pageSize,
      });
      t.same(
        back.scopeChange,
        { fromScope: own, toScope: orgList, carried: 1 },
        "only u was not opted out on the organization list",
      );
      t.equal(await status(orgList, u!), "opted_out");

      const unchanged = await updateAccount(pool, id, (current) => ({
        ...current!,
        settings: { name: "ACME" },
      }));
      t.equal(unchanged.scopeChange, null, "a settings change moves nothing");
      const moved = await updateAccount(pool, id, (current) => ({ ...current!, organizationId: "other" }), {
        pageSize,
      });
      t.same(
        moved.scopeChange,
        { fromScope: orgList, toScope: "org:other", carried: 3 },
        "another organization is another list: x, v and u",
      );
    },
  );
}

t.test("a refused change writes nothing", async (t) => {
  await upsertAccount(pool, { id: "refused", organizationId: "acme" });
  await recordEvents(pool, [event({ identifier: "+31633333301" })]);
  await t.rejects(
    updateAccount(pool, "refused", () => {
      throw new Error("no");
    }),
    /no/,
  );
  await t.rejects(
    updateAccount(pool, "refused", (c) => ({ ...c!, listScope: "account" }), {
      onCarried: async () => Promise.reject(new Error("redis down")),
    }),
    /redis down/,
  );
  const { rows } = await pool.query("SELECT list_scope FROM accounts WHERE id = 'refused'");
  t.equal(rows[0]?.list_scope, "organization", "a failed filter write rolls the change back");
});

t.test(
  "a recorder with a stale scope: its opt-out is carried or lands on the new list, never lost",
  async (t) => {
    await upsertAccount(pool, { id: "racer", organizationId: "acme" });
    const early = "+31622222201";
    const late = "+31622222202";
    // A worker mid-transaction with the old scope: the change waits for it, then carries it.
    let change: Promise<unknown> | undefined;
    let changeDone = false;
    await recordEvents(pool, [event({ accountId: "racer", identifier: early })], {
      beforeCommit: async () => {
        change = updateAccount(pool, "racer", (c) => ({ ...c!, listScope: "account" })).then(
          () => (changeDone = true),
        );
        await sleep(300);
        t.notOk(changeDone, "the change waits for the recorder's commit");
      },
    });
    await change;
    t.equal(await status("account:racer", early), "opted_out", "committed first, then carried");
    // A worker whose cache still says org:acme after the change: recorded on the new list.
    const [r] = await recordEvents(pool, [
      event({ accountId: "racer", identifier: late, scope: "org:acme" }),
    ]);
    t.equal(r!.scope, "account:racer");
    t.equal(await status("account:racer", late), "opted_out");
    t.equal(await status("org:acme", late), "none");
  },
);
