/**
 * The operator commands against a real installation (its own namespace, Postgres schema and
 * Redis prefix, see @optout/testkit), run in-process as an operator's shell would run them:
 * accounts, tokens, import, export, check (with a suppression-check worker), cache, prune.
 * Each asserts what scripts rely on: stdout, --json, exit codes.
 */
import t from "tap";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { spawn } from "node:child_process";
import { createTestEnv, REPO_ROOT } from "@optout/testkit";
import { EXIT, runCli } from "@optout/cli";
import { erasedIdentifier } from "@optout/domain";
import {
  findActiveApiToken,
  getState,
  hashApiToken,
  recordEvents,
  upsertAccount,
  upsertOrganization,
} from "@optout/store";
import { startSuppressionCheck } from "@optout/service-suppression-check";
import { REDACTED } from "../src/commands/accounts.js";

const env = await createTestEnv({ name: "cli-operations" });
const { infra, config } = env;
const dir = await mkdtemp(join(tmpdir(), "optout-cli-"));
const ERASURE_HASH_SECRET = "cli-erasure-hash-secret-0123456789";
const checker = await startSuppressionCheck(infra, { erasureHashSecret: ERASURE_HASH_SECRET });
t.teardown(async () => {
  await checker.stop();
  await env.teardown();
  await rm(dir, { recursive: true, force: true });
});

const shell: NodeJS.ProcessEnv = {
  NATS_URL: config.natsUrl,
  OPTOUT_NAMESPACE: config.namespace,
  DATABASE_URL: config.databaseUrl,
  DATABASE_SCHEMA: config.databaseSchema,
  REDIS_URL: config.redisUrl,
  // The workers' filter geometry: a filter of another size is not trusted by them.
  BLOOM_EXPECTED_ENTRIES: String(config.bloomExpectedEntries),
  BLOOM_FALSE_POSITIVE_RATE: String(config.bloomFalsePositiveRate),
  IMPORT_THREADS: "1",
  ERASURE_HASH_SECRET,
  LOG_LEVEL: "error",
};

interface Result {
  code: number;
  stdout: string;
  stderr: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON output
  json: any;
}

async function cli(...argv: string[]): Promise<Result> {
  let stdout = "";
  let stderr = "";
  const code = await runCli(argv, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) }, shell);
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    json = undefined;
  }
  return { code, stdout, stderr, json };
}

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const WEBHOOK_SECRET = "whsec-0123456789-do-not-print";
await upsertOrganization(infra.pool, { id: "org-a" });
await upsertAccount(infra.pool, {
  id: "acme",
  organizationId: "org-a",
  defaultCountry: "NL",
  settings: { name: "Acme", webhook: { url: "https://hooks.example/optout", secret: WEBHOOK_SECRET } },
});
await upsertAccount(infra.pool, {
  id: "solo",
  organizationId: "org-a",
  listScope: "account",
  defaultCountry: "NL",
});

t.test("accounts list and show; secrets never printed", async (t) => {
  const all = await cli("accounts", "list", "--json");
  t.equal(all.code, EXIT.OK);
  t.same(
    all.json.items.map((a: { id: string }) => a.id),
    ["acme", "solo"],
  );
  t.equal(all.json.hasMore, false);
  const page = await cli("accounts", "list", "--limit", "1", "--json");
  t.same(page.json, { items: [all.json.items[0]], next: "acme", hasMore: true });
  const rest = await cli("accounts", "list", "--after", "acme", "--json");
  t.same(
    rest.json.items.map((a: { id: string }) => a.id),
    ["solo"],
  );
  t.equal((await cli("accounts", "list", "--organization", "org-b")).code, EXIT.NOTHING_MATCHED);

  const shown = await cli("accounts", "show", "acme", "--json");
  t.equal(shown.code, EXIT.OK);
  t.equal(shown.json.list, "org:org-a");
  t.equal(shown.json.settings.webhook.url, "https://hooks.example/optout");
  t.equal(shown.json.settings.webhook.secret, REDACTED);
  const text = await cli("accounts", "show", "acme");
  for (const out of [shown, text, all]) t.notMatch(out.stdout + out.stderr, WEBHOOK_SECRET);
  t.match(text.stdout, /list\s+org:org-a/);
  t.equal((await cli("accounts", "show", "solo", "--json")).json.list, "account:solo");
  t.equal((await cli("accounts", "show", "nobody")).code, EXIT.NOTHING_MATCHED);
});

