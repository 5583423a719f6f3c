/**
 * @optout/client against the real services (the whole system on an isolated namespace):
 * check() of 25,000 recipients in order, a 503 retried and a reply in parts reassembled (a
 * responder on a namespace of its own in front of the real check), permanent failures typed,
 * gateway publishes deduplicated on their id, and the change feed resuming from its file after
 * a close and a new connection, with no gap and at-least-once redelivery of what was not acked.
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import t from "tap";
import { headers as natsHeaders } from "@nats-io/nats-core";
import { errorReply, replyParts, SERVICE_ERROR_CODE_HEADER } from "@optout/bus";
import { DependencyUnavailableError, namesFor } from "@optout/core";
import type { CheckReply, CheckRequest, TagReply } from "@optout/schemas";
import { getHistory } from "@optout/store";
import { startSuppressionCheck } from "@optout/service-suppression-check";
import { requestJson, TEST_NATS_URL, waitFor, waitForAck } from "@optout/testkit";
import {
  ChangeFeedGapError,
  CheckFailedError,
  connectOptoutClient,
  createOptoutClient,
  filePositionStore,
  InvalidPayloadError,
  memoryPositionStore,
  type Change,
  type ChangeFeed,
} from "@optout/client";
import { ERASURE_HASH_SECRET, startSystem } from "../helpers/system.js";

const system = await startSystem({ name: "client" });
t.teardown(() => system.stop());
await system.account("acme-nl", "acme");
const { infra } = system.env;
const { names } = infra;
const client = createOptoutClient({ connection: infra.nc, namespace: names.namespace });
t.teardown(() => client.close());

const encoder = new TextEncoder();

async function optOut(identifier: string, channel = "sms"): Promise<void> {
  const r = await system.api("POST", "/v1/accounts/acme-nl/optouts", {
    channel,
    identifier,
    action: "opt_out",
  });
  if (r.status !== 201) throw new Error(`opt-out: ${r.status} ${JSON.stringify(r.body)}`);
}

t.test("check(): 25,000 recipients in three requests, results in the input order", async (t) => {
  const recipients = Array.from({ length: 25_000 }, (_, i) => `+3162${String(i).padStart(7, "0")}`);
  recipients[3] = "not a number";
  recipients[12_000] = "+1234";
  // Both sides of each request boundary, and the last one.
  const optedOut = [0, 9_999, 10_000, 17_777, 24_999];
  for (const i of optedOut) await optOut(recipients[i]!);

  const progress: number[] = [];
  const results = await client.check(
    { accountId: "acme-nl", channel: "sms", recipients },
    { concurrency: 2, onProgress: (done) => progress.push(done) },
  );
  t.equal(results.length, recipients.length, "one result per recipient");
  t.same(
    results.flatMap((r, i) => (r.recipient === recipients[i] ? [] : [i])),
    [],
    "every result is its recipient's, in the input order",
  );
  const suppressed = results.flatMap((r, i) => (r.suppressed ? [i] : []));
  t.same(suppressed, [0, 3, 9_999, 10_000, 12_000, 17_777, 24_999], "the opted-out and the invalid ones");
  t.match(results[10_000], { identifier: recipients[10_000], reason: "opted_out", since: /^\d{4}-/ });
  t.match(results[3], { reason: "invalid_recipient" });
  t.match(results[1], { suppressed: false, reason: "not_opted_out" });
  t.equal(progress.length, 3, "progress after each of the 3 requests (10,000 + 10,000 + 5,000)");
  t.equal(progress.at(-1), 25_000, "progress ends at the total");

  t.same(await client.check({ accountId: "acme-nl", channel: "sms", recipients: [] }), [], "nothing to ask");
});

t.test("check(): a 503 is retried, a reply in parts is put back together", async (t) => {
  // A responder on a namespace of its own: it answers the first request with the 503 a
  // suppression-check worker sends when Postgres is down, then relays to the real check and
  // answers in parts of at most 16 KiB (as a worker does for a reply over max_payload).
  const front = namesFor(`${names.namespace}f`);
  let requests = 0;
  const sub = infra.nc.subscribe(front.subjects.check, {
    callback: (_err, msg) => {
      requests++;
      if (requests === 1) {
        const { body, status } = errorReply(new DependencyUnavailableError("postgres", "connection refused"));
        const h = natsHeaders();
        h.set(SERVICE_ERROR_CODE_HEADER, String(status));
        msg.respond(encoder.encode(JSON.stringify(body)), { headers: h });
        return;
      }
      const request = msg.json<CheckRequest>();
      void infra.nc
        .request(names.subjects.check, encoder.encode(JSON.stringify({ ...request, chunked: false })), {
          timeout: 10_000,
        })
        .then((real) => {
          for (const part of replyParts(real.json<CheckReply>(), "results", 16 * 1024, true))
            msg.respond(encoder.encode(JSON.stringify(part)));
        });
    },
  });
  t.teardown(() => sub.unsubscribe());
  await infra.nc.flush();

  const recipients = Array.from({ length: 2_000 }, (_, i) => `+3164${String(i).padStart(7, "0")}`);
  await optOut(recipients[1_234]!);
  const fronted = createOptoutClient({
    connection: infra.nc,
    namespace: front.namespace,
    retry: { baseMs: 10, maxMs: 50 },
  });
  const results = await fronted.check({ accountId: "acme-nl", channel: "sms", recipients });
  t.equal(requests, 2, "asked twice: the 503, then the retry");
  t.same(
    results,
    await client.check({ accountId: "acme-nl", channel: "sms", recipients }),
    "the parts (2,000 results over 16 KiB parts) put together say what the direct check says",
  );
  t.match(results[1_234], { recipient: recipients[1_234], suppressed: true, reason: "opted_out" });
});

t.test("check(): a restarting worker is waited out", async (t) => {
  const index = system.workers.findIndex((w) => w.name === "suppression-check");
  t.ok(index >= 0, "the system's check worker");
  await system.workers[index]!.stop();
  const recipient = "+31645500001";
  await optOut(recipient);
  // The request goes out now, on the connection the new worker will subscribe on, before its
  // subscription: the server answers it "no responders", so only a retry can get the answer.
  const asked = client.check({ accountId: "acme-nl", channel: "sms", recipients: [recipient] });
  system.workers[index] = await startSuppressionCheck(infra, { erasureHashSecret: ERASURE_HASH_SECRET });
  t.match(await asked, [{ recipient, suppressed: true, reason: "opted_out" }]);
});

t.test("check(): permanent failures are typed and not retried", async (t) => {
  const unknown = await client
    .check({ accountId: "nobody-here", channel: "sms", recipients: ["+31612345678"] })
    .catch((err: unknown) => err);
  t.type(unknown, CheckFailedError);
  t.match(unknown, { code: "UNKNOWN_ACCOUNT", retryable: false, offset: 0, details: { attempts: 1 } });

  const badCountry = await client
    .check({ accountId: "acme-nl", channel: "sms", recipients: ["0612345678"], country: "nl" })
    .catch((err: unknown) => err);
  t.match(badCountry, { code: "INVALID_PAYLOAD", retryable: false });

  // Nobody answers on this namespace: retried, then reported as NATS being unavailable.
  const lonely = createOptoutClient({
    connection: infra.nc,
    namespace: `${names.namespace}n`,
    retry: { attempts: 2, baseMs: 1, maxMs: 2 },
  });
  const none = await lonely
    .check({ accountId: "acme-nl", channel: "sms", recipients: ["+31612345678"] })
    .catch((err: unknown) => err);
  t.type(none, DependencyUnavailableError);
  t.match(none, { code: "DEPENDENCY_UNAVAILABLE", retryable: true, message: /no responder/ });
});

t.test("publishSms(): the same id twice is stored once and recorded once", async (t) => {
  const from = "+31655500001";
  const sms = {
    id: `gw-${randomUUID()}`,
    accountId: "acme-nl",
    from,
    to: "3010",
    text: "STOP",
    receivedAt: new Date().toISOString(),
  };
  const first = await client.publishSms(sms);
  const again = await client.publishSms(sms);
  t.equal(first.duplicate, false);
  t.equal(again.duplicate, true, "the stream recognised the id");
  t.equal(again.seq, first.seq, "and answered with the first one's sequence");
  t.equal(first.stream, names.streams.inboundSms, "on the namespace's inbound stream");
  await waitForAck(infra.jsm, names.streams.inboundSms, names.consumer("sms-inbound"), first.seq);
  const history = await getHistory(infra.pool, "org:acme", "sms", from);
  t.equal(history.length, 1, "one event");
  t.match(await client.check({ accountId: "acme-nl", channel: "sms", recipients: [from] }), [
    { suppressed: true, reason: "opted_out" },
  ]);

  const before = (await infra.jsm.streams.info(names.streams.inboundSms)).state.last_seq;
  const invalid = await client
    .publishSms({ ...sms, id: `gw-${randomUUID()}`, receivedAt: "yesterday" })
    .catch((err: unknown) => err);
  t.type(invalid, InvalidPayloadError);
  t.match(invalid, { code: "INVALID_PAYLOAD", message: /receivedAt/ });
  t.equal(
    (await infra.jsm.streams.info(names.streams.inboundSms)).state.last_seq,
    before,
    "nothing was published",
  );
});

t.test("publishEmailUnsubscribe(): recorded, deduplicated on its id", async (t) => {
  const email = "reader@example.org";
  const unsubscribe = {
    id: `mail-${randomUUID()}`,
    accountId: "acme-nl",
    email,
    method: "mailto" as const,
    receivedAt: new Date().toISOString(),
  };
  const first = await client.publishEmailUnsubscribe(unsubscribe);
  t.equal((await client.publishEmailUnsubscribe(unsubscribe)).duplicate, true);
  await waitForAck(infra.jsm, names.streams.inboundEmail, names.consumer("email-unsubscribe"), first.seq);
  t.equal((await getHistory(infra.pool, "org:acme", "email", email)).length, 1);
});

t.test("publishLinkClick(): a click on a tagged link opts its recipient out, once", async (t) => {
  const recipient = "+31633300001";
  const { reply } = await requestJson<TagReply>(infra.nc, names.subjects.tag, {
    accountId: "acme-nl",
    recipients: [recipient],
    campaignId: "c-client",
  });
  const token = reply.tags[0]?.token;
  if (!token) throw new Error(`no link token: ${JSON.stringify(reply)}`);
  const click = { id: `click-${randomUUID()}`, token, clickedAt: new Date().toISOString() };
  const first = await client.publishLinkClick(click);
  t.equal((await client.publishLinkClick(click)).duplicate, true);
  await waitForAck(infra.jsm, names.streams.inboundLink, names.consumer("link-click"), first.seq);
  t.equal((await getHistory(infra.pool, "org:acme", "sms", recipient)).length, 1);
  t.match(await client.check({ accountId: "acme-nl", channel: "sms", recipients: [recipient] }), [
    { suppressed: true, reason: "opted_out" },
  ]);
});

/** Read `count` changes of this test's identifiers, acking those `ack` says to. */
async function take(
  feed: ChangeFeed,
  count: number,
  ack: (c: Change, index: number) => boolean = () => true,
): Promise<Change[]> {
  const got: Change[] = [];
  if (count === 0) return got;
  for await (const change of feed) {
    if (ack(change, got.length)) await change.ack();
    got.push(change);
    if (got.length >= count) break;
  }
  return got;
}

