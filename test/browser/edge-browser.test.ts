/**
 * The link flow as a person goes through it: Debian's Chromium, headless, with JavaScript
 * switched off (the page must work as a plain HTML form), opens the link of a tag, picks a
 * reason, presses the button and reads the confirmation. Screenshots land in test-artifacts/.
 */
import t from "tap";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { createEmailToken } from "@optout/domain";
import { getHistory } from "@optout/store";
import { requestJson, waitFor, REPO_ROOT } from "@optout/testkit";
import type { InboundEmail, TagReply } from "@optout/schemas";
import { EMAIL_TOKEN_SECRET, startSystem } from "../helpers/system.js";

/** What the page's window has that Node's types lack (the repository compiles without the DOM library). */
interface BrowserGlobals {
  getComputedStyle(element: unknown): { minHeight: string };
}

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = join(REPO_ROOT, "test-artifacts");

const system = await startSystem({ name: "edge-browser" });
t.teardown(() => system.stop());
const { infra } = system.env;
await system.account("acme-nl", "acme", "organization", { name: "ACME Shop" });
await system.account("acme-topics", "acme", "organization", {
  name: "ACME Shop",
  topics: [
    { id: "news", name: { en: "Newsletter", nl: "Nieuwsbrief" } },
    { id: "offers", name: { en: "Special offers", nl: "Aanbiedingen" } },
  ],
});

const userDataDir = await mkdtemp(join(tmpdir(), "optout-chromium-"));
await mkdir(ARTIFACTS, { recursive: true });
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
  javaScriptEnabled: false,
  locale: "nl-NL",
  viewport: { width: 420, height: 860 },
});
t.teardown(async () => {
  await context.close();
  await rm(userDataDir, { recursive: true, force: true });
});

t.test(
  "open the link, pick a reason, press Unsubscribe: the page confirms and the number is opted out",
  async (t) => {
    const number = "+31612345678";
    const { reply } = await requestJson<TagReply>(infra.nc, infra.names.subjects.tag, {
      accountId: "acme-nl",
      recipients: [number],
      campaignId: "c-browser",
    });
    const token = reply.tags[0]?.token;
    t.ok(token, "the tag carries a link token");

    const page = await context.newPage();
    const response = await page.goto(`${system.edgeUrl}/${token}`);
    t.equal(response?.status(), 200);
    t.equal(await page.getAttribute("html", "lang"), "nl");
    t.equal(
      await page.getByRole("heading", { level: 1 }).textContent(),
      "Afmelden voor berichten van ACME Shop",
    );
    t.match(await page.locator("main").textContent(), /\+31 6 \*\*\*\*5678/, "the masked number");
    // The inline stylesheet applies only if the Content-Security-Policy's hash covers it.
    t.equal(
      await page
        .locator("button[type=submit]")
        .evaluate((button) => (globalThis as unknown as BrowserGlobals).getComputedStyle(button).minHeight),
      "52px",
      "the page's stylesheet is applied under its CSP",
    );
    t.equal(
      (await system.check({ recipients: [number] })).results[0]?.reason,
      "not_opted_out",
      "opening the page changed nothing",
    );

    await page.getByLabel("Waarom meldt u zich af? (optioneel)").selectOption("not_relevant");
    await page
      .getByLabel("Wilt u ons nog iets laten weten? (optioneel)")
      .fill("Ik woon niet meer in de buurt");
    await page.screenshot({ path: join(ARTIFACTS, "edge-landing.png"), fullPage: true });

    await page.getByRole("button", { name: "Afmelden" }).click();
    await page.getByRole("heading", { name: "U bent afgemeld" }).waitFor();
    t.match(
      await page.getByRole("status").textContent(),
      /\+31 6 \*\*\*\*5678 ontvangt geen marketing-sms'jes meer van ACME Shop/,
      "the confirmation states the result",
    );
    await page.screenshot({ path: join(ARTIFACTS, "edge-confirmation.png"), fullPage: true });

    await waitFor(
      "opted out",
      async () => (await system.check({ recipients: [number] })).results[0]?.reason === "opted_out",
    );
    const history = await getHistory(infra.pool, "org:acme", "sms", number);
    t.match(history, [
      {
        source: "link_click",
        reason: "not_relevant: Ik woon niet meer in de buurt",
        evidence: { token, campaignId: "c-browser" },
      },
    ]);
    t.match(history[0]?.evidence.userAgent, /Chrome/, "the browser's user agent is the evidence");
    await page.close();
  },
);

t.test("an email link opens a confirm page; its button unsubscribes", async (t) => {
  const token = createEmailToken(EMAIL_TOKEN_SECRET, {
    accountId: "acme-nl",
    email: "marie@example.fr",
    listId: "promo",
  });
  const page = await context.newPage();
  await page.goto(`${system.edgeUrl}/email/unsubscribe/${token}?lang=fr`);
  t.equal(await page.getAttribute("html", "lang"), "fr");
  t.match(await page.locator("main").textContent(), /m\*\*\*@example\.fr/);
  await page.screenshot({ path: join(ARTIFACTS, "edge-email-confirm.png"), fullPage: true });
  await page.getByRole("button", { name: "Se désinscrire" }).click();
  await page.getByRole("heading", { name: "Votre désinscription est enregistrée" }).waitFor();
  const stored = await infra.jsm.streams.getMessage(infra.names.streams.inboundEmail, {
    last_by_subj: infra.names.subjects.inboundEmail,
  });
  t.match(stored?.json<InboundEmail>(), { email: "marie@example.fr", method: "link", listId: "promo" });
  await page.close();
});

t.test(
  "for an account with topics the email link opens a preference page: one topic, then all",
  async (t) => {
    const email = "jan@example.nl";
    const token = createEmailToken(EMAIL_TOKEN_SECRET, { accountId: "acme-topics", email, listId: "offers" });
    const emailReason = async (topic?: string) =>
      (
        await system.check({
          accountId: "acme-topics",
          channel: "email",
          recipients: [email],
          ...(topic === undefined ? {} : { topic }),
        })
      ).results[0]?.reason;
    const page = await context.newPage();
    const response = await page.goto(`${system.edgeUrl}/email/unsubscribe/${token}`);
    t.match(response?.headers()["content-security-policy"], /default-src 'none'/);
    const buttons = await page.getByRole("button").allTextContents();
    t.same(
      buttons.map((b) => b.trim()),
      ["Afmelden voor Aanbiedingen", "Afmelden voor Nieuwsbrief", "Afmelden voor alle e-mails"],
      "the email's own topic first, then the others, then all",
    );
    await page.screenshot({ path: join(ARTIFACTS, "edge-email-preferences.png"), fullPage: true });

    await page.getByRole("button", { name: "Afmelden voor Nieuwsbrief" }).click();
    await page.getByRole("heading", { name: "U bent afgemeld" }).waitFor();
    t.match(await page.locator("main").textContent(), /Nieuwsbrief/);
    await waitFor("the topic opt-out", async () => (await emailReason("news")) === "opted_out");
    t.equal(await emailReason("offers"), "not_opted_out", "the other topic is untouched");
    t.equal(await emailReason(), "not_opted_out", "so is the channel");

    // The page's link leads back to the preferences; "all" is the whole channel.
    await page.getByRole("link").first().click();
    await page.getByRole("button", { name: "Afmelden voor alle e-mails" }).click();
    await page.getByRole("heading", { name: "U bent afgemeld" }).waitFor();
    await waitFor("the channel-wide opt-out", async () => (await emailReason()) === "opted_out");
    t.equal(await emailReason("offers"), "opted_out");
    await page.close();
  },
);
