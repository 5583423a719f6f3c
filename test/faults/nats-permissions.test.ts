/**
 * NATS least privilege: a throw-away nats-server runs the configuration deploy/nats/render-config.ts
 * renders for this test's namespace (the file shipped as deploy/nats/optout-nats.conf, for
 * `optout`). The admin user runs `optout migrate` (database and streams); every worker then
 * opens its own infrastructure with its own user (the edge with an NKey, the others with
 * passwords), starts the way runStandalone starts it, and does its job — and each one is
 * refused what it does not need: the server answers "Permissions Violation" and the client sees
 * a PermissionViolationError (a request) or a `nats permissions violation` warning (a publish).
 */
import t, { type Test } from "tap";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { errors as natsErrors, nkeys } from "@nats-io/nats-core";
import { jetstream, type JetStreamClient } from "@nats-io/jetstream";
import { connectNats, type NatsConnection, type NatsSecurityConfig } from "@optout/bus";
import { ConfigError, namesFor } from "@optout/core";
import { createEmailToken } from "@optout/domain";
import type { CheckReply, TagReply } from "@optout/schemas";
import { getState, upsertAccount, upsertOrganization } from "@optout/store";
import {
  openInfrastructure,
  prepareInfrastructure,
  type Infrastructure,
  type InfrastructureConfig,
  type ServiceHandle,
} from "@optout/runtime";
import {
  createCapturingLogger,
  dropSchema,
  freePort,
  publishInbound,
  randomSuffix,
  requestChunked,
  requestJson,
  waitFor,
  waitForAck,
  NATS_SERVER_BIN,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
} from "@optout/testkit";
import { startSmsInbound } from "@optout/service-sms-inbound";
import { startEmailUnsubscribe } from "@optout/service-email-unsubscribe";
import { startSuppressionCheck } from "@optout/service-suppression-check";
import { startApi } from "@optout/service-api";
import { startTag } from "@optout/service-tag";
import { startLinkClick } from "@optout/service-link-click";
import { startEdge } from "@optout/service-edge";
import { startWebhookDispatch } from "@optout/service-webhook-dispatch";
import { runCli } from "@optout/cli";
import {
  ADMIN_USER,
  CLIENT_USERS,
  DEFAULT_PASSWORDS_INCLUDE,
  SERVICE_USERS,
  renderNatsConfig,
  renderPasswordsInclude,
  type NatsUser,
} from "../../deploy/nats/render-config.js";
import { startWebhookReceiver } from "../helpers/webhook-receiver.js";

const ADMIN_TOKEN = "nats-permissions-admin-token-0123";
const EMAIL_TOKEN_SECRET = "nats-permissions-email-secret-0123";
const LINK_BASE_URL = "https://o.example/";
const SERVER_START_TIMEOUT_MS = 20_000;
const MAX_PAYLOAD_BYTES = 16 * 1024;

const suffix = randomSuffix();
const namespace = `t${suffix}`;
const names = namesFor(namespace);
const dir = await mkdtemp(join(tmpdir(), "optout-nats-permissions-"));
const users: NatsUser[] = [...SERVICE_USERS, ADMIN_USER, ...CLIENT_USERS];
const passwords = Object.fromEntries(
  users.map((u) => [u, `${randomBytes(4).readUInt16BE()}$#"${randomBytes(12).toString("base64")}`]),
) as Record<NatsUser, string>;
// The edge proves the NKey path: the server knows only its public key.
const edgeKey = nkeys.createUser();
const edgeSeed = new TextDecoder().decode(edgeKey.getSeed());

// ---- the server, with the rendered configuration --------------------------------------------