async function eventsLastSeq(): Promise<number> {
  return (await infra.jsm.streams.info(names.streams.events)).state.last_seq;
}

t.test("changes(): resumes from its file after a close and a new connection", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "optout-client-"));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, "feed", "position.json");
  // Start after everything the earlier tests recorded.
  const start = await eventsLastSeq();
  await filePositionStore(path).save(start);

  const numbers = Array.from({ length: 8 }, (_, i) => `+3166${String(i).padStart(7, "0")}`);
  for (const n of numbers.slice(0, 5)) await optOut(n);
  await waitFor("5 change events", async () => (await eventsLastSeq()) >= start + 5);

  // The first run handles 4 events and acks 3: it stops (a deploy) before acking the 4th.
  const first = client.changes({ store: path });
  const seen = await take(first, 4, (_c, i) => i < 3);
  await first.close();
  t.same(
    seen.map((c) => c.position),
    [start + 1, start + 2, start + 3, start + 4],
    "from the saved position on",
  );
  t.same(
    seen.map((c) => c.event.identifier),
    numbers.slice(0, 4),
  );
  t.match(seen[0], {
    subject: names.subjects.event("sms", "opt_out"),
    event: { accountId: "acme-nl", channel: "sms", action: "opt_out", scope: "org:acme" },
  });
  t.equal(first.position, start + 3, "saved up to the last acked event");
  t.match(JSON.parse(await readFile(path, "utf8")), { position: start + 3 }, "in the file");

  // While nobody follows, 3 more opt-outs.
  for (const n of numbers.slice(5)) await optOut(n);
  await waitFor("8 change events", async () => (await eventsLastSeq()) >= start + 8);

  // A new process: its own connection, the same file.
  const restarted = await connectOptoutClient({ servers: TEST_NATS_URL, namespace: names.namespace });
  t.teardown(() => restarted.close());
  const second = restarted.changes({ store: path });
  const resumed = await take(second, 5);
  await second.close();
  t.same(
    resumed.map((c) => c.position),
    [start + 4, start + 5, start + 6, start + 7, start + 8],
    "no gap; the unacked event comes again (at-least-once), nothing acked does",
  );
  t.same(
    resumed.map((c) => c.event.identifier),
    numbers.slice(3),
  );
  t.match(JSON.parse(await readFile(path, "utf8")), { position: start + 8 });

  // Filters: opt-ins only, from the same position, sees the one opt-in that follows.
  await system.api("POST", "/v1/accounts/acme-nl/optouts", {
    channel: "sms",
    identifier: numbers[0],
    action: "opt_in",
  });
  const optIns = restarted.changes({ store: memoryPositionStore(start), action: "opt_in" });
  const [optIn] = await take(optIns, 1);
  await optIns.close();
  t.match(optIn, { position: start + 9, event: { identifier: numbers[0], action: "opt_in" } });
});

