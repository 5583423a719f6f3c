import t from "tap";
import { setImmediate as tick } from "node:timers/promises";
import { ErrorReport, progressTicker, runBatches } from "../src/pipeline.js";
import { readRows } from "../src/readers.js";
import { CONTACT_COLUMNS } from "../src/import.js";

async function* numbers(count: number, pulled: { n: number }) {
  for (let i = 0; i < count; i++) {
    pulled.n++;
    yield [i];
  }
}

t.test("reads no more than maxInFlight batches ahead of a stalled writer", async (t) => {
  const pulled = { n: 0 };
  let release!: () => void;
  const stalled = new Promise<void>((resolve) => (release = resolve));
  const written: number[][] = [];
  const run = runBatches({
    rows: numbers(1_000, pulled),
    batchSize: 10,
    maxInFlight: 3,
    normalize: async (batch) => batch,
    write: async (batch) => {
      await stalled;
      written.push(batch);
    },
  });
  for (let i = 0; i < 50; i++) await tick();
  t.ok(pulled.n <= 3 * 10 + 1, `read ${pulled.n} rows while the first write waits`);
  release();
  await run;
  t.equal(written.length, 100);
  t.same(written.flat(), Array.from({ length: 1_000 }, (_, i) => i), "written in input order");
});

t.test("writes in input order when normalization finishes out of order", async (t) => {
  const order: number[] = [];
  await runBatches({
    rows: numbers(6, { n: 0 }),
    batchSize: 1,
    maxInFlight: 3,
    normalize: async ([n]) => {
      await new Promise((r) => setTimeout(r, (6 - n!) * 3));
      return n!;
    },
    write: async (n) => {
      order.push(n);
    },
  });
  t.same(order, [0, 1, 2, 3, 4, 5]);
});

t.test("a failed write stops the reading and surfaces once, with nothing left unhandled", async (t) => {
  const pulled = { n: 0 };
  await t.rejects(
    runBatches({
      rows: numbers(1_000, pulled),
      batchSize: 10,
      maxInFlight: 2,
      normalize: async (batch) => batch,
      write: async (batch) => {
        if (batch[0] === 20) throw new Error("database down");
      },
    }),
    /database down/,
  );
  t.ok(pulled.n < 100, `stopped reading after ${pulled.n} rows`);
});

t.test("errors are capped and counted; progress ticks at each multiple", async (t) => {
  const report = new ErrorReport(2);
  report.add([{ row: 2, value: "a", reason: "x" }, { row: 3, value: "b", reason: "x" }, { row: 4, value: "c", reason: "x" }]);
  t.equal(report.errors.length, 2);
  t.equal(report.omitted, 1);
  const seen: number[] = [];
  const tickAt = progressTicker(100, (p) => seen.push(p.rows));
  for (const rows of [50, 100, 150, 320, 330, 400]) tickAt({ rows, imported: rows, failed: 0 });
  t.same(seen, [100, 320, 400]);
});

t.test("CSV and NDJSON readers: header checks, fields from extra columns, a byte limit", async (t) => {
  const rows = [];
  for await (const chunk of readRows(["id,Phone,tier\n1,", "0612345678,gold\n"], "csv", CONTACT_COLUMNS)) rows.push(...chunk);
  t.same(rows, [{ row: 2, id: "1", phone: "0612345678", fields: { tier: "gold" } }]);
  const drain = async (input: string[], format: "csv" | "ndjson", maxBytes?: number) => {
    for await (const chunk of readRows(input, format, CONTACT_COLUMNS, maxBytes === undefined ? {} : { maxBytes })) void chunk;
  };
  await t.rejects(drain([""], "csv"), /empty CSV/);
  await t.rejects(drain(["id,id,phone\n"], "csv"), /appears twice/);
  await t.rejects(drain(["id,fax\n"], "csv"), /at least one of "phone", "email"/);
  await t.rejects(drain(["id,phone\n", "1,0612345678\n"], "csv", 20), /larger than 20 bytes/);
  const nd = [];
  for await (const chunk of readRows(['{"id":"a","error":{"value":"x","reason":"y"},"phone":"1"}\n'], "ndjson", CONTACT_COLUMNS)) nd.push(...chunk);
  t.match(nd, [{ row: 1, error: { reason: /unknown key\(s\) error/ } }], "a key named error is data, not a parse error");
});
