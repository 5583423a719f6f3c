/**
 * Headless Chromium for the page tests (playwright-core driving the system's /usr/bin/chromium, or
 * CHROMIUM_PATH): one persistent context in a temporary profile, a fixed viewport, locale and
 * time zone so screenshots compare, and the page's console errors collected.
 */
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Page } from "playwright-core";
import { REPO_ROOT } from "@optout/testkit";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
/** Screenshots for a human to look at (gitignored). */
export const ARTIFACTS = join(REPO_ROOT, "test-artifacts");

export interface Browser {
  page: Page;
  /** Console errors and uncaught exceptions of the page so far. */
  problems: string[];
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<Browser> {
  await mkdir(ARTIFACTS, { recursive: true });
  const userDataDir = await mkdtemp(join(tmpdir(), "optout-ui-"));
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
    viewport: { width: 1280, height: 860 },
    locale: "en-GB",
    timezoneId: "Europe/Amsterdam",
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(e.message));
  return {
    page,
    problems,
    screenshot: async (name) => {
      await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
    },
    close: async () => {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}
