/**
 * Compliance evidence (issue 12, item 3) with the real services: an SMS STOP through the SMS
 * worker, a link click through the edge and the link worker, and an opt-in through the API come
 * back from GET /v1/accounts/{id}/evidence with when and how they came and the evidence kept, as
 * CSV and NDJSON, filtered by time; one recipient's evidence as JSON and as a printable page;
 * and `optout evidence export` writes the same CSV as the API.
 */
import t from "tap";
import { runCli, EXIT } from "@optout/cli";
import { requestJson, waitFor } from "@optout/testkit";
import type { TagReply } from "@optout/schemas";
import { EVIDENCE_CSV_COLUMNS } from "@optout/store";
import { ADMIN_TOKEN, startSystem } from "../helpers/system.js";

const system = await startSystem({ name: "evidence" });
t.teardown(() => system.stop());
const { infra, config } = system.env;
await system.account("acme-nl", "acme", "organization", { name: "ACME <Shop>" });

const stopper = "+31612000001";
const clicker = "+31612000002";
const STOP_AT = "2026-01-10T10:00:00.000Z";

/** A minimal RFC 4180 reader: quoted fields may hold commas, quotes and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') {
      quoted = !quoted;
    } else if (!quoted && c === ",") {
      row.push(field);
      field = "";
    } else if (!quoted && c === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else {
      field += c;
    }
  }
  return rows;
}

async function get(path: string, accept: string, token = ADMIN_TOKEN) {
  const res = await fetch(`${system.apiUrl}${path}`, {
    headers: { authorization: `Bearer ${token}`, accept },
  });
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
}

// ---- three ways in ------------------------------------------------------------------------------

const sms = await system.sendSms({ from: stopper, text: "Stop", accountId: "acme-nl", receivedAt: STOP_AT });

const tags = await requestJson<TagReply>(infra.nc, infra.names.subjects.tag, {
  accountId: "acme-nl",
  recipients: [clicker],
  campaignId: "c-evidence",
});
const token = "tags" in tags.reply ? tags.reply.tags[0]?.token : undefined;
if (!token) throw new Error("no link token");
const page = await (await fetch(`${system.edgeUrl}/${token}`)).text();
const nonce = /name="click" value="([0-9A-Za-z]+)"/.exec(page)?.[1] ?? "";
const clicked = await fetch(`${system.edgeUrl}/${token}`, {
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": "evidence-test/1.0" },
  body: new URLSearchParams({ click: nonce, reason: "too_many" }).toString(),
});
if (clicked.status !== 200) throw new Error(`click failed: ${clicked.status}`);
await waitFor(
  "the click recorded",
  async () => (await system.check({ recipients: [clicker] })).results[0]?.reason === "opted_out",
);

const optIn = await system.api("POST", "/v1/accounts/acme-nl/optouts", {
  channel: "sms",
  identifier: stopper,
  action: "opt_in",
  reason: "asked on the phone <b>twice</b>",
});
if (optIn.status !== 201) throw new Error(`opt-in failed: ${optIn.status}`);

// ---- the export ---------------------------------------------------------------------------------

t.test("CSV: every event with when, how and the evidence kept", async (t) => {
  const res = await get("/v1/accounts/acme-nl/evidence?channel=sms", "text/csv");
  t.equal(res.status, 200);
  t.match(res.type, /^text\/csv/);
  const [header, ...rows] = parseCsv(res.text);
  t.same(header, [...EVIDENCE_CSV_COLUMNS]);
  const records = rows.map((r) => Object.fromEntries(header!.map((name, i) => [name, r[i]])));
  t.equal(records.length, 3, "the STOP, the click, the opt-in");
  const [stop, click, apiOptIn] = records;
  t.match(stop, {
    occurredAt: STOP_AT,
    identifier: stopper,
    action: "opt_out",
    source: "sms_keyword",
    reason: "keyword:STOP",
    sourceId: sms.id,
    scope: "org:acme",
    accountId: "acme-nl",
    stateChanged: "true",
  });
  t.match(JSON.parse(stop!.evidence!), { text: "Stop", to: "3010" }, "the SMS as received");
  t.match(click, { identifier: clicker, action: "opt_out", source: "link_click" });
  t.match(
    JSON.parse(click!.evidence!),
    { token, campaignId: "c-evidence", userAgent: "evidence-test/1.0" },
    "the link, its campaign and the browser",
  );
  t.match(apiOptIn, {
    identifier: stopper,
    action: "opt_in",
    source: "api",
    reason: "asked on the phone <b>twice</b>",
    sourceId: /^req:/,
  });
  t.match(JSON.parse(apiOptIn!.evidence!), { recordedBy: { kind: "admin" } }, "who recorded it");
  t.ok(Date.parse(stop!.recordedAt!) >= Date.parse(stop!.occurredAt!), "recorded after it occurred");
});

t.test("NDJSON: the same records, and the time range filters on when they occurred", async (t) => {
  const all = await get("/v1/accounts/acme-nl/evidence?channel=sms", "application/x-ndjson");
  t.equal(all.status, 200);
  t.match(all.type, /^application\/x-ndjson/);
  const lines = all.text
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
  t.same(
    lines.map((l) => `${l.source}/${l.action}`),
    ["sms_keyword/opt_out", "link_click/opt_out", "api/opt_in"],
  );
  t.match(lines[0], { sourceId: sms.id, evidence: { text: "Stop" } });

  const before = await get(
    `/v1/accounts/acme-nl/evidence?channel=sms&to=2026-01-11T00:00:00Z`,
    "application/x-ndjson",
  );
  t.same(
    before.text
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).source),
    ["sms_keyword"],
    "to: only what occurred before",
  );
  const after = await get(`/v1/accounts/acme-nl/evidence?channel=sms&from=2026-01-11T00:00:00Z`, "text/csv");
  t.same(
    parseCsv(after.text)
      .slice(1)
      .map((r) => r[5]),
    ["link_click", "api"],
    "from: only what occurred at or after",
  );
  const none = await get(`/v1/accounts/acme-nl/evidence?channel=email`, "text/csv");
  t.equal(none.text, `${EVIDENCE_CSV_COLUMNS.join(",")}\n`, "another channel: the header alone");
});

t.test("refusals: an unsupported Accept, an empty range, an unknown account", async (t) => {
  const xml = await get("/v1/accounts/acme-nl/evidence?channel=sms", "application/xml");
  t.equal(xml.status, 406);
  t.equal(JSON.parse(xml.text).error.code, "NOT_ACCEPTABLE");
  const backwards = await get(
    "/v1/accounts/acme-nl/evidence?channel=sms&from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
    "text/csv",
  );
  t.equal(backwards.status, 400);
  t.equal(JSON.parse(backwards.text).error.code, "INVALID_PAYLOAD");
  const unknown = await get("/v1/accounts/nobody/evidence?channel=sms", "text/csv");
  t.equal(unknown.status, 404);
});

t.test("an sms read token exports the sms list", async (t) => {
  const created = await system.api("POST", "/v1/accounts/acme-nl/tokens", {
    types: ["sms"],
    permissions: ["read"],
  });
  const res = await get("/v1/accounts/acme-nl/evidence?channel=sms", "text/csv", created.body.token);
  t.equal(res.status, 200);
  t.equal(parseCsv(res.text).length, 4);
});

// ---- one recipient --------------------------------------------------------------------------------

t.test("one recipient as JSON: when they opted out and from when they were suppressed", async (t) => {
  const res = await get(
    `/v1/accounts/acme-nl/optouts/sms/${encodeURIComponent(clicker)}/evidence`,
    "application/json",
  );
  t.equal(res.status, 200);
  const doc = JSON.parse(res.text);
  t.match(doc, {
    accountId: "acme-nl",
    scope: "org:acme",
    channel: "sms",
    identifier: clicker,
    status: "opted_out",
  });
  t.equal(doc.events.length, 1);
  t.equal(doc.decidingEventId, doc.events[0].eventId);
  t.equal(doc.suppressedFrom, doc.events[0].recordedAt, "suppressed from the moment the click was recorded");

  // Opted out, then back in: not suppressed, both events shown.
  const back = JSON.parse(
    (
      await get(
        `/v1/accounts/acme-nl/optouts/sms/${encodeURIComponent("06 1200 0001")}/evidence`,
        "application/json",
      )
    ).text,
  );
  t.match(back, { identifier: stopper, status: "opted_in", suppressedFrom: null });
  t.same(
    back.events.map((e: { action: string }) => e.action),
    ["opt_out", "opt_in"],
  );
});

t.test("one recipient as a printable page, every value escaped", async (t) => {
  const res = await fetch(
    `${system.apiUrl}/v1/accounts/acme-nl/optouts/sms/${encodeURIComponent(stopper)}/evidence`,
    {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, accept: "text/html" },
    },
  );
  t.equal(res.status, 200);
  t.match(res.headers.get("content-type"), /^text\/html/);
  t.match(res.headers.get("content-security-policy"), /default-src 'none'/);
  const body = await res.text();
  t.match(body, /<h1>Opt-out evidence<\/h1>/);
  t.ok(body.includes(stopper), "names the recipient");
  t.ok(body.includes(sms.id), "the gateway's message id");
  t.match(body, /SMS reply with a keyword/);
  t.match(body, /Recorded through the API/);
  t.match(body, /Opted back in/);
  t.ok(body.includes("asked on the phone &lt;b&gt;twice&lt;/b&gt;"), "the reason, escaped");
  t.notOk(body.includes("<b>twice"), "no markup from a reason");
  t.notMatch(body, /<script/i);
});

// ---- the command line ----------------------------------------------------------------------------

t.test("optout evidence export writes the API's CSV", async (t) => {
  let stdout = "";
  let stderr = "";
  const shell: NodeJS.ProcessEnv = {
    NATS_URL: config.natsUrl,
    OPTOUT_NAMESPACE: config.namespace,
    DATABASE_URL: config.databaseUrl,
    DATABASE_SCHEMA: config.databaseSchema,
    REDIS_URL: config.redisUrl,
    LOG_LEVEL: "error",
  };
  const code = await runCli(
    [
      "evidence",
      "export",
      "--account",
      "acme-nl",
      "--channel",
      "sms",
      "--from",
      "2026-01-01",
      "--format",
      "csv",
    ],
    { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) },
    shell,
  );
  t.equal(code, EXIT.OK, stderr);
  const api = await get("/v1/accounts/acme-nl/evidence?channel=sms&from=2026-01-01T00:00:00Z", "text/csv");
  t.equal(stdout, api.text, "the same rows, byte for byte");
  t.match(stderr, /export evidence: 3 rows/);

  const bad = await runCli(
    ["evidence", "export", "--account", "acme-nl", "--channel", "sms", "--from", "yesterday"],
    { stdout: () => undefined, stderr: () => undefined },
    shell,
  );
  t.equal(bad, EXIT.USAGE);
});
