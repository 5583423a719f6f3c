import t from "tap";
import { randomUUID } from "node:crypto";
import { DLQ_REASON_HEADER } from "@optout/bus";
import { verifyEmailToken } from "@optout/domain";
import type { ChangeEvent, InboundEmail } from "@optout/schemas";
import { getHistory } from "@optout/store";
import { publishInbound, readDeadLetters, waitForAck } from "@optout/testkit";
import { EMAIL_TOKEN_SECRET, LINK_BASE_URL, startSystem } from "../helpers/system.js";

const system = await startSystem({ name: "email-path" });
t.teardown(() => system.stop());
const { infra } = system.env;

await system.account("acme-nl", "acme");
await system.account("acme-own", "acme", "account");

/** Publish like the email edge or a mail gateway, and wait until the worker acked it. */
async function sendEmail(
  partial: Partial<InboundEmail> & { email: string },
  msgId?: string,
): Promise<InboundEmail> {
  const message: InboundEmail = {
    id: randomUUID(),
    accountId: "acme-nl",
    method: "one_click",
    receivedAt: new Date().toISOString(),
    ...partial,
  };
  const seq = await publishInbound(infra.js, infra.names.subjects.inboundEmail, message, msgId);
  await waitForAck(
    infra.jsm,
    infra.names.streams.inboundEmail,
    infra.names.consumer("email-unsubscribe"),
    seq,
  );
  return message;
}

async function emailReason(recipient: string, accountId = "acme-nl"): Promise<string | undefined> {
  const { results } = await system.check({ accountId, channel: "email", recipients: [recipient] });
  return results[0]?.reason;
}

let counter = 0;
const nextAddress = (domain = "example.com") => `person${++counter}.${randomUUID().slice(0, 8)}@${domain}`;

t.test(
  "a one-click unsubscribe opts the normalized address out: the check sees it after the ack, the change feed carries it",
  async (t) => {
    const local = `Jane${++counter}`;
    const feed = infra.nc.subscribe(infra.names.subjects.event("email", "opt_out"), { max: 1 });
    const sent = await sendEmail({ email: `${local}@Bücher.example`, listId: "weekly" });
    const identifier = `${local.toLowerCase()}@xn--bcher-kva.example`;

    t.equal(await emailReason(identifier), "opted_out", "the punycode form is opted out");
    t.equal(
      await emailReason(`${local}@BÜCHER.example`),
      "opted_out",
      "so is any spelling that normalizes to it",
    );
    t.equal(
      await emailReason(identifier, "acme-own"),
      "not_opted_out",
      "an account with its own list does not see it",
    );

    let event: ChangeEvent | undefined;
    for await (const m of feed) event = m.json<ChangeEvent>();
    t.match(event, {
      accountId: "acme-nl",
      scope: "org:acme",
      channel: "email",
      identifier,
      action: "opt_out",
      source: "email_one_click",
      reason: "one_click",
    });

    const history = await getHistory(infra.pool, "org:acme", "email", identifier);
    t.equal(history.length, 1);
    t.match(history[0], { source: "email_one_click", reason: "one_click" });
    const state = await system.api(
      "GET",
      `/v1/accounts/acme-nl/optouts/email/${encodeURIComponent(identifier)}/history`,
    );
    t.equal(state.status, 200);
    t.same(
      state.body.items.map((e: { source: string }) => e.source),
      ["email_one_click"],
    );
    t.ok(sent.id);
  },
);

t.test("link and mailto unsubscribes record their own source and reason", async (t) => {
  const viaLink = nextAddress();
  await sendEmail({ email: viaLink, method: "link", reason: "too many emails" });
  const viaMailto = nextAddress();
  await sendEmail({
    email: viaMailto,
    method: "mailto",
    subject: "unsubscribe",
    body: "START please",
    autoSubmitted: "no",
  });
  t.match((await getHistory(infra.pool, "org:acme", "email", viaLink))[0], {
    source: "email_link",
    reason: "too many emails",
    action: "opt_out",
  });
  t.match((await getHistory(infra.pool, "org:acme", "email", viaMailto))[0], {
    source: "email_mailto",
    reason: "mailto",
    action: "opt_out",
  });
  t.equal(await emailReason(viaMailto), "opted_out", "a mailto is an opt-out even when its body says START");
});

