/**
 * Dead letters can be replayed (guarantee 10): a STOP for an account that does not exist yet is
 * dead-lettered; once the account exists, a replay (the `optout` CLI as its own process, or the
 * admin API) records it exactly once, removes the dead letter, and replaying again changes
 * nothing. Also the filters, pages, exit codes and admin-only access.
 */
import t from "tap";
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { getHistory } from "@optout/store";
import { listDeadLetters, type DeadLetterBus } from "@optout/bus";
import { publishInbound, REPO_ROOT, waitFor } from "@optout/testkit";
import { startSystem } from "../helpers/system.js";

const system = await startSystem({ name: "dead-letter-replay" });
t.teardown(() => system.stop());
const { infra, config } = system.env;
const bus: DeadLetterBus = { js: infra.js, jsm: infra.jsm, names: infra.names };

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON output
  json: any;
}

/** `optout <args>` as its own process, configured like an operator's shell for this installation. */
function cli(...args: string[]): Promise<CliResult> {
  const child = spawn(
    process.execPath,
    ["--conditions=development", "--import", "tsx", "packages/cli/src/main.ts", ...args],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        NATS_URL: config.natsUrl,
        OPTOUT_NAMESPACE: config.namespace,
        DATABASE_URL: config.databaseUrl,
        DATABASE_SCHEMA: config.databaseSchema,
        REDIS_URL: config.redisUrl,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) =>
    child.on("close", (code) => {
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {
        json = undefined;
      }
      resolve({ code, stdout, stderr, json });
    }),
  );
}

const LATE = "late-acct";
const OTHER = "other-acct";
const lateFrom = "+31612340001";
const otherFrom = "+31612340002";
const lateScope = `org:org-${LATE}`;
const otherScope = `org:org-${OTHER}`;

// Two STOPs for accounts that do not exist yet, and a message that is not JSON.
const lateSms = await system.sendSms({ accountId: LATE, from: lateFrom, text: "STOP" });
const otherSms = await system.sendSms({ accountId: OTHER, from: otherFrom, text: "STOP" });
await publishInbound(infra.js, infra.names.subjects.inboundSms, "{not json", `garbage-${randomUUID()}`);
const all = await waitFor("three dead letters", async () => {
  const page = await listDeadLetters(bus);
  return page.items.length >= 3 ? page.items : undefined;
});
const lateSeq = all.find((i) => i.accountId === LATE)!.seq;
const otherSeq = all.find((i) => i.accountId === OTHER)!.seq;

t.test("the CLI lists and shows dead letters, with filters and exit codes", async (t) => {
  const listed = await cli("dlq", "list", "--json");
  t.equal(listed.code, 0, listed.stderr);
  t.equal(listed.json.items.length, 3);
  t.equal(listed.json.hasMore, false);

  const late = await cli("dlq", "list", "--account", LATE, "--json");
  t.equal(late.code, 0);
  t.same(
    late.json.items.map((i: { seq: number }) => i.seq),
    [lateSeq],
  );
  t.match(late.json.items[0], {
    subject: infra.names.subjects.inboundSms,
    reason: /^UNKNOWN_ACCOUNT/,
    msgId: lateSms.id,
  });

  const bySubject = await cli(
    "dlq",
    "list",
    "--subject",
    "inbound.sms",
    "--reason",
    "invalid_payload",
    "--since",
    "1h",
  );
  t.equal(bySubject.code, 0);
  t.match(bySubject.stdout, /^SEQ\s+DEAD-LETTERED\s+SUBJECT\s+ACCOUNT\s+REASON\n/, "a table for people");
  t.equal(bySubject.stdout.trim().split("\n").length, 2, "one dead letter: the garbage");

  const paged = await cli("dlq", "list", "--limit", "2", "--json");
  t.equal(paged.json.items.length, 2);
  t.equal(paged.json.hasMore, true);
  const rest = await cli("dlq", "list", "--after", String(paged.json.next), "--json");
  t.equal(rest.json.items.length, 1);

  const none = await cli("dlq", "list", "--reason", "no such reason");
  t.equal(none.code, 3, "nothing matched");
  t.match(none.stderr, /no dead letters match/);
  t.equal((await cli("dlq", "list", "--until", "2000-01-01")).code, 3);

  const shown = await cli("dlq", "show", String(lateSeq), "--json");
  t.equal(shown.code, 0);
  t.same(shown.json.body, { encoding: "json", value: lateSms });
  t.equal(shown.json.headers["Optout-Dlq-Msg-Id"]?.[0], lateSms.id);
  t.equal(shown.json.headers["Optout-Dlq-Stream"]?.[0], infra.names.streams.inboundSms);
  const shownText = await cli("dlq", "show", String(lateSeq));
  t.match(shownText.stdout, /reason: +UNKNOWN_ACCOUNT/);
  t.equal((await cli("dlq", "show", "999999")).code, 3);

  t.equal((await cli("dlq", "list", "--limit", "zero")).code, 2, "usage error");
  t.equal((await cli("dlq", "replay")).code, 2, "replay needs sequences or --all-matching");
  t.equal(
    (await cli("dlq", "replay", "--account", LATE)).code,
    2,
    "a filter without --all-matching is refused",
  );
  t.equal((await cli("dlq", "nope")).code, 2);
  const help = await cli("dlq", "replay", "--help");
  t.equal(help.code, 0);
  t.match(help.stdout, /--all-matching/);
});