t.test("changes(): a position the stream no longer holds is a gap, not a silent skip", async (t) => {
  const last = await eventsLastSeq();
  t.ok(last >= 4, "some events to drop");
  // Retention removed the oldest events (as max_age does for a follower away too long).
  await infra.jsm.streams.purge(names.streams.events, { seq: last - 1 });

  const feed = client.changes({ store: memoryPositionStore(1) });
  const gap = await take(feed, 1).catch((err: unknown) => err);
  t.type(gap, ChangeFeedGapError);
  t.match(gap, { code: "CHANGE_FEED_GAP", position: 1, firstAvailable: last - 1 });

  const skipping = client.changes({ store: memoryPositionStore(1), onGap: "skip" });
  const [oldest] = await take(skipping, 1);
  await skipping.close();
  t.equal(oldest?.position, last - 1, "onGap: skip starts at the oldest event held");
});

t.test("changes(): a namespace without an events stream is NOT_FOUND", async (t) => {
  const elsewhere = createOptoutClient({ connection: infra.nc, namespace: `${names.namespace}z` });
  const missing = await take(elsewhere.changes({ store: memoryPositionStore() }), 1).catch(
    (err: unknown) => err,
  );
  t.match(missing, { code: "NOT_FOUND", message: /no change feed stream T\w+Z_EVENTS: check the namespace/ });
});
