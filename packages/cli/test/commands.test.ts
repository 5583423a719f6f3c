/**
 * Every command without servers: its help, its usage errors (exit 2 before any connection), and
 * the helpers whose output scripts read (CSV quoting, secret redaction, progress on stderr).
 * Against real Postgres/NATS/Redis: operations.test.ts.
 */
import t from "tap";
import { COMMAND_GROUPS, EXIT, runCli } from "@optout/cli";
import { csvField } from "../src/commands/export.js";
import { redactSecrets, REDACTED } from "../src/commands/accounts.js";
import { createProgress } from "../src/progress.js";

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  // Nothing reachable: a command that got past its argument checks would fail with 1, not 2.
  const code = await runCli(
    argv,
    { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) },
    {
      NATS_URL: "nats://127.0.0.1:1",
      DATABASE_URL: "postgres://127.0.0.1:1/none",
      REDIS_URL: "redis://127.0.0.1:1",
    },
  );
  return { code, stdout, stderr };
}

const NEW_COMMANDS = [
  ["check"],
  ["import", "contacts"],
  ["import", "optouts"],
  ["export", "optouts"],
  ["export", "group"],
  ["accounts", "list"],
  ["accounts", "show"],
  ["tokens", "create"],
  ["tokens", "list"],
  ["tokens", "revoke"],
  ["cache", "rebuild"],
  ["cache", "invalidate"],
  ["prune"],
  ["erase"],
];

t.test("--help on every command and group, exit 0, on stdout", async (t) => {
  const top = await run("--help");
  for (const g of COMMAND_GROUPS)
    t.match(top.stdout, new RegExp(`\\n  ${g.name}\\s+\\S`), `${g.name} listed`);
  t.match(top.stdout, /4 +partial/, "exit code 4 documented");
  for (const argv of NEW_COMMANDS) {
    const help = await run(...argv, "--help");
    t.equal(help.code, EXIT.OK, `${argv.join(" ")} --help`);
    t.match(help.stdout, new RegExp(`^usage: optout ${argv.join(" ")}`), `${argv.join(" ")} usage line`);
    t.match(help.stdout, /Exit: /, `${argv.join(" ")} says its exit codes`);
  }
  for (const group of ["import", "export", "accounts", "tokens", "cache"]) {
    const help = await run(group, "--help");
    t.equal(help.code, EXIT.OK);
    t.match(help.stdout, /Subcommands:/);
  }
});

