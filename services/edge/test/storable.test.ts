import t from "tap";
import { createLogger } from "@optout/core";
import { createEmailToken } from "@optout/domain";
import { isValidPayload, type InboundEmail, type InboundLink } from "@optout/schemas";
import type { Account, Link } from "@optout/store";
import { buildEdge, type EdgeDeps } from "@optout/service-edge";
import { storableLabel } from "../src/payload.js";

/**
 * Guarantee 9 at the edge: a 200 page means the worker will record what was published. What
 * cannot be stored in evidence is cleaned (the unsubscribe must not be lost over a label);
 * anything the worker would still refuse gets a 400 page and is never published.
 */
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
  settings: {},
  createdAt: "",
  updatedAt: "",
} as unknown as Account;
const form = { "content-type": "application/x-www-form-urlencoded" };

async function edge(overrides: Partial<EdgeDeps> = {}) {
  const clicks: InboundLink[] = [];
  const emails: InboundEmail[] = [];
  const app = await buildEdge({
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
  });
  t.teardown(() => app.close());
  return { app, clicks, emails };
}

t.test("storableLabel drops control characters and lone surrogates, keeps real text", async (t) => {
  t.equal(storableLabel("news\u0000", 256), "news");
  t.equal(storableLabel("<news.\u001bacme>", 256), "<news.acme>");
  t.equal(storableLabel("a\ud800b\udc00c", 256), "abc");
  t.equal(storableLabel("emoji \ud83d\ude00 kept", 256), "emoji \ud83d\ude00 kept");
  t.equal(storableLabel("\u0000\u0001", 256), undefined, "nothing left: no listId at all");
  t.equal(storableLabel(undefined, 256), undefined);
  t.equal(storableLabel("x".repeat(300), 256)?.length, 256);
});

t.test(
  "one-click POST with a listId signed with a NUL: the unsubscribe is published without it, valid for the worker",
  async (t) => {
    const { app, emails } = await edge();
    for (const [listId, expected] of [
      ["news\u0000", "news"],
      ["\u0000", undefined],
      ["ok\u001b[31m", "ok[31m"],
    ] as const) {
      const token = createEmailToken(SECRET, { accountId: "acme", email: "jane@example.com", listId });
      const res = await app.inject({
        method: "POST",
        url: `/email/unsubscribe/${token}`,
        headers: form,
        payload: "List-Unsubscribe=One-Click",
      });
      t.equal(res.statusCode, 200, JSON.stringify(listId));
      const sent = emails.at(-1)!;
      t.equal(sent.listId, expected);
      t.ok(isValidPayload("inboundEmail", sent), "the worker's schema accepts what was published");
    }
    t.equal(emails.length, 3);
  },
);

t.test(
  "link POST: a reason or user agent with a NUL is cleaned, never a 200 for what the worker refuses",
  async (t) => {
    const { app, clicks } = await edge();
    const res = await app.inject({
      method: "POST",
      url: "/Tok12345",
      headers: { ...form, "user-agent": "UA\u0000/1" },
      payload: "click=abcdefghijklmnop1234&reason=too_many&comment=a%00b%ED%A0%80c",
    });
    t.equal(res.statusCode, 200);
    t.equal(clicks.length, 1);
    t.equal(clicks[0]!.userAgent, "UA/1");
    t.notOk(clicks[0]!.reason?.includes("\u0000"), "the reason has no NUL");
    t.ok(isValidPayload("inboundLink", clicks[0]), "the worker's schema accepts what was published");
  },
);

t.test("what the worker would still refuse gets a 400 page and is not published", async (t) => {
  // A clock before 1970 (a broken host clock): the timestamp rule refuses it in the worker.
  const { app, clicks, emails } = await edge({ now: () => new Date("1960-01-01T00:00:00Z") });
  const click = await app.inject({
    method: "POST",
    url: "/Tok12345",
    headers: form,
    payload: "click=abcdefghijklmnop1234",
  });
  t.equal(click.statusCode, 400);
  t.match(click.headers["content-type"], /text\/html/);
  t.equal(clicks.length, 0, "no click published");
  const token = createEmailToken(SECRET, { accountId: "acme", email: "jane@example.com" });
  const email = await app.inject({
    method: "POST",
    url: `/email/unsubscribe/${token}`,
    headers: form,
    payload: "List-Unsubscribe=One-Click",
  });
  t.equal(email.statusCode, 400);
  t.equal(emails.length, 0, "no unsubscribe published");
});
