/**
 * GDPR erasure against the real services: the person's data goes (contact, identifier, texts),
 * their suppression stays under the keyed hash (check, list export, filter rebuilt from
 * Postgres), third parties cannot opt them back in, and a START from their own number does.
 */
import t from "tap";
import { erasedIdentifier } from "@optout/domain";
import { streamOptedOut } from "@optout/store";
import { requestJson, waitForAck } from "@optout/testkit";
import type { ErrorReply, TagReply } from "@optout/schemas";
import { ADMIN_TOKEN, ERASURE_HASH_SECRET, startSystem } from "../helpers/system.js";

const system = await startSystem({ name: "erasure" });
t.teardown(() => system.stop());
const { infra } = system.env;
const { names, pool } = infra;
const SCOPE = "org:erasure-org";
await system.account("acme-nl", "erasure-org");
await system.account("acme-be", "erasure-org");

let counter = 0;
const nextNumber = () => `+3162${String(1_000_000 + counter++).padStart(7, "0")}`;

async function tagLink(number: string, campaignId: string): Promise<string> {
  const { reply } = await requestJson<TagReply | ErrorReply>(infra.nc, names.subjects.tag, {
    accountId: "acme-nl",
    recipients: [number],
    campaignId,
  });
  if ("error" in reply || !reply.tags[0]?.token) throw new Error(`tag failed: ${JSON.stringify(reply)}`);
  return reply.tags[0].token;
}

