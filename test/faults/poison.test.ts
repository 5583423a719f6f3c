/**
 * Guarantee 9, "a bad message affects only itself": bursts of valid opt-outs on the three
 * inbound subjects with poison mixed in, messages that pass (or nearly pass) the JSON schema
 * but that Postgres would refuse or silently change. Every valid message is recorded exactly
 * once; every poison message is dead-lettered on its own, with a reason that names the field
 * and the problem. The boundary rules (@optout/schemas validatePayload) refuse them before
 * the batch write, so no batch fails because of one of them.
 */
import t from "tap";
import { DLQ_REASON_HEADER, DLQ_SUBJECT_HEADER } from "@optout/bus";
import { getHistory } from "@optout/store";
import type { TagReply } from "@optout/schemas";
import { publishInbound, readDeadLetters, requestJson, waitForAck } from "@optout/testkit";
import { startSystem } from "../helpers/system.js";

const system = await startSystem({ name: "poison" });
t.teardown(() => system.stop());
const { infra } = system.env;
const { names } = infra;
await system.account("acme-nl", "acme");
const SCOPE = "org:acme";
const BURST = 60;
const encoder = new TextEncoder();

/** A JSON body as a gateway would send it: JSON.stringify writes NUL as "\u0000" and a lone surrogate as "\ud800". */
const json = (value: unknown) => encoder.encode(JSON.stringify(value));

function nested(levels: number): unknown {
  let value: unknown = "leaf";
  for (let i = 0; i < levels; i++) value = { more: value };
  return value;
}

interface Poison {
  name: string;
  body: Uint8Array;
  reason: RegExp;
}

const now = () => new Date().toISOString();

function smsPoison(): Poison[] {
  const sms = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    accountId: "acme-nl",
    from: "+31650000001",
    to: "3010",
    text: "STOP",
    receivedAt: now(),
    ...extra,
  });
  return [
    { name: "sms id with NUL", body: json(sms("p-sms-nul\u0000")), reason: /\/id contains a NUL character/ },
    {
      name: "sms id with lone surrogate",
      body: json(sms("p-sms-\ud800")),
      reason: /\/id contains a lone UTF-16 surrogate \(U\+D800\)/,
    },
    {
      name: "sms text with NUL",
      body: json(sms("p-sms-text", { text: "STOP\u0000" })),
      reason: /\/text contains a NUL character/,
    },
    {
      name: "sms id with control character",
      body: json(sms("p-sms-bell\u0007")),
      reason: /\/id contains a control character \(U\+0007\)/,
    },
    {
      name: "sms from with newline",
      body: json(sms("p-sms-from", { from: "+31650000001\n" })),
      reason: /\/from contains a control character \(U\+000A\)/,
    },
    {
      name: "sms year 0000",
      body: json(sms("p-sms-y0", { receivedAt: "0000-01-01T00:00:00Z" })),
      reason: /\/receivedAt is before 1970/,
    },
    {
      name: "sms offset -23:59",
      body: json(sms("p-sms-off", { receivedAt: "2026-01-01T00:00:00-23:59" })),
      reason: /\/receivedAt has offset -23:59, outside -14:00\.\.\+14:00/,
    },
    {
      name: "sms 2026-02-30",
      body: json(sms("p-sms-feb30", { receivedAt: "2026-02-30T10:00:00Z" })),
      reason: /\/receivedAt has a date that does not exist/,
    },
    {
      name: "sms huge text",
      body: json(sms("p-sms-huge", { text: `STOP ${"x".repeat(20_000)}` })),
      reason: /\/text must NOT have more than 10000 characters/,
    },
    {
      name: "sms deep extra field",
      body: json(sms("p-sms-deep", { gateway: nested(200) })),
      reason: /\/gateway(\/more)+ nests deeper than 32 levels/,
    },
    {
      name: "sms extra key with NUL",
      body: json(sms("p-sms-key", { gateway: { "k\u0000": 1 } })),
      reason: /\/gateway has a key \("k\\u0000"\) that contains a NUL character/,
    },
    {
      name: "sms invalid UTF-8",
      body: new Uint8Array([
        ...encoder.encode('{"id":"p-sms-utf8","text":"'),
        0xed,
        0xa0,
        0x80,
        ...encoder.encode('"}'),
      ]),
      reason: /inboundSms payload is not valid UTF-8/,
    },
    {
      name: "sms not JSON",
      body: encoder.encode("STOP +31650000001 p-sms-notjson"),
      reason: /inboundSms payload is not valid JSON/,
    },
  ];
}

