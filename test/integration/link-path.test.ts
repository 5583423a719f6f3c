import t from "tap";
import { createEmailToken } from "@optout/domain";
import { getHistory, getState } from "@optout/store";
import {
  expandTagReply,
  isValidPayload,
  type ErrorReply,
  type InboundEmail,
  type TagReply,
  type TagResult,
} from "@optout/schemas";
import {
  publishInbound,
  readDeadLetters,
  requestChunked,
  requestJson,
  waitFor,
  waitForAck,
} from "@optout/testkit";
import { DLQ_REASON_HEADER } from "@optout/bus";
import { startEdge } from "@optout/service-edge";
import { EMAIL_TOKEN_SECRET, LINK_BASE_URL, startSystem } from "../helpers/system.js";

const system = await startSystem({ name: "link-path" });
t.teardown(() => system.stop());
const { infra } = system.env;
const { names } = infra;

// The sender's name needs escaping on the page: it proves every interpolated value is escaped.
await system.account("acme-nl", "acme", "organization", { name: "ACME <Shop> & Co" });

let counter = 0;
/** A fresh valid Dutch mobile number per test, so tests never share state. */
const nextNumber = () => `+3165${String(1_000_000 + counter++).padStart(7, "0")}`;

async function tagRaw(request: Record<string, unknown>): Promise<TagReply | ErrorReply> {
  return (
    await requestJson<TagReply | ErrorReply>(
      infra.nc,
      names.subjects.tag,
      { accountId: "acme-nl", ...request },
      30_000,
    )
  ).reply;
}

async function tag(request: Record<string, unknown>): Promise<TagResult[]> {
  const reply = await tagRaw(request);
  if ("error" in reply) throw new Error(`tag failed: ${reply.error.code} ${reply.error.message}`);
  return reply.tags;
}

/** A chunked tag request, the way a campaign sender reads one. */
async function tagChunked(request: Record<string, unknown>): Promise<{ tags: TagResult[]; parts: number }> {
  const { items, parts } = await requestChunked<TagResult>(
    infra.nc,
    names.subjects.tag,
    { accountId: "acme-nl", ...request },
    "tags",
  );
  return { tags: items, parts };
}

async function tokenFor(number: string, campaignId = "c-edge"): Promise<string> {
  const [result] = await tag({ recipients: [number], campaignId });
  if (!result?.token) throw new Error("no token");
  return result.token;
}

const form = (fields: Record<string, string>) => ({
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
  redirect: "manual" as const,
});

async function lastSeq(stream: string): Promise<number> {
  return (await infra.jsm.streams.info(stream)).state.last_seq;
}

/** Wait until the link-click worker has acked everything on its stream so far. */
async function clicksProcessed(): Promise<void> {
  const seq = await lastSeq(names.streams.inboundLink);
  if (seq > 0) await waitForAck(infra.jsm, names.streams.inboundLink, names.consumer("link-click"), seq);
}