t.test("tokens: created once, listed without secret, revoked", async (t) => {
  t.equal((await cli("tokens", "list", "--account", "acme")).code, EXIT.NOTHING_MATCHED, "none yet");
  const created = await cli(
    "tokens",
    "create",
    "--account",
    "acme",
    "--type",
    "email,sms",
    "--permission",
    "read",
    "--name",
    "crm sync",
    "--json",
  );
  t.equal(created.code, EXIT.OK);
  t.match(created.json.token, /^oo_[0-9A-Za-z]{16}_[0-9A-Za-z]{32}$/);
  t.same(created.json.types, ["sms", "email"], "registry order, as the API stores them");
  const stored = await findActiveApiToken(infra.pool, created.json.id);
  t.ok(
    stored && hashApiToken(created.json.token).equals(stored.secretHash),
    "the API accepts it: its hash is stored",
  );
  const plain = await cli("tokens", "create", "--account", "acme", "--type", "sms", "--permission", "write");
  t.match(plain.stdout, /^oo_\w+\n$/, "text mode: the token alone on stdout, for a script to capture");

  const listed = await cli("tokens", "list", "--account", "acme", "--json");
  t.equal(listed.json.items.length, 2);
  t.same(Object.keys(listed.json.items[0]).sort(), [
    "createdAt",
    "id",
    "lastUsedAt",
    "name",
    "permissions",
    "types",
  ]);
  const table = await cli("tokens", "list", "--account", "acme");
  t.notMatch(listed.stdout + table.stdout, created.json.token.slice(20), "no secret in listings");
  t.match(table.stdout, /crm sync/);

  t.equal((await cli("tokens", "revoke", "--account", "acme", created.json.id)).code, EXIT.OK);
  t.equal(await findActiveApiToken(infra.pool, created.json.id), null, "revoked at once");
  t.equal((await cli("tokens", "revoke", "--account", "acme", created.json.id)).code, EXIT.NOTHING_MATCHED);
  t.equal(
    (await cli("tokens", "revoke", "--account", "solo", "AAAAAAAAAAAAAAAA")).code,
    EXIT.NOTHING_MATCHED,
  );
  t.equal(
    (await cli("tokens", "create", "--account", "nobody", "--type", "sms", "--permission", "read")).code,
    3,
  );
});

const optoutsCsv = await file(
  "optouts.csv",
  [
    "channel,identifier,date,reason",
    "sms,+31612340001,2026-01-05,old list",
    "sms,06 1234 0002,,", // national format: the account's country
    "email,Someone@Example.COM,2026-02-01T10:00:00Z,",
    "sms,not a number,,",
  ].join("\n") + "\n",
);

t.test("import optouts: recorded like any opt-out; bad rows reported; idempotent", async (t) => {
  const first = await cli("import", "optouts", "--account", "acme", "--file", optoutsCsv, "--json");
  t.equal(first.code, EXIT.PARTIAL, "done, one row refused");
  t.equal(first.json.imported, 3);
  t.equal(first.json.failed, 1);
  t.equal(first.json.errors[0].row, 5, "the line of the bad row");
  t.match(first.stderr, /import optouts: 4 rows in .*3 imported/);
  const state = await getState(infra.pool, "org:org-a", "sms", "+31612340002");
  t.equal(state?.status, "opted_out");
  t.equal((await getState(infra.pool, "org:org-a", "email", "someone@example.com"))?.status, "opted_out");
  const again = await cli("import", "optouts", "--account", "acme", "--file", optoutsCsv, "--json");
  t.equal(again.json.imported, 0);
  t.equal(again.json.duplicates, 3, "nothing recorded twice");
  t.equal(
    (await cli("import", "optouts", "--account", "nobody", "--file", optoutsCsv)).code,
    EXIT.NOTHING_MATCHED,
  );
});

