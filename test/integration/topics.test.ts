/**
 * Topics (per-list preferences) through the real services: the account's topics setting, a
 * one-click unsubscribe for a topic's List-Id, the edge's preference page, STOP winning over
 * every topic, the check and the filtered group list with a topic, and the change feed.
 */
import t from "tap";
import { randomUUID } from "node:crypto";
import type { ChangeEvent } from "@optout/schemas";
import { getHistory } from "@optout/store";
import { waitForAck } from "@optout/testkit";
import { startSystem } from "../helpers/system.js";

const system = await startSystem({ name: "topics" });
t.teardown(() => system.stop());
const { infra } = system.env;
const { names } = infra;

const TOPICS = [
  { id: "news", name: { en: "Newsletter", nl: "Nieuwsbrief" } },
  { id: "offers", name: { en: "Special offers", nl: "Aanbiedingen" } },
];
await system.account("shop", "shop-org");
const put = await system.api("PUT", "/v1/accounts/shop", {
  organizationId: "shop-org",
  name: "Shop & Co",
  topics: TOPICS,
});
if (put.status !== 200 && put.status !== 201) throw new Error(`PUT account: ${JSON.stringify(put.body)}`);

let counter = 0;
const nextAddress = () => `topic${++counter}.${randomUUID().slice(0, 8)}@example.com`;
const nextNumber = () => `+316${String(20_000_000 + Math.floor(Math.random() * 9_000_000) + ++counter)}`;

async function reason(channel: "sms" | "email", recipient: string, topic?: string) {
  const { results } = await system.check({
    accountId: "shop",
    channel,
    recipients: [recipient],
    ...(topic === undefined ? {} : { topic }),
  });
  const r = results[0]!;
  return r.topic === undefined ? r.reason : `${r.reason}:${r.topic}`;
}

/** The one-click URL the API gives for this address and List-Id. */
async function unsubscribeUrl(email: string, listId?: string): Promise<string> {
  const res = await system.api("POST", "/v1/accounts/shop/email-unsubscribe-headers", {
    email,
    ...(listId === undefined ? {} : { listId }),
  });
  const https = /<(https?:[^>]+)>/.exec(res.body["List-Unsubscribe"] as string)![1]!;
  // The header names the configured public base; the test's edge listens on its own port.
  return `${system.edgeUrl}${new URL(https).pathname}`;
}

/** Wait until the email-unsubscribe worker acked everything published so far. */
async function emailsProcessed(): Promise<void> {
  const seq = (await infra.jsm.streams.info(names.streams.inboundEmail)).state.last_seq;
  if (seq > 0)
    await waitForAck(infra.jsm, names.streams.inboundEmail, names.consumer("email-unsubscribe"), seq);
}

const post = (url: string, fields: Record<string, string>) =>
  fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "accept-language": "en" },
    body: new URLSearchParams(fields).toString(),
  });

t.test("the settings keep the topics; a duplicate id is refused", async (t) => {
  const got = await system.api("GET", "/v1/accounts/shop");
  t.same(got.body.topics, TOPICS);
  const dup = await system.api("PATCH", "/v1/accounts/shop", { topics: [TOPICS[0], TOPICS[0]] });
  t.equal(dup.status, 400);
  t.match(dup.body.error.message, /"news" is used twice/);
  const bad = await system.api("PATCH", "/v1/accounts/shop", { topics: [{ id: "x y", name: { en: "X" } }] });
  t.equal(bad.status, 400, "a topic id is an id");
});

t.test(
  "a one-click unsubscribe for a topic's List-Id opts out of that topic only, and says so",
  async (t) => {
    const email = nextAddress();
    const feed = infra.nc.subscribe(names.subjects.event("email", "opt_out"), { max: 1 });
    const res = await post(await unsubscribeUrl(email, "news"), { "List-Unsubscribe": "One-Click" });
    t.equal(res.status, 200);
    await emailsProcessed();

    t.equal(await reason("email", email, "news"), "opted_out:news", "suppressed for the topic, named");
    t.equal(await reason("email", email, "offers"), "not_opted_out", "another topic is not");
    t.equal(await reason("email", email), "not_opted_out", "a check without a topic: the channel is not");

    let event: ChangeEvent | undefined;
    for await (const m of feed) event = m.json<ChangeEvent>();
    t.match(event, { identifier: email, action: "opt_out", source: "email_one_click", topic: "news" });
    t.match(await getHistory(infra.pool, "org:shop-org", "email", email), [{ topic: "news" }]);
    const history = await system.api(
      "GET",
      `/v1/accounts/shop/optouts/email/${encodeURIComponent(email)}/history`,
    );
    t.match(history.body.items, [{ action: "opt_out", topic: "news" }], "the API's history carries it");
    const recent = await system.api("GET", "/v1/accounts/shop/events?channel=email&limit=1");
    t.match(recent.body.items, [{ identifier: email, topic: "news" }], "so do the recent events");
  },
);

t.test(
  "an unsubscribe without a topic (another List-Id, or none) is channel-wide and wins over every topic",
  async (t) => {
    const email = nextAddress();
    t.equal(
      (await post(await unsubscribeUrl(email, "<weekly.shop.example>"), { "List-Unsubscribe": "One-Click" }))
        .status,
      200,
    );
    await emailsProcessed();
    t.equal(await reason("email", email), "opted_out");
    t.equal(await reason("email", email, "news"), "opted_out", "channel-wide: no topic named");
    t.equal(await reason("email", email, "offers"), "opted_out");

    // A topic opt-in does not undo the channel-wide opt-out.
    const optIn = await system.api("POST", "/v1/accounts/shop/optouts", {
      channel: "email",
      identifier: email,
      action: "opt_in",
      topic: "news",
    });
    t.equal(optIn.status, 201);
    t.equal(optIn.body.topic, "news");
    t.equal(await reason("email", email, "news"), "opted_out", "still suppressed");
  },
);