function emailPoison(): Poison[] {
  const email = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    accountId: "acme-nl",
    email: "poison@example.com",
    method: "one_click",
    receivedAt: now(),
    ...extra,
  });
  return [
    {
      name: "email listId with NUL",
      body: json(email("p-email-list", { listId: "news\u0000" })),
      reason: /\/listId contains a NUL character/,
    },
    {
      name: "email id with NUL",
      body: json(email("p-email-nul\u0000")),
      reason: /\/id contains a NUL character/,
    },
    {
      name: "email reason with lone surrogate",
      body: json(email("p-email-reason", { reason: "bye \udc00" })),
      reason: /\/reason contains a lone UTF-16 surrogate \(U\+DC00\)/,
    },
    {
      name: "email subject with NUL",
      body: json(email("p-email-subject", { method: "mailto", subject: "unsubscribe\u0000" })),
      reason: /\/subject contains a NUL character/,
    },
    {
      name: "email address with control character",
      body: json(email("p-email-addr", { email: "poison\u0008@example.com" })),
      reason: /\/email contains a control character \(U\+0008\)/,
    },
    {
      name: "email offset -23:59",
      body: json(email("p-email-off", { receivedAt: "2026-01-01T00:00:00-23:59" })),
      reason: /\/receivedAt has offset -23:59/,
    },
    {
      name: "email 2026-02-30",
      body: json(email("p-email-feb30", { receivedAt: "2026-02-30T00:00:00Z" })),
      reason: /\/receivedAt has a date that does not exist/,
    },
    {
      name: "email huge body",
      body: json(email("p-email-huge", { method: "mailto", body: "x".repeat(100_001) })),
      reason: /\/body is longer than 100000 characters/,
    },
    {
      name: "email deep extra field",
      body: json(email("p-email-deep", { headers: nested(64) })),
      reason: /nests deeper than 32 levels/,
    },
    {
      name: "email not JSON",
      body: encoder.encode("<p-email-notjson>"),
      reason: /inboundEmail payload is not valid JSON/,
    },
  ];
}

function linkPoison(token: string): Poison[] {
  const click = (id: string, extra: Record<string, unknown> = {}) => ({
    id,
    token,
    clickedAt: now(),
    ...extra,
  });
  return [
    {
      name: "link id with NUL",
      body: json(click("p-link-nul\u0000")),
      reason: /\/id contains a NUL character/,
    },
    {
      name: "link reason with NUL",
      body: json(click("p-link-reason", { reason: "spam\u0000" })),
      reason: /\/reason contains a NUL character/,
    },
    {
      name: "link user agent with lone surrogate",
      body: json(click("p-link-ua", { userAgent: "UA \ud800" })),
      reason: /\/userAgent contains a lone UTF-16 surrogate/,
    },
    {
      name: "link year 0000",
      body: json(click("p-link-y0", { clickedAt: "0000-01-01T00:00:00Z" })),
      reason: /\/clickedAt is before 1970/,
    },
    {
      name: "link 2026-02-30",
      body: json(click("p-link-feb30", { clickedAt: "2026-02-30T10:00:00Z" })),
      reason: /\/clickedAt has a date that does not exist/,
    },
    {
      name: "link far future",
      body: json(click("p-link-future", { clickedAt: "9999-12-31T23:59:59Z" })),
      reason: /\/clickedAt is more than 24 hours in the future/,
    },
    {
      name: "link ip with control character",
      body: json(click("p-link-ip", { ip: "192.0.2.0\u0000" })),
      reason: /\/ip contains a NUL character/,
    },
    {
      name: "link not JSON",
      body: encoder.encode("p-link-notjson"),
      reason: /inboundLink payload is not valid JSON/,
    },
  ];
}

