/**
 * The runner without a NATS server: help, usage errors and their exit codes, time arguments.
 * (Commands against a real installation: test/integration/dead-letter-replay.test.ts.)
 */
import t from "tap";
import { EXIT, parseTime, runCli, UsageError } from "@optout/cli";

async function run(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  // An unreachable NATS: a command that gets past its argument checks fails with 1, not 2.
  const code = await runCli(
    argv,
    { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) },
    { NATS_URL: "nats://127.0.0.1:1" },
  );
  return { code, stdout, stderr };
}

t.test("help at every level, exit 0", async (t) => {
  const top = await run("--help");
  t.equal(top.code, EXIT.OK);
  t.match(top.stdout, /dlq\s+dead letters/);
  t.match(top.stdout, /3 +nothing matched/, "the exit codes are documented");
  t.match((await run("dlq", "--help")).stdout, /list\s+list dead letters[\s\S]*show[\s\S]*replay/);
  for (const command of ["list", "show", "replay"]) {
    const help = await run("dlq", command, "--help");
    t.equal(help.code, EXIT.OK);
    t.match(help.stdout, new RegExp(`^usage: optout dlq ${command}`));
  }
});

t.test("usage errors exit 2 and say what to run", async (t) => {
  for (const argv of [
    [],
    ["nope"],
    ["dlq"],
    ["dlq", "nope"],
    ["dlq", "list", "--bogus"],
    ["dlq", "list", "--limit", "0"],
    ["dlq", "list", "--since", "yesterday"],
    ["dlq", "list", "--since", "1h", "--until", "2h"],
    ["dlq", "list", "extra"],
    ["dlq", "show"],
    ["dlq", "show", "1", "2"],
    ["dlq", "show", "-3"],
    ["dlq", "replay"],
    ["dlq", "replay", "x"],
    ["dlq", "replay", "--reason", "UNKNOWN_ACCOUNT"],
    ["dlq", "replay", "1", "--all-matching"],
  ]) {
    const result = await run(...argv);
    t.equal(result.code, EXIT.USAGE, `optout ${argv.join(" ")}`);
    t.match(result.stderr, /^optout: /);
  }
  const config = await runCli(
    ["dlq", "list"],
    { stdout: () => undefined, stderr: () => undefined },
    { OPTOUT_NAMESPACE: "Not Valid" },
  );
  t.equal(config.valueOf(), EXIT.USAGE, "a bad environment variable is a usage error too");
});

t.test("NATS unreachable: exit 1 with the reason", async (t) => {
  const result = await run("dlq", "list");
  t.equal(result.code, EXIT.FAILURE);
  t.match(result.stderr, /cannot connect to nats:\/\/127\.0\.0\.1:1/);
});

t.test("times: RFC 3339, a date, or a duration ago", async (t) => {
  const now = Date.parse("2026-11-26T12:00:00Z");
  t.equal(parseTime("2026-11-26T10:00:00Z", "--since", now).toISOString(), "2026-11-26T10:00:00.000Z");
  t.equal(parseTime("2026-11-26T10:00:00+01:00", "--since", now).toISOString(), "2026-11-26T09:00:00.000Z");
  t.equal(parseTime("2026-11-26", "--since", now).toISOString(), "2026-11-26T00:00:00.000Z");
  t.equal(parseTime("30m", "--since", now).toISOString(), "2026-11-26T11:30:00.000Z");
  t.equal(parseTime("7d", "--since", now).toISOString(), "2026-11-19T12:00:00.000Z");
  for (const bad of ["yesterday", "2026-13-45", "10", "-1h", ""])
    t.throws(() => parseTime(bad, "--since", now), UsageError, bad);
});
