/**
 * `npm start`'s process: every worker in one process, one ready line, /readyz 200 only when
 * all workers are ready, a generated admin token that works, and a clean exit on SIGTERM. The
 * generated secrets are kept (mode 0600) and reused by the next run, so the admin token and
 * the email unsubscribe links already sent survive a restart; SMS and email links share one
 * base (the edge's actual port); the listeners bind 127.0.0.1.
 */
import t, { type Test } from "tap";
import { spawn } from "node:child_process";
import { mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  dropSchema,
  randomSuffix,
  REPO_ROOT,
  requestJson,
  TEST_DATABASE_URL,
  waitFor,
} from "@optout/testkit";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { namesFor } from "@optout/core";

const suffix = randomSuffix();
const namespace = `t${suffix}`;
const schema = `t_${suffix}`;
const dir = await mkdtemp(join(tmpdir(), "optout-local-"));
const secretsFile = join(dir, ".optout-local.json");
const nc = await connect({ servers: process.env.TEST_NATS_URL ?? "127.0.0.1:4222" });

t.teardown(async () => {
  const jsm = await jetstreamManager(nc);
  for (const s of Object.values(namesFor(namespace).streams))
    await jsm.streams.delete(s).catch(() => undefined);
  await nc.close();
  await dropSchema(TEST_DATABASE_URL, schema);
  await rm(dir, { recursive: true, force: true });
});

interface Run {
  api: string;
  edge: string;
  token: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/** `scripts/local.ts` as `npm start` runs it, on this test's namespace, schema and secrets file. */
async function startLocal(t: Test): Promise<Run> {
  let output = "";
  const child = spawn(process.execPath, ["--conditions=development", "--import", "tsx", "scripts/local.ts"], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      OPTOUT_NAMESPACE: namespace,
      DATABASE_URL: TEST_DATABASE_URL,
      DATABASE_SCHEMA: schema,
      API_PORT: "0",
      EDGE_PORT: "0",
      OPTOUT_ADMIN_TOKEN: "",
      EMAIL_TOKEN_SECRET: "",
      ERASURE_HASH_SECRET: "",
      LINK_BASE_URL: "",
      HOST: "",
      OPTOUT_LOCAL_SECRETS_FILE: secretsFile,
      BLOOM_EXPECTED_ENTRIES: "10000",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  t.teardown(() => {
    if (child.exitCode === null) child.kill("SIGKILL");
  });
  const [, api, edge, token] = await waitFor(
    "the ready line",
    async () =>
      /optout is ready: API (http:\/\/127\.0\.0\.1:\d+)\s+edge (http:\/\/localhost:\d+\/)\s+admin token: (\w+)/.exec(
        output,
      ),
    60_000,
  );
  return {
    api: api!,
    edge: edge!,
    token: token!,
    output: () => output,
    stop: async () => {
      child.kill("SIGTERM");
      return exited;
    },
  };
}

const call = (run: Run, method: string, path: string, body?: unknown, token = run.token) =>
  fetch(`${run.api}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

let firstToken = "";
let emailLink = "";

t.test(
  "all workers in one process: ready line, readiness, generated token, one link base, clean stop",
  async (t) => {
    const run = await startLocal(t);
    firstToken = run.token;
    const ready = await fetch(`${run.api}/readyz`);
    t.equal(ready.status, 200, "/readyz is 200 once every worker runs");
    t.equal(
      (await call(run, "PUT", "/v1/organizations/acme", { name: "ACME" })).status,
      201,
      "the generated admin token works",
    );
    t.equal(
      (await call(run, "GET", "/v1/organizations/acme", undefined, "wrong-token-wrong-token")).status,
      401,
    );
    t.match(
      run.output(),
      /admin token: \w+ \(generated, kept in .*\.optout-local\.json\)/,
      "says where the token is kept",
    );

    const file = await stat(secretsFile);
    t.equal(file.mode & 0o777, 0o600, "the secrets file is readable by its owner only");
    const kept = JSON.parse(await readFile(secretsFile, "utf8")) as Record<string, string>;
    t.equal(kept.adminToken, run.token);
    t.match(kept.emailTokenSecret, /^[0-9a-f]{64}$/);
    t.match(kept.erasureHashSecret, /^[0-9a-f]{64}$/, "the erasure key is generated and kept too");

    // Without LINK_BASE_URL, SMS links and email List-Unsubscribe URIs both point at this edge.
    t.equal(
      (await call(run, "PUT", "/v1/accounts/acme-nl", { organizationId: "acme", defaultCountry: "NL" }))
        .status,
      201,
    );
    const headers = (await (
      await call(run, "POST", "/v1/accounts/acme-nl/email-unsubscribe-headers", { email: "jan@example.nl" })
    ).json()) as Record<string, string>;
    emailLink = /<(http[^>]+)>/.exec(headers["List-Unsubscribe"]!)![1]!;
    t.ok(emailLink.startsWith(`${run.edge}email/unsubscribe/`), `email link on the edge: ${emailLink}`);
    const { reply } = await requestJson<{ tags: { link?: string }[] }>(nc, namesFor(namespace).subjects.tag, {
      accountId: "acme-nl",
      recipients: ["+31612345678"],
    });
    t.ok(reply.tags[0]?.link?.startsWith(run.edge), `SMS link on the same edge: ${reply.tags[0]?.link}`);
    t.equal((await fetch(emailLink)).status, 200, "the email link opens its page");

    const readyLog = run
      .output()
      .split("\n")
      .find((l) => l.includes('"msg":"optout ready"'));
    const readyFields = JSON.parse(readyLog ?? "{}") as { workers?: string[] };
    t.match(
      readyFields,
      { host: "127.0.0.1", linkBaseUrl: run.edge },
      "listeners on loopback; one link base",
    );
    t.same(
      [...(readyFields.workers ?? [])].sort(),
      (await readdir(join(REPO_ROOT, "services"))).sort(),
      "every service folder's worker runs in the process",
    );

    t.equal(await run.stop(), 0, "exits 0 after a graceful stop");
    t.equal(run.output().match(/"msg":"optout ready"/g)?.length, 1, "one structured ready log line");
    t.notOk(/"level":(50|60)/.test(run.output()), "no error or fatal log lines");
  },
);

t.test(
  "a restart reuses the kept secrets: the admin token and the email links already sent still work",
  async (t) => {
    const run = await startLocal(t);
    t.equal(run.token, firstToken, "the same admin token");
    t.match(run.output(), /admin token: \w+ \(from .*\.optout-local\.json\)/);
    t.equal((await call(run, "GET", "/v1/organizations/acme")).status, 200, "and it works");
    // The edge may listen on another port this time; the token in the link is what must verify.
    const token = emailLink.split("/email/unsubscribe/")[1]!;
    const page = await fetch(`${run.edge}email/unsubscribe/${token}`);
    t.equal(page.status, 200, "an unsubscribe link sent before the restart still opens");
    const oneClick = await fetch(`${run.edge}email/unsubscribe/${token}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    t.equal(oneClick.status, 200, "and its one-click unsubscribe is accepted");
    t.equal(await run.stop(), 0);
  },
);
