/**
 * GET /v1/accounts/{accountId}/optouts: incremental list sync by cursor, the first-sync rule,
 * NDJSON export, cursor stability under concurrent writes; and GET .../events.
 */
import t from "tap";
import { randomUUID } from "node:crypto";
import { startApiEnv, type ApiResponse } from "../helpers/api-env.js";

const sys = await startApiEnv("list-sync");
t.teardown(() => sys.stop());
const { pool } = sys.env.infra;

await sys.account("sync-a", "sync-org");
await sys.account("sync-b", "sync-org");
await sys.account("sync-own", "sync-org", "account");
const readToken = await sys.token("sync-a", ["sms", "email"], ["read"]);
const readTokens: Record<string, string> = {
  "sync-a": readToken,
  "sync-own": await sys.token("sync-own", ["sms", "email"], ["read"]),
};

interface Item {
  channel: string;
  identifier: string;
  status: "opted_out" | "opted_in";
  since: string;
}

let n = 0;
/** A fresh Dutch mobile number per call, so tests never share identifiers. */
const nextNumber = () => `+3162${String(1_000_000 + n++).padStart(7, "0")}`;

async function record(
  accountId: string,
  identifier: string,
  action: "opt_out" | "opt_in",
  channel = "sms",
): Promise<void> {
  const res = await sys.request("POST", `/v1/accounts/${accountId}/optouts`, {
    body: { channel, identifier, action, reason: `test ${action}` },
    headers: { "idempotency-key": randomUUID() },
  });
  if (res.status !== 201) throw new Error(`record failed: ${res.status} ${res.text}`);
}

interface Page {
  status: number;
  headers: Headers;
  body: { items: Item[]; next: string; hasMore: boolean };
}

async function page(
  accountId: string,
  query: string,
  token: string | undefined = readTokens[accountId],
): Promise<Page> {
  const res: ApiResponse = await sys.request("GET", `/v1/accounts/${accountId}/optouts?${query}`, { token });
  if (res.status !== 200) throw new Error(`sync failed: ${res.status} ${res.text}`);
  return { status: res.status, headers: res.headers, body: res.body as Page["body"] };
}

/** Follow `next` until hasMore is false, as a client does; returns the items and the final cursor. */
async function syncAll(
  accountId: string,
  channel: string,
  after: string | undefined,
  limit: number,
): Promise<{ items: Item[]; next: string; pages: number }> {
  const items: Item[] = [];
  let cursor: string | undefined = after;
  for (let pages = 1; pages <= 1000; pages++) {
    const res = await page(accountId, `channel=${channel}&limit=${limit}${cursor ? `&after=${cursor}` : ""}`);
    if (typeof res.body.next !== "string") throw new Error(`page ${pages} has no next`);
    items.push(...res.body.items);
    cursor = res.body.next;
    if (!res.body.hasMore) return { items, next: res.body.next, pages };
  }
  throw new Error("no last page after 1000 pages");
}

/** A client's copy: apply items in order; opted_in removes. */
function apply(copy: Set<string>, items: Item[]): Set<string> {
  for (const item of items) {
    if (item.status === "opted_out") copy.add(item.identifier);
    else copy.delete(item.identifier);
  }
  return copy;
}

async function truth(scopeAccount: string, channel = "sms"): Promise<Set<string>> {
  const scope = scopeAccount === "sync-own" ? "account:sync-own" : "org:sync-org";
  const { rows } = await pool.query<{ identifier: string }>(
    "SELECT identifier FROM optout_state WHERE scope = $1 AND channel = $2 AND status = 'opted_out'",
    [scope, channel],
  );
  return new Set(rows.map((r) => r.identifier));
}

const sorted = (s: Iterable<string>) => [...s].sort();

t.test(
  "first sync: opted-out identifiers only, in order of last change; then only what changed, opt-ins included",
  async (t) => {
    const [a, b, c, d, e] = [nextNumber(), nextNumber(), nextNumber(), nextNumber(), nextNumber()];
    await record("sync-a", a, "opt_out");
    await record("sync-b", b, "opt_out"); // another account of the organization: same list
    await record("sync-a", c, "opt_out");
    await record("sync-a", d, "opt_out");
    await record("sync-a", d, "opt_in"); // opted in before the first sync: never on the client's list

    const first = await syncAll("sync-a", "sms", undefined, 100);
    const mine = first.items.filter((i) => [a, b, c, d].includes(i.identifier));
    t.same(
      mine.map((i) => [i.identifier, i.status]),
      [
        [a, "opted_out"],
        [b, "opted_out"],
        [c, "opted_out"],
      ],
      "d (opted in) is left out",
    );
    t.ok(
      first.items.every((i) => i.status === "opted_out" && i.channel === "sms"),
      "a first sync carries opt-outs only",
    );
    t.match(first.items[0], { since: /^\d{4}-\d\d-\d\dT/ });

    // Later: e opts out, a opts back in.
    await record("sync-a", e, "opt_out");
    await record("sync-a", a, "opt_in");
    const later = await page("sync-a", `channel=sms&after=${first.next}`);
    t.same(
      later.body.items.map((i) => [i.identifier, i.status]),
      [
        [e, "opted_out"],
        [a, "opted_in"],
      ],
      "exactly the two changes, in order, the opt-in as opted_in",
    );
    t.equal(later.body.hasMore, false);

    const nothing = await page("sync-a", `channel=sms&after=${later.body.next}`);
    t.same(nothing.body.items, [], "nothing changed since");
    t.equal(nothing.body.next, later.body.next, "an empty page gives back the cursor it was given");
    t.equal(nothing.body.hasMore, false);
  },
);

