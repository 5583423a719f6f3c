/**
 * The dead-letter library on a real NATS: what publishDeadLetter keeps, listing with filters and
 * pages, one dead letter, and replay (headers, Nats-Msg-Id, delete after the ack, dry run, keep,
 * repeats, failures).
 */
import t from "tap";
import { headers as natsHeaders } from "@nats-io/nats-core";
import { InvalidPayloadError, NotFoundError, namesFor } from "@optout/core";
import {
  DLQ_MSG_ID_HEADER,
  DLQ_STREAM_HEADER,
  getDeadLetter,
  listDeadLetters,
  publishDeadLetter,
  replayDeadLetters,
  REPLAY_OF_HEADER,
  type DeadLetterBus,
} from "@optout/bus";
import { createTestEnv } from "@optout/testkit";

const env = await createTestEnv({ name: "dead-letters-test" });
t.teardown(() => env.teardown());
const { infra } = env;
const { names } = infra;
const bus: DeadLetterBus = { js: infra.js, jsm: infra.jsm, names };
const encoder = new TextEncoder();

let originalSeq = 1000;
async function deadLetter(subject: string, body: unknown, reason: string, msgId?: string): Promise<void> {
  const h = natsHeaders();
  h.set("X-Gateway", "gw-1");
  if (msgId) h.set("Nats-Msg-Id", msgId);
  const data = typeof body === "string" ? encoder.encode(body) : encoder.encode(JSON.stringify(body));
  await publishDeadLetter(infra.js, names, {
    subject,
    data,
    headers: h,
    reason,
    stream: "ORIGINAL",
    streamSeq: originalSeq++,
  });
}

// 1, 2: sms for acme / beta (unknown accounts); 3: a link click (no account); 4: garbage.
await deadLetter(
  names.subjects.inboundSms,
  { id: "sms-1", accountId: "acme", from: "+31612345678", text: "STOP" },
  'UNKNOWN_ACCOUNT: account "acme" does not exist',
  "sms-1",
);
await deadLetter(
  names.subjects.inboundSms,
  { id: "sms-2", accountId: "beta", from: "+31612345679", text: "STOP" },
  'UNKNOWN_ACCOUNT: account "beta" does not exist',
  "sms-2",
);
await deadLetter(
  names.subjects.inboundLink,
  { id: "click-1", token: "abc123", clickedAt: new Date().toISOString() },
  "UNKNOWN_TOKEN: no such token",
);
await deadLetter(names.subjects.inboundSms, "{not json", "INVALID_PAYLOAD: not JSON");

t.test("a dead letter keeps the original's Nats-Msg-Id, stream and sequence in headers", async (t) => {
  const letter = await getDeadLetter(bus, 1);
  t.ok(letter);
  t.equal(letter!.msgId, "sms-1");
  t.equal(letter!.headers[DLQ_MSG_ID_HEADER]?.[0], "sms-1");
  t.equal(letter!.headers[DLQ_STREAM_HEADER]?.[0], "ORIGINAL");
  t.equal(letter!.stream, "ORIGINAL");
  t.equal(letter!.streamSeq, 1000);
  t.equal(letter!.subject, names.subjects.inboundSms);
  t.equal(letter!.dlqSubject, names.subjects.dlqFor(names.subjects.inboundSms));
  t.equal(letter!.accountId, "acme");
  t.same(letter!.body, {
    encoding: "json",
    value: { id: "sms-1", accountId: "acme", from: "+31612345678", text: "STOP" },
  });
  t.same(
    letter!.headers["Nats-Msg-Id"],
    ["dlq:ORIGINAL:1000"],
    "its own Nats-Msg-Id, not the original's (that would be a duplicate)",
  );
  t.ok(Math.abs(Date.parse(letter!.deadLetteredAt) - Date.now()) < 60_000, "the time is the dead letter's");
  t.same((await getDeadLetter(bus, 4))!.body, { encoding: "utf8", value: "{not json" });
  t.equal(await getDeadLetter(bus, 999), null);
  await t.rejects(getDeadLetter(bus, 0), InvalidPayloadError);
});

t.test("list: filters, pages, time range", async (t) => {
  const all = await listDeadLetters(bus);
  t.same(
    all.items.map((i) => i.seq),
    [1, 2, 3, 4],
  );
  t.equal(all.hasMore, false);
  t.equal(all.last, 4);
  t.same(
    all.items.map((i) => i.accountId),
    ["acme", "beta", null, null],
  );

  t.same(
    (await listDeadLetters(bus, { subject: "inbound.sms" })).items.map((i) => i.seq),
    [1, 2, 4],
    "subject without the namespace",
  );
  t.same(
    (await listDeadLetters(bus, { subject: names.subjects.inboundLink })).items.map((i) => i.seq),
    [3],
  );
  t.same(
    (await listDeadLetters(bus, { subject: "inbound.*" })).items.map((i) => i.seq),
    [1, 2, 3, 4],
    "wildcards",
  );
  t.same(
    (await listDeadLetters(bus, { reason: "unknown_account" })).items.map((i) => i.seq),
    [1, 2],
    "reason: case-insensitive substring",
  );
  t.same(
    (await listDeadLetters(bus, { accountId: "beta" })).items.map((i) => i.seq),
    [2],
  );
  t.same((await listDeadLetters(bus, { accountId: "nobody" })).items, []);
  t.same(
    (await listDeadLetters(bus, { since: new Date(Date.now() + 60_000) })).items,
    [],
    "since: in the future",
  );
  t.same(
    (await listDeadLetters(bus, { until: new Date(Date.now() - 60_000) })).items,
    [],
    "until: in the past",
  );
  t.same(
    (
      await listDeadLetters(bus, {
        since: new Date(Date.now() - 60_000),
        until: new Date(Date.now() + 60_000),
      })
    ).items.length,
    4,
  );

  const first = await listDeadLetters(bus, { limit: 2 });
  t.same(
    first.items.map((i) => i.seq),
    [1, 2],
  );
  t.equal(first.hasMore, true);
  const second = await listDeadLetters(bus, { limit: 2, after: first.last });
  t.same(
    second.items.map((i) => i.seq),
    [3, 4],
  );
  t.equal(second.hasMore, false);
  const empty = await listDeadLetters(bus, { after: second.last });
  t.same(empty.items, []);
  t.equal(empty.last, 4, "an empty page keeps the cursor");

  const scanned = await listDeadLetters(bus, { accountId: "beta", maxScanned: 1 });
  t.same(scanned.items, [], "scan bound reached before a match");
  t.equal(scanned.hasMore, true);
  t.equal(scanned.last, 1);

  const leftover = await infra.jsm.consumers.list(names.streams.dlq).next();
  t.same(
    leftover.map((c) => c.name),
    [],
    "each scan deletes its consumer, also after stopping early",
  );

  await t.rejects(listDeadLetters(bus, { subject: "bad subject" }), InvalidPayloadError);
  await t.rejects(
    listDeadLetters({ ...bus, names: namesFor("nosuchns") }),
    NotFoundError,
    "a wrong namespace is named, not an empty list",
  );
});

