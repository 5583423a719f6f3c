import t from "tap";
import { randomSuffix } from "@optout/testkit";
import {
  findOptedOut,
  findTopicOptedOutForCheck,
  getHistory,
  getState,
  getTopicStates,
  recordEvents,
  upsertAccount,
  upsertOrganization,
  type NewEvent,
} from "@optout/store";
import { migratedSchema } from "./helpers/migrated-schema.js";

const { pool } = await migratedSchema(3);
await upsertOrganization(pool, { id: "shop-org" });
await upsertAccount(pool, {
  id: "shop",
  organizationId: "shop-org",
  listScope: "organization",
  defaultCountry: null,
  settings: {},
});

const SCOPE = "org:shop-org";
const event = (over: Partial<NewEvent>): NewEvent => ({
  scope: SCOPE,
  channel: "email",
  identifier: "a@example.com",
  action: "opt_out",
  source: "email_one_click",
  sourceId: `m-${randomSuffix()}`,
  accountId: "shop",
  occurredAt: "2026-11-26T10:00:00.000Z",
  ...over,
});

t.test("a topic event moves its topic's state only, and is announced as a change of it", async (t) => {
  const identifier = "topic-only@example.com";
  const [first] = await recordEvents(pool, [event({ identifier, topic: "news" })]);
  t.match(first, { topic: "news", stateChanged: true, duplicate: false });
  t.equal(await getState(pool, SCOPE, "email", identifier), null, "the channel-wide state is untouched");
  t.same((await findOptedOut(pool, SCOPE, "email", [identifier])).size, 0);
  t.match(await getTopicStates(pool, SCOPE, "email", identifier), [{ topic: "news", status: "opted_out" }]);
  t.ok((await findTopicOptedOutForCheck(pool, SCOPE, "shop", "email", "news", [identifier])).has(identifier));
  t.equal((await findTopicOptedOutForCheck(pool, SCOPE, "shop", "email", "offers", [identifier])).size, 0);

  const [again] = await recordEvents(pool, [
    event({ identifier, topic: "news", occurredAt: "2026-11-26T11:00:00.000Z" }),
  ]);
  t.equal(again!.stateChanged, false, "a repeated topic opt-out changes nothing");
  t.match(await getHistory(pool, SCOPE, "email", identifier), [{ topic: "news" }, { topic: "news" }]);
});

t.test("channel-wide and topic states are independent in one batch", async (t) => {
  const identifier = "both@example.com";
  const results = await recordEvents(pool, [
    event({ identifier }),
    event({ identifier, topic: "offers", occurredAt: "2026-11-26T10:01:00.000Z" }),
    event({
      identifier,
      topic: "offers",
      action: "opt_in",
      source: "api",
      occurredAt: "2026-11-26T10:02:00.000Z",
    }),
  ]);
  t.same(
    results.map((r) => r.stateChanged),
    [true, false, true],
    "the channel opt-out and the topic's latest event move their own states",
  );
  t.match(
    await getState(pool, SCOPE, "email", identifier),
    { status: "opted_out" },
    "a topic opt-in does not undo it",
  );
  t.match(await getTopicStates(pool, SCOPE, "email", identifier), [{ topic: "offers", status: "opted_in" }]);
  t.equal(
    (await getHistory(pool, SCOPE, "email", identifier))[0]!.topic,
    undefined,
    "channel-wide: no topic",
  );
});

t.test("a list scope change carries the topic opt-outs to the new list", async (t) => {
  const identifier = "moves@example.com";
  await recordEvents(pool, [event({ identifier, topic: "news" })]);
  await upsertAccount(pool, {
    id: "shop",
    organizationId: "shop-org",
    listScope: "account",
    defaultCountry: null,
    settings: {},
  });
  t.match(await getTopicStates(pool, "account:shop", "email", identifier), [
    { topic: "news", status: "opted_out" },
  ]);
  t.match(await getHistory(pool, "account:shop", "email", identifier), [
    { source: "scope_change", topic: "news", evidence: { fromScope: SCOPE } },
  ]);
  t.equal(
    await getState(pool, "account:shop", "email", identifier),
    null,
    "not a channel-wide opt-out there either",
  );
});