t.test(
  "paging: every page has next; pages together are the first sync; a client copy equals the list",
  async (t) => {
    for (let i = 0; i < 7; i++) await record("sync-a", nextNumber(), "opt_out");
    const whole = await syncAll("sync-a", "sms", undefined, 1000);
    const paged = await syncAll("sync-a", "sms", undefined, 2);
    t.ok(paged.pages >= 4, `${paged.pages} pages of 2`);
    t.same(paged.items, whole.items, "same items in the same order");
    t.same(sorted(apply(new Set(), paged.items)), sorted(await truth("sync-a")), "the copy is the list");
  },
);

t.test("NDJSON streams the same set as paging, and hands back a cursor for next time", async (t) => {
  const res = await fetch(`${sys.url}/v1/accounts/sync-a/optouts?channel=sms`, {
    headers: { authorization: `Bearer ${readToken}`, accept: "application/x-ndjson" },
  });
  t.equal(res.status, 200);
  t.match(res.headers.get("content-type"), /^application\/x-ndjson/);
  const text = await res.text();
  t.ok(text.endsWith("\n"), "newline-terminated lines");
  const lines = text
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Item);
  const paged = await syncAll("sync-a", "sms", undefined, 3);
  t.same(lines, paged.items, "same items, same order as paging");
  const cursor = res.headers.get("optout-next-cursor");
  t.type(cursor, "string");

  const x = nextNumber();
  await record("sync-a", x, "opt_out");
  const since = await page("sync-a", `channel=sms&after=${cursor}`);
  t.same(
    since.body.items.map((i) => i.identifier),
    [x],
    "from the export's cursor: only the later change",
  );

  const incremental = await fetch(`${sys.url}/v1/accounts/sync-a/optouts?channel=sms&after=${cursor}`, {
    headers: { authorization: `Bearer ${readToken}`, accept: "application/x-ndjson" },
  });
  t.same(
    (await incremental.text())
      .trim()
      .split("\n")
      .map((l) => (JSON.parse(l) as Item).identifier),
    [x],
    "NDJSON from a cursor: the changes since",
  );
});

t.test("cursor stability: writes between pages never make a client miss or keep a stale entry", async (t) => {
  const base = [nextNumber(), nextNumber(), nextNumber(), nextNumber(), nextNumber(), nextNumber()];
  for (const id of base) await record("sync-own", id, "opt_out");
  const copy = new Set<string>();
  const first = await page("sync-own", "channel=sms&limit=2");
  apply(copy, first.body.items);
  t.equal(first.body.hasMore, true);

  // Between pages: one already synced opts in, one not yet synced opts in, new ones opt out.
  const fresh = [nextNumber(), nextNumber()];
  await record("sync-own", base[0]!, "opt_in");
  await record("sync-own", base[4]!, "opt_in");
  for (const id of fresh) await record("sync-own", id, "opt_out");

  const rest = await syncAll("sync-own", "sms", first.body.next, 2);
  apply(copy, rest.items);
  t.same(sorted(copy), sorted(await truth("sync-own")), "the copy is exactly the list");
  t.ok(copy.has(fresh[0]!) && copy.has(fresh[1]!) && !copy.has(base[0]!) && !copy.has(base[4]!));
  const seen = rest.items.map((i) => i.identifier);
  t.equal(new Set(seen).size, seen.length, "no identifier twice in one pass");
});

t.test(
  "a change that commits after a later one is never skipped (commit order vs. change_seq)",
  async (t) => {
    const start = (await syncAll("sync-own", "sms", undefined, 1000)).next;
    const slow = nextNumber();
    const quick = nextNumber();
    // A writer takes its change_seq, then stays uncommitted...
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query(
        `INSERT INTO optout_state (scope, channel, identifier, status, since, last_event_id, source, reason)
       VALUES ('account:sync-own', 'sms', $1, 'opted_out', now(), gen_random_uuid(), 'api', 'slow writer')`,
        [slow],
      );
      // ...while another one, with a larger change_seq, commits.
      await record("sync-own", quick, "opt_out");
      const { rows } = await pool.query<{ change_seq: number }>(
        "SELECT change_seq FROM optout_state WHERE identifier = $1",
        [quick],
      );
      const { rows: mine } = await client.query<{ change_seq: number }>(
        "SELECT change_seq FROM optout_state WHERE identifier = $1",
        [slow],
      );
      t.ok(mine[0]!.change_seq < rows[0]!.change_seq, "the uncommitted change has the smaller change_seq");

      // A sync now waits for the uncommitted writer instead of moving its cursor past it.
      const pending = page("sync-own", `channel=sms&after=${start}`);
      let waiting = false;
      for (let i = 0; i < 400 && !waiting; i++) {
        const { rows: locks } = await pool.query(
          "SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = 4242005 AND NOT granted",
        );
        waiting = locks.length > 0;
        if (!waiting) await new Promise((r) => setTimeout(r, 10));
      }
      t.ok(waiting, "the sync waits for the writer");
      await client.query("COMMIT");
      const res = await pending;
      t.same(
        res.body.items.map((i) => i.identifier),
        [slow, quick],
        "both changes, in change_seq order",
      );
    } finally {
      await client.query("ROLLBACK").catch(() => undefined);
      client.release();
    }
  },
);