t.test(
  "replay: original subject and headers, derived Nats-Msg-Id, delete after the ack, dry run, keep, repeats",
  async (t) => {
    const smsInfo = async () => (await infra.jsm.streams.info(names.streams.inboundSms)).state;
    const before = await smsInfo();

    const dry = await replayDeadLetters(bus, { filter: { accountId: "acme" } }, { dryRun: true });
    t.match(dry, { dryRun: true, matched: 1, replayed: 0, wouldReplay: 1, skipped: 0, failed: 0 });
    t.same(
      dry.items.map((i) => i.outcome),
      ["would_replay"],
    );
    t.equal((await smsInfo()).messages, before.messages, "a dry run publishes nothing");
    t.ok(await getDeadLetter(bus, 1), "and deletes nothing");

    const kept = await replayDeadLetters(bus, { seqs: [1] }, { keep: true });
    t.match(kept, { matched: 1, replayed: 1, failed: 0 });
    t.ok(await getDeadLetter(bus, 1), "--keep keeps the dead letter");
    const replayed = await infra.jsm.streams.getMessage(names.streams.inboundSms, {
      seq: before.last_seq + 1,
    });
    t.ok(replayed);
    t.equal(replayed!.subject, names.subjects.inboundSms);
    t.same(replayed!.json(), { id: "sms-1", accountId: "acme", from: "+31612345678", text: "STOP" });
    t.equal(replayed!.header.get(REPLAY_OF_HEADER), "1");
    t.equal(replayed!.header.get("X-Gateway"), "gw-1", "the original headers travel");
    t.equal(replayed!.header.get("Nats-Msg-Id"), `replay:${names.streams.dlq}:1`);
    t.notOk(
      [...replayed!.header.keys()].some((k) => k.toLowerCase().startsWith("optout-dlq-")),
      "no dead-letter headers",
    );

    const again = await replayDeadLetters(bus, { seqs: [1, 1, 999] });
    t.match(again, { matched: 1, replayed: 1, skipped: 1, failed: 0 });
    t.match(again.items[0], { seq: 1, outcome: "replayed", deleted: true, message: /duplicate window/ });
    t.equal(
      (await smsInfo()).messages,
      before.messages + 1,
      "the same dead letter replayed twice is stored once",
    );
    t.equal(await getDeadLetter(bus, 1), null, "deleted once replayed");
    t.match(again.items[1], { seq: 999, outcome: "skipped" });

    const rest = await replayDeadLetters(bus, { filter: { subject: "inbound.sms" } });
    t.match(
      rest,
      { matched: 2, replayed: 2, failed: 0 },
      "2 and 4: garbage is replayed as it came (and will be dead-lettered again)",
    );
    t.same(
      (await listDeadLetters(bus)).items.map((i) => i.seq),
      [3],
    );
    t.match(
      await replayDeadLetters(bus, { filter: { accountId: "acme" } }),
      { matched: 0, replayed: 0 },
      "nothing left to match",
    );
    await t.rejects(replayDeadLetters(bus, { seqs: [-1] }), InvalidPayloadError);
  },
);

t.test(
  "replay: a dead letter without a subject of this installation is skipped; a publish nobody stores fails and stays",
  async (t) => {
    await deadLetter("elsewhere.inbound.sms", { id: "x" }, "from another namespace");
    const foreign = (await listDeadLetters(bus, { reason: "another namespace" })).items[0]!;
    // A subject of this namespace that no stream stores: the publish gets no ack.
    await deadLetter(`${names.namespace}.inbound.fax`, { id: "fax-1" }, "no such stream");
    const orphan = (await listDeadLetters(bus, { reason: "no such stream" })).items[0]!;

    const report = await replayDeadLetters(
      bus,
      { seqs: [foreign.seq, orphan.seq] },
      { publishTimeoutMs: 1_000 },
    );
    t.match(report, { matched: 2, replayed: 0, skipped: 1, failed: 1 });
    t.match(report.items[0], { outcome: "skipped", message: /namespace/ });
    t.match(report.items[1], { outcome: "failed", message: /publish to .*inbound\.fax failed/ });
    t.ok(await getDeadLetter(bus, orphan.seq), "a failed replay keeps the dead letter");
  },
);