const port = await freePort();
const monitorPort = await freePort();
const confPath = join(dir, "nats.conf");
await writeFile(
  confPath,
  renderNatsConfig({
    namespace,
    storeDir: join(dir, "jetstream"),
    auth: { edge: { nkey: edgeKey.getPublicKey() } },
  }) +
    // Small messages, so that a check reply comes in several parts: each is a response the
    // responder may send only because allow_responses lets it send more than one.
    `max_payload: ${MAX_PAYLOAD_BYTES}\n`,
);
// Passwords with characters a bare configuration value cannot hold: the include quotes them.
// (Not the edge's: a variable nothing uses is an "unknown field" to nats-server.)
const { edge: _edgePassword, ...passwordUsers } = passwords;
await writeFile(join(dir, DEFAULT_PASSWORDS_INCLUDE), renderPasswordsInclude(passwordUsers));
const server = spawn(
  NATS_SERVER_BIN,
  ["-c", confPath, "-a", "127.0.0.1", "-p", String(port), "-m", String(monitorPort)],
  {
    stdio: ["ignore", "pipe", "pipe"],
  },
);
let serverLog = "";
server.stdout.on("data", (d: Buffer) => (serverLog = (serverLog + d.toString()).slice(-20_000)));
server.stderr.on("data", (d: Buffer) => (serverLog = (serverLog + d.toString()).slice(-20_000)));
const killServer = () => server.kill("SIGKILL");
process.once("exit", killServer);
await Promise.race([
  waitFor(
    "nats-server with the rendered configuration",
    async () => (await fetch(`http://127.0.0.1:${monitorPort}/healthz`)).ok,
    SERVER_START_TIMEOUT_MS,
    100,
  ),
  new Promise((_, reject) =>
    server.once("exit", (code) => reject(new Error(`nats-server exited with ${code}: ${serverLog}`))),
  ),
]);
const natsUrl = `nats://127.0.0.1:${port}`;

// ---- every process with its own user ----------------------------------------------------------

const base: InfrastructureConfig = {
  natsUrl,
  databaseUrl: TEST_DATABASE_URL,
  databaseSchema: `t_${suffix}`,
  databasePoolSize: 2,
  redisUrl: TEST_REDIS_URL,
  namespace,
  bloomExpectedEntries: 20_000,
  bloomFalsePositiveRate: 0.001,
};
const credentials = (user: NatsUser): NatsSecurityConfig =>
  user === "edge" ? { natsNkeySeed: edgeSeed } : { natsUser: user, natsPassword: passwords[user] };

const logs = new Map<string, string[]>();
const infras = new Map<NatsUser, Infrastructure>();
async function open(user: NatsUser): Promise<Infrastructure> {
  const { logger, lines } = createCapturingLogger(user);
  logs.set(user, lines);
  const infra = await openInfrastructure({ ...base, ...credentials(user) }, { name: user, logger });
  infras.set(user, infra);
  return infra;
}

const workers: ServiceHandle[] = [];
const clients: NatsConnection[] = [];
const receiver = await startWebhookReceiver();