t.test("lists are isolated: the account-scoped list and the organization list never mix", async (t) => {
  const own = nextNumber();
  const org = nextNumber();
  await record("sync-own", own, "opt_out");
  await record("sync-b", org, "opt_out");
  const orgList = (await syncAll("sync-a", "sms", undefined, 1000)).items.map((i) => i.identifier);
  const ownList = (await syncAll("sync-own", "sms", undefined, 1000)).items.map((i) => i.identifier);
  t.ok(
    orgList.includes(org) && !orgList.includes(own),
    "org list: the org's opt-out, not the account-scoped one",
  );
  t.ok(ownList.includes(own) && !ownList.includes(org), "account list: its own only");
  const email = await page("sync-a", "channel=email");
  t.same(email.body.items, [], "channels are separate lists");
});

t.test("bad cursors and limits are 400; a channel is required", async (t) => {
  for (const query of [
    "channel=sms&after=!!",
    "channel=sms&after=bm90LWEtY3Vyc29y",
    "channel=sms&limit=0",
    "channel=sms&limit=5001",
    "channel=sms&limit=ten",
    "channel=fax",
    "",
    "channel=sms&extra=1",
  ]) {
    const res = await sys.request("GET", `/v1/accounts/sync-a/optouts?${query}`, { token: readToken });
    t.equal(res.status, 400, `"${query}" -> 400`);
    t.equal(res.body.error.code, "INVALID_PAYLOAD");
  }
  t.equal(
    (await sys.request("GET", "/v1/accounts/nobody/optouts?channel=sms")).body.error.code,
    "UNKNOWN_ACCOUNT",
  );
});

t.test("events: newest first, filters, paging with before, only the token's types", async (t) => {
  await sys.account("ev-acct", "ev-org");
  const phone = nextNumber();
  await record("ev-acct", phone, "opt_out");
  await record("ev-acct", "Jane.Doe@Example.com", "opt_out", "email");
  await record("ev-acct", phone, "opt_in");
  const all = await sys.request("GET", "/v1/accounts/ev-acct/events");
  t.same(
    all.body.items.map((e: { channel: string; identifier: string; action: string }) => [
      e.channel,
      e.identifier,
      e.action,
    ]),
    [
      ["sms", phone, "opt_in"],
      ["email", "jane.doe@example.com", "opt_out"],
      ["sms", phone, "opt_out"],
    ],
    "newest first, identifiers normalized",
  );
  t.match(all.body.items[0], {
    source: "api",
    reason: "test opt_in",
    accountId: "ev-acct",
    occurredAt: String,
    recordedAt: String,
    eventId: String,
  });
  t.equal(all.body.hasMore, false);

  const outs = await sys.request("GET", "/v1/accounts/ev-acct/events?action=opt_out&channel=sms");
  t.same(
    outs.body.items.map((e: { action: string }) => e.action),
    ["opt_out"],
  );

  const first = await sys.request("GET", "/v1/accounts/ev-acct/events?limit=2");
  t.equal(first.body.items.length, 2);
  t.equal(first.body.hasMore, true);
  const second = await sys.request("GET", `/v1/accounts/ev-acct/events?limit=2&before=${first.body.next}`);
  t.same(
    second.body.items.map((e: { action: string }) => e.action),
    ["opt_out"],
    "the oldest on the second page",
  );
  t.equal(second.body.hasMore, false);

  const smsToken = await sys.token("ev-acct", ["sms"], ["read"]);
  const mine = await sys.request("GET", "/v1/accounts/ev-acct/events", { token: smsToken });
  t.ok(
    mine.body.items.length === 2 && mine.body.items.every((e: { channel: string }) => e.channel === "sms"),
    "without channel: the token's types only",
  );
  t.equal(
    (await sys.request("GET", "/v1/accounts/ev-acct/events?channel=email", { token: smsToken })).status,
    403,
  );

  const empty = await sys.request("GET", "/v1/accounts/sync-own/events?channel=email");
  t.same(empty.body, { items: [], next: null, hasMore: false }, "no events at all: next is null");
});
