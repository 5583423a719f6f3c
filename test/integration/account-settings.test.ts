/**
 * Account settings over HTTP: PUT replaces, PATCH merges (RFC 7396), secrets are write-only and
 * kept, every setting a worker reads can be set (keyword flows for the tag worker), and a list
 * scope change never makes an opted-out recipient reachable.
 */
import t from "tap";
import { getAccount, getHistory } from "@optout/store";
import { requestJson, waitFor } from "@optout/testkit";
import type { TagReply } from "@optout/schemas";
import { ADMIN_TOKEN, startSystem } from "../helpers/system.js";

const system = await startSystem({ name: "account-settings" });
t.teardown(() => system.stop());
const { infra } = system.env;
await system.account("seed", "acme");

const SECRET = "whsec_account_settings_0123456789";

async function patch(id: string, body: unknown, contentType = "application/merge-patch+json") {
  const res = await fetch(`${system.apiUrl}/v1/accounts/${id}`, {
    method: "PATCH",
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": contentType },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON replies
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as any };
}

const storedSecret = async (id: string) => (await getAccount(infra.pool, id))?.settings.webhook?.secret;

t.test("PATCH merges, null removes; PUT replaces; the webhook secret is write-only and kept", async (t) => {
  const created = await system.api("PUT", "/v1/accounts/shop", {
    organizationId: "acme",
    defaultCountry: "NL",
    webhook: { url: "https://93.184.216.34/hook", secret: SECRET },
    helpText: { en: "Shop: reply STOP to opt out", nl: "Shop: antwoord STOP" },
  });
  t.equal(created.status, 201);
  t.same(created.body.webhook, { url: "https://93.184.216.34/hook" }, "no secret in the answer");
  t.same(
    (await system.api("GET", "/v1/accounts/shop")).body.webhook,
    { url: "https://93.184.216.34/hook" },
    "nor in GET",
  );

  const patched = await patch("shop", {
    name: "The Shop",
    helpText: { nl: null, de: "Shop: STOP" },
    webhook: { url: "https://93.184.216.35/hook" },
  });
  t.equal(patched.status, 200);
  t.match(patched.body, {
    organizationId: "acme",
    listScope: "organization",
    defaultCountry: "NL",
    name: "The Shop",
    helpText: { en: "Shop: reply STOP to opt out", de: "Shop: STOP" },
    webhook: { url: "https://93.184.216.35/hook" },
  });
  t.notOk("nl" in patched.body.helpText, "null removed the member");
  t.equal(await storedSecret("shop"), SECRET, "PATCH kept the secret it left out");

  const asJson = await patch("shop", { defaultCountry: null }, "application/json");
  t.equal(asJson.status, 200, "application/json is accepted too");
  t.equal(asJson.body.defaultCountry, null);

  // Read-modify-write with what GET shows: the secret survives.
  const {
    id: _id,
    createdAt: _c,
    updatedAt: _u,
    ...shown
  } = (await system.api("GET", "/v1/accounts/shop")).body;
  const put = await system.api("PUT", "/v1/accounts/shop", { ...shown, name: "Shop B.V." });
  t.equal(put.status, 200, JSON.stringify(put.body));
  t.equal(await storedSecret("shop"), SECRET, "PUT kept the secret it left out");
  const rotated = await patch("shop", { webhook: { secret: "whsec_rotated_0123456789abcdef" } });
  t.equal(rotated.status, 200);
  t.equal(await storedSecret("shop"), "whsec_rotated_0123456789abcdef", "a secret sent replaces it");

  const replaced = await system.api("PUT", "/v1/accounts/shop", { organizationId: "acme" });
  t.equal(replaced.status, 200);
  t.notOk(
    "webhook" in replaced.body || "helpText" in replaced.body || "name" in replaced.body,
    "PUT replaces every setting",
  );
  const noSecret = await patch("shop", { webhook: { url: "https://93.184.216.34/hook" } });
  t.equal(noSecret.status, 400, "a first webhook needs its secret");
  t.match(noSecret.body.error, { code: "INVALID_PAYLOAD", message: /webhook\.secret is required/ });
});

t.test("PATCH refuses what PUT refuses, and what the patched account would break", async (t) => {
  await system.api("PUT", "/v1/accounts/strict", { organizationId: "acme" });
  const cases: [unknown, RegExp][] = [
    [{ unknownSetting: true }, /must NOT have additional properties/],
    [{ listScope: "everyone" }, /must be equal to one of the allowed values/],
    [{ organizationId: null }, /the patched account is invalid: .*organizationId/],
    [{ confirmationSms: { enabled: true } }, /the patched account is invalid: .*confirmationSms.*text/],
    [{ keywordFlows: { US: { keyword: "STOP", template: "Text {keyword} to {number}" } } }, /number/],
    [{ tagTemplates: { en: "no link here" } }, /tagTemplates/],
    [
      { webhook: { url: "http://127.0.0.1/hook", secret: SECRET } },
      /WEBHOOK_ALLOW_PRIVATE_NETWORKS|webhook\.url/,
    ],
  ];
  for (const [body, message] of cases) {
    const res = await patch("strict", body);
    t.equal(res.status, 400, JSON.stringify(body));
    t.match(res.body.error, { code: "INVALID_PAYLOAD", message }, JSON.stringify(body));
  }
  t.equal((await patch("strict", "[1, 2]")).status, 400, "a patch is an object");
  t.equal((await patch("strict", "{not json")).status, 400);
  t.equal((await patch("nobody-here", { name: "x" })).status, 404, "PATCH does not create");
  t.equal((await patch("strict", "<name>x</name>", "application/xml")).status, 415);
  const token = await system.api("POST", "/v1/accounts/strict/tokens", {
    types: ["sms"],
    permissions: ["read", "write"],
  });
  t.equal(
    (await system.api("PATCH", "/v1/accounts/strict", { name: "x" }, token.body.token)).status,
    403,
    "admin only",
  );
});

t.test("every setting a worker reads can be set: a US keyword flow reaches the tag worker", async (t) => {
  await system.api("PUT", "/v1/accounts/us-sender", { organizationId: "acme" });
  const before = await requestJson<TagReply>(infra.nc, infra.names.subjects.tag, {
    accountId: "us-sender",
    recipients: ["+12125550123"],
  });
  t.match(before.reply.tags[0], { link: /^https:\/\/o\.example\// }, "no flow for the US: a link");
  const res = await patch("us-sender", {
    keywordFlows: {
      US: { keyword: "STOP", template: "Reply {keyword} to opt out" },
      GB: { keyword: "STOP", template: "Reply {keyword} to opt out" },
      FR: false,
    },
    tagTemplates: { fr: "Se désabonner : {link}", en: "Unsubscribe: {link}" },
    linkBaseUrl: "https://l.example/",
  });
  t.equal(res.status, 200, JSON.stringify(res.body));
  system.env.infra.accounts.forget("us-sender");
  await waitFor(
    "the tag worker to see the setting",
    async () => {
      const { reply } = await requestJson<TagReply>(infra.nc, infra.names.subjects.tag, {
        accountId: "us-sender",
        recipients: ["+12125550123", "+447400123456", "+33612345678"],
      });
      return reply.tags[0]?.text === "Reply STOP to opt out" ? reply : undefined;
    },
    10_000,
  ).then((reply) => {
    t.same(
      reply.tags.map((x) => x.text?.replace(/\/\w+$/, "/<token>")),
      ["Reply STOP to opt out", "Reply STOP to opt out", "Se désabonner : https://l.example/<token>"],
      "US and UK flows; FR switched off gets a link with the account template and base",
    );
  });
  const removed = await patch("us-sender", { keywordFlows: { FR: null, GB: null } });
  t.same(
    removed.body.keywordFlows,
    { US: { keyword: "STOP", template: "Reply {keyword} to opt out" } },
    "null in a patch removes an override",
  );
});

t.test("a list scope change carries the opt-outs: nobody opted out becomes reachable", async (t) => {
  await system.api("PUT", "/v1/accounts/mover", {
    organizationId: "acme",
    listScope: "account",
    defaultCountry: "NL",
  });
  const own = "account:mover";
  // The own list's filter is live (built), so the check answers from it.
  const first = "+31655500001";
  await system.sendSms({ from: first, text: "STOP", accountId: "mover" });
  await system.check({ accountId: "mover", recipients: [first] });
  await waitFor("the own list's filter", () => infra.filter.isReady(own, "sms"));

  // Opted out on the organization list only (via a sibling account).
  const orgOnly = "+31655500002";
  await system.sendSms({ from: orgOnly, text: "STOP", accountId: "seed" });
  const toOrg = await patch("mover", { listScope: "organization" });
  t.match(toOrg.body.scopeChange, { fromScope: own, toScope: "org:acme", carried: 1 });
  const onOrg = await system.check({ accountId: "mover", recipients: [first, orgOnly] });
  t.same(
    onOrg.results.map((r) => r.reason),
    ["opted_out", "opted_out"],
    "on the organization list: its own opt-out came along",
  );

  const back = await patch("mover", { listScope: "account" });
  t.equal(back.status, 200);
  t.match(back.body.scopeChange, { fromScope: "org:acme", toScope: own });
  t.same(
    await infra.filter.mightContain(own, "sms", [orgOnly]),
    [true],
    "the carried opt-out's bits are in the live filter",
  );
  const onOwn = await system.check({ accountId: "mover", recipients: [first, orgOnly] });
  t.same(
    onOwn.results.map((r) => r.reason),
    ["opted_out", "opted_out"],
    "back on its own list: still suppressed",
  );
  t.match(await getHistory(infra.pool, own, "sms", orgOnly), [
    { action: "opt_out", source: "scope_change", evidence: { fromScope: "org:acme" } },
  ]);
  const history = await system.api(
    "GET",
    `/v1/accounts/mover/optouts/sms/${encodeURIComponent(orgOnly)}/history`,
  );
  t.match(history.body.items, [{ source: "scope_change" }], "the history shows where it came from");
});