t.test(
  "a French number gets the keyword instruction, a Dutch one a link in Dutch; invalid recipients are reported in order",
  async (t) => {
    const nl = nextNumber();
    const reply = await tagRaw({
      recipients: ["+33612345678", nl, "06 5123 4567", "not a number", "+4915112345678"],
      campaignId: "c-42",
    });
    t.ok(isValidPayload("tagReply", reply), "the reply matches the TagReply schema");
    const tags = (reply as TagReply).tags;
    t.same(tags[0], { recipient: "+33612345678", text: "STOP au 36111" }, "France: keyword flow, no link");
    t.match(tags[1], { recipient: nl, token: /^[0-9A-Za-z]{8}$/ });
    t.equal(tags[1]?.link, `${LINK_BASE_URL}${tags[1]?.token}`);
    t.equal(tags[1]?.text, `Afmelden: ${tags[1]?.link}`);
    t.match(
      tags[2],
      { recipient: "06 5123 4567", text: /^Afmelden: https:\/\/o\.example\/[0-9A-Za-z]{8}$/ },
      "national format, account's country",
    );
    t.match(tags[3], { recipient: "not a number", error: "invalid_recipient", detail: String });
    t.notOk(tags[3]?.text, "no footer for an invalid recipient");
    t.match(tags[4], { text: /^Abmelden: https:\/\/o\.example\// }, "German number, German words");
    t.equal(new Set(tags.filter((x) => x.token).map((x) => x.token)).size, 3, "one token per recipient");
  },
);

t.test("account settings override keyword flows, templates and the link base URL", async (t) => {
  await system.account("acme-custom", "acme", "organization", {
    keywordFlows: { FR: null, BE: { keyword: "STOP", number: "8800", template: "{keyword} au {number}" } },
    tagTemplates: { nl: "Geen sms meer? {link}", de: "without a link placeholder" },
    linkBaseUrl: "https://l.acme.example/u",
  });
  const tags = await tag({
    accountId: "acme-custom",
    recipients: ["+33612345678", "+32470123456", nextNumber(), "+4915112345679"],
  });
  t.match(
    tags[0],
    { text: /^Désinscription : https:\/\/l\.acme\.example\/u\/[0-9A-Za-z]{8}$/ },
    "FR switched off: a link, in French",
  );
  t.same(tags[1], { recipient: "+32470123456", text: "STOP au 8800" }, "BE flow added by the account");
  t.match(tags[2], { text: /^Geen sms meer\? https:\/\/l\.acme\.example\/u\// }, "account template");
  t.match(tags[3], { text: /^Abmelden: / }, "a template without {link} is ignored");
});

t.test(
  "10,000 recipients in one request get links; the same campaign asking again gets the same links",
  async (t) => {
    const recipients = Array.from({ length: 10_000 }, (_, i) => `+3163${String(i).padStart(7, "0")}`);
    let started = performance.now();
    const { tags: first, parts } = await tagChunked({ recipients, campaignId: "c-big" });
    const createMs = performance.now() - started;
    t.equal(first.length, 10_000);
    t.ok(parts >= 2, `the ~1.3 MB reply came in ${parts} parts under the 1 MiB max_payload`);
    t.ok(
      first.every((x, i) => x.recipient === recipients[i] && x.token && x.text === `Afmelden: ${x.link}`),
      "every recipient, in order, with a link",
    );
    t.equal(new Set(first.map((x) => x.token)).size, 10_000, "10,000 distinct tokens");

    started = performance.now();
    const { tags: again } = await tagChunked({ recipients, campaignId: "c-big" });
    const reuseMs = performance.now() - started;
    t.same(
      again.map((x) => x.token),
      first.map((x) => x.token),
      "the same campaign gets the same tokens",
    );

    const other = await tag({ recipients: recipients.slice(0, 10), campaignId: "c-other" });
    t.ok(
      other.every((x, i) => x.token !== first[i]?.token),
      "another campaign gets other links",
    );
    const { rows } = await infra.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM links WHERE campaign_id IN ('c-big', 'c-other')",
    );
    t.equal(rows[0]?.n, 10_010, "one row per (campaign, recipient)");
    t.comment(
      `10,000 tags: ${Math.round(createMs)} ms creating links, ${Math.round(reuseMs)} ms reusing them`,
    );

    const tooMany = await tagRaw({ recipients: [...recipients, "+31630000000"] });
    t.match(tooMany, { error: { code: "TOO_MANY_RECIPIENTS", message: /10001 recipients/ } });
    // 10,000 link tags take ~1.3 MB in full, over the default 1 MiB max_payload: the
    // documented maximum still works by default, in the compact form.
    const compact = (await tagRaw({ recipients, campaignId: "c-big" })) as TagReply;
    t.equal(compact.compact, true, "10,000 tags by default: one compact reply");
    t.equal(compact.linkBase, "https://o.example/", "links are linkBase + token");
    t.notOk("recipient" in compact.tags[0]!, "no recipient: the request's order");
    const expanded = expandTagReply(recipients, compact).tags;
    t.same(
      expanded.map((x) => [x.recipient, x.token, x.link]),
      first.map((x) => [x.recipient, x.token, x.link]),
      "expanded, the compact reply is the full one",
    );
    const small = await tagRaw({ recipients: recipients.slice(0, 3), campaignId: "c-big", chunked: true });
    t.match(
      small,
      { offset: 0, total: 3, tags: [{ token: first[0]?.token }, {}, {}] },
      "a chunked reply that fits is one part",
    );
    t.match(await tagRaw({ recipients: [] }), { error: { code: "INVALID_PAYLOAD" } });
    t.match(await tagRaw({ accountId: "nobody", recipients: ["+31612345678"] }), {
      error: { code: "UNKNOWN_ACCOUNT" },
    });
  },
);

t.test("GET of a link shows the page and changes nothing; POST opts the number out", async (t) => {
  const number = nextNumber();
  const token = await tokenFor(number);
  const linkSeq = await lastSeq(names.streams.inboundLink);

  const page = await fetch(`${system.edgeUrl}/${token}`);
  t.equal(page.status, 200);
  t.match(page.headers.get("content-type"), /^text\/html/);
  t.match(page.headers.get("content-security-policy"), /default-src 'none'.*frame-ancestors 'none'/);
  t.equal(page.headers.get("referrer-policy"), "no-referrer");
  const body = await page.text();
  t.match(body, /<html lang="nl">/, "Dutch for a Dutch number");
  t.ok(body.includes(`+31 6 ****${number.slice(-4)}`), "the masked number");
  t.notOk(body.includes(number.slice(3, 8)), "not the full number");
  t.ok(body.includes("ACME &lt;Shop&gt; &amp; Co"), "the sender, escaped");
  t.notOk(body.includes("<Shop>"), "nothing unescaped");
  t.match(body, /<label for="reason">/);
  t.match(body, /<button type="submit">Afmelden<\/button>/);
  t.notMatch(body, /<script/i, "no JavaScript");

  t.equal(await lastSeq(names.streams.inboundLink), linkSeq, "nothing published by a GET");
  t.equal((await system.check({ recipients: [number] })).results[0]?.reason, "not_opted_out");
  t.equal((await getHistory(infra.pool, "org:acme", "sms", number)).length, 0, "no event");

  const nonce = /name="click" value="([0-9A-Za-z]+)"/.exec(body)?.[1];
  t.ok(nonce, "the form carries a click nonce");
  const fields = { click: nonce!, reason: "too_many", comment: "every\nday is too much" };
  const done = await fetch(`${system.edgeUrl}/${token}`, {
    ...form(fields),
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "user-agent": "tap-test/1.0",
      "accept-language": "en",
    },
  });
  t.equal(done.status, 200);
  const doneBody = await done.text();
  t.match(
    doneBody,
    /<h1>You are unsubscribed<\/h1>/,
    "the page states the result (in the browser's language)",
  );
  t.ok(doneBody.includes(`+31 6 ****${number.slice(-4)}`));

  await waitFor(
    "opted out",
    async () => (await system.check({ recipients: [number] })).results[0]?.reason === "opted_out",
  );
  const history = await getHistory(infra.pool, "org:acme", "sms", number);
  t.equal(history.length, 1);
  t.match(history[0], {
    action: "opt_out",
    source: "link_click",
    reason: "too_many: every day is too much",
    evidence: { token, campaignId: "c-edge", userAgent: "tap-test/1.0", ip: "127.0.0.0" },
  });
  const since = (await getState(infra.pool, "org:acme", "sms", number))?.since;

  // A double click sends the same nonce: the same id, one message, one event.
  t.equal((await fetch(`${system.edgeUrl}/${token}`, form(fields))).status, 200);
  await clicksProcessed();
  t.equal(
    (await getHistory(infra.pool, "org:acme", "sms", number)).length,
    1,
    "a double submit is one event",
  );
  // A later click of an already opted-out number is history, not a state change.
  t.equal((await fetch(`${system.edgeUrl}/${token}`, form({}))).status, 200);
  await clicksProcessed();
  t.match(await getHistory(infra.pool, "org:acme", "sms", number), [
    { reason: "too_many: every day is too much" },
    { reason: "link_click" },
  ]);
  t.equal(
    (await getState(infra.pool, "org:acme", "sms", number))?.since,
    since,
    "the state did not change twice",
  );
});

t.test("unknown or malformed tokens get a plain 404 page and publish nothing", async (t) => {
  const seq = await lastSeq(names.streams.inboundLink);
  for (const path of ["/ZZZZZZZZ", "/abc", "/not-a-token!", "/aaaaaaaaaaaaaaaaaaaaaa", "/favicon.ico"]) {
    const res = await fetch(`${system.edgeUrl}${path}`);
    t.equal(res.status, 404, `GET ${path}`);
    t.match(await res.text(), /<h1>Link not found<\/h1>/);
  }
  const post = await fetch(`${system.edgeUrl}/ZZZZZZZZ`, form({ reason: "other" }));
  t.equal(post.status, 404, "POST to an unknown token");
  t.equal(await lastSeq(names.streams.inboundLink), seq, "nothing published");
});

t.test("a click on the stream whose token resolves to nothing is dead-lettered UNKNOWN_TOKEN", async (t) => {
  await publishInbound(infra.js, names.subjects.inboundLink, {
    id: "click-ghost",
    token: "Gh0stTok",
    clickedAt: new Date().toISOString(),
  });
  const [letter] = await readDeadLetters(infra, 1);
  t.match(letter?.headers?.get(DLQ_REASON_HEADER), /^UNKNOWN_TOKEN/);
  t.equal(letter?.subject, names.subjects.dlqFor(names.subjects.inboundLink));
});

t.test(
  "one-click email unsubscribe: a signed token publishes to inbound.email, a forged one is refused",
  async (t) => {
    const token = createEmailToken(EMAIL_TOKEN_SECRET, {
      accountId: "acme-nl",
      email: "jane@example.com",
      listId: "news",
    });
    const url = `${system.edgeUrl}/email/unsubscribe/${token}`;
    const lastEmail = async () => {
      const stored = await infra.jsm.streams
        .getMessage(names.streams.inboundEmail, { last_by_subj: names.subjects.inboundEmail })
        .catch(() => null);
      return stored
        ? { seq: stored.seq, body: stored.json<InboundEmail>(), msgId: stored.header?.get("Nats-Msg-Id") }
        : null;
    };

    const res = await fetch(url, form({ "List-Unsubscribe": "One-Click" }));
    t.equal(res.status, 200);
    t.notOk(res.headers.get("set-cookie"), "no cookies");
    t.notOk(res.headers.get("location"), "no redirect");
    const published = await lastEmail();
    t.match(published?.body, {
      accountId: "acme-nl",
      email: "jane@example.com",
      method: "one_click",
      listId: "news",
    });
    t.ok(isValidPayload("inboundEmail", published?.body), "the message matches the InboundEmail schema");
    t.equal(published?.msgId, published?.body.id, "Nats-Msg-Id is the message id");

    // RFC 8058 says one-click POSTs SHOULD be multipart/form-data.
    const multipartToken = createEmailToken(EMAIL_TOKEN_SECRET, {
      accountId: "acme-nl",
      email: "joe@example.com",
    });
    const body = new FormData();
    body.set("List-Unsubscribe", "One-Click");
    const multipart = await fetch(`${system.edgeUrl}/email/unsubscribe/${multipartToken}`, {
      method: "POST",
      body,
      redirect: "manual",
    });
    t.equal(multipart.status, 200, "multipart/form-data is accepted");
    t.match((await lastEmail())?.body, { email: "joe@example.com", method: "one_click" });

    const seq = (await lastEmail())?.seq;
    const [payload, signature = ""] = token.split(".");
    const forged = [
      `${payload}.${signature.slice(0, -1)}${signature.endsWith("A") ? "B" : "A"}`,
      createEmailToken("another-secret-0123456789abcdef", {
        accountId: "acme-nl",
        email: "jane@example.com",
      }),
      `${Buffer.from(JSON.stringify({ a: "acme-nl", e: "victim@example.com" })).toString("base64url")}.${signature}`,
      "garbage",
    ];
    for (const bad of forged) {
      const refused = await fetch(
        `${system.edgeUrl}/email/unsubscribe/${bad}`,
        form({ "List-Unsubscribe": "One-Click" }),
      );
      t.equal(refused.status, 404, "forged token refused");
    }
    t.equal((await lastEmail())?.seq, seq, "nothing published for forged tokens");

    const confirm = await fetch(url);
    t.equal(confirm.status, 200);
    const page = await confirm.text();
    t.ok(page.includes("j***@example.com"), "the confirm page names the masked address");
    t.match(page, /<form method="post">[\s\S]*name="confirm" value="yes"/, "its button POSTs");
    t.equal((await lastEmail())?.seq, seq, "a GET publishes nothing");
    t.equal(
      (await fetch(url, form({ something: "else" }))).status,
      400,
      "a POST that is neither one-click nor the confirm form",
    );
    const human = await fetch(url, form({ confirm: "yes" }));
    t.equal(human.status, 200);
    t.match(
      (await lastEmail())?.body,
      { email: "jane@example.com", method: "link" },
      "the confirm button is an email_link unsubscribe",
    );
  },
);

t.test(
  "the rate limit answers 429 once a client address used its budget; health stays reachable",
  async (t) => {
    const edge = await startEdge(infra, {
      port: 0,
      host: "127.0.0.1",
      emailTokenSecret: EMAIL_TOKEN_SECRET,
      rateLimitPerMinute: 5,
      // Its own counters: the system's edge counted this address's requests of the other tests.
      rateLimitScope: "edge-limit-test",
    });
    t.teardown(() => edge.stop());
    const url = `http://127.0.0.1:${edge.port}`;
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await fetch(`${url}/ZZZZZZZZ`)).status);
    t.same(statuses, [404, 404, 404, 404, 404, 429, 429]);
    const limited = await fetch(`${url}/ZZZZZZZZ`, { headers: { "accept-language": "de" } });
    t.equal(limited.status, 429);
    t.ok(Number(limited.headers.get("retry-after")) >= 1, "Retry-After says when to come back");
    t.match(await limited.text(), /Zu viele Anfragen/);
    t.equal((await fetch(`${url}/healthz`)).status, 200, "/healthz is not limited");
    t.equal((await fetch(`${url}/readyz`)).status, 200);
  },
);

t.test("bodies are small forms: over 16 KiB is 413, JSON is 415", async (t) => {
  const token = await tokenFor(nextNumber(), "c-limits");
  const seq = await lastSeq(names.streams.inboundLink);
  const big = await fetch(`${system.edgeUrl}/${token}`, form({ comment: "x".repeat(17 * 1024) }));
  t.equal(big.status, 413);
  const json = await fetch(`${system.edgeUrl}/${token}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: "{}",
  });
  t.equal(json.status, 415);
  t.equal(await lastSeq(names.streams.inboundLink), seq, "nothing published");
});

t.test("logs carry no phone numbers, tokens or reasons", async (t) => {
  const number = nextNumber();
  const token = await tokenFor(number, "c-logs");
  await fetch(`${system.edgeUrl}/${token}`, form({ comment: "secret-comment-marker" }));
  await waitFor(
    "opted out",
    async () => (await system.check({ recipients: [number] })).results[0]?.reason === "opted_out",
  );
  const all = system.env.logLines.join("\n");
  t.notOk(all.includes(number.slice(1)), "no full phone number");
  t.notOk(all.includes(token), "no link token");
  t.notOk(all.includes("secret-comment-marker"), "no free text");
});
