/**
 * Why the import keeps its hand-written CSV parser: parse rate of 200,000 contact rows in
 * 64 KiB chunks (as an HTTP body arrives; every 10th row with quoted fields, every 1,000th with
 * a line break inside a quoted field), parse only (no normalization, no database). The
 * hand-written `CsvParser` over decoded text (what `readRows` does), against csv-parse's
 * streaming parser with the same contract (bench/micro/candidates/csv-parse-reader.ts). Both
 * must first give the same records for the parser test's sample, whatever the chunking.
 *   node --conditions=development --import tsx bench/micro/csv-parse.ts [--rows 200000]
 */
import { parseArgs } from "node:util";
import { CsvParser, decodeText, type CsvRecord } from "@optout/address-book";
import { parseCsv } from "./candidates/csv-parse-reader.js";
import { abRounds } from "./lib.js";

const { values } = parseArgs({ options: { rows: { type: "string", default: "200000" } } });
const ROWS = Number(values.rows);
const CHUNK_BYTES = 64 * 1024;

type Chunks = () => Iterable<Uint8Array>;
type Reader = (chunks: Chunks) => AsyncIterable<CsvRecord[]>;

async function* handWritten(chunks: Chunks): AsyncGenerator<CsvRecord[]> {
  const parser = new CsvParser();
  for await (const text of decodeText(chunks())) yield parser.push(text);
  yield parser.end();
}

const csvParse: Reader = (chunks) => parseCsv(chunks());

/** The CSV, and the line its last row starts on. */
function contactCsv(rows: number): { csv: Buffer; lastLine: number } {
  let line = 1;
  let lastLine = 1;
  const lines = ["id,phone,email,groups,firstName"];
  for (let i = 1; i <= rows; i++) {
    const n = String(10_000_000 + i);
    const id = `c${String(i).padStart(8, "0")}`;
    const phone = `06 ${n.slice(0, 4)} ${n.slice(4)}`;
    lastLine = ++line;
    if (i % 1000 === 0) line++;
    if (i % 1000 === 0) lines.push(`${id},"${phone}",,"vip;news","Ann\nSecond line"`);
    else if (i % 10 === 0) lines.push(`"${id}","${phone}","${id}@example.com","vip;news","Doe, ""Jo"""`);
    else lines.push(`${id},${phone},${id}@example.com,vip,Ann`);
  }
  return { csv: Buffer.from(lines.join("\r\n") + "\r\n"), lastLine };
}

function chunked(bytes: Buffer, size: number): Chunks {
  return function* () {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  };
}

async function records(read: Reader, chunks: Chunks): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  for await (const batch of read(chunks)) out.push(...batch);
  return out;
}

// The sample of packages/address-book/test/csv.test.ts (BOM added): the same records, or the
// comparison is not fair.
const SAMPLE = Buffer.from(
  "\uFEFFid,phone,email,groups\r\nc1,06 1234 5678,a@example.com,vip;news\r\n" +
    '"c2","+31 (0)6 1234 5679","",""\r\n"c,3","line one\nline two","say ""hi""",x\n\n' +
    "c4,,b@example.com,\rc5,0612345670,,last",
);
const expected = JSON.stringify(await records(handWritten, chunked(SAMPLE, SAMPLE.length)));
for (let size = 1; size <= 12; size++) {
  for (const [name, read] of Object.entries({ handWritten, csvParse })) {
    const got = JSON.stringify(await records(read, chunked(SAMPLE, size)));
    if (got !== expected) throw new Error(`${name}, chunks of ${size}: ${got}`);
  }
}

const { csv, lastLine } = contactCsv(ROWS);
function rate(read: Reader): () => Promise<number> {
  return async () => {
    const started = performance.now();
    let count = 0;
    let last = 0;
    for await (const batch of read(chunked(csv, CHUNK_BYTES))) {
      count += batch.length;
      if (batch.length > 0) last = batch[batch.length - 1]!.line;
    }
    const seconds = (performance.now() - started) / 1000;
    if (count !== ROWS + 1 || last !== lastLine)
      throw new Error(`${count} records, the last on line ${last}`);
    return ROWS / seconds;
  };
}

process.stdout.write(
  `${ROWS} rows, ${(csv.length / 2 ** 20).toFixed(1)} MiB in ${CHUNK_BYTES / 1024} KiB chunks\n`,
);
await abRounds(
  "CSV parse only, rows/s",
  "rows/s",
  {
    "hand-written CsvParser (kept)": rate(handWritten),
    "csv-parse 7 streaming (candidate)": rate(csvParse),
  },
  Number(process.env.ROUNDS ?? 5),
);