/** Valid messages with the poison spread among them (every BURST/poison.length-th place), published all at once so batches mix them. */
async function burst(
  subject: string,
  valid: { body: Uint8Array; msgId: string }[],
  poison: Poison[],
): Promise<number> {
  const all: { body: Uint8Array; msgId: string }[] = [...valid];
  const step = Math.max(1, Math.floor(valid.length / poison.length));
  poison.forEach((p, i) =>
    all.splice(Math.min(all.length, i * (step + 1) + 1), 0, {
      body: p.body,
      msgId: `poison-${subject}-${i}`,
    }),
  );
  const seqs = await Promise.all(all.map((m) => publishInbound(infra.js, subject, m.body, m.msgId)));
  return Math.max(...seqs);
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

t.test(
  "bursts on sms, email and link with poison mixed in: every valid message once, every poison dead-lettered with its reason",
  async (t) => {
    const runId = Date.now().toString(36);
    const smsNumbers = Array.from(
      { length: BURST },
      (_, i) => `+3165${String(1_000_000 + i).padStart(7, "0")}`,
    );
    const emailAddresses = Array.from({ length: BURST }, (_, i) => `reader-${i}@example.com`);
    const linkNumbers = Array.from(
      { length: BURST },
      (_, i) => `+3165${String(2_000_000 + i).padStart(7, "0")}`,
    );

    // Link tokens come from the tag service, as a campaign sender gets them.
    const { reply } = await requestJson<TagReply>(
      infra.nc,
      names.subjects.tag,
      { accountId: "acme-nl", recipients: linkNumbers, campaignId: `poison-${runId}` },
      30_000,
    );
    const tokens = reply.tags.map((tag) => tag.token);
    t.equal(tokens.filter(Boolean).length, BURST, "a link token per recipient");

    const poison = { sms: smsPoison(), email: emailPoison(), link: linkPoison(tokens[0]!) };
    const received = now();
    const lastSeq = await Promise.all([
      burst(
        names.subjects.inboundSms,
        smsNumbers.map((from, i) => ({
          msgId: `sms-${runId}-${i}`,
          body: json({
            id: `sms-${runId}-${i}`,
            accountId: "acme-nl",
            from,
            to: "3010",
            text: "STOP",
            receivedAt: received,
          }),
        })),
        poison.sms,
      ),
      burst(
        names.subjects.inboundEmail,
        emailAddresses.map((email, i) => ({
          msgId: `email-${runId}-${i}`,
          body: json({
            id: `email-${runId}-${i}`,
            accountId: "acme-nl",
            email,
            method: "one_click",
            receivedAt: received,
          }),
        })),
        poison.email,
      ),
      burst(
        names.subjects.inboundLink,
        tokens.map((token, i) => ({
          msgId: `click-${runId}-${i}`,
          body: json({ id: `click-${runId}-${i}`, token, clickedAt: received, reason: "too_many" }),
        })),
        poison.link,
      ),
    ]);
    await Promise.all([
      waitForAck(infra.jsm, names.streams.inboundSms, names.consumer("sms-inbound"), lastSeq[0]!, 60_000),
      waitForAck(
        infra.jsm,
        names.streams.inboundEmail,
        names.consumer("email-unsubscribe"),
        lastSeq[1]!,
        60_000,
      ),
      waitForAck(infra.jsm, names.streams.inboundLink, names.consumer("link-click"), lastSeq[2]!, 60_000),
    ]);

    const histories = async (channel: "sms" | "email", identifiers: string[]) =>
      Promise.all(identifiers.map(async (id) => (await getHistory(infra.pool, SCOPE, channel, id)).length));
    t.same(
      await histories("sms", smsNumbers),
      smsNumbers.map(() => 1),
      "every valid STOP recorded exactly once",
    );
    t.same(
      await histories("email", emailAddresses),
      emailAddresses.map(() => 1),
      "every valid email unsubscribe recorded exactly once",
    );
    t.same(
      await histories("sms", linkNumbers),
      linkNumbers.map(() => 1),
      "every valid link click recorded exactly once",
    );
    t.same(await histories("sms", ["+31650000001"]), [0], "no poison SMS recorded");
    t.same(await histories("email", ["poison@example.com"]), [0], "no poison email recorded");

    const expected = [
      ...poison.sms.map((p) => ({ ...p, subject: names.subjects.inboundSms })),
      ...poison.email.map((p) => ({ ...p, subject: names.subjects.inboundEmail })),
      ...poison.link.map((p) => ({ ...p, subject: names.subjects.inboundLink })),
    ];
    const letters = await readDeadLetters(infra, expected.length, 60_000);
    t.equal(letters.length, expected.length, "one dead letter per poison message");
    t.equal(
      (await infra.jsm.streams.info(names.streams.dlq)).state.messages,
      expected.length,
      "and none for a valid one",
    );
    for (const p of expected) {
      const letter = letters.find((m) => sameBytes(m.data, p.body));
      if (!t.ok(letter, `${p.name}: dead-lettered`)) continue;
      t.equal(letter!.headers?.get(DLQ_SUBJECT_HEADER), p.subject, `${p.name}: from its subject`);
      const reason = letter!.headers?.get(DLQ_REASON_HEADER) ?? "";
      t.match(
        reason,
        /^INVALID_PAYLOAD: /,
        `${p.name}: refused as invalid input, not retried as a database fault`,
      );
      t.match(reason, p.reason, `${p.name}: ${reason}`);
      t.notMatch(reason, /database|SQLSTATE|max deliveries/, `${p.name}: refused at the boundary`);
    }
  },
);

t.test("the API refuses the same shapes (one rule): a listId with a NUL is never signed", async (t) => {
  const res = await system.api("POST", "/v1/accounts/acme-nl/email-unsubscribe-headers", {
    email: "jane@example.com",
    listId: "news\u0000",
  });
  t.equal(res.status, 400);
  t.same(res.body, {
    error: { code: "INVALID_PAYLOAD", message: "body/listId contains a NUL character (U+0000) at index 4" },
  });
  const optout = await system.api("POST", "/v1/accounts/acme-nl/optouts", {
    channel: "sms",
    identifier: "+31612345678",
    action: "opt_out",
    reason: "\ud800",
  });
  t.equal(optout.status, 400);
  t.match(optout.body.error.message, /^body\/reason contains a lone UTF-16 surrogate/);
});