t.teardown(async () => {
  for (const w of [...workers].reverse()) await w.stop().catch(() => undefined);
  for (const c of clients) await c.drain().catch(() => undefined);
  const admin = infras.get(ADMIN_USER);
  if (admin) {
    let cursor = "0";
    do {
      const [next, keys] = await admin.redis.scan(cursor, "MATCH", `${names.redisPrefix}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await admin.redis.del(...keys);
    } while (cursor !== "0");
  }
  for (const infra of infras.values()) await infra.close();
  await dropSchema(base.databaseUrl, base.databaseSchema).catch(() => undefined);
  await receiver.close();
  killServer();
  process.off("exit", killServer);
  await rm(dir, { recursive: true, force: true });
});

// The admin migrates and creates the streams with `optout migrate` (the migration Job); nobody
// else may create streams.
let migrateOutput = "";
const migrated = await runCli(
  ["migrate"],
  { stdout: (s) => (migrateOutput += s), stderr: (s) => (migrateOutput += s) },
  {
    NATS_URL: natsUrl,
    NATS_USER: ADMIN_USER,
    NATS_PASSWORD: passwords[ADMIN_USER],
    DATABASE_URL: base.databaseUrl,
    DATABASE_SCHEMA: base.databaseSchema,
    OPTOUT_NAMESPACE: namespace,
    LOG_LEVEL: "warn",
  },
);
if (migrated !== 0) throw new Error(`optout migrate as ${ADMIN_USER} failed (${migrated}): ${migrateOutput}`);
const admin = await open(ADMIN_USER);
await upsertOrganization(admin.pool, { id: "acme" });
await upsertAccount(admin.pool, {
  id: "acme-nl",
  organizationId: "acme",
  listScope: "organization",
  defaultCountry: "NL",
  settings: { webhook: { url: `${receiver.url}/hooks`, secret: "nats-permissions-webhook-secret" } },
});

// Each worker starts as runStandalone starts it: open, prepare (migrations are there, the streams
// are only read), start.
const consumerOptions = { maxDeliveries: 3, ackWaitMs: 10_000, maxInFlight: 64 };
async function started<T extends ServiceHandle>(
  user: NatsUser,
  start: (infra: Infrastructure) => Promise<T>,
): Promise<T> {
  const infra = await open(user);
  await prepareInfrastructure(infra, base);
  const handle = await start(infra);
  workers.push(handle);
  return handle;
}
await started("sms-inbound", (infra) => startSmsInbound(infra, consumerOptions));
await started("link-click", (infra) => startLinkClick(infra, consumerOptions));
await started("email-unsubscribe", (infra) =>
  startEmailUnsubscribe(infra, { ...consumerOptions, emailTokenSecret: EMAIL_TOKEN_SECRET }),
);
await started("suppression-check", (infra) =>
  startSuppressionCheck(infra, { erasureHashSecret: "nats-permissions-erasure-secret-0123" }),
);
await started("tag", (infra) => startTag(infra, { linkBaseUrl: LINK_BASE_URL }));
await started("webhook-dispatch", (infra) =>
  startWebhookDispatch(infra, {
    maxAttempts: 3,
    timeoutMs: 5_000,
    allowPrivateNetworks: true,
    ackWaitMs: 10_000,
    maxInFlight: 8,
    retryBaseMs: 100,
    retryMaxMs: 500,
    orderPollMs: 200,
  }),
);
const edge = await started("edge", (infra) =>
  startEdge(infra, {
    port: 0,
    host: "127.0.0.1",
    emailTokenSecret: EMAIL_TOKEN_SECRET,
    rateLimitPerMinute: 100_000,
  }),
);
const api = await started("api", (infra) =>
  startApi(infra, {
    adminToken: ADMIN_TOKEN,
    port: 0,
    host: "127.0.0.1",
    emailTokenSecret: EMAIL_TOKEN_SECRET,
    erasureHashSecret: "nats-permissions-erasure-secret-0123",
    linkBaseUrl: LINK_BASE_URL,
  }),
);
const edgeUrl = `http://127.0.0.1:${edge.port}`;
const apiUrl = `http://127.0.0.1:${api.port}`;

async function client(
  user: (typeof CLIENT_USERS)[number],
): Promise<{ nc: NatsConnection; js: JetStreamClient }> {
  const nc = await connectNats({ servers: natsUrl, name: user, security: credentials(user) });
  clients.push(nc);
  return { nc, js: jetstream(nc) };
}
const gateway = await client("sms-gateway");
const sender = await client("campaign-sender");

const infra = (user: NatsUser): Infrastructure => {
  const found = infras.get(user);
  if (!found) throw new Error(`no infrastructure for ${user}`);
  return found;
};

async function check(channel: "sms" | "email", recipient: string): Promise<string | undefined> {
  const { reply } = await requestJson<CheckReply>(sender.nc, names.subjects.check, {
    accountId: "acme-nl",
    channel,
    recipients: [recipient],
  });
  return reply.results[0]?.reason;
}

/** The JetStream request is refused by the server, not timed out. */
async function refused(t: Test, what: string, attempt: () => Promise<unknown>): Promise<void> {
  const err = await attempt().then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  // A request (every JetStream call is one) fails with a RequestError caused by the violation.
  const violation = err instanceof natsErrors.PermissionViolationError ? err : err?.cause;
  t.ok(
    violation instanceof natsErrors.PermissionViolationError && violation.operation === "publish",
    `${what}: refused, ${err?.message}`,
  );
}

/** A plain publish is dropped by the server, which says why: the connection reports the violation. */
async function publishRefused(t: Test, nc: NatsConnection, subject: string): Promise<void> {
  const seen = (async () => {
    for await (const s of nc.status()) {
      if (
        s.type === "error" &&
        s.error instanceof natsErrors.PermissionViolationError &&
        s.error.subject === subject
      )
        return s.error;
    }
    return undefined;
  })();
  nc.publish(subject, new TextEncoder().encode("{}"));
  const err = await Promise.race([
    seen,
    new Promise<undefined>((r) => setTimeout(() => r(undefined), 5_000)),
  ]);
  t.equal(err?.operation, "publish", `publish to ${subject}: the server reports a permissions violation`);
}

// ---- the tests --------------------------------------------------------------------------------

t.test("the shipped deploy/nats/optout-nats.conf is the rendering for the default namespace", async (t) => {
  const shipped = await readFile(new URL("../../deploy/nats/optout-nats.conf", import.meta.url), "utf8");
  t.equal(
    shipped,
    renderNatsConfig({ namespace: "optout" }),
    "regenerate it with deploy/nats/render-config.ts --out",
  );
});

t.test("optout migrate, as optout-admin, created every stream", async (t) => {
  for (const stream of Object.values(names.streams)) {
    t.equal((await admin.jsm.streams.info(stream)).config.name, stream, stream);
  }
});

t.test("every connection is authenticated as its own user", async (t) => {
  const connz = (await (
    await fetch(`http://127.0.0.1:${monitorPort}/connz?auth=true&limit=1000`)
  ).json()) as {
    connections: { name?: string; authorized_user?: string }[];
  };
  for (const user of users) {
    const mine = connz.connections.filter((c) => c.name === user);
    t.ok(mine.length > 0, `${user} is connected`);
    const expected = user === "edge" ? edgeKey.getPublicKey() : user;
    t.ok(
      mine.every((c) => c.authorized_user === expected),
      `${user} connects as ${user === "edge" ? "its NKey" : user}`,
    );
  }
});

t.test(
  "an SMS STOP from the gateway: recorded, its change event and webhook job published, the webhook delivered",
  async (t) => {
    const from = "+31612345001";
    const seq = await publishInbound(gateway.js, names.subjects.inboundSms, {
      id: `sms-${suffix}-1`,
      accountId: "acme-nl",
      from,
      to: "3010",
      text: "STOP",
      receivedAt: new Date().toISOString(),
    });
    await waitForAck(admin.jsm, names.streams.inboundSms, names.consumer("sms-inbound"), seq);
    t.equal((await getState(admin.pool, "org:acme", "sms", from))?.status, "opted_out", "recorded");
    const event = await admin.jsm.streams.getMessage(names.streams.events, {
      last_by_subj: names.subjects.event("sms", "opt_out"),
    });
    t.match(event?.json(), { identifier: from, action: "opt_out", channel: "sms" }, "change event published");
    const delivered = await waitFor("the webhook", async () =>
      receiver.accepted().find((r) => r.event.identifier === from),
    );
    t.equal(delivered.event.action, "opt_out", "webhook-dispatch consumed the job and delivered it");
    t.equal(await check("sms", from), "opted_out", "suppression-check answers the campaign sender");
  },
);

let linkToken = "";
t.test("a tag is answered; the click on its link goes edge -> link-click and is recorded", async (t) => {
  const number = "+31612345002";
  const { reply } = await requestJson<TagReply>(sender.nc, names.subjects.tag, {
    accountId: "acme-nl",
    recipients: [number],
    campaignId: "c-perm",
  });
  const tag = reply.tags[0];
  t.ok(tag?.token, "tag answered with a link token");
  linkToken = tag?.token ?? "";
  const res = await fetch(`${edgeUrl}/${linkToken}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "",
  });
  t.equal(res.status, 200, "the edge published the click");
  await waitFor("the click to be recorded", async () => (await check("sms", number)) === "opted_out");
  t.pass("link-click recorded the opt-out");
});

t.test("a one-click email unsubscribe goes edge -> email-unsubscribe and is recorded", async (t) => {
  const email = `jane.${suffix}@example.com`;
  const token = createEmailToken(EMAIL_TOKEN_SECRET, { accountId: "acme-nl", email });
  const res = await fetch(`${edgeUrl}/email/unsubscribe/${token}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "List-Unsubscribe=One-Click",
  });
  t.equal(res.status, 200);
  await waitFor("the unsubscribe to be recorded", async () => (await check("email", email)) === "opted_out");
  t.pass("email-unsubscribe recorded the opt-out");
});

t.test(
  "a chunked check reply in several parts reaches the sender (allow_responses, not _INBOX.>)",
  async (t) => {
    const recipients = Array.from({ length: 400 }, (_, i) => `+316123${String(50_000 + i)}`);
    const { items, parts } = await requestChunked<{ reason: string }>(
      sender.nc,
      names.subjects.check,
      { accountId: "acme-nl", channel: "sms", recipients },
      "results",
    );
    t.equal(items.length, recipients.length, "every result");
    t.ok(parts > 1, `${parts} parts`);
  },
);

t.test("the API records an opt-out and reads the dead letters with its own user", async (t) => {
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" };
  const recorded = await fetch(`${apiUrl}/v1/accounts/acme-nl/optouts`, {
    method: "POST",
    headers,
    body: JSON.stringify({ channel: "sms", identifier: "+31612345003", action: "opt_out" }),
  });
  t.equal(recorded.status, 201, "recorded (its change event published)");
  // A message sms-inbound cannot read is dead-lettered by it; the API lists it (an ordered consumer on the DLQ).
  const bad = await gateway.js.publish(names.subjects.inboundSms, new TextEncoder().encode("not json"), {
    msgID: `bad-${suffix}`,
  });
  await waitForAck(admin.jsm, names.streams.inboundSms, names.consumer("sms-inbound"), bad.seq);
  const listed = await fetch(`${apiUrl}/v1/admin/dead-letters`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  t.equal(listed.status, 200);
  const body = (await listed.json()) as { items: { subject: string }[] };
  t.ok(
    body.items.some((i) => i.subject === names.subjects.inboundSms),
    "sms-inbound dead-lettered the bad message and the API lists it",
  );
});

t.test("each worker is refused what it does not need", async (t) => {
  const enc = new TextEncoder();
  const body = enc.encode("{}");
  const jsOf = (u: NatsUser) => infra(u).js;
  const jsmOf = (u: NatsUser) => infra(u).jsm;

  await refused(t, "edge publishing an inbound SMS", () =>
    jsOf("edge").publish(names.subjects.inboundSms, body),
  );
  await refused(t, "edge publishing a change event", () =>
    jsOf("edge").publish(names.subjects.event("sms", "opt_out"), body),
  );
  await refused(t, "suppression-check publishing a link click", () =>
    jsOf("suppression-check").publish(names.subjects.inboundLink, body),
  );
  await refused(t, "tag publishing an inbound email", () =>
    jsOf("tag").publish(names.subjects.inboundEmail, body),
  );
  await refused(t, "sms-inbound publishing an inbound email", () =>
    jsOf("sms-inbound").publish(names.subjects.inboundEmail, body),
  );
  await refused(t, "email-unsubscribe publishing an SMS change event", () =>
    jsOf("email-unsubscribe").publish(names.subjects.event("sms", "opt_out"), body),
  );
  await refused(t, "email-unsubscribe publishing a confirmation SMS", () =>
    jsOf("email-unsubscribe").publish(names.subjects.outboundSms, body),
  );
  await refused(t, "webhook-dispatch publishing a change event", () =>
    jsOf("webhook-dispatch").publish(names.subjects.event("email", "opt_out"), body),
  );
  await refused(t, "sms-gateway publishing a change event", () =>
    gateway.js.publish(names.subjects.event("sms", "opt_out"), body),
  );
  await refused(t, "campaign-sender publishing an inbound SMS", () =>
    sender.js.publish(names.subjects.inboundSms, body),
  );

  // Streams and other workers' consumers belong to the admin.
  await refused(t, "sms-inbound creating a stream", () =>
    jsmOf("sms-inbound").streams.add({ name: `${names.streams.inboundSms}_X`, subjects: [`${namespace}.x`] }),
  );
  await refused(t, "api deleting a stream", () => jsmOf("api").streams.delete(names.streams.inboundSms));
  await refused(t, "link-click purging its stream", () =>
    jsmOf("link-click").streams.purge(names.streams.inboundLink),
  );
  await refused(t, "sms-inbound reading link-click's consumer", () =>
    jsmOf("sms-inbound").consumers.info(names.streams.inboundLink, names.consumer("link-click")),
  );
  await refused(t, "sms-inbound adding a second consumer on its stream", () =>
    jsmOf("sms-inbound").consumers.add(names.streams.inboundSms, {
      durable_name: "intruder",
      filter_subject: names.subjects.inboundSms,
    }),
  );
  await refused(t, "webhook-dispatch pointing its consumer at the confirmation SMS", () =>
    jsmOf("webhook-dispatch").consumers.add(names.streams.outbound, {
      durable_name: names.consumer("webhook-dispatch"),
      filter_subject: names.subjects.outboundSms,
    }),
  );
  await refused(t, "api pulling from sms-inbound's consumer", async () => {
    const consumer = await infra("api").js.consumers.get(
      names.streams.inboundSms,
      names.consumer("sms-inbound"),
    );
    return consumer.next({ expires: 1000 });
  });
  await refused(t, "edge reading a dead letter", () =>
    jsmOf("edge").streams.getMessage(names.streams.dlq, { seq: 1 }),
  );

  // Plain publishes: the server drops them and says so on the connection.
  await publishRefused(t, infra("suppression-check").nc, names.subjects.inboundSms);
  await publishRefused(t, infra("edge").nc, names.subjects.inboundSms);
  await publishRefused(t, infra("tag").nc, "_INBOX.not-a-request-it-received");

  // Subscriptions outside the allow list are closed with the error.
  const snoop = infra("tag").nc.subscribe(names.subjects.eventsAll);
  const subErr = await (async () => {
    try {
      for await (const _ of snoop) return undefined;
    } catch (err) {
      return err as Error;
    }
    return undefined;
  })();
  t.ok(
    subErr instanceof natsErrors.PermissionViolationError,
    `tag cannot listen to the change feed (${subErr?.message})`,
  );
  const eavesdrop = sender.nc.subscribe(names.subjects.check);
  const eavesErr = await (async () => {
    try {
      for await (const _ of eavesdrop) return undefined;
    } catch (err) {
      return err as Error;
    }
    return undefined;
  })();
  t.ok(
    eavesErr instanceof natsErrors.PermissionViolationError,
    "a campaign sender cannot listen to other senders' checks",
  );

  const warned = (logs.get("edge") ?? []).some((l) => /nats permissions violation/.test(l));
  t.ok(warned, "the edge's log says 'nats permissions violation' with the subject");

  // ...and the refusals changed nothing: everything still works.
  t.equal(await check("sms", "+31612345001"), "opted_out", "checks still answered");
});

t.test("wrong credentials stop start-up with a message naming what to check", async (t) => {
  const err = await connectNats({
    servers: natsUrl,
    name: "intruder",
    security: { natsUser: "sms-inbound", natsPassword: "wrong" },
  }).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  t.ok(err instanceof ConfigError, "a configuration error, not an outage");
  t.match(err?.message, /refused the credentials \(user sms-inbound/);
  t.match(err?.message, /NATS_USER\/NATS_PASSWORD/);
  t.notMatch(err?.message, /wrong/, "the password is not echoed");
  const anonymous = await connectNats({ servers: natsUrl, name: "anonymous" }).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  t.ok(anonymous instanceof ConfigError, "no credentials: refused as well");
  const plain = await connectNats({
    servers: natsUrl.replace("nats://", "tls://"),
    name: "tls-wanted",
    security: credentials("sms-inbound"),
  }).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  t.match(
    plain?.message,
    /server does not support 'tls'/,
    "tls:// refuses a server without TLS (no credentials sent)",
  );
});