t.test("check: the workers' answer, in input order, batched", async (t) => {
  const answered = await cli(
    "check",
    "--account",
    "acme",
    "--channel",
    "sms",
    "+31612340001",
    "06 1234 0003",
    "no number",
    "--json",
  );
  t.equal(answered.code, EXIT.OK);
  t.same(
    answered.json.results.map((r: { recipient: string; suppressed: boolean; reason: string }) => [
      r.recipient,
      r.suppressed,
      r.reason,
    ]),
    [
      ["+31612340001", true, "opted_out"],
      ["06 1234 0003", false, "not_opted_out"],
      ["no number", true, "invalid_recipient"],
    ],
  );
  t.same(answered.json.summary, { total: 3, suppressed: 2, invalid: 1 });
  const text = await cli("check", "--account", "acme", "--channel", "sms", "0612340002");
  t.match(
    text.stdout,
    /^RECIPIENT\s+IDENTIFIER\s+SUPPRESSED\s+REASON\s+SINCE\n0612340002\s+\+31612340002\s+yes\s+opted_out/,
  );

  const many = Array.from({ length: 9 }, (_, i) => `+3161234000${i + 1}`);
  const list = await file("recipients.txt", `${many.join("\n")}\n\n`);
  const batched = await cli(
    "check",
    "--account",
    "acme",
    "--channel",
    "sms",
    "--file",
    list,
    "--batch",
    "2",
    "--json",
  );
  t.equal(batched.code, EXIT.OK);
  t.same(
    batched.json.results.map((r: { recipient: string }) => r.recipient),
    many,
    "5 requests, results in the file's order",
  );
  t.same(
    batched.json.results
      .filter((r: { suppressed: boolean }) => r.suppressed)
      .map((r: { recipient: string }) => r.recipient),
    ["+31612340001", "+31612340002"],
  );
  t.match(batched.stderr, /check: 9 recipients, 2 suppressed/);

  t.equal(
    (await cli("check", "--account", "nobody", "--channel", "sms", "+31612340001")).code,
    EXIT.NOTHING_MATCHED,
  );
  const badCountry = await cli(
    "check",
    "--account",
    "acme",
    "--channel",
    "sms",
    "--country",
    "Netherlands",
    "x",
  );
  t.equal(badCountry.code, EXIT.USAGE, "a request the worker refuses is a usage error");
  const nobodyListening = await runCli(
    ["check", "--account", "acme", "--channel", "sms", "+31612340001", "--timeout", "2000"],
    { stdout: () => undefined, stderr: (s) => t.match(s, /no worker answers on t\w+x\.check/) },
    { ...shell, OPTOUT_NAMESPACE: `${config.namespace}x` },
  );
  t.equal(nobodyListening, EXIT.FAILURE);
});

t.test("export optouts: CSV that imports back, NDJSON like the API", async (t) => {
  const output = join(dir, "acme-optouts.csv");
  const written = await cli("export", "optouts", "--account", "acme", "--output", output);
  t.equal(written.code, EXIT.OK);
  t.equal(written.stdout, "", "nothing on stdout when writing a file");
  t.match(written.stderr, /export optouts: 3 rows in .* to .*acme-optouts\.csv/);
  const csv = await readFile(output, "utf8");
  const lines = csv.trim().split("\n");
  t.equal(lines[0], "channel,identifier,date,reason");
  t.same(
    lines.slice(1).map((l) => l.split(",").slice(0, 2).join(",")),
    ["sms,+31612340001", "sms,+31612340002", "email,someone@example.com"],
  );
  t.match(lines[1], /^sms,\+31612340001,2026-01-05T00:00:00\.000Z,old list$/);

  const ndjson = await cli("export", "optouts", "--account", "acme", "--channel", "email");
  t.same(
    ndjson.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l)),
    [
      {
        channel: "email",
        identifier: "someone@example.com",
        status: "opted_out",
        since: "2026-02-01T10:00:00.000Z",
      },
    ],
  );

  // The CSV moves the list to another account's own list.
  const moved = await cli("import", "optouts", "--account", "solo", "--file", output, "--json");
  t.equal(moved.code, EXIT.OK);
  t.equal(moved.json.imported, 3);
  t.equal((await getState(infra.pool, "account:solo", "sms", "+31612340001"))?.status, "opted_out");
  const empty = await cli("export", "optouts", "--account", "solo", "--channel", "sms", "--format", "csv");
  t.equal(empty.stdout.split("\n").length, 4, "header and two rows");
  t.equal((await cli("export", "optouts", "--account", "nobody")).code, EXIT.NOTHING_MATCHED);
});

