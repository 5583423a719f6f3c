import t from "tap";
import { createHash } from "node:crypto";
import { createLogger, DependencyUnavailableError } from "@optout/core";
import { createEmailToken } from "@optout/domain";
import type { InboundEmail, InboundLink } from "@optout/schemas";
import type { Account, Link } from "@optout/store";
import { buildEdge, type EdgeDeps } from "@optout/service-edge";
import { parseMultipart, parseUrlEncoded } from "../src/form-body.js";
import { escapeHtml, fill, html } from "@optout/core";
import { choosePageLanguage, preferredLanguages } from "../src/i18n.js";
import { clickId, composeReason } from "../src/click.js";
import { STYLE_HASH } from "../src/pages.js";

const SECRET = "unit-test-secret-0123456789";
const link: Link = {
  token: "Tok12345",
  accountId: "acme",
  channel: "sms",
  identifier: "+31612345678",
  campaignId: "c1",
  createdAt: "2026-01-01T00:00:00.000Z",
};
const account = {
  id: "acme",
  organizationId: "o",
  listScope: "organization",
  defaultCountry: "NL",
  settings: { name: `<img src=x onerror=alert(1)>` },
  createdAt: "",
  updatedAt: "",
} as Account;

function edge(overrides: Partial<EdgeDeps> = {}) {
  const clicks: InboundLink[] = [];
  const emails: InboundEmail[] = [];
  const deps: EdgeDeps = {
    getLink: async (token) => (token === link.token ? link : null),
    getAccount: async (id) => (id === account.id ? account : null),
    publishClick: async (c) => void clicks.push(c),
    publishEmail: async (e) => void emails.push(e),
    emailTokenSecret: SECRET,
    logger: createLogger({ name: "edge-test", level: "silent" }),
    isReady: () => true,
    rateLimit: { max: 100_000, windowMs: 60_000 },
    trustedProxies: 0,
    ...overrides,
  };
  return { deps, clicks, emails, app: buildEdge(deps) };
}

const formHeaders = { "content-type": "application/x-www-form-urlencoded" };

t.test("the landing page escapes the sender and opts nobody out", async (t) => {
  const { app, clicks } = edge();
  const res = await (await app).inject({ method: "GET", url: "/Tok12345" });
  t.equal(res.statusCode, 200);
  t.notMatch(res.body, /<img/, "the account name is escaped");
  t.match(res.body, /&lt;img src=x onerror=alert\(1\)&gt;/);
  t.equal(
    res.headers["content-security-policy"],
    `default-src 'none';style-src ${STYLE_HASH};form-action 'self';frame-ancestors 'none';base-uri 'none'`,
    "the CSP: nothing but the page's own stylesheet and form",
  );
  t.equal(res.headers["x-frame-options"], "DENY");
  t.equal(res.headers["referrer-policy"], "no-referrer");
  t.equal(res.headers["x-content-type-options"], "nosniff");
  t.notOk(res.headers["strict-transport-security"], "HSTS is the ingress's");
  t.equal(res.headers["cache-control"], "no-store");
  t.equal(clicks.length, 0);
  // A browser applies the inline stylesheet only if the CSP hash covers its exact content.
  const style = /<style>([\s\S]*?)<\/style>/.exec(res.body)?.[1] ?? "";
  const hash = createHash("sha256").update(style).digest("base64");
  t.ok(
    String(res.headers["content-security-policy"]).includes(`'sha256-${hash}'`),
    "the CSP allows the page's stylesheet",
  );
});

t.test("POST publishes one click with a reason, a truncated address and a stable id per form", async (t) => {
  const { app, clicks } = edge();
  const payload = "click=abcdefghijklmnop1234&reason=never_signed_up&comment=who%20are%20you";
  const first = await (
    await app
  ).inject({ method: "POST", url: "/Tok12345", headers: { ...formHeaders, "user-agent": "UA/1" }, payload });
  t.equal(first.statusCode, 200);
  await (await app).inject({ method: "POST", url: "/Tok12345", headers: formHeaders, payload });
  t.equal(clicks.length, 2);
  t.match(clicks[0], {
    token: "Tok12345",
    reason: "never_signed_up: who are you",
    userAgent: "UA/1",
    ip: "127.0.0.0",
  });
  t.equal(clicks[0]?.id, clicks[1]?.id, "the same form twice is the same click");
  t.notMatch(clicks[0]?.id ?? "", /Tok12345/, "the id does not carry the token");
});

t.test("behind trusted proxies the client address comes from X-Forwarded-For", async (t) => {
  const direct = edge();
  const behind = edge({ trustedProxies: 1 });
  const request = {
    method: "POST" as const,
    url: "/Tok12345",
    headers: { ...formHeaders, "x-forwarded-for": "198.51.100.7" },
    payload: "",
  };
  await (await direct.app).inject(request);
  await (await behind.app).inject(request);
  t.equal(direct.clicks[0]?.ip, "127.0.0.0", "not believed without a trusted proxy");
  t.equal(behind.clicks[0]?.ip, "198.51.100.0");
});

