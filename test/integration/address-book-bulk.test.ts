/**
 * A million-row contact import over HTTP: the CSV is generated while it is sent (never held in
 * memory), the answer streams progress lines, bad rows are reported (capped list, full count).
 * ADDRESS_BOOK_TEST_ROWS changes the size (default 1,000,000).
 */
import t from "tap";
import { ADMIN_TOKEN, startSystem } from "../helpers/system.js";

const ROWS = Number(process.env.ADDRESS_BOOK_TEST_ROWS ?? 1_000_000);
const BAD_EVERY = 500;
const PROGRESS_EVERY = 50_000;

const system = await startSystem({ name: "address-book-bulk" });
t.teardown(() => system.stop());
await system.account("bulk-nl", "bulk");

/** `id,phone,email,groups`: national-format Dutch mobiles; every BAD_EVERY-th one is too short. */
function csvBody(rows: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let i = 0;
  return new ReadableStream({
    pull(controller) {
      if (i === 0) controller.enqueue(encoder.encode("id,phone,email,groups\n"));
      if (i >= rows) {
        controller.close();
        return;
      }
      let chunk = "";
      for (const end = Math.min(rows, i + 2_000); i < end;) {
        i++;
        const n = String(10_000_000 + i);
        const phone = i % BAD_EVERY === 0 ? `06 ${n.slice(0, 3)}` : `06 ${n.slice(0, 4)} ${n.slice(4)}`;
        chunk += `c${String(i).padStart(8, "0")},${phone},,everyone\n`;
      }
      controller.enqueue(encoder.encode(chunk));
    },
  });
}

t.test(`${ROWS} rows: streamed in, progress lines out, bad rows reported, the rest imported`, async (t) => {
  const started = Date.now();
  const res = await fetch(`${system.apiUrl}/v1/accounts/bulk-nl/contacts/import`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${ADMIN_TOKEN}`,
      "content-type": "text/csv",
      accept: "application/x-ndjson",
    },
    body: csvBody(ROWS),
    duplex: "half",
  } as RequestInit);
  t.equal(res.status, 200);
  t.match(res.headers.get("content-type"), /application\/x-ndjson/);

  const lines: Record<string, unknown>[] = [];
  let buffered = "";
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffered += decoder.decode(chunk, { stream: true });
    for (let k = buffered.indexOf("\n"); k >= 0; k = buffered.indexOf("\n")) {
      lines.push(JSON.parse(buffered.slice(0, k)));
      buffered = buffered.slice(k + 1);
    }
  }
  const summary = lines.pop() as {
    imported: number;
    failed: number;
    errors: { row: number; value: string; reason: string }[];
    errorsOmitted: number;
  };
  const progress = lines.map(
    (l) => (l as { progress: { rows: number; imported: number; failed: number } }).progress,
  );
  t.comment(`${ROWS} rows imported over HTTP in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const bad = Math.floor(ROWS / BAD_EVERY);
  t.same(summary.imported, ROWS - bad);
  t.same(summary.failed, bad);
  t.equal(summary.errors.length, Math.min(bad, 1000), "the error list is capped at 1,000");
  t.equal(summary.errorsOmitted, Math.max(0, bad - 1000), "the rest are counted");
  t.match(
    summary.errors[0],
    { row: BAD_EVERY + 1, value: "06 100", reason: /invalid phone number/ },
    "line numbers count the header as line 1",
  );

  t.ok(
    progress.length >= Math.floor(ROWS / PROGRESS_EVERY),
    `a progress line every ${PROGRESS_EVERY} rows (${progress.length})`,
  );
  t.ok(
    progress.every((p, k) => p !== undefined && (k === 0 || p.rows > progress[k - 1]!.rows)),
    "progress only goes forward",
  );
  t.same(progress.at(-1), { rows: ROWS, imported: ROWS - bad, failed: bad });

  const { pool } = system.env.infra;
  const counts = await pool.query<{ contacts: number; members: number }>(
    `SELECT (SELECT count(*) FROM contacts WHERE account_id = 'bulk-nl')::int AS contacts,
            (SELECT count(*) FROM group_members WHERE account_id = 'bulk-nl' AND group_id = 'everyone')::int AS members`,
  );
  t.same(counts.rows[0], { contacts: ROWS - bad, members: ROWS - bad });
  const sample = await system.api("GET", "/v1/accounts/bulk-nl/contacts/c00000001");
  t.match(sample.body, { phone: "+31610000001", phoneRaw: "06 1000 0001", groups: ["everyone"] });
  t.ok(
    system.env.logLines.some((l) => l.includes("import progress")),
    "progress is logged",
  );
});
