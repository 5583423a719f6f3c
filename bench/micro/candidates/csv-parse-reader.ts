/**
 * The CSV reader the import would have with csv-parse (7.x, streaming API) instead of the
 * hand-written parser in packages/address-book/src/csv.ts: the same records (line each starts
 * on, fields), the same strictness (an unclosed quote fails the file with its line; records
 * with the wrong field count are passed on as the row's error). Measured against it in
 * bench/micro/csv-parse.ts and not adopted: see docs/performance.md ("CSV parser").
 *
 * Differences it would have brought: text after a closing quote (`"x"y`) is kept as written
 * instead of marking the row malformed (csv-parse can only fail the file there, or skip ahead
 * and lose the rows after it), and a CRLF inside a quoted field would count as two lines in
 * csv-parse's own `lines` (counted here instead).
 */
import { finished } from "node:stream/promises";
import { CsvError, parse } from "csv-parse";
import { CsvSyntaxError, type CsvRecord } from "@optout/address-book";

const DEFAULT_MAX_RECORD_CHARS = 1024 * 1024;

/** Line breaks inside a record's fields, counted as an editor counts lines (CRLF is one). */
function lineBreaks(fields: readonly string[]): number {
  let n = 0;
  for (const field of fields) {
    if (field.indexOf("\n") < 0 && field.indexOf("\r") < 0) continue;
    n += field.match(/\r\n|\r|\n/g)!.length;
  }
  return n;
}

/**
 * Parse CSV bytes (or text) into records. Blank lines are no records but count as lines.
 * Throws CsvSyntaxError for a file that cannot be read on; errors of the input itself (a size
 * limit) come through as they are.
 *
 * Records are taken in csv-parse's `on_record`, which runs inside `write()`, rather than read
 * from the stream's readable side: a parse error destroys the stream, and a destroyed stream
 * drops the records still buffered on that side, which would be rows lost before the line the
 * error names. Here every record before the error is handed on.
 */
export async function* parseCsv(
  input: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: { maxRecordChars?: number } = {},
): AsyncGenerator<CsvRecord[]> {
  const maxRecordChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  // Line numbers are counted here rather than taken from csv-parse's `lines`, which counts a
  // CRLF inside a quoted field as two lines: the line after the last record, plus the blank
  // lines csv-parse skipped since.
  let nextLine = 1;
  let emptyLinesBefore = 0;
  const startLine = (emptyLines: number) => nextLine + emptyLines - emptyLinesBefore;
  let records: CsvRecord[] = [];
  const parser = parse({
    bom: true,
    relax_quotes: true,
    relax_column_count: true,
    skip_empty_lines: true,
    record_delimiter: ["\r\n", "\n", "\r"],
    max_record_size: maxRecordChars,
    on_record: (fields: string[], context) => {
      const line = startLine(context.empty_lines);
      emptyLinesBefore = context.empty_lines;
      nextLine = line + lineBreaks(fields) + 1;
      records.push({ line, fields });
      return null; // taken: nothing for the readable side
    },
  });
  parser.resume();
  const done = finished(parser);
  // Settled below; until then a failure must not count as unhandled.
  done.catch(() => undefined);
  const take = () => {
    const taken = records;
    records = [];
    return taken;
  };
  try {
    for await (const chunk of input) {
      // Parsed before write() returns (nothing is ever pushed to the readable side, so the
      // stream never holds a chunk back); a parse error is raised by `done`.
      parser.write(chunk);
      if (records.length > 0) yield take();
      if (parser.destroyed) break;
    }
    parser.end();
    await done;
    if (records.length > 0) yield take();
  } catch (err) {
    parser.destroy();
    if (!(err instanceof CsvError)) throw err;
    if (records.length > 0) yield take();
    const line = startLine((err.empty_lines as number | undefined) ?? emptyLinesBefore);
    throw new CsvSyntaxError(line, csvProblem(err, maxRecordChars));
  }
}

/** What went wrong, in the words of the import's reports (csv-parse's own name the end line). */
function csvProblem(err: CsvError, maxRecordChars: number): string {
  switch (err.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return "unclosed quoted field at the end of the file";
    case "CSV_MAX_RECORD_SIZE":
      return `record longer than ${maxRecordChars} characters (an unclosed quote?)`;
    default:
      return err.message;
  }
}