t.test("import contacts, then export a group without its opted-out members", async (t) => {
  const contacts = await file(
    "contacts.csv",
    [
      "id,phone,email,groups,city",
      "c1,+31611110001,one@example.com,vip;all,Utrecht",
      "c2,+31612340001,,vip,Delft", // opted out on the org list
      "c3,,three@example.com,vip,Gouda", // no phone
      'c4,"06 1111 0004",,all,"Den Haag, NL"',
      "c5,12,,vip,", // not a phone number
    ].join("\n") + "\n",
  );
  const imported = await cli("import", "contacts", "--account", "acme", "--file", contacts, "--json");
  t.equal(imported.code, EXIT.PARTIAL);
  t.equal(imported.json.imported, 4);
  t.equal(imported.json.failed, 1);

  const filtered = await cli("export", "group", "--account", "acme", "--group", "vip", "--channel", "sms");
  t.equal(filtered.code, EXIT.OK);
  t.same(
    filtered.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).id),
    ["c1"],
    "c2 opted out, c3 has no phone",
  );
  const whole = await cli(
    "export",
    "group",
    "--account",
    "acme",
    "--group",
    "vip",
    "--channel",
    "sms",
    "--include-opted-out",
    "--format",
    "csv",
  );
  t.equal(whole.stdout, "id,phone,email\nc1,+31611110001,one@example.com\nc2,+31612340001,\n");
  t.equal(
    (await cli("export", "group", "--account", "acme", "--group", "nope", "--channel", "sms")).code,
    EXIT.NOTHING_MATCHED,
  );
});

t.test("cache: rebuild from Postgres, invalidate (checks then fall back and rebuild)", async (t) => {
  const rebuilt = await cli("cache", "rebuild", "--account", "acme", "--channel", "sms", "--json");
  t.equal(rebuilt.code, EXIT.OK);
  t.same(
    rebuilt.json.items.map((i: { scope: string; channel: string; result: string; entries: number }) => [
      i.scope,
      i.channel,
      i.result,
      i.entries,
    ]),
    [["org:org-a", "sms", "rebuilt", 2]],
  );
  t.equal(await infra.filter.isReady("org:org-a", "sms"), true);

  const invalidated = await cli("cache", "invalidate", "--all", "--json");
  t.equal(invalidated.code, EXIT.OK);
  t.same(invalidated.json.items, [
    { scope: "account:solo", channel: "email" },
    { scope: "account:solo", channel: "sms" },
    { scope: "org:org-a", channel: "email" },
    { scope: "org:org-a", channel: "sms" },
  ]);
  t.equal(await infra.filter.isReady("org:org-a", "sms"), false, "checks no longer trust it");
  const check = await cli("check", "--account", "acme", "--channel", "sms", "+31612340001", "--json");
  t.equal(check.json.results[0].suppressed, true, "still right, from Postgres");

  const all = await cli("cache", "rebuild", "--all", "--channel", "email", "--json");
  t.equal(all.json.rebuilt + all.json.skipped, 2, "both lists' email filters");
  t.equal(await infra.filter.isReady("account:solo", "email"), true);
  t.equal((await cli("cache", "rebuild", "--account", "nobody")).code, EXIT.NOTHING_MATCHED);
  const scoped = await cli("cache", "invalidate", "--scope", "account:solo", "--channel", "email");
  t.equal(scoped.code, EXIT.OK);
  t.equal(await infra.filter.isReady("account:solo", "email"), false);
});

t.test("prune: finished webhook jobs past retention, dry run first", async (t) => {
  const old = randomUUID();
  await infra.pool.query(
    `INSERT INTO webhook_jobs (event_id, event_seq, account_id, channel, identifier, status, updated_at)
     VALUES ($1, 1, 'acme', 'sms', '+31612340001', 'delivered', now() - interval '45 days')`,
    [old],
  );
  const jobs = async () =>
    (await infra.pool.query("SELECT 1 FROM webhook_jobs WHERE event_id = $1", [old])).rowCount ?? 0;
  const dry = await cli("prune", "--dry-run", "--json");
  t.equal(dry.code, EXIT.OK);
  t.equal(dry.json.dryRun, true);
  t.equal(dry.json.deleted.webhook_jobs, 1);
  t.equal(await jobs(), 1, "a dry run deletes nothing");
  const done = await cli("prune", "--json");
  t.equal(done.json.deleted.webhook_jobs, 1);
  t.equal(await jobs(), 0);
  const text = await cli("prune", "--webhook-jobs-days", "90");
  t.match(text.stdout, /webhook_jobs\s+0/);
});

