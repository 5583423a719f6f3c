/**
 * `optout classify`: texts from arguments, a file and stdin; --strict, --to, --brand, --json;
 * --account against a real Postgres (its own schema, @optout/testkit) with that account's
 * keywords, brand names and strict mode.
 */
import t from "tap";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { createTestEnv, REPO_ROOT } from "@optout/testkit";
import { EXIT, runCli } from "@optout/cli";
import { upsertAccount, upsertOrganization } from "@optout/store";

async function cli(
  argv: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) }, env);
  return { code, stdout, stderr };
}

t.test("the decision, the rule and the matched words, one row per text", async (t) => {
  const result = await cli(["classify", "STOP Walgreens", "I'll stop by tomorrow", "Fjern mit nummer tak"]);
  t.equal(result.code, EXIT.OK, result.stderr);
  const rows = result.stdout.trimEnd().split("\n");
  t.match(rows[0], /^ACTION +RULE +MATCH +LANG +TEXT$/);
  t.match(rows[1], /^opt_out +keyword_qualified +STOP +- +"STOP Walgreens"$/);
  t.match(rows[2], /^ignored +- +- +- +"I'll stop by tomorrow"$/);
  t.match(rows[3], /^opt_out +free_text +fjern mit nummer +da +"Fjern mit nummer tak"$/);
});

t.test("--json gives the reason stored with the event; --strict turns free text off", async (t) => {
  const loose = await cli(["classify", "--json", "please remove me from your list"]);
  t.same(JSON.parse(loose.stdout), [
    {
      text: "please remove me from your list",
      action: "opt_out",
      rule: "free_text",
      match: "remove me from your list",
      language: "en",
      reason: "free_text:remove me from your list",
    },
  ]);
  const strict = await cli(["classify", "--json", "--strict", "please remove me from your list", "STOP"]);
  t.same(
    JSON.parse(strict.stdout).map((a: { action: string }) => a.action),
    ["ignored", "opt_out"],
  );
});

t.test("--to and --brand are the message's context", async (t) => {
  const result = await cli([
    "classify",
    "--json",
    "--to",
    "3010",
    "--brand",
    "Acme Shoes",
    "stop acmeshoes 3010",
  ]);
  t.match(JSON.parse(result.stdout), [{ action: "opt_out", rule: "keyword_qualified", match: "STOP" }]);
});

t.test("texts from a file, one per line; bad arguments exit 2", async (t) => {
  const dir = await mkdtemp(join(tmpdir(), "optout-classify-"));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const path = join(dir, "replies.txt");
  await writeFile(path, "AFMELDEN\nhoi, hoe laat zijn jullie open?\nSTART\n");
  const result = await cli(["classify", "--json", "--file", path]);
  t.same(
    JSON.parse(result.stdout).map((a: { action: string }) => a.action),
    ["opt_out", "ignored", "opt_in"],
  );
  for (const argv of [
    ["classify", "--file", join(dir, "missing.txt")],
    ["classify", "--file", path, "STOP"],
    ["classify", "--bogus", "STOP"],
  ]) {
    const bad = await cli(argv);
    t.equal(bad.code, EXIT.USAGE, argv.join(" "));
    t.match(bad.stderr, /^optout: .*\nrun "optout classify --help"/);
  }
  const help = await cli(["classify", "--help"]);
  t.match(help.stdout, /^usage: optout classify/);
  t.match(help.stdout, /Exit: /);
});

t.test("as a process: lines on standard input", async (t) => {
  const child = spawn(
    process.execPath,
    ["--conditions=development", "--import", "tsx", "packages/cli/src/main.ts", "classify", "--json"],
    { cwd: REPO_ROOT, stdio: ["pipe", "pipe", "pipe"] },
  );
  let stdout = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stdin.end("Ich möchte keine Nachrichten mehr erhalten\nWann endet die Aktion?\n");
  const code = await new Promise((resolve) => child.on("close", resolve));
  t.equal(code, EXIT.OK);
  t.match(JSON.parse(stdout), [
    { action: "opt_out", rule: "free_text", language: "de", reason: /^free_text:.*keine nachrichten mehr/ },
    { action: "ignored" },
  ]);
});

t.test("--account: that account's keywords, brand names and strict mode", async (t) => {
  const env = await createTestEnv({ name: "cli-classify" });
  t.teardown(() => env.teardown());
  const { infra, config } = env;
  await upsertOrganization(infra.pool, { id: "org-c" });
  await upsertAccount(infra.pool, {
    id: "strict-shop",
    organizationId: "org-c",
    settings: {
      freeTextOptOut: false,
      brandNames: ["Bakker Bart"],
      keywords: { optOut: { nl: ["GENOEG"] } },
    },
  });
  const shell = {
    DATABASE_URL: config.databaseUrl,
    DATABASE_SCHEMA: config.databaseSchema,
    LOG_LEVEL: "error",
  };
  const result = await cli(
    ["classify", "--json", "--account", "strict-shop", "genoeg", "STOP Bakker Bart", "geen sms meer aub"],
    shell,
  );
  t.equal(result.code, EXIT.OK, result.stderr);
  t.match(JSON.parse(result.stdout), [
    { action: "opt_out", rule: "keyword", match: "GENOEG" },
    { action: "opt_out", rule: "keyword_qualified", match: "STOP" },
    { action: "ignored" },
  ]);
  const unknown = await cli(["classify", "--account", "nobody", "STOP"], shell);
  t.equal(unknown.code, EXIT.NOTHING_MATCHED);
  t.match(unknown.stderr, /no account "nobody"/);
});