t.test("bad arguments exit 2 before connecting anywhere", async (t) => {
  for (const argv of [
    ["check"],
    ["check", "--account", "a", "+31612345678"],
    ["check", "--account", "a", "--channel", "fax", "+31612345678"],
    ["check", "--account", "a", "--channel", "sms"],
    ["check", "--account", "a", "--channel", "sms", "--batch", "10001", "x"],
    ["check", "--account", "a", "--channel", "sms", "--category", "spam", "x"],
    ["check", "--account", "a", "--channel", "sms", "--file", "/nonexistent/file"],
    ["import", "contacts", "--file", "x.csv"],
    ["import", "contacts", "--account", "a"],
    ["import", "contacts", "--account", "a", "--file", "x.csv", "--format", "xml"],
    ["import", "optouts", "--account", "a", "--file", "/nonexistent.csv"],
    ["import", "optouts", "--account", "a", "--file", "x.csv", "--threads", "many"],
    ["export", "optouts", "--account", "a", "--channel", "fax"],
    ["export", "optouts", "--account", "a", "--format", "xlsx"],
    ["export", "group", "--account", "a", "--channel", "sms"],
    ["export", "group", "--account", "a", "--group", "g"],
    ["accounts", "list", "--limit", "0"],
    ["accounts", "show"],
    ["accounts", "show", "a", "b"],
    ["tokens", "create", "--account", "a", "--permission", "read"],
    ["tokens", "create", "--account", "a", "--type", "fax", "--permission", "read"],
    ["tokens", "create", "--account", "a", "--type", "sms", "--permission", "admin"],
    ["tokens", "list"],
    ["tokens", "revoke", "--account", "a"],
    ["tokens", "revoke", "--account", "a", "bad id!"],
    ["cache", "rebuild"],
    ["cache", "rebuild", "--all", "--account", "a"],
    ["cache", "invalidate", "--scope", "acme"],
    ["cache", "invalidate", "--all", "--channel", "fax"],
    ["prune", "--webhook-jobs-days", "0"],
    ["prune", "--batch", "x"],
    ["prune", "extra"],
    ["erase", "--channel", "sms", "+31612345678"],
    ["erase", "--account", "a", "--channel", "fax", "+31612345678"],
    ["erase", "--account", "a", "--channel", "sms"],
    ["erase", "--account", "a", "--channel", "sms", "+31612345678", "+31612345679"],
  ]) {
    const result = await run(...argv);
    t.equal(result.code, EXIT.USAGE, `optout ${argv.join(" ")}`);
    t.match(result.stderr, /^optout: .*\nrun "optout /, "the reason, then where to read more");
  }
});

t.test("unreachable stores: exit 1 with what to check", async (t) => {
  const pg = await run("accounts", "list");
  t.equal(pg.code, EXIT.FAILURE);
  t.match(pg.stderr, /postgres: cannot use postgres:\/\/127\.0\.0\.1:1\/none/);
  const nats = await run("check", "--account", "a", "--channel", "sms", "+31612345678");
  t.equal(nats.code, EXIT.FAILURE);
  t.match(nats.stderr, /cannot connect to nats:\/\/127\.0\.0\.1:1/);
});

t.test("CSV fields are quoted when they must be", async (t) => {
  t.equal(csvField("+31612345678"), "+31612345678");
  t.equal(csvField('said "stop", twice'), '"said ""stop"", twice"');
  t.equal(csvField("two\nlines"), '"two\nlines"');
  t.equal(csvField(null), "");
});

t.test("secrets are redacted wherever they are in the settings", async (t) => {
  const settings = {
    name: "Acme",
    webhook: { url: "https://hooks.example/x", secret: "s3cr3t-s3cr3t-s3cr3t" },
    nested: [{ apiKey: "k-123" }, { password: "p" }],
    keywords: { optOut: { en: ["STOP"] } },
  };
  const shown = redactSecrets(settings);
  t.same(shown, {
    name: "Acme",
    webhook: { url: "https://hooks.example/x", secret: REDACTED },
    nested: [{ apiKey: REDACTED }, { password: REDACTED }],
    keywords: { optOut: { en: ["STOP"] } },
  });
  t.notMatch(JSON.stringify(shown), /s3cr3t|k-123/);
  t.equal(settings.webhook.secret, "s3cr3t-s3cr3t-s3cr3t", "the original is untouched");
});

t.test("progress: lines off a terminal, one redrawn line (a bar) on one, always on stderr", async (t) => {
  let clock = 0;
  const now = () => clock;
  let lines = "";
  const plain = createProgress(
    { stdout: () => t.fail("progress on stdout"), stderr: (s) => (lines += s) },
    { label: "import contacts", unit: "rows", now },
  );
  clock = 500;
  plain.update(10, 0.1);
  t.equal(lines, "", "throttled: nothing before a second");
  clock = 2_000;
  plain.update(4_000, 0.5, "3 failed");
  plain.finish("done");
  t.equal(lines, "import contacts: 50% 4,000 rows, 2,000 rows/s, 3 failed\ndone\n");
  let tty = "";
  const bar = createProgress(
    { stdout: () => t.fail("progress on stdout"), stderr: (s) => (tty += s), stderrIsTTY: true },
    { label: "check", unit: "recipients", now },
  );
  clock = 3_000;
  bar.update(500, 0.25);
  t.ok(tty.startsWith("\r\x1b[Kcheck [######..................] 25% 500 recipients"), tty);
  bar.finish("check: done");
  t.ok(tty.endsWith("\r\x1b[Kcheck: done\n"), "the bar is cleared before the closing line");
});
