/**
 * The Unsubscribes page's browsing (issue 12 item 7) in headless Chromium: the admin token's
 * account picker (GET /v1/accounts by prefix), readable source and reason labels, international
 * email domains shown in Unicode, and events ordered by when they happened rather than when they
 * were recorded. Screenshots: test-artifacts/ui-browse-*.png.
 */
import t from "tap";
import { recordEvents, type NewEvent } from "@optout/store";
import { ADMIN_TOKEN, startApiEnv } from "../helpers/api-env.js";
import { launchBrowser } from "../helpers/browser.js";

const sys = await startApiEnv("ui-browse");
t.teardown(() => sys.stop());
// Account lists: each its own list, so each shows only its events.
for (const id of ["shop-a", "shop-b", "store-x"]) await sys.account(id, `org-${id}`, "account");

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
let sourceId = 0;
const event = (
  e: Pick<NewEvent, "channel" | "identifier" | "action" | "source"> & Partial<NewEvent>,
  minutes: number,
  accountId = "shop-a",
): NewEvent => ({
  scope: `account:${accountId}`,
  accountId,
  sourceId: `browse-${++sourceId}`,
  occurredAt: minutesAgo(minutes),
  ...e,
});
// Recorded in this order; the last one happened two days ago (an import of an old opt-out).
for (const e of [
  event(
    {
      channel: "sms",
      identifier: "+31611110001",
      action: "opt_out",
      source: "sms_keyword",
      reason: "keyword:STOP",
    },
    30,
  ),
  event(
    {
      channel: "email",
      identifier: "anders@xn--bcher-kva.example",
      action: "opt_out",
      source: "email_one_click",
      reason: "one_click",
    },
    10,
  ),
  event(
    {
      channel: "sms",
      identifier: "+31611110002",
      action: "opt_out",
      source: "link_click",
      reason: "link_click",
    },
    5,
  ),
  event(
    { channel: "sms", identifier: "+31611110003", action: "opt_out", source: "import", reason: "old list" },
    60 * 48,
  ),
  // One recipient's history, recorded out of order: the opt-in (yesterday) before the opt-out (3 days ago).
  event(
    { channel: "sms", identifier: "+31611110009", action: "opt_in", source: "api", reason: "asked by phone" },
    60 * 24,
  ),
  event(
    {
      channel: "sms",
      identifier: "+31611110009",
      action: "opt_out",
      source: "sms_keyword",
      reason: "keyword:STOP",
    },
    60 * 72,
  ),
  event(
    {
      channel: "sms",
      identifier: "+31622220001",
      action: "opt_out",
      source: "sms_keyword",
      reason: "keyword:STOPALL",
    },
    2,
    "store-x",
  ),
])
  await recordEvents(sys.env.infra.pool, [e]);

const browser = await launchBrowser();
t.teardown(() => browser.close());
const { page } = browser;

/** The cells of the event table, one array per row. */
const table = () =>
  page.$$eval("#events-body tr", (trs) =>
    trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent?.trim() ?? "")),
  );

t.test("the admin token: sign in without an account, pick one by prefix", async (t) => {
  await page.goto(`${sys.url}/ui/`);
  await page.fill("#token", ADMIN_TOKEN);
  await page.click("#signin-submit");
  await page.waitForSelector("#account-picker:not([hidden])");
  await page.waitForSelector("#events-body tr");
  t.equal(await page.textContent("#account-chip"), "shop-a", "the first account in id order");
  await page.waitForSelector("#account-select option[value=store-x]", { state: "attached" });
  t.same(
    await page.$$eval("#account-select option", (os) => os.map((o) => o.textContent)),
    ["shop-a", "shop-b", "store-x"],
    "every account, the current one selected",
  );
  t.equal(await page.inputValue("#account-select"), "shop-a");

  await page.fill("#account-filter", "sto");
  await page.waitForFunction(
    () =>
      (
        globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
      ).document.querySelectorAll("#account-select option").length === 2,
  );
  t.same(
    await page.$$eval("#account-select option", (os) => os.map((o) => o.textContent)),
    ["shop-a", "store-x"],
    "the accounts starting with the filter (and the current one)",
  );
  await browser.screenshot("ui-browse-picker.png");
  await page.selectOption("#account-select", "store-x");
  await page.waitForFunction(
    () =>
      (
        globalThis as unknown as {
          document: { querySelector(s: string): { textContent: string | null } | null };
        }
      ).document.querySelector("#account-chip")?.textContent === "store-x",
  );
  await page.waitForSelector("#events-body tr:only-child");
  t.same((await table())[0]!.slice(1, 6), [
    "+316 •••• 0001",
    "SMS",
    "Opted out",
    "SMS reply",
    "Replied STOPALL (keyword)",
  ]);

  await page.fill("#account-filter", "nothing-like-this");
  await page.waitForSelector("#account-select option[disabled]", { state: "attached" });
  t.match(await page.textContent("#account-select"), /No account starts with “nothing-like-this”/);
  await page.fill("#account-filter", "");
  await page.waitForSelector("#account-select option[value=shop-a]", { state: "attached" });
  await page.selectOption("#account-select", "shop-a");
  await page.waitForSelector("#events-body tr:nth-child(5)");
});

