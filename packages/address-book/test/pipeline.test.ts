import t from "tap";
import { setImmediate as tick } from "node:timers/promises";
import { DependencyUnavailableError, InvalidPayloadError } from "@optout/core";
import type { RecordedEvent } from "@optout/store";
import {
  ErrorReport,
  ImportInterruptedError,
  isRowDataError,
  progressTicker,
  runBatches,
  writeIsolating,
} from "../src/pipeline.js";
import { readRows } from "../src/readers.js";
import { CONTACT_COLUMNS, importOptouts } from "../src/import.js";
import { normalizeContactRows, normalizeOptoutRows, type ContactTask, type OptoutTask } from "../src/rows.js";

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
  t.same(
    written.flat(),
    Array.from({ length: 1_000 }, (_, i) => i),
    "written in input order",
  );
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
  report.add([
    { row: 2, value: "a", reason: "x" },
    { row: 3, value: "b", reason: "x" },
    { row: 4, value: "c", reason: "x" },
  ]);
  t.equal(report.errors.length, 2);
  t.equal(report.omitted, 1);
  const seen: number[] = [];
  const tickAt = progressTicker(100, (p) => seen.push(p.rows));
  for (const rows of [50, 100, 150, 320, 330, 400]) tickAt({ rows, imported: rows, failed: 0 });
  t.same(seen, [100, 320, 400]);
});

t.test("CSV and NDJSON readers: header checks, fields from extra columns, a byte limit", async (t) => {
  const rows = [];
  for await (const chunk of readRows(["id,Phone,tier\n1,", "0612345678,gold\n"], "csv", CONTACT_COLUMNS))
    rows.push(...chunk);
  t.same(rows, [{ row: 2, id: "1", phone: "0612345678", fields: { tier: "gold" } }]);
  const drain = async (input: string[], format: "csv" | "ndjson", maxBytes?: number) => {
    for await (const chunk of readRows(
      input,
      format,
      CONTACT_COLUMNS,
      maxBytes === undefined ? {} : { maxBytes },
    ))
      void chunk;
  };
  await t.rejects(drain([""], "csv"), /empty CSV/);
  await t.rejects(drain(["id,id,phone\n"], "csv"), /appears twice/);
  await t.rejects(drain(["id,fax\n"], "csv"), /at least one of "phone", "email"/);
  await t.rejects(drain(["id,phone\n", "1,0612345678\n"], "csv", 20), /larger than 20 bytes/);
  const nd = [];
  for await (const chunk of readRows(
    ['{"id":"a","error":{"value":"x","reason":"y"},"phone":"1"}\n'],
    "ndjson",
    CONTACT_COLUMNS,
  ))
    nd.push(...chunk);
  t.match(
    nd,
    [{ row: 1, error: { reason: /unknown key\(s\) error/ } }],
    "a key named error is data, not a parse error",
  );
});

/** What the store's `typed` makes of a row Postgres refuses. */
const refusedByPostgres = () =>
  new InvalidPayloadError(
    "the database refused the statement (SQLSTATE 23514: a value its check constraint refuses)",
    {
      details: { sqlstate: "23514" },
    },
  );

t.test(
  "writeIsolating: a batch the store refuses is split down to the rows at fault; the rest is written",
  async (t) => {
    const written: number[] = [];
    let calls = 0;
    const rows = Array.from({ length: 100 }, (_, i) => i);
    const refused = await writeIsolating(rows, async (batch) => {
      calls++;
      if (batch.includes(0) || batch.includes(57) || batch.includes(99)) throw refusedByPostgres();
      written.push(...batch);
    });
    t.same(
      refused.map((r) => r.row),
      [0, 57, 99],
      "the first, a middle and the last row, in order",
    );
    t.equal(refused[0]!.error.code, "INVALID_PAYLOAD");
    t.same(
      written,
      rows.filter((r) => ![0, 57, 99].includes(r)),
      "every other row once, in order",
    );
    t.ok(calls < 40, `${calls} writes for 3 bad rows in 100`);

    await t.rejects(
      writeIsolating(rows, async () => {
        throw new DependencyUnavailableError("postgres", "connection refused");
      }),
      { code: "DEPENDENCY_UNAVAILABLE" },
      "a store that is down is no row's fault: thrown",
    );
    await t.rejects(
      writeIsolating(rows, async () => {
        throw new InvalidPayloadError("bad SQL", { details: { sqlstate: "42601" } });
      }),
      /bad SQL/,
      "nor is invalid SQL",
    );
    t.notOk(isRowDataError(new Error("x")));
  },
);

