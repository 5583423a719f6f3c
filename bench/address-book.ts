/**
 * Address book benchmarks: bulk import rate and opt-out-filtered list rate, each against its
 * own Postgres schema (created, migrated, dropped). The `npm run bench` harness calls the
 * exported functions; run alone for the figures in packages/address-book/README.md:
 *
 *   node --conditions=development --import tsx bench/address-book.ts [--rows 1000000]
 *        [--threads 1,2] [--contacts 1000000] [--opted-out 0.1] [--only import|export]
 */
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { createLogger } from "@optout/core";
import { erasedIdentifier } from "@optout/domain";
import { createNormalizer, importContacts } from "@optout/address-book";
import {
  AccountDirectory,
  createPool,
  ensureDatabase,
  migrate,
  streamGroupContactLines,
  upsertAccount,
  upsertOrganization,
  withDefaultUser,
  type Pool,
} from "@optout/store";
import { buildApi } from "@optout/service-api";

const DEFAULT_DATABASE_URL =
  process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgres://127.0.0.1:5432/optout_test";
const ACCOUNT = "bench-ab";
const ORG = "bench-ab-org";
const GROUP = "all";

interface Db {
  pool: Pool;
  schema: string;
  drop(): Promise<void>;
}

async function openDb(databaseUrl: string, name: string): Promise<Db> {
  await ensureDatabase(databaseUrl);
  const schema = `bench_${name}_${Math.random().toString(36).slice(2, 8)}`;
  const pool = createPool({ url: databaseUrl, schema, max: 4, applicationName: "bench-address-book" });
  await migrate(pool, { schema });
  await upsertOrganization(pool, { id: ORG });
  await upsertAccount(pool, {
    id: ACCOUNT,
    organizationId: ORG,
    listScope: "organization",
    defaultCountry: "NL",
  });
  return {
    pool,
    schema,
    async drop() {
      await pool.end();
      const client = new pg.Client({ connectionString: withDefaultUser(databaseUrl) });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`);
      await client.end();
    },
  };
}

/** CSV `id,phone,email,groups` of national-format Dutch mobiles, generated as it is read; every `badEvery`-th phone is invalid. */
export async function* generateContactCsv(
  rows: number,
  options: { badEvery?: number; group?: string; chunkRows?: number } = {},
): AsyncGenerator<string> {
  const { badEvery = 0, group = GROUP, chunkRows = 2_000 } = options;
  let chunk = "id,phone,email,groups\n";
  for (let i = 1; i <= rows; i++) {
    const n = String(10_000_000 + i);
    const phone =
      badEvery > 0 && i % badEvery === 0 ? `06 ${n.slice(0, 3)}` : `06 ${n.slice(0, 4)} ${n.slice(4)}`;
    chunk += `c${String(i).padStart(8, "0")},${phone},,${group}\n`;
    if (i % chunkRows === 0) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}

export interface ImportBenchResult {
  rows: number;
  threads: number;
  imported: number;
  failed: number;
  seconds: number;
  rowsPerSecond: number;
  /** Peak resident set size growth during the import, in MiB (constant-memory check). */
  rssGrowthMiB: number;
}

/** Import `rows` national-format phone numbers (0.1% invalid) through the import core with `threads` pool threads. */
export async function benchImport(options: {
  rows: number;
  threads: number;
  databaseUrl?: string;
  batchSize?: number;
}): Promise<ImportBenchResult> {
  const db = await openDb(options.databaseUrl ?? DEFAULT_DATABASE_URL, "import");
  const normalizer = createNormalizer({ threads: options.threads });
  try {
    // Start the threads before the clock: a server keeps them warm between imports.
    await Promise.all(
      Array.from({ length: options.threads }, () =>
        normalizer.contacts({ rows: [{ row: 1, id: "w", phone: "0612345678" }], defaultCountry: "NL" }),
      ),
    );
    const rssBefore = process.memoryUsage().rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 200);
    const started = performance.now();
    const summary = await importContacts({ pool: db.pool, normalizer }, ACCOUNT, {
      input: generateContactCsv(options.rows, { badEvery: 1000 }),
      format: "csv",
      defaultCountry: "NL",
      ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    return {
      rows: options.rows,
      threads: options.threads,
      imported: summary.imported,
      failed: summary.failed,
      seconds,
      rowsPerSecond: Math.round(options.rows / seconds),
      rssGrowthMiB: Math.round((rssPeak - rssBefore) / 2 ** 20),
    };
  } finally {
    await normalizer.close();
    await db.drop();
  }
}

export interface GroupFixture extends Db {
  contacts: number;
  optedOut: number;
}

/** A group of `contacts` members with phones, `optedOutRatio` of them opted out in the account's list, written with set-based SQL. */
export async function prepareGroupFixture(options: {
  contacts: number;
  optedOutRatio: number;
  databaseUrl?: string;
}): Promise<GroupFixture> {
  const db = await openDb(options.databaseUrl ?? DEFAULT_DATABASE_URL, "group");
  const every = options.optedOutRatio > 0 ? Math.round(1 / options.optedOutRatio) : 0;
  const n = options.contacts;
  await db.pool.query("INSERT INTO groups (account_id, id, name) VALUES ($1, $2, $2)", [ACCOUNT, GROUP]);
  await db.pool.query(
    `INSERT INTO contacts (account_id, id, phone_raw, phone)
     SELECT $1, 'c' || lpad(i::text, 8, '0'), '06' || (10000000 + i), '+316' || (10000000 + i) FROM generate_series(1, $2::int) i`,
    [ACCOUNT, n],
  );
  await db.pool.query(
    `INSERT INTO group_members (account_id, group_id, contact_id) SELECT $1, $2, 'c' || lpad(i::text, 8, '0') FROM generate_series(1, $3::int) i`,
    [ACCOUNT, GROUP, n],
  );
  let optedOut = 0;
  if (every > 0) {
    const res = await db.pool.query(
      `INSERT INTO optout_state (scope, channel, identifier, status, since, last_event_id, source)
       SELECT $1, 'sms', '+316' || (10000000 + i), 'opted_out', now(), gen_random_uuid(), 'import'
       FROM generate_series(1, $2::int) i WHERE i % $3 = 0`,
      [`org:${ORG}`, n, every],
    );
    optedOut = res.rowCount ?? 0;
  }
  await db.pool.query("VACUUM ANALYZE contacts, group_members, optout_state");
  return { ...db, contacts: n, optedOut };
}

export interface ExportBenchResult {
  contacts: number;
  optedOut: number;
  returned: number;
  /** The API's NDJSON stream, read by an HTTP client. */
  httpSeconds: number;
  httpContactsPerSecond: number;
  /** The store's cursor alone (no HTTP). */
  storeSeconds: number;
  storeContactsPerSecond: number;
  /** Keyset pages of 10,000 through the API. */
  pagedSeconds: number;
  pagedContactsPerSecond: number;
}

/** Read a group of `contacts` with `optedOutRatio` opted out, filtered, three ways. Rates count group members scanned per second. */
export async function benchFilteredExport(options: {
  contacts: number;
  optedOutRatio: number;
  databaseUrl?: string;
  fixture?: GroupFixture;
}): Promise<ExportBenchResult> {
  const fixture = options.fixture ?? (await prepareGroupFixture(options));
  const logger = createLogger({ name: "bench-address-book", level: "warn" });
  const adminToken = "bench-admin-token-0123456789";
  const app = await buildApi({
    pool: fixture.pool,
    accounts: new AccountDirectory(fixture.pool),
    recorder: { record: async () => [] },
    logger,
    adminToken,
    emailTokenSecret: "bench-email-token-secret-0123",
    erasureHashSecret: "bench-erasure-hash-secret-0123",
    linkBaseUrl: "http://localhost:8080/",
    isReady: () => true,
    importThreads: 1,
  });
  try {
    await app.listen({ port: 0, host: "127.0.0.1" });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/v1/accounts/${ACCOUNT}/groups/${GROUP}/contacts?channel=sms&excludeOptedOut=true`;
    const headers = { authorization: `Bearer ${adminToken}` };

    let started = performance.now();
    let returned = 0;
    for await (const page of streamGroupContactLines(fixture.pool, {
      accountId: ACCOUNT,
      groupId: GROUP,
      channel: "sms",
      exclude: {
        scope: `org:${ORG}`,
        erasedForm: (identifier) => erasedIdentifier("bench-erasure-hash-secret-0123", identifier),
      },
      after: "",
    })) {
      returned += page.count;
    }
    const storeSeconds = (performance.now() - started) / 1000;

    started = performance.now();
    const res = await fetch(base, { headers: { ...headers, accept: "application/x-ndjson" } });
    let lines = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
    }
    const httpSeconds = (performance.now() - started) / 1000;
    if (lines !== returned)
      throw new Error(`the NDJSON stream returned ${lines} lines, the store ${returned}`);

    started = performance.now();
    let paged = 0;
    let after = "";
    for (;;) {
      const page = (await (await fetch(`${base}&limit=10000&after=${after}`, { headers })).json()) as {
        items: unknown[];
        next: string;
        hasMore: boolean;
      };
      paged += page.items.length;
      after = page.next;
      if (!page.hasMore) break;
    }
    const pagedSeconds = (performance.now() - started) / 1000;
    if (paged !== returned) throw new Error(`the pages returned ${paged} contacts, the store ${returned}`);

    const n = fixture.contacts;
    return {
      contacts: n,
      optedOut: fixture.optedOut,
      returned,
      httpSeconds,
      httpContactsPerSecond: Math.round(n / httpSeconds),
      storeSeconds,
      storeContactsPerSecond: Math.round(n / storeSeconds),
      pagedSeconds,
      pagedContactsPerSecond: Math.round(n / pagedSeconds),
    };
  } finally {
    await app.close();
    if (!options.fixture) await fixture.drop();
  }
}