t.test("events by when they happened; readable reasons; an IDN address in Unicode", async (t) => {
  await page.check("#reveal-all");
  const rows = await table();
  t.same(
    rows.map((r) => r[1]),
    ["+31611110002", "anders@bücher.example", "+31611110001", "+31611110009", "+31611110003", "+31611110009"],
    "newest first by occurredAt, not in the order recorded (the two-day-old import was recorded after the recent ones)",
  );
  t.same(
    rows.map((r) => [r[4], r[5]]),
    [
      ["Clicked the opt-out link", "—"],
      ["Email one-click unsubscribe", "—"],
      ["SMS reply", "Replied STOP (keyword)"],
      ["API", "asked by phone"],
      ["Import", "old list"],
      ["SMS reply", "Replied STOP (keyword)"],
    ],
    "sources and reasons as words, never keyword:STOP; a reason that only restates the source (link_click, one_click) left out",
  );
  t.notOk((await page.textContent("#events-body"))!.includes("xn--"), "no punycode on the page");
  t.equal(
    await page.getAttribute('#events-body button.identifier[data-channel="email"]', "title"),
    "Stored as anders@xn--bcher-kva.example. Click to show or hide",
  );
  await page.uncheck("#reveal-all");
  t.equal(
    await page.textContent('#events-body button.identifier[data-channel="email"]'),
    "a•••@bücher.example",
    "masked, the domain in Unicode too",
  );
  await browser.screenshot("ui-browse-events.png");
});

t.test("search an address typed in Unicode; one recipient's history oldest first", async (t) => {
  await page.fill("#search", "Anders@BÜCHER.example");
  await page.click("#search-form button[type=submit]");
  await page.waitForSelector("#detail .timeline");
  await page.check("#reveal-all");
  t.equal(await page.textContent("#detail .detail-title"), "anders@bücher.example");
  t.match(await page.textContent("#detail .timeline"), /Opted out via Email one-click unsubscribe/);

  await page.fill("#search", "+31611110009");
  await page.click("#search-form button[type=submit]");
  await page.waitForFunction(
    () =>
      (
        globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
      ).document.querySelectorAll("#detail .timeline-item").length === 2,
  );
  const items = await page.$$eval("#detail .timeline-item", (lis) => lis.map((li) => li.textContent ?? ""));
  t.match(items[0], /Opted out via SMS reply.*Replied STOP \(keyword\)/, "three days ago first");
  t.match(items[1], /Opted in via API.*asked by phone/, "then yesterday's opt-in");
  await browser.screenshot("ui-browse-history.png");
  await page.uncheck("#reveal-all");
});

t.test("an account token has no picker", async (t) => {
  const token = await sys.token("shop-b", ["sms"], ["read"]);
  await page.click("#sign-out");
  await page.fill("#token", token);
  await page.fill("#account", "");
  await page.click("#signin-submit");
  await page.waitForSelector("#app-view:not([hidden])");
  t.equal(await page.textContent("#account-chip"), "shop-b");
  t.equal(await page.isHidden("#account-picker"), true);
});

t.test("no console errors and no CSP violations", async (t) => {
  t.same(browser.problems, []);
});
