/**
 * The audit trail and the webhook delivery log (issue 12, item 5) with the real services: a
 * PATCH of settings and a token creation are in GET .../audit with their actor and without any
 * secret; a token's own change names the token; the filters and pages work; a webhook delivery
 * that fails shows its attempts and last error, and a redelivery delivers it.
 */
import t from "tap";
import { waitFor } from "@optout/testkit";
import { ADMIN_TOKEN, startSystem } from "../helpers/system.js";
import { startWebhookReceiver } from "../helpers/webhook-receiver.js";

const SECRET = "whsec_audit_first_0123456789";
const NEW_SECRET = "whsec_audit_second_0123456789";
const system = await startSystem({
  name: "audit",
  webhook: { maxAttempts: 3, retryBaseMs: 50, retryMaxMs: 200 },
});
const receiver = await startWebhookReceiver();
t.teardown(async () => {
  await system.stop();
  await receiver.close();
});
const A = "audited";
await system.account(A, "acme", "organization", { webhook: { url: `${receiver.url}/hook`, secret: SECRET } });

async function call(
  method: string,
  path: string,
  body?: unknown,
  token = ADMIN_TOKEN,
  type?: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON replies
): Promise<{ status: number; text: string; body: any }> {
  const res = await fetch(`${system.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": type ?? "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : undefined };
}

const started = new Date().toISOString();
const patched = await call(
  "PATCH",
  `/v1/accounts/${A}`,
  { defaultCountry: "BE", webhook: { secret: NEW_SECRET } },
  ADMIN_TOKEN,
  "application/merge-patch+json",
);
if (patched.status !== 200) throw new Error(`PATCH failed: ${patched.status} ${patched.text}`);
const created = await call("POST", `/v1/accounts/${A}/tokens`, {
  types: ["sms"],
  permissions: ["read", "write"],
  name: "crm",
});
if (created.status !== 201) throw new Error(`token failed: ${created.status} ${created.text}`);
const writer: { id: string; token: string } = created.body;
const auditor: string = (
  await call("POST", `/v1/accounts/${A}/tokens`, { types: ["sms", "email"], permissions: ["audit:read"] })
).body.token;
const recorded = await call(
  "POST",
  `/v1/accounts/${A}/optouts`,
  { channel: "sms", identifier: "+32470000001", action: "opt_out" },
  writer.token,
);
if (recorded.status !== 201) throw new Error(`opt-out failed: ${recorded.status} ${recorded.text}`);

t.test("a PATCH of settings and a token creation, with their actor and no secret", async (t) => {
  const res = await call("GET", `/v1/accounts/${A}/audit`, undefined, auditor);
  t.equal(res.status, 200);
  const actions = res.body.items.map((e: { action: string }) => e.action);
  t.same(actions, ["account.update", "token.create", "token.create", "optout.record"]);
  const [update, tokenCreate, , optout] = res.body.items;
  t.match(update, { actor: { kind: "admin" }, target: null, details: { method: "PATCH" } });
  t.same(update.details.changed, ["defaultCountry", "webhook.secret"], "the settings changed, by name");
  t.match(tokenCreate, {
    actor: { kind: "admin" },
    target: writer.id,
    details: { name: "crm", types: ["sms"], permissions: ["read", "write"] },
  });
  t.match(optout, {
    actor: { kind: "token", tokenId: writer.id },
    target: "sms:+32470000001",
    details: { action: "opt_out", eventId: recorded.body.eventId },
  });
  t.ok(Date.parse(update.occurredAt) >= Date.parse(started) - 1000, "dated");
  for (const secret of [SECRET, NEW_SECRET, writer.token, auditor, ADMIN_TOKEN])
    t.notOk(res.text.includes(secret), "no secret or token value in the trail");
  t.notOk(res.text.includes(writer.token.split("_")[2]!), "not even the token's secret part");
});

t.test("filters: actor, action, time; pages with a cursor", async (t) => {
  const byToken = await call("GET", `/v1/accounts/${A}/audit?actor=${writer.id}`, undefined, auditor);
  t.same(
    byToken.body.items.map((e: { action: string }) => e.action),
    ["optout.record"],
  );
  const byAdmin = await call(
    "GET",
    `/v1/accounts/${A}/audit?actor=admin&action=token.create`,
    undefined,
    auditor,
  );
  t.equal(byAdmin.body.items.length, 2);
  const future = await call("GET", `/v1/accounts/${A}/audit?from=2999-01-01T00:00:00Z`, undefined, auditor);
  t.same(future.body.items, []);
  const past = await call(
    "GET",
    `/v1/accounts/${A}/audit?to=${encodeURIComponent(started)}`,
    undefined,
    auditor,
  );
  t.same(past.body.items, [], "nothing before the first change");

  const seen: string[] = [];
  let after = "";
  for (let i = 0; i < 10; i++) {
    const page = await call("GET", `/v1/accounts/${A}/audit?limit=1${after}`, undefined, auditor);
    seen.push(...page.body.items.map((e: { action: string }) => e.action));
    after = `&after=${page.body.next}`;
    if (!page.body.hasMore) break;
  }
  t.same(seen, ["account.update", "token.create", "token.create", "optout.record"]);

  const revoked = await call("DELETE", `/v1/accounts/${A}/tokens/${writer.id}`);
  t.equal(revoked.status, 204);
  const later = await call("GET", `/v1/accounts/${A}/audit?${after.slice(1)}`, undefined, auditor);
  t.match(
    later.body.items,
    [{ action: "token.revoke", target: writer.id, actor: { kind: "admin" } }],
    "what is new since",
  );
});

t.test("another account's trail, and a token without audit:read, are refused", async (t) => {
  t.equal((await call("GET", `/v1/accounts/other/audit`, undefined, auditor)).status, 403);
  const reader = (await call("POST", `/v1/accounts/${A}/tokens`, { types: ["sms"], permissions: ["read"] }))
    .body.token;
  const res = await call("GET", `/v1/accounts/${A}/audit`, undefined, reader);
  t.equal(res.status, 403);
  t.equal(res.body.error.code, "FORBIDDEN");
});

t.test("a failed webhook delivery shows its attempts and last error; redeliver delivers it", async (t) => {
  const number = "+32470000002";
  receiver.respond = (event) => (event.identifier === number ? 503 : 200);
  const stop = await call("POST", `/v1/accounts/${A}/optouts`, {
    channel: "sms",
    identifier: number,
    action: "opt_out",
  });
  const eventId: string = stop.body.eventId;
  const dead = await waitFor("the job dead-lettered", async () => {
    const page = await call(
      "GET",
      `/v1/accounts/${A}/webhooks/deliveries?channel=sms&identifier=${encodeURIComponent(number)}`,
      undefined,
      auditor,
    );
    const job = page.body.items[0];
    return job?.status === "dead" ? job : undefined;
  });
  t.match(dead, {
    id: eventId,
    channel: "sms",
    identifier: number,
    action: "opt_out",
    status: "dead",
    attempts: 3,
    lastStatus: 503,
    lastError: /failed 3 times .*receiver answered 503/,
    redeliveries: 0,
  });
  t.equal(
    receiver.requests.filter((r) => r.event.eventId === eventId).length,
    3,
    "three attempts reached the receiver",
  );

  const failed = await call("GET", `/v1/accounts/${A}/webhooks/deliveries?status=dead`, undefined, auditor);
  t.same(
    failed.body.items.map((j: { id: string }) => j.id),
    [eventId],
    "the status filter",
  );

  // The receiver is fixed; the operator redelivers.
  receiver.respond = () => 200;
  const redelivered = await call("POST", `/v1/accounts/${A}/webhooks/deliveries/${eventId}/redeliver`);
  t.equal(redelivered.status, 202, redelivered.text);
  t.match(redelivered.body, { id: eventId, redeliveries: 1 });
  const delivered = await waitFor("the redelivery", async () => {
    const page = await call(
      "GET",
      `/v1/accounts/${A}/webhooks/deliveries?identifier=${encodeURIComponent(number)}`,
      undefined,
      auditor,
    );
    const job = page.body.items[0];
    return job?.status === "delivered" ? job : undefined;
  });
  t.match(delivered, { status: "delivered", attempts: 1, lastStatus: 200, redeliveries: 1 });
  t.ok(
    receiver.accepted().some((r) => r.event.eventId === eventId && r.headers["optout-event-id"] === eventId),
    "the receiver got the event",
  );

  const again = await call("POST", `/v1/accounts/${A}/webhooks/deliveries/${eventId}/redeliver`);
  t.equal(again.status, 202, "a delivered job may be sent again");
  await waitFor("the second redelivery", async () => {
    const page = await call(
      "GET",
      `/v1/accounts/${A}/webhooks/deliveries?identifier=${encodeURIComponent(number)}`,
      undefined,
      auditor,
    );
    return page.body.items[0]?.status === "delivered" && page.body.items[0]?.redeliveries === 2;
  });

  const trail = await call("GET", `/v1/accounts/${A}/audit?action=webhook.redeliver`, undefined, auditor);
  t.match(trail.body.items, [
    { actor: { kind: "admin" }, target: eventId, details: { previousStatus: "dead", redelivery: 1 } },
    { target: eventId, details: { previousStatus: "delivered", redelivery: 2 } },
  ]);

  const unknown = await call(
    "POST",
    `/v1/accounts/${A}/webhooks/deliveries/00000000-0000-4000-8000-000000000000/redeliver`,
  );
  t.equal(unknown.status, 404);
});

t.test("a pending job is not redelivered", async (t) => {
  const number = "+32470000003";
  // Held: the receiver keeps failing, with a long Retry-After, so the job stays pending.
  receiver.respond = (event) =>
    event.identifier === number ? { status: 503, headers: { "retry-after": "600" } } : 200;
  const stop = await call("POST", `/v1/accounts/${A}/optouts`, {
    channel: "sms",
    identifier: number,
    action: "opt_out",
  });
  await waitFor("a first attempt", async () =>
    receiver.requests.some((r) => r.event.eventId === stop.body.eventId),
  );
  await waitFor("the attempt recorded", async () => {
    const page = await call(
      "GET",
      `/v1/accounts/${A}/webhooks/deliveries?identifier=${encodeURIComponent(number)}`,
      undefined,
      auditor,
    );
    return page.body.items[0]?.attempts === 1 && page.body.items[0]?.lastStatus === 503;
  });
  const res = await call("POST", `/v1/accounts/${A}/webhooks/deliveries/${stop.body.eventId}/redeliver`);
  t.equal(res.status, 409);
  t.equal(res.body.error.code, "DELIVERY_PENDING");
});

t.test("a list scope change and an import are audited with their counts", async (t) => {
  await system.account("mover", "org-mover");
  const imported = await fetch(`${system.apiUrl}/v1/accounts/mover/optouts/import`, {
    method: "POST",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "text/csv" },
    body: "channel,identifier,date,reason\nsms,+32470000010,2026-01-02T00:00:00Z,old list\nsms,not-a-number,,\n",
  });
  t.equal(imported.status, 200);
  const moved = await call(
    "PATCH",
    "/v1/accounts/mover",
    { listScope: "account" },
    ADMIN_TOKEN,
    "application/merge-patch+json",
  );
  t.equal(moved.status, 200);
  const trail = await call("GET", "/v1/accounts/mover/audit", undefined, ADMIN_TOKEN);
  t.match(trail.body.items, [
    { action: "optout.import", actor: { kind: "admin" }, details: { imported: 1, failed: 1 } },
    { action: "account.update", details: { changed: ["listScope"] } },
    {
      action: "account.scope_change",
      details: { fromScope: "org:org-mover", toScope: "account:mover", carried: 1 },
    },
  ]);
  t.equal(trail.body.items.length, 3);
  t.equal((await call("GET", "/v1/accounts/nobody/audit")).status, 404, "an unknown account");
  t.equal((await call("GET", "/v1/accounts/nobody/webhooks/deliveries")).status, 404);
});