t.test("with the database down, GET is a 503 page and POST still takes the click", async (t) => {
  const down = async () => {
    throw new DependencyUnavailableError("postgres", "connection refused");
  };
  const { app, clicks } = edge({ getLink: down });
  const get = await (
    await app
  ).inject({ method: "GET", url: "/Tok12345", headers: { "accept-language": "nl" } });
  t.equal(get.statusCode, 503);
  t.match(get.body, /Er ging iets mis/);
  const post = await (
    await app
  ).inject({ method: "POST", url: "/Tok12345", headers: formHeaders, payload: "" });
  t.equal(post.statusCode, 200);
  t.match(post.body, /Your request has been received/);
  t.equal(clicks.length, 1);
});

t.test("a click that cannot be published is an error page, not a confirmation", async (t) => {
  const { app } = edge({
    publishClick: async () => {
      throw new DependencyUnavailableError("nats", "no responders");
    },
  });
  const res = await (
    await app
  ).inject({ method: "POST", url: "/Tok12345", headers: formHeaders, payload: "" });
  t.equal(res.statusCode, 503);
  t.notMatch(res.body, /unsubscribed/i);
});

t.test("one-click email: form or multipart; forged tokens and other bodies refused", async (t) => {
  const { app, emails } = edge();
  const token = createEmailToken(SECRET, { accountId: "acme", email: "a@example.com" });
  const ok = await (
    await app
  ).inject({
    method: "POST",
    url: `/email/unsubscribe/${token}`,
    headers: formHeaders,
    payload: "List-Unsubscribe=One-Click",
  });
  t.equal(ok.statusCode, 200);
  t.notOk(ok.headers["set-cookie"]);
  t.match(emails[0], { accountId: "acme", email: "a@example.com", method: "one_click" });
  const bad = await (
    await app
  ).inject({
    method: "POST",
    url: `/email/unsubscribe/${token}x`,
    headers: formHeaders,
    payload: "List-Unsubscribe=One-Click",
  });
  t.equal(bad.statusCode, 404);
  const empty = await (
    await app
  ).inject({ method: "POST", url: `/email/unsubscribe/${token}`, headers: formHeaders, payload: "" });
  t.equal(empty.statusCode, 400);
  t.equal(emails.length, 1);
});

t.test("form bodies", async (t) => {
  t.same({ ...parseUrlEncoded("a=1&b=x%20y&a=2") }, { a: "2", b: "x y" });
  const body =
    '--XyZ\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--XyZ--\r\n';
  t.same(
    { ...parseMultipart(body, 'multipart/form-data; boundary="XyZ"') },
    { "List-Unsubscribe": "One-Click" },
  );
  t.throws(() => parseMultipart(body, "multipart/form-data"));
});

t.test("html escaping and translated sentences", async (t) => {
  t.equal(escapeHtml(`<a href="x">'&'</a>`), "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  t.equal(html`<p>${"<b>"}${html`<i>${"&"}</i>`}</p>`.value, "<p>&lt;b&gt;<i>&amp;</i></p>");
  t.equal(
    fill("Hi {name} & {missing}", { name: html`<b>${"<x>"}</b>` }).value,
    "Hi <b>&lt;x&gt;</b> &amp; {missing}",
  );
});

t.test("page language: ?lang, Accept-Language by quality, the number's country, English", async (t) => {
  t.same(preferredLanguages("fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5"), ["fr", "fr", "en", "de"]);
  t.same(preferredLanguages("en;q=0.1, nl"), ["nl", "en"]);
  t.same(preferredLanguages("de;q=0, es"), ["es"]);
  t.equal(choosePageLanguage({ explicit: "ES", acceptLanguage: "nl" }), "es");
  t.equal(choosePageLanguage({ explicit: "xx", acceptLanguage: "pl, de;q=0.5" }), "de");
  t.equal(choosePageLanguage({ acceptLanguage: "pl", countryLanguage: "fr" }), "fr");
  t.equal(choosePageLanguage({}), "en");
});

t.test("reasons and click ids", async (t) => {
  t.equal(composeReason("too_many", ""), "too_many");
  t.equal(composeReason("", " line\none\t "), "line one");
  t.equal(composeReason("other", "x".repeat(1000))?.length, "other: ".length + 400);
  t.equal(composeReason(undefined, undefined), undefined);
  t.equal(composeReason("my own words", undefined), "my own words", "an unknown reason is kept as text");
  const at = new Date("2026-01-01T10:00:10Z");
  t.equal(
    clickId("Tok12345", undefined, at),
    clickId("Tok12345", undefined, new Date("2026-01-01T10:00:50Z")),
    "no nonce: one click per minute",
  );
  t.not(
    clickId("Tok12345", "abcdefghijklmnop", at),
    clickId("Tok67890", "abcdefghijklmnop", at),
    "the same nonce on two tokens: two clicks",
  );
});