t.test(
  "automatic replies to the mailto address are ignored: acked, counted, no event, nothing logged about the person",
  async (t) => {
    const ignoredBefore = await ignoredCount();
    const outOfOffice = nextAddress();
    const autoReplied = nextAddress();
    await sendEmail({
      email: outOfOffice,
      method: "mailto",
      subject: "Out of Office: Your weekly deals",
      body: "I am away until Monday",
    });
    await sendEmail({
      email: autoReplied,
      method: "mailto",
      subject: "Re: Your weekly deals",
      autoSubmitted: "auto-replied",
    });

    t.equal(await emailReason(outOfOffice), "not_opted_out");
    t.equal(await emailReason(autoReplied), "not_opted_out");
    t.equal((await getHistory(infra.pool, "org:acme", "email", outOfOffice)).length, 0, "no event");
    t.equal((await getHistory(infra.pool, "org:acme", "email", autoReplied)).length, 0, "no event");
    t.equal((await ignoredCount()) - ignoredBefore, 2, "counted in optout_inbound_ignored_total");

    const logs = system.env.logLines.join("\n");
    t.match(logs, /inbound email ignored: automatic reply/);
    t.notMatch(logs, new RegExp(outOfOffice.split("@")[0]!), "no address in the logs");
    t.notMatch(logs, /weekly deals|away until/i, "no subject or body in the logs");
  },
);

t.test("the same message id delivered twice (past the duplicate window) records one event", async (t) => {
  const address = nextAddress();
  const first = await sendEmail({ email: address });
  await sendEmail({ ...first }, `${first.id}-retry`);
  t.equal((await getHistory(infra.pool, "org:acme", "email", address)).length, 1);
});

t.test("the header builder returns both headers, https first, and its token round-trips", async (t) => {
  const put = await system.api("PUT", "/v1/accounts/acme-mail", {
    organizationId: "acme",
    unsubscribeMailto: "unsubscribe@mail.acme.example",
  });
  t.equal(put.status, 201, "the mailto mailbox is an account setting");

  const res = await system.api("POST", "/v1/accounts/acme-mail/email-unsubscribe-headers", {
    email: " Jane@Bücher.example ",
    listId: "weekly",
  });
  t.equal(res.status, 200);
  t.same(
    Object.keys(res.body).sort(),
    ["List-Unsubscribe", "List-Unsubscribe-Post"],
    "only the two headers: the object can be merged into a message's headers",
  );
  t.equal(res.body["List-Unsubscribe-Post"], "List-Unsubscribe=One-Click");
  const match =
    /^<(https:\/\/o\.example\/email\/unsubscribe\/([^>]+))>, <mailto:unsubscribe@mail\.acme\.example\?subject=unsubscribe-([^>]+)>$/.exec(
      res.body["List-Unsubscribe"],
    );
  t.ok(match, `RFC 2369/8058 form: ${res.body["List-Unsubscribe"]}`);
  const [, url, token, subjectToken] = match!;
  t.equal(subjectToken, token, "the mailto subject carries the same token");
  t.same(verifyEmailToken(EMAIL_TOKEN_SECRET, token!), {
    accountId: "acme-mail",
    email: "jane@xn--bcher-kva.example",
    listId: "weekly",
  });
  t.equal(new URL(url!).origin + "/", LINK_BASE_URL, "on the edge's public base");
  t.notMatch(res.body["List-Unsubscribe"], /[^\x20-\x7e]/, "ASCII only, as a header value must be");

  const noList = await system.api("POST", "/v1/accounts/acme-mail/email-unsubscribe-headers", {
    email: "bob@example.com",
  });
  t.same(
    verifyEmailToken(EMAIL_TOKEN_SECRET, /unsubscribe\/([^>]+)>/.exec(noList.body["List-Unsubscribe"])![1]!),
    { accountId: "acme-mail", email: "bob@example.com" },
  );
});

t.test(
  "without a configured mailbox the mailto URI is left out; an account base URL replaces LINK_BASE_URL",
  async (t) => {
    const plain = await system.api("POST", "/v1/accounts/acme-nl/email-unsubscribe-headers", {
      email: "bob@example.com",
    });
    t.equal(plain.status, 200);
    t.match(
      plain.body["List-Unsubscribe"],
      /^<https:\/\/o\.example\/email\/unsubscribe\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}>$/,
    );

    await system.api("PUT", "/v1/accounts/acme-edge", {
      organizationId: "acme",
      emailUnsubscribeBaseUrl: "https://unsub.acme.example/o",
    });
    const own = await system.api("POST", "/v1/accounts/acme-edge/email-unsubscribe-headers", {
      email: "bob@example.com",
    });
    t.match(own.body["List-Unsubscribe"], /^<https:\/\/unsub\.acme\.example\/o\/email\/unsubscribe\/[^>]+>$/);

    const badSetting = await system.api("PUT", "/v1/accounts/acme-bad", {
      organizationId: "acme",
      unsubscribeMailto: "not a mailbox",
    });
    t.equal(badSetting.status, 400, "an unusable mailbox is refused when it is set");
  },
);