export interface RawScanResult {
  contacts: number;
  /** Postgres alone: count(*) of the unfiltered group join (members merge-joined with contacts). */
  serverSeconds: number;
  serverContactsPerSecond: number;
  /** The same rows (id, phone) fetched by a client through a cursor: the best a reader can do. */
  fetchSeconds: number;
  fetchContactsPerSecond: number;
}

/** Baseline: how fast Postgres scans the group (no opt-out filter, no JSON, no HTTP). */
export async function benchRawGroupScan(options: {
  contacts: number;
  databaseUrl?: string;
  fixture?: GroupFixture;
}): Promise<RawScanResult> {
  const fixture = options.fixture ?? (await prepareGroupFixture({ ...options, optedOutRatio: 0 }));
  const join = `FROM group_members m JOIN contacts c ON c.account_id = m.account_id AND c.id = m.contact_id
    WHERE m.account_id = $1 AND m.group_id = $2`;
  const client = await fixture.pool.connect();
  try {
    let started = performance.now();
    await client.query(`SELECT count(*) ${join}`, [ACCOUNT, GROUP]);
    const serverSeconds = (performance.now() - started) / 1000;

    started = performance.now();
    await client.query("BEGIN");
    await client.query("SET LOCAL cursor_tuple_fraction = 1");
    await client.query({
      text: `DECLARE raw_scan NO SCROLL CURSOR FOR SELECT m.contact_id, c.phone ${join}`,
      values: [ACCOUNT, GROUP],
    });
    let rows = 0;
    for (;;) {
      const res = await client.query({ text: "FETCH 20000 FROM raw_scan", rowMode: "array" });
      rows += res.rows.length;
      if (res.rows.length < 20000) break;
    }
    await client.query("COMMIT");
    const fetchSeconds = (performance.now() - started) / 1000;
    const n = fixture.contacts;
    if (rows !== n) throw new Error(`the raw scan returned ${rows} rows for ${n} members`);
    return {
      contacts: n,
      serverSeconds,
      serverContactsPerSecond: Math.round(n / serverSeconds),
      fetchSeconds,
      fetchContactsPerSecond: Math.round(n / fetchSeconds),
    };
  } finally {
    client.release();
    if (!options.fixture) await fixture.drop();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: "string", default: "1000000" },
      threads: { type: "string", default: "1,2" },
      contacts: { type: "string", default: "1000000" },
      "opted-out": { type: "string", default: "0.1" },
      only: { type: "string" },
    },
  });
  const log = (line: string) =>
    process.stderr.write(
      `${line}  (load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")})\n`,
    );
  const results: Record<string, unknown> = {};
  if (values.only !== "export") {
    for (const threads of values.threads.split(",").map(Number)) {
      log(`import: ${values.rows} rows, ${threads} thread(s)...`);
      const r = await benchImport({ rows: Number(values.rows), threads });
      log(
        `import: ${r.rowsPerSecond} rows/s (${r.seconds.toFixed(1)} s, ${r.imported} imported, ${r.failed} failed, rss +${r.rssGrowthMiB} MiB)`,
      );
      results[`import_${threads}_threads`] = r;
    }
  }
  if (values.only !== "import") {
    log(`export: preparing a group of ${values.contacts} contacts...`);
    const fixture = await prepareGroupFixture({
      contacts: Number(values.contacts),
      optedOutRatio: Number(values["opted-out"]),
    });
    try {
      const raw = await benchRawGroupScan({ contacts: fixture.contacts, fixture });
      log(`raw scan: server ${raw.serverContactsPerSecond}/s, client fetch ${raw.fetchContactsPerSecond}/s`);
      const r = await benchFilteredExport({
        contacts: fixture.contacts,
        optedOutRatio: Number(values["opted-out"]),
        fixture,
      });
      log(
        `filtered export: HTTP NDJSON ${r.httpContactsPerSecond}/s, store ${r.storeContactsPerSecond}/s, pages of 10k ${r.pagedContactsPerSecond}/s (${r.returned} of ${r.contacts} returned)`,
      );
      results.rawScan = raw;
      results.filteredExport = r;
    } finally {
      await fixture.drop();
    }
  }
  process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