/** `optout <args>` as its own process (packages/cli/src/main.ts, as `npm run optout` runs it). */
function spawnCli(
  args: string[],
  stdin: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(
    process.execPath,
    ["--conditions=development", "--import", "tsx", "packages/cli/src/main.ts", ...args],
    {
      cwd: REPO_ROOT,
      env: { ...process.env, ...shell },
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

t.test("as a process: a file from standard input, an export to standard output", async (t) => {
  const [imported, exported] = await Promise.all([
    spawnCli(
      ["import", "contacts", "--account", "solo", "--file", "-", "--format", "ndjson", "--json"],
      '{"id":"p1","phone":"0611110009","groups":["news"]}\n',
    ),
    spawnCli(["export", "optouts", "--account", "acme", "--channel", "sms", "--format", "csv"], ""),
  ]);
  t.equal(imported.code, EXIT.OK, imported.stderr);
  t.equal(JSON.parse(imported.stdout).imported, 1);
  t.match(imported.stderr, /import contacts: 1 rows/, "progress and summary on stderr");
  t.equal(exported.code, EXIT.OK, exported.stderr);
  t.equal(exported.stdout.split("\n")[0], "channel,identifier,date,reason");
  t.equal(exported.stdout.trim().split("\n").length, 3, "the whole export reached the pipe");
});

t.test("Redis unreachable: the cache commands say so, exit 1", async (t) => {
  let stderr = "";
  const code = await runCli(
    ["cache", "invalidate", "--account", "acme"],
    { stdout: () => undefined, stderr: (s) => (stderr += s) },
    { ...shell, REDIS_URL: "redis://127.0.0.1:1" },
  );
  t.equal(code, EXIT.FAILURE);
  t.match(stderr, /redis: cannot connect to redis:\/\/127\.0\.0\.1:1/);
});

t.test("erase: the recipient's data goes, the check still says opted out", async (t) => {
  // An account of its own, last: the other tests export and rebuild every list whole.
  await upsertAccount(infra.pool, {
    id: "eraser",
    organizationId: "org-a",
    listScope: "account",
    defaultCountry: "NL",
  });
  await recordEvents(infra.pool, [
    {
      scope: "account:eraser",
      channel: "sms",
      identifier: "+31612349901",
      action: "opt_out",
      source: "sms_keyword",
      sourceId: "cli-erase-1",
      accountId: "eraser",
      occurredAt: "2026-01-01T00:00:00Z",
      reason: "keyword:STOP",
      evidence: { text: "STOP Jan Jansen" },
    },
  ]);
  const erased = await cli("erase", "--account", "eraser", "--channel", "sms", "06 1234 9901", "--json");
  t.equal(erased.code, EXIT.OK, erased.stderr);
  t.match(erased.json, {
    channel: "sms",
    identifierHash: erasedIdentifier(ERASURE_HASH_SECRET, "+31612349901"),
    eventsErased: 1,
    wasOptedOut: true,
  });
  t.equal(
    await getState(infra.pool, "account:eraser", "sms", "+31612349901"),
    null,
    "no state under the number",
  );
  const check = await cli("check", "--account", "eraser", "--channel", "sms", "+31612349901", "--json");
  t.match(check.json.results, [{ suppressed: true, reason: "opted_out" }], "still suppressed");
  // Never opted out, erased: suppressed through the hash's filter bits alone.
  t.equal((await cli("erase", "--account", "eraser", "--channel", "sms", "+31612349902")).code, EXIT.OK);
  const after = await cli("check", "--account", "eraser", "--channel", "sms", "+31612349902", "--json");
  t.match(after.json.results, [{ suppressed: true, reason: "opted_out" }]);
  t.equal(
    (await cli("erase", "--account", "nobody", "--channel", "sms", "+31612349903")).code,
    EXIT.NOTHING_MATCHED,
  );
  t.equal((await cli("erase", "--account", "eraser", "--channel", "sms", "not a number")).code, EXIT.USAGE);
});