t.test("the header builder refuses what it cannot sign", async (t) => {
  const invalid = await system.api("POST", "/v1/accounts/acme-nl/email-unsubscribe-headers", {
    email: "not-an-address",
  });
  t.equal(invalid.status, 400);
  t.match(invalid.body, {
    error: { code: "INVALID_PAYLOAD", message: /"email" is not a valid email address: .*no @/ },
  });
  const missing = await system.api("POST", "/v1/accounts/acme-nl/email-unsubscribe-headers", { listId: "x" });
  t.match(missing, { status: 400, body: { error: { code: "INVALID_PAYLOAD" } } });
  const extra = await system.api("POST", "/v1/accounts/acme-nl/email-unsubscribe-headers", {
    email: "a@example.com",
    list: "typo",
  });
  t.match(extra, { status: 400, body: { error: { code: "INVALID_PAYLOAD" } } });
  const unknown = await system.api("POST", "/v1/accounts/nobody/email-unsubscribe-headers", {
    email: "a@example.com",
  });
  t.match(unknown, { status: 404, body: { error: { code: "UNKNOWN_ACCOUNT" } } });
  const anonymous = await system.api(
    "POST",
    "/v1/accounts/acme-nl/email-unsubscribe-headers",
    { email: "a@example.com" },
    "wrong-token",
  );
  t.equal(anonymous.status, 401);
});

t.test(
  "a mailto reply whose subject carries the header's token opts out the token's address, not the sender's",
  async (t) => {
    await system.api("PUT", "/v1/accounts/acme-mail-own", {
      organizationId: "acme",
      listScope: "account",
      unsubscribeMailto: "unsubscribe@mail.acme.example",
    });
    const subscribed = nextAddress("subscribers.example");
    const headers = await system.api("POST", "/v1/accounts/acme-mail-own/email-unsubscribe-headers", {
      email: subscribed,
      listId: "deals",
    });
    const subject = decodeURIComponent(/\?subject=([^>]+)>/.exec(headers.body["List-Unsubscribe"])![1]!);

    // The reply comes from an alias, and the gateway only knows the account of its mailbox.
    const alias = nextAddress("alias.example");
    await sendEmail({ email: alias, accountId: "acme-nl", method: "mailto", subject: `Re: ${subject}` });

    t.equal(
      await emailReason(subscribed, "acme-mail-own"),
      "opted_out",
      "the token's address on the token's account list",
    );
    t.equal(await emailReason(alias, "acme-nl"), "not_opted_out", "the sender's address is left alone");
    const [event] = await getHistory(infra.pool, "account:acme-mail-own", "email", subscribed);
    t.match(event, { source: "email_mailto", reason: "mailto" });

    // A subject with a forged token falls back to the payload's own account and address.
    const sender = nextAddress();
    await sendEmail({ email: sender, method: "mailto", subject: `${subject.slice(0, -3)}xyz` });
    t.equal(await emailReason(sender), "opted_out");
    t.equal(await emailReason(subscribed, "acme-nl"), "not_opted_out");
  },
);

t.test(
  "invalid addresses and unknown accounts go to the dead-letter subject with their reason",
  async (t) => {
    await sendEmail({ email: "no-at-sign" });
    await sendEmail({ email: nextAddress(), accountId: "nobody" });
    const letters = await readDeadLetters(infra, 2);
    const reasons = letters.map((m) => m.headers?.get(DLQ_REASON_HEADER) ?? "").sort();
    t.match(reasons, [/^INVALID_RECIPIENT: /, /^UNKNOWN_ACCOUNT: account "nobody"/]);
    t.ok(
      letters.every((m) => m.subject === infra.names.subjects.dlqFor(infra.names.subjects.inboundEmail)),
      "on <ns>.dlq.inbound.email",
    );
  },
);

async function ignoredCount(): Promise<number> {
  const metric = infra.metrics.registry.getSingleMetric("optout_inbound_ignored_total");
  if (!metric) return 0;
  const { values } = await metric.get();
  return values.reduce((sum, v) => sum + v.value, 0);
}
