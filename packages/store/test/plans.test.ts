/**
 * Per-identifier lookups use the primary key whatever the statistics say: checked on a table
 * that was never analyzed (autovacuum is off here, and lags behind a STOP wave or a big import
 * in production), right after 50,000 opt-outs went into one list, and again after ANALYZE.
 */
import t from "tap";
import { randomUUID } from "node:crypto";
import { erasedIdentifier } from "@optout/domain";
import { FIND_OPTED_OUT_SQL, FIND_OPTED_OUT_WITH_ERASED_SQL, findOptedOut } from "@optout/store";
import { createTestEnv } from "@optout/testkit";

const env = await createTestEnv({ name: "plans" });
t.teardown(() => env.teardown());
const { pool } = env.infra;
const SCOPE = "org:plans";
const LIST_SIZE = 50_000;

// A STOP wave into one list, set-based like the recorder, with no ANALYZE afterwards.
await pool.query(
  `INSERT INTO optout_state (scope, channel, identifier, status, since, last_event_id, source)
   SELECT $1, 'sms', '+3161' || lpad(i::text, 7, '0'), 'opted_out', now(), $2::uuid, 'sms_keyword'
     FROM generate_series(1, $3::int) AS i`,
  [SCOPE, randomUUID(), LIST_SIZE],
);
// Some other list, so that (scope, channel) is not the whole table.
await pool.query(
  `INSERT INTO optout_state (scope, channel, identifier, status, since, last_event_id, source)
   SELECT 'org:other', 'sms', '+3162' || lpad(i::text, 7, '0'), 'opted_out', now(), $1::uuid, 'import'
     FROM generate_series(1, 2000) AS i`,
  [randomUUID()],
);

const probe = Array.from({ length: 1000 }, (_, i) => `+3161${String(i * 37 + 1).padStart(7, "0")}`);
// The erased forms the check sends along (half of them: the others' filter bits said "certainly not").
const erased = probe.map((id, i) => (i % 2 === 0 ? erasedIdentifier("plans-secret-0123456789", id) : null));

/** The plain confirm (a list that never had an erasure), then the one that probes the erased forms too. */
async function plans(): Promise<[string, string]> {
  const explain = async (sql: string, values: unknown[]) => {
    const { rows } = await pool.query<{ "QUERY PLAN": string }>(`EXPLAIN ${sql}`, values);
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  };
  return [
    await explain(FIND_OPTED_OUT_SQL, [SCOPE, "sms", probe]),
    await explain(FIND_OPTED_OUT_WITH_ERASED_SQL, [SCOPE, "sms", probe, erased]),
  ];
}

const PLAIN_PROBE =
  /Index Scan using optout_state_pkey on optout_state[^\n]*\n\s*Index Cond: \(\(scope = .*identifier = q\.identifier\)/;
const ERASED_PROBES =
  /Index Scan using optout_state_pkey on optout_state[^\n]*\n\s*Index Cond: \(\(scope = .*identifier = q\.identifier\)[\s\S]*Index Scan using optout_state_pkey on optout_state[^\n]*\n\s*Index Cond: \(\(scope = .*identifier = q\.erased\)/;

t.test("never analyzed: the confirm probes the primary key, never the list's change index", async (t) => {
  const { rows } = await pool.query<{ n: string | null }>(
    "SELECT last_analyze, last_autoanalyze, n_live_tup::text AS n FROM pg_stat_user_tables WHERE relname = 'optout_state' AND schemaname = current_schema()",
  );
  t.comment(`optout_state before ANALYZE: ${JSON.stringify(rows[0])}`);
  const [plain, withErased] = await plans();
  t.comment(plain);
  t.comment(withErased);
  for (const [text, probes] of [
    [plain, PLAIN_PROBE],
    [withErased, ERASED_PROBES],
  ] as const) {
    t.match(text, /Nested Loop/, "one probe per identifier");
    t.match(text, probes, "on the whole primary key");
    t.notMatch(
      text,
      /optout_state_changes_idx|Seq Scan on optout_state|Hash/,
      "neither the change index nor a scan of the list",
    );
  }
  const found = await findOptedOut(pool, SCOPE, "sms", [...probe, "+31699999999"]);
  t.equal(found.size, probe.length, "every probed opt-out found, the unknown number not");
});

t.test("after ANALYZE: the same plan", async (t) => {
  await pool.query("ANALYZE optout_state");
  const [plain, withErased] = await plans();
  for (const [text, probes] of [
    [plain, PLAIN_PROBE],
    [withErased, ERASED_PROBES],
  ] as const) {
    t.match(text, /Nested Loop/);
    t.match(text, probes);
    t.notMatch(text, /optout_state_changes_idx|Seq Scan on optout_state|Hash/);
  }
});

t.test("list sync reads the list in change order from its own index, never sorting the list", async (t) => {
  const { rows } = await pool.query<{ "QUERY PLAN": string }>(
    `EXPLAIN SELECT identifier, status, since, change_seq FROM optout_state
      WHERE (scope || '|' || channel) = ($1 || '|' || $2) AND change_seq > $3 ORDER BY change_seq LIMIT 1000`,
    [SCOPE, "sms", 0],
  );
  const text = rows.map((r) => r["QUERY PLAN"]).join("\n");
  t.match(text, /optout_state_list_changes_idx/);
  t.notMatch(text, /Sort/);
});
