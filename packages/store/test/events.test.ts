import t from "tap";
import { randomSuffix, dropSchema, TEST_DATABASE_URL } from "@optout/testkit";
import {
  createPool,
  ensureDatabase,
  findOptedOut,
  getHistory,
  getState,
  loadMigrations,
  migrate,
  recordEvents,
  streamOptedOut,
  upsertAccount,
  upsertOrganization,
  type NewEvent,
} from "@optout/store";

const schema = `t_${randomSuffix()}`;
await ensureDatabase(TEST_DATABASE_URL);
const pool = createPool({ url: TEST_DATABASE_URL, schema, max: 3 });
t.teardown(async () => {
  await pool.end();
  await dropSchema(TEST_DATABASE_URL, schema);
});

t.test("migrations apply once and are idempotent under concurrency", async (t) => {
  const all = (await loadMigrations()).map((m) => m.version);
  const [a, b] = await Promise.all([migrate(pool, { schema }), migrate(pool, { schema })]);
  t.same(
    [...a!, ...b!].sort((x, y) => x - y),
    all,
    "every migration applied exactly once across two concurrent runs",
  );
  t.same(await migrate(pool, { schema }), [], "nothing left to apply");
});

const base = (over: Partial<NewEvent>): NewEvent => ({
  scope: "org:acme",
  channel: "sms",
  identifier: "+31612345678",
  action: "opt_out",
  source: "sms_keyword",
  sourceId: `m-${randomSuffix()}`,
  accountId: "acme-nl",
  occurredAt: "2026-11-26T10:00:00.000Z",
  reason: "keyword:STOP",
  ...over,
});

t.test("an event is recorded once per source id, and the state follows the latest event", async (t) => {
  await upsertOrganization(pool, { id: "acme" });
  await upsertAccount(pool, { id: "acme-nl", organizationId: "acme" });
  const first = base({ sourceId: "gw-1" });
  const [r1] = await recordEvents(pool, [first]);
  t.equal(r1!.duplicate, false);
  t.equal(r1!.stateChanged, true, "first opt-out changes the state");
  const [r2] = await recordEvents(pool, [first]);
  t.equal(r2!.duplicate, true, "redelivery is a duplicate");
  t.equal(r2!.eventId, r1!.eventId, "redelivery returns the same event id");
  t.equal(r2!.stateChanged, true, "a redelivery reports the decision stored with the event");

  const [again] = await recordEvents(pool, [
    base({ sourceId: "gw-2", occurredAt: "2026-11-26T10:05:00.000Z" }),
  ]);
  t.equal(again!.stateChanged, false, "a repeated STOP does not change the state");

  const [optIn] = await recordEvents(pool, [
    base({
      sourceId: "gw-3",
      action: "opt_in",
      occurredAt: "2026-11-26T11:00:00.000Z",
      reason: "keyword:START",
    }),
  ]);
  t.equal(optIn!.stateChanged, true);
  const state = await getState(pool, "org:acme", "sms", "+31612345678");
  t.equal(state?.status, "opted_in");

  // A late, older opt-out must not override the newer opt-in.
  const [late] = await recordEvents(pool, [
    base({ sourceId: "gw-0", occurredAt: "2026-11-26T09:00:00.000Z" }),
  ]);
  t.equal(late!.stateChanged, false, "an older event does not move the state back");
  t.equal((await getState(pool, "org:acme", "sms", "+31612345678"))?.status, "opted_in");

  const history = await getHistory(pool, "org:acme", "sms", "+31612345678");
  t.same(
    history.map((h) => h.sourceId),
    ["gw-0", "gw-1", "gw-2", "gw-3"],
    "history has every event once, oldest first",
  );
  t.equal(history[3]!.reason, "keyword:START");
});

t.test(
  "a batch with the same source id twice records one event; the latest event per identifier wins",
  async (t) => {
    const e = base({ identifier: "+31600000001", sourceId: "dup" });
    const results = await recordEvents(pool, [
      e,
      e,
      base({ identifier: "+31600000002", sourceId: "b1", occurredAt: "2026-11-26T10:00:00.000Z" }),
      base({
        identifier: "+31600000002",
        sourceId: "b2",
        action: "opt_in",
        occurredAt: "2026-11-26T10:01:00.000Z",
      }),
    ]);
    t.same(
      results.map((r) => r.duplicate),
      [false, true, false, false],
    );
    t.equal(results[0]!.eventId, results[1]!.eventId);
    t.equal((await getHistory(pool, "org:acme", "sms", "+31600000001")).length, 1);
    t.equal((await getState(pool, "org:acme", "sms", "+31600000002"))?.status, "opted_in");
  },
);

t.test("lookups and the filter source see only opted-out identifiers of the scope", async (t) => {
  await recordEvents(pool, [
    // Accounts that do not exist: the events keep the scope they name.
    base({ scope: "account:x", accountId: "x", identifier: "+31600000010", sourceId: "s1" }),
    base({ scope: "account:x", accountId: "x", identifier: "+31600000011", sourceId: "s2" }),
    base({
      scope: "account:x",
      accountId: "x",
      identifier: "+31600000011",
      sourceId: "s3",
      action: "opt_in",
      occurredAt: "2026-11-27T00:00:00.000Z",
    }),
    base({ scope: "account:y", accountId: "y", identifier: "+31600000012", sourceId: "s4" }),
  ]);
  const found = await findOptedOut(pool, "account:x", "sms", [
    "+31600000010",
    "+31600000011",
    "+31600000012",
  ]);
  t.same([...found.keys()], ["+31600000010"]);
  t.equal(found.get("+31600000010"), "2026-11-26T10:00:00.000Z");
  const pages: string[][] = [];
  for await (const page of streamOptedOut(pool, "account:x", "sms", 1)) pages.push(page);
  t.same(pages, [["+31600000010"]]);
});

t.test(
  "the state decides: of concurrent STOPs for one number exactly one changes it, and the decision is stored",
  async (t) => {
    const identifier = "+31600000020";
    const stops = Array.from({ length: 8 }, (_, i) => base({ identifier, sourceId: `race-${i}` }));
    const results = (await Promise.all(stops.map((e) => recordEvents(pool, [e])))).flat();
    t.equal(results.filter((r) => r.stateChanged).length, 1, "one of them changed the state");
    const { rows } = await pool.query<{ source_id: string; state_changed: boolean }>(
      "SELECT source_id, state_changed FROM optout_events WHERE identifier = $1 ORDER BY source_id",
      [identifier],
    );
    t.equal(rows.length, 8, "every STOP is in the history");
    t.same(
      rows.filter((r) => r.state_changed).map((r) => r.source_id),
      results.filter((r) => r.stateChanged).map((r) => r.sourceId),
      "the stored decision is the one reported",
    );
    const again = await recordEvents(pool, stops);
    t.same(
      again.map((r) => r.stateChanged),
      results.map((r) => r.stateChanged),
      "redeliveries report the stored decisions",
    );
  },
);