t.test(
  "the input breaking off: what was read before is written first, then the error surfaces",
  async (t) => {
    const written: number[] = [];
    async function* brokenAfter(n: number) {
      yield Array.from({ length: n }, (_, i) => i);
      throw new InvalidPayloadError("malformed CSV: line 99: unclosed quoted field at the end of the file");
    }
    await t.rejects(
      runBatches({
        rows: brokenAfter(25),
        batchSize: 10,
        maxInFlight: 2,
        normalize: async (b) => b,
        write: async (b) => void written.push(...b),
      }),
      /unclosed quoted field/,
    );
    t.same(
      written,
      Array.from({ length: 25 }, (_, i) => i),
      "the partial last batch too",
    );
  },
);

function optoutCsv(rows: number, bad: (i: number) => string | undefined): string {
  const lines = ["channel,identifier,date,reason"];
  for (let i = 0; i < rows; i++) lines.push(bad(i) ?? `sms,+3161${String(1_000_000 + i)},2026-01-01,r${i}`);
  return lines.join("\n");
}

const inlineNormalizer = {
  threads: 1,
  contacts: async (task: ContactTask) => normalizeContactRows(task),
  optouts: async (task: OptoutTask) => normalizeOptoutRows(task),
  close: async () => undefined,
};

t.test(
  "opt-out import: rows the recorder's database refuses are row errors; a store outage stops with what was done",
  async (t) => {
    const recorded: string[] = [];
    const csv = optoutCsv(3_000, (i) => (i === 1_500 ? "sms,+31610000000,0000-01-01," : undefined));
    const summary = await importOptouts(
      {
        normalizer: inlineNormalizer,
        record: async (events) => {
          if (events.some((e) => e.reason === "r2999" || e.reason === "r0")) throw refusedByPostgres();
          recorded.push(...events.map((e) => e.identifier));
          return events.map(
            (e) =>
              ({
                ...e,
                eventId: e.sourceId,
                duplicate: false,
                stateChanged: true,
              }) as unknown as RecordedEvent,
          );
        },
      },
      { accountId: "a", scope: "org:o" },
      { input: [csv], format: "csv", defaultCountry: "NL", batchSize: 1_000 },
    );
    t.match(summary, { imported: 2_997, failed: 3, duplicates: 0 });
    t.match(summary.errors, [
      { row: 2, value: "+31611000000", reason: /SQLSTATE 23514/ },
      { row: 1_502, value: "0000-01-01", reason: /before 1970/ },
      { row: 3_001, value: "+31611002999", reason: /SQLSTATE 23514/ },
    ]);
    t.equal(recorded.length, 2_997);

    let calls = 0;
    const stopped = importOptouts(
      {
        normalizer: inlineNormalizer,
        record: async (events) => {
          if (++calls === 3) throw new DependencyUnavailableError("postgres", "connection refused");
          return events.map(
            (e) =>
              ({
                ...e,
                eventId: e.sourceId,
                duplicate: false,
                stateChanged: true,
              }) as unknown as RecordedEvent,
          );
        },
      },
      { accountId: "a", scope: "org:o" },
      {
        input: [optoutCsv(5_000, (i) => (i === 10 ? "fax,1,," : undefined))],
        format: "csv",
        defaultCountry: "NL",
        batchSize: 5_000,
      },
    );
    const err = await stopped.catch((e: unknown) => e);
    t.type(err, ImportInterruptedError);
    const interrupted = err as ImportInterruptedError;
    t.equal(interrupted.code, "DEPENDENCY_UNAVAILABLE", "the cause's code: answered 503");
    t.equal(interrupted.retryable, true);
    // Chunks of 1,000 events: two were committed (lines 2-2002: 2,000 events and the bad line 12).
    t.match(interrupted.report, {
      processedThroughRow: 2_002,
      imported: 2_000,
      failed: 1,
      errors: [{ row: 12 }],
    });
    t.match(
      interrupted.message,
      /connection refused.*The import stopped: every row up to line 2002 was processed \(2000 imported, 1 failed\).*Post the file again/,
    );
  },
);

t.test(
  "NDJSON: a row nested past 32 levels is that row's error before it is cloned to a thread",
  async (t) => {
    const deep = (n: number) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`;
    const lines = [
      `{"id":"c1","phone":"0612345678","fields":${deep(4_500)}}`,
      `{"id":"c2","phone":"0612345679","fields":${deep(30)}}`,
      `{"id":"c3","phone":"0612345670","fields":${deep(100_000)}}`,
    ];
    const rows = [];
    for await (const chunk of readRows([lines.join("\n")], "ndjson", CONTACT_COLUMNS)) rows.push(...chunk);
    t.match(rows, [
      { row: 1, error: { value: "", reason: /^\/fields(\/a){31} nests deeper than 32 levels$/ } },
      { row: 2, id: "c2" },
      { row: 3, error: { reason: /nests deeper than 32 levels$/ } },
    ]);
    t.notOk("fields" in rows[0]!, "the deep value is not kept");
  },
);