t.test(
  "CLI replay after the account exists: recorded once, dead letter gone, a second replay is harmless",
  async (t) => {
    const dry = await cli("dlq", "replay", "--all-matching", "--account", LATE, "--dry-run", "--json");
    t.equal(dry.code, 0, dry.stderr);
    t.match(dry.json, { dryRun: true, matched: 1, wouldReplay: 1, replayed: 0 });
    t.equal(
      (await listDeadLetters(bus, { accountId: LATE })).items.length,
      1,
      "a dry run leaves the dead letter",
    );

    await system.account(LATE, `org-${LATE}`);
    const replayed = await cli("dlq", "replay", "--all-matching", "--account", LATE, "--json");
    t.equal(replayed.code, 0, replayed.stderr);
    t.match(replayed.json, { dryRun: false, matched: 1, replayed: 1, skipped: 0, failed: 0 });
    t.match(replayed.json.items, [{ seq: lateSeq, outcome: "replayed", deleted: true }]);

    const history = await waitFor("the replayed STOP recorded", async () => {
      const h = await getHistory(infra.pool, lateScope, "sms", lateFrom);
      return h.length > 0 ? h : undefined;
    });
    t.equal(history.length, 1);
    t.match(history[0], { action: "opt_out", sourceId: lateSms.id });
    t.equal((await system.check({ accountId: LATE, recipients: [lateFrom] })).results[0]?.suppressed, true);

    t.equal((await cli("dlq", "show", String(lateSeq))).code, 3, "the dead letter is gone");
    const again = await cli("dlq", "replay", String(lateSeq), "--json");
    t.equal(again.code, 3, "replaying it again: nothing matched");
    t.match(again.json, { matched: 0, replayed: 0, skipped: 1 });
    await new Promise((r) => setTimeout(r, 500));
    t.equal((await getHistory(infra.pool, lateScope, "sms", lateFrom)).length, 1, "still one event");
    t.same((await listDeadLetters(bus, { accountId: LATE })).items, [], "and no new dead letter");
  },
);

