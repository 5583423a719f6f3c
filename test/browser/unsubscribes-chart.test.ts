/**
 * The opt-outs-per-day chart of the Unsubscribes page in Debian's Chromium: an inline SVG drawn
 * from GET .../stats/optouts, one bar per UTC day of the last 30, heights from the counts,
 * following the channel filter; an erased recipient shows as "Erased". The screenshot lands in
 * test-artifacts/ui-chart.png.
 */
import t from "tap";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext } from "playwright-core";
import { recordEvents, type NewEvent } from "@optout/store";
import { REPO_ROOT } from "@optout/testkit";
import { ADMIN_TOKEN, startApiEnv } from "../helpers/api-env.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARTIFACTS = join(REPO_ROOT, "test-artifacts");

const sys = await startApiEnv("ui-chart");
t.teardown(() => sys.stop());
await sys.account("chart-nl", "chart-org");

const DAY_MS = 86_400_000;
/** Noon UTC `days` days ago, and its UTC date. */
const noon = (days: number) => {
  const now = new Date();
  const time = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 12) - days * DAY_MS;
  // Today's noon may be ahead of the clock: the chart counts the whole UTC day.
  return { at: new Date(time).toISOString(), day: new Date(time).toISOString().slice(0, 10) };
};
let n = 0;
const optOut = (days: number, channel: "sms" | "email" = "sms"): NewEvent => ({
  scope: "org:chart-org",
  accountId: "chart-nl",
  channel,
  identifier: channel === "sms" ? `+316123${String(40_000 + ++n)}` : `p${++n}@example.com`,
  action: "opt_out",
  source: "sms_keyword",
  sourceId: `chart-${n}`,
  occurredAt: noon(days).at,
});
// 3 today, 1 two days ago, 2 ten days ago plus one email; one 40 days ago (outside the chart).
for (const e of [
  optOut(0),
  optOut(0),
  optOut(0),
  optOut(2),
  optOut(10),
  optOut(10),
  optOut(10, "email"),
  optOut(40),
])
  await recordEvents(sys.env.infra.pool, [e]);
// An erased recipient's events carry the keyed hash instead of the identifier.
await recordEvents(sys.env.infra.pool, [{ ...optOut(1), identifier: `erased:${"ab".repeat(32)}` }]);

await mkdir(ARTIFACTS, { recursive: true });
const userDataDir = await mkdtemp(join(tmpdir(), "optout-ui-chart-"));
const context: BrowserContext = await chromium.launchPersistentContext(userDataDir, {
  executablePath: CHROMIUM,
  headless: true,
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-sync",
  ],
  viewport: { width: 1280, height: 900 },
  locale: "en-GB",
});
t.teardown(async () => {
  await context.close();
  await rm(userDataDir, { recursive: true, force: true });
});

t.test(
  "the chart shows one bar per day with the day's opt-outs, and follows the channel filter",
  async (t) => {
    const page = context.pages()[0] ?? (await context.newPage());
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(m.text());
    });
    page.on("pageerror", (e) => problems.push(e.message));
    const external: string[] = [];
    page.on("request", (r) => {
      if (!r.url().startsWith(sys.url)) external.push(r.url());
    });

    await page.goto(`${sys.url}/ui/`);
    await page.fill("#token", ADMIN_TOKEN);
    await page.fill("#account", "chart-nl");
    await page.click("#signin-submit");
    await page.waitForSelector("#stats-chart svg.bar-chart");
    await page.waitForSelector("#events-body tr");

    const bars = async () =>
      page.$$eval("#stats-chart rect.bar, #stats-chart rect.bar-empty", (rects) =>
        rects.map((r) => ({
          day: r.getAttribute("data-day"),
          count: Number(r.getAttribute("data-count")),
          height: Number(r.getAttribute("height")),
        })),
      );
    const all = await bars();
    t.equal(all.length, 30, "one bar per day");
    t.equal(all[29]!.day, noon(0).day, "today last");
    const count = (days: number) => all.find((b) => b.day === noon(days).day)?.count;
    t.equal(count(0), 3);
    t.equal(count(1), 1, "the erased recipient still counts");
    t.equal(count(2), 1);
    t.equal(count(10), 3, "both channels");
    t.equal(count(5), 0);
    t.equal(
      all.reduce((s, b) => s + b.count, 0),
      8,
      "40 days ago is outside the chart",
    );
    const today = all[29]!;
    const twoDaysAgo = all.find((b) => b.day === noon(2).day)!;
    t.ok(today.height > twoDaysAgo.height * 2.5, "heights follow the counts");
    t.equal(await page.getAttribute("#stats-chart svg", "aria-label"), "8 opt-outs in the last 30 days");
    t.match(await page.textContent("#stats-summary"), /8 opt-outs in the last 30 days/);
    t.equal(
      await page.textContent(`#stats-chart rect[data-day="${noon(0).day}"] title`),
      `${noon(0).day}: 3 opt-outs`,
      "each bar names its day and count",
    );
    t.ok(
      (
        await page.$$eval("#events-body .identifier.erased", (cells) => cells.map((c) => c.textContent))
      ).includes("Erased"),
      "an erased recipient is shown as such, not as its hash",
    );
    await page.screenshot({ path: join(ARTIFACTS, "ui-chart.png"), fullPage: true });

    await page.click('#channel-filter button[data-value="email"]');
    await page.waitForFunction(
      () =>
        (
          globalThis as unknown as {
            document: { querySelector(s: string): { getAttribute(a: string): string | null } | null };
          }
        ).document
          .querySelector("#stats-chart svg")
          ?.getAttribute("data-total") === "1",
    );
    const email = await bars();
    t.equal(email.find((b) => b.day === noon(10).day)?.count, 1, "email only");
    t.same(problems, [], "no errors in the console");
    t.same(external, [], "nothing loaded from elsewhere");
  },
);