async function click(token: string, reason: string): Promise<void> {
  const res = await fetch(`${system.edgeUrl}/${token}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": "Jane's phone" },
    body: new URLSearchParams({ reason }).toString(),
  });
  if (res.status !== 200) throw new Error(`click: ${res.status}`);
  const seq = (await infra.jsm.streams.info(names.streams.inboundLink)).state.last_seq;
  await waitForAck(infra.jsm, names.streams.inboundLink, names.consumer("link-click"), seq);
}

const suppression = async (number: string) => (await system.check({ recipients: [number] })).results[0]!;

t.test("opt out, erase: still suppressed everywhere, and nothing of the person is left", async (t) => {
  const number = nextNumber();
  const hash = erasedIdentifier(ERASURE_HASH_SECRET, number);
  t.equal((await system.api("PUT", "/v1/accounts/acme-nl/groups/vip", { name: "VIP" })).status, 201);
  t.equal(
    (
      await system.api("PUT", "/v1/accounts/acme-be/contacts/jane", {
        phone: number,
        fields: { name: "Jane Doe" },
      })
    ).status,
    201,
  );
  await system.api("PUT", "/v1/accounts/acme-nl/contacts/jane-nl", { phone: number, groups: ["vip"] });
  await system.sendSms({ from: number, text: "STOP sending to Jane Doe" });
  await click(await tagLink(number, "c-erase"), "Jane moved away");
  t.match(await suppression(number), { suppressed: true, reason: "opted_out" });

  const res = await system.api("POST", "/v1/accounts/acme-nl/erasures", {
    channel: "sms",
    identifier: number,
  });
  t.equal(res.status, 200, JSON.stringify(res.body));
  t.match(res.body, {
    id: /^[0-9a-f-]{36}$/,
    channel: "sms",
    identifierHash: hash,
    eventsErased: 2,
    contactsDeleted: 2,
    linksErased: 1,
    wasOptedOut: true,
  });

  t.match(await suppression(number), { suppressed: true, reason: "opted_out" }, "the check: opted out");
  // A filter rebuilt from Postgres knows only the hash: the check must still find the person.
  await infra.filter.rebuild(SCOPE, "sms", () => streamOptedOut(pool, SCOPE, "sms"));
  t.match(await suppression(number), { suppressed: true, reason: "opted_out" }, "after a filter rebuild");
  await infra.filter.invalidate(SCOPE, "sms");
  t.match(await suppression(number), { suppressed: true }, "from Postgres, the filter not ready");

  const list = await system.api("GET", "/v1/accounts/acme-nl/optouts?channel=sms&limit=5000");
  const identifiers = (list.body.items as { identifier: string }[]).map((i) => i.identifier);
  t.ok(identifiers.includes(hash), "the export shows the hash");
  t.notOk(identifiers.includes(number), "and never the identifier");
  const ndjson = await fetch(`${system.apiUrl}/v1/accounts/acme-nl/optouts?channel=sms`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, accept: "application/x-ndjson" },
  });
  const text = await ndjson.text();
  t.ok(text.includes(hash) && !text.includes(number), "NDJSON export: the hash, not the number");

  t.equal((await system.api("GET", "/v1/accounts/acme-be/contacts/jane")).status, 404, "contact gone");
  t.equal((await system.api("GET", "/v1/accounts/acme-nl/contacts/jane-nl")).status, 404);
  const group = await system.api("GET", "/v1/accounts/acme-nl/groups/vip/contacts");
  t.same(group.body.items, [], "not in the group any more");

  const state = await system.api("GET", `/v1/accounts/acme-nl/optouts/sms/${encodeURIComponent(number)}`);
  t.match(
    state.body,
    { identifier: number, status: "opted_out", erased: true },
    "the state says so, for whoever holds the number",
  );
  t.notOk("reason" in state.body || "source" in state.body, "without the person's source or reason");
  const history = await system.api(
    "GET",
    `/v1/accounts/acme-nl/optouts/sms/${encodeURIComponent(number)}/history`,
  );
  t.same(history.body.items, [], "no history under the identifier");
  const { rows: events } = await pool.query<{ identifier: string; reason: string | null; evidence: object }>(
    "SELECT identifier, reason, evidence FROM optout_events WHERE scope = $1 AND identifier IN ($2, $3)",
    [SCOPE, number, hash],
  );
  t.equal(events.length, 2, "the events are kept (statistics)");
  for (const e of events) {
    t.equal(e.identifier, hash);
    t.equal(e.reason, null, "no reason text");
    t.notOk(JSON.stringify(e.evidence).includes("Jane"), "no message text or user agent");
  }
  const { rows: leftovers } = await pool.query<{ n: string }>(
    `SELECT (SELECT count(*) FROM optout_events WHERE identifier = $1)
          + (SELECT count(*) FROM optout_state WHERE identifier = $1)
          + (SELECT count(*) FROM links WHERE identifier = $1)
          + (SELECT count(*) FROM contacts WHERE phone = $1)
          + (SELECT count(*) FROM webhook_jobs WHERE identifier = $1)
          + (SELECT count(*) FROM sms_confirmations WHERE identifier = $1)
          + (SELECT count(*) FROM erasures e WHERE row_to_json(e)::text LIKE '%' || $1 || '%')
          + (SELECT count(*) FROM audit_log a WHERE row_to_json(a)::text LIKE '%' || $1 || '%') AS n`,
    [number],
  );
  t.equal(Number(leftovers[0]!.n), 0, "the number is nowhere in the database");
  const { rows: audit } = await pool.query("SELECT * FROM erasures WHERE id = $1", [res.body.id]);
  t.match(audit[0], {
    account_id: "acme-nl",
    identifier_hash: hash,
    requested_by: "admin",
    events_erased: 2,
  });
  const trail = await system.api("GET", "/v1/accounts/acme-nl/audit?action=erasure.request");
  t.match(
    trail.body.items,
    [
      {
        actor: { kind: "admin" },
        action: "erasure.request",
        target: hash,
        details: { erasureId: res.body.id },
      },
    ],
    "the audit trail has the erasure, by its hash",
  );

  const optIn = await system.api("POST", "/v1/accounts/acme-nl/optouts", {
    channel: "sms",
    identifier: number,
    action: "opt_in",
  });
  t.equal(optIn.status, 409, "a third party cannot opt an erased person in");
  t.equal(optIn.body.error.code, "ERASED_IDENTIFIER");

  // The number comes back into the address book (an import, a PUT): still left out of campaigns.
  await system.api("PUT", "/v1/accounts/acme-nl/contacts/jane-again", { phone: number, groups: ["vip"] });
  await system.api("PUT", "/v1/accounts/acme-nl/contacts/someone", { phone: nextNumber(), groups: ["vip"] });
  const members = async () => {
    const page = await system.api("GET", "/v1/accounts/acme-nl/groups/vip/contacts?channel=sms&limit=1");
    const rest = await system.api(
      "GET",
      `/v1/accounts/acme-nl/groups/vip/contacts?channel=sms&after=${page.body.next}`,
    );
    const stream = await fetch(`${system.apiUrl}/v1/accounts/acme-nl/groups/vip/contacts?channel=sms`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, accept: "application/x-ndjson" },
    });
    const lines = (await stream.text()).trim().split("\n").filter(Boolean);
    return {
      paged: [...page.body.items, ...rest.body.items].map((i: { id: string }) => i.id),
      streamed: lines.map((l) => (JSON.parse(l) as { id: string }).id),
    };
  };
  t.same(
    await members(),
    { paged: ["someone"], streamed: ["someone"] },
    "an erased number re-added is left out",
  );
  t.same(
    (await system.api("GET", "/v1/accounts/acme-nl/groups/vip/contacts?channel=sms&excludeOptedOut=false"))
      .body.items.length,
    2,
    "unfiltered, the group has both",
  );

  await system.sendSms({ from: number, text: "START" });
  t.same(
    await members(),
    { paged: ["jane-again", "someone"], streamed: ["jane-again", "someone"] },
    "opted back in by START: reachable again",
  );
  t.match(await suppression(number), { suppressed: false, reason: "not_opted_out" }, "START from the number");
  const back = await system.api("GET", `/v1/accounts/acme-nl/optouts/sms/${encodeURIComponent(number)}`);
  t.match(back.body, { status: "opted_in", source: "sms_keyword" });
  t.notOk("erased" in back.body, "the person's own START decides now");
  await system.sendSms({ from: number, text: "STOP" });
  t.match(await suppression(number), { suppressed: true, reason: "opted_out" }, "and STOP again");
});

t.test("erasing someone who never opted out suppresses them; repeating it is safe", async (t) => {
  const number = nextNumber();
  t.match(await suppression(number), { suppressed: false });
  for (const attempt of [1, 2]) {
    const res = await system.api("POST", "/v1/accounts/acme-be/erasures", {
      channel: "sms",
      identifier: number,
    });
    t.equal(res.status, 200, `attempt ${attempt}`);
    t.match(res.body, { eventsErased: 0, wasOptedOut: false });
    t.match(
      await suppression(number),
      { suppressed: true, reason: "opted_out" },
      `suppressed after ${attempt}`,
    );
  }
});

t.test("who may erase: erasure:write, not write", async (t) => {
  const number = nextNumber();
  const token = async (permissions: string[]) =>
    (await system.api("POST", "/v1/accounts/acme-nl/tokens", { types: ["sms"], permissions })).body
      .token as string;
  const writer = await token(["read", "write"]);
  const eraser = await token(["erasure:write"]);
  const body = { channel: "sms", identifier: number };
  const denied = await system.api("POST", "/v1/accounts/acme-nl/erasures", body, writer);
  t.equal(denied.status, 403);
  t.match(denied.body.error.message, /erasure:write/);
  const done = await system.api("POST", "/v1/accounts/acme-nl/erasures", body, eraser);
  t.equal(done.status, 200);
  const { rows } = await pool.query("SELECT requested_by FROM erasures WHERE id = $1", [done.body.id]);
  t.match(rows[0], { requested_by: /^token:/ });
  const bad = await system.api("POST", "/v1/accounts/acme-nl/erasures", {
    channel: "sms",
    identifier: "nope",
  });
  t.equal(bad.status, 400);
});