t.test(
  "API replay: admin only, keep, repeat within the duplicate window, a message recorded meanwhile",
  async (t) => {
    const listed = await system.api("GET", `/v1/admin/dead-letters?accountId=${OTHER}`);
    t.equal(listed.status, 200);
    t.same(
      listed.body.items.map((i: { seq: number }) => i.seq),
      [otherSeq],
    );
    t.type(listed.body.next, "string");
    t.equal(listed.body.hasMore, false);

    const first = await system.api("GET", "/v1/admin/dead-letters?limit=1");
    t.equal(first.body.items.length, 1);
    t.equal(first.body.hasMore, true);
    const second = await system.api("GET", `/v1/admin/dead-letters?limit=1&after=${first.body.next}`);
    t.ok(second.body.items[0].seq > first.body.items[0].seq, "the next page continues after the cursor");
    t.equal((await system.api("GET", "/v1/admin/dead-letters?since=not-a-time")).status, 400);

    const one = await system.api("GET", `/v1/admin/dead-letters/${otherSeq}`);
    t.equal(one.status, 200);
    t.same(one.body.body, { encoding: "json", value: otherSms });
    t.equal((await system.api("GET", "/v1/admin/dead-letters/999999")).status, 404);

    // An account token (of an existing account) may not touch dead letters.
    const token = await system.api("POST", `/v1/accounts/${LATE}/tokens`, {
      types: ["sms"],
      permissions: ["read", "write"],
    });
    t.equal(token.status, 201);
    t.equal((await system.api("GET", "/v1/admin/dead-letters", undefined, token.body.token)).status, 403);
    t.equal(
      (await system.api("POST", "/v1/admin/dead-letters/replay", { seqs: [otherSeq] }, token.body.token))
        .status,
      403,
    );
    t.equal(
      (await system.api("POST", "/v1/admin/dead-letters/replay", { seqs: [otherSeq], filter: {} })).status,
      400,
      "seqs or filter, not both",
    );

    // The account appears and the gateway retries the STOP itself: it is recorded before the replay.
    await system.account(OTHER, `org-${OTHER}`);
    const retrySeq = await publishInbound(
      infra.js,
      infra.names.subjects.inboundSms,
      otherSms,
      `gateway-retry-${otherSms.id}`,
    );
    t.ok(retrySeq > 0);
    await waitFor(
      "the gateway's retry recorded",
      async () => (await getHistory(infra.pool, otherScope, "sms", otherFrom)).length > 0,
    );

    const kept = await system.api("POST", "/v1/admin/dead-letters/replay", { seqs: [otherSeq], keep: true });
    t.equal(kept.status, 200);
    t.match(kept.body, { matched: 1, replayed: 1, failed: 0, keep: true });
    t.equal(
      (await system.api("GET", `/v1/admin/dead-letters/${otherSeq}`)).status,
      200,
      "keep: the dead letter stays",
    );

    const repeated = await system.api("POST", "/v1/admin/dead-letters/replay", { seqs: [otherSeq] });
    t.match(repeated.body, { matched: 1, replayed: 1, failed: 0 });
    t.match(repeated.body.items[0], { outcome: "replayed", deleted: true, message: /duplicate window/ });
    t.equal(
      (await system.api("GET", `/v1/admin/dead-letters/${otherSeq}`)).status,
      404,
      "deleted after the replay",
    );

    const nothing = await system.api("POST", "/v1/admin/dead-letters/replay", {
      filter: { accountId: OTHER },
    });
    t.match(nothing.body, { matched: 0, replayed: 0 });

    // The replay reaches the worker (it is acked) and records nothing new.
    const consumer = infra.names.consumer("sms-inbound");
    const lastSeq = (await infra.jsm.streams.info(infra.names.streams.inboundSms)).state.last_seq;
    await waitFor(
      "the replay handled",
      async () =>
        (await infra.jsm.consumers.info(infra.names.streams.inboundSms, consumer)).ack_floor.stream_seq >=
        lastSeq,
    );
    const history = await getHistory(infra.pool, otherScope, "sms", otherFrom);
    t.equal(history.length, 1, "the STOP is recorded exactly once");
    t.same((await listDeadLetters(bus, { accountId: OTHER })).items, [], "and not dead-lettered again");
  },
);

t.test("only the garbage is left; replaying it dead-letters it again under a new sequence", async (t) => {
  const left = await listDeadLetters(bus);
  t.equal(left.items.length, 1);
  t.match(left.items[0], { accountId: null, reason: /INVALID_PAYLOAD|not JSON|JSON/i });
  const garbageSeq = left.items[0]!.seq;
  const report = await cli("dlq", "replay", "--all-matching", "--subject", "inbound.sms", "--json");
  t.equal(report.code, 0, report.stderr);
  t.match(
    report.json,
    { matched: 1, replayed: 1 },
    "a filter replay stops at the stream's end when it began: it does not chase its own new dead letters",
  );
  const again = await waitFor("the garbage dead-lettered again", async () => {
    const page = await listDeadLetters(bus);
    return page.items.length > 0 ? page.items : undefined;
  });
  t.equal(again.length, 1);
  t.ok(again[0]!.seq > garbageSeq);
});