t.test("STOP suppresses every topic", async (t) => {
  const number = nextNumber();
  await system.sendSms({ accountId: "shop", from: number, text: "STOP" });
  t.equal(await reason("sms", number, "news"), "opted_out");
  t.equal(await reason("sms", number, "offers"), "opted_out");
  t.equal(await reason("sms", number), "opted_out");
});

t.test("a topic opt-in after a topic opt-out (API) lets that topic through again", async (t) => {
  const email = nextAddress();
  const record = (action: "opt_out" | "opt_in") =>
    system.api("POST", "/v1/accounts/shop/optouts", {
      channel: "email",
      identifier: email,
      action,
      topic: "offers",
    });
  t.equal((await record("opt_out")).status, 201);
  t.equal(await reason("email", email, "offers"), "opted_out:offers");
  t.equal((await record("opt_in")).status, 201);
  t.equal(await reason("email", email, "offers"), "not_opted_out");
  const unknown = await system.api("POST", "/v1/accounts/shop/optouts", {
    channel: "email",
    identifier: email,
    action: "opt_out",
    topic: "nope",
  });
  t.equal(unknown.status, 404);
  t.equal(unknown.body.error.code, "UNKNOWN_TOPIC");
});

t.test("the preference page lists the topics and records the choice", async (t) => {
  const email = nextAddress();
  const url = await unsubscribeUrl(email, "offers");
  const page = await fetch(`${url}?lang=nl`);
  t.equal(page.status, 200);
  t.match(page.headers.get("content-security-policy"), /default-src 'none'/);
  const body = await page.text();
  t.match(body, /Afmelden voor Nieuwsbrief/);
  t.match(body, /Afmelden voor Aanbiedingen/);
  t.match(body, /Afmelden voor alle e-mails/);
  t.ok(body.indexOf("Aanbiedingen") < body.indexOf("Nieuwsbrief"), "the email's own topic comes first");
  t.notMatch(body, /<script/i);
  t.equal(await reason("email", email, "offers"), "not_opted_out", "a GET changes nothing");

  const done = await post(url, { confirm: "yes", topic: "news" });
  t.equal(done.status, 200);
  t.match(await done.text(), /will no longer get <strong class="nowrap">Newsletter<\/strong>/);
  await emailsProcessed();
  t.equal(await reason("email", email, "news"), "opted_out:news", "the chosen topic, not the List-Id's");
  t.equal(await reason("email", email, "offers"), "not_opted_out");
  t.match(await getHistory(infra.pool, "org:shop-org", "email", email), [
    { source: "email_link", topic: "news" },
  ]);

  t.equal(
    (await post(url, { confirm: "yes", topic: "unknown" })).status,
    400,
    "a topic the account does not have",
  );

  const all = await post(url, { confirm: "yes", all: "yes" });
  t.equal(all.status, 200);
  await emailsProcessed();
  t.equal(await reason("email", email), "opted_out", "unsubscribe from all: the whole channel");
  t.equal(await reason("email", email, "offers"), "opted_out");
});

t.test("an account without topics keeps the plain confirm page", async (t) => {
  await system.account("plain", "shop-org");
  const res = await system.api("POST", "/v1/accounts/plain/email-unsubscribe-headers", {
    email: nextAddress(),
    listId: "news",
  });
  const path = new URL(/<(https?:[^>]+)>/.exec(res.body["List-Unsubscribe"] as string)![1]!).pathname;
  const body = await (await fetch(`${system.edgeUrl}${path}`)).text();
  t.match(body, /<input type="hidden" name="confirm" value="yes" \/>/);
  t.notMatch(body, /name="topic"/);
});

t.test("the check refuses a topic the account does not define", async (t) => {
  const { reply } = await system.checkRaw({
    accountId: "shop",
    channel: "email",
    recipients: ["a@example.com"],
    topic: "nwes",
  });
  t.match(reply, { error: { code: "UNKNOWN_TOPIC" } });
});

t.test("the filtered group list leaves out the topic's opt-outs when asked", async (t) => {
  const [a, b] = [nextAddress(), nextAddress()];
  t.equal((await system.api("PUT", "/v1/accounts/shop/groups/g1", { name: "G1" })).status < 300, true);
  for (const [id, email] of [
    ["c-a", a],
    ["c-b", b],
  ] as const) {
    const res = await system.api("PUT", `/v1/accounts/shop/contacts/${id}`, { email, groups: ["g1"] });
    t.ok(res.status < 300, `contact ${id}`);
  }
  await system.api("POST", "/v1/accounts/shop/optouts", {
    channel: "email",
    identifier: a,
    action: "opt_out",
    topic: "news",
  });
  const ids = async (query: string) =>
    (
      (await system.api("GET", `/v1/accounts/shop/groups/g1/contacts?channel=email${query}`)).body.items as {
        id: string;
      }[]
    ).map((i) => i.id);
  t.same(await ids(""), ["c-a", "c-b"], "without a topic: the channel-wide list only");
  t.same(await ids("&topic=news"), ["c-b"], "with it: the topic's opt-out left out");
  t.same(await ids("&topic=offers"), ["c-a", "c-b"]);
  const unknown = await system.api("GET", "/v1/accounts/shop/groups/g1/contacts?channel=email&topic=x");
  t.equal(unknown.body.error.code, "UNKNOWN_TOPIC");
});
