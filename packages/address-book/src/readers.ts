/**
 * Byte streams to rows: decode UTF-8 incrementally, split CSV records or NDJSON lines, map
 * columns to row objects. Yields one array of rows per input chunk (a generator step per row
 * would cost more than the parsing).
 */
import { InvalidPayloadError } from "@optout/core";
import { findStorableViolation, MAX_NESTING_DEPTH } from "@optout/schemas";
import { CsvParser, CsvSyntaxError, LineSplitter, type CsvRecord } from "./csv.js";

export type ImportFormat = "csv" | "ndjson";

export type ImportInput = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

/** The request body is larger than the import accepts. */
export class ImportTooLargeError extends InvalidPayloadError {
  constructor(maxBytes: number) {
    super(`the import is larger than ${maxBytes} bytes: split the file`);
    this.name = "ImportTooLargeError";
  }
}

/** Decode UTF-8 chunk by chunk (a character split between chunks is kept whole); a leading BOM is dropped. */
export async function* decodeText(input: ImportInput, maxBytes = Infinity): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  let bytes = 0;
  for await (const chunk of input) {
    if (typeof chunk === "string") {
      bytes += Buffer.byteLength(chunk);
      if (bytes > maxBytes) throw new ImportTooLargeError(maxBytes);
      yield chunk;
      continue;
    }
    bytes += chunk.byteLength;
    if (bytes > maxBytes) throw new ImportTooLargeError(maxBytes);
    const text = decoder.decode(chunk, { stream: true });
    if (text.length > 0) yield text;
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield rest;
}

export interface Columns {
  /** Columns the reader knows, by lower-case name. */
  known: readonly string[];
  /** Each row needs these columns in the header. */
  required: readonly string[];
  /** At least one of these must be in the header (empty: no such rule). */
  oneOf?: readonly string[];
  /** Unknown columns: collected into `fields` of the row, or refused. */
  extra: "fields" | "refuse";
  /** Keys an NDJSON object may have beyond `known` (e.g. `fields`, an object). */
  ndjsonKnown?: readonly string[];
}

type Row = { row: number; error?: { value: string; reason: string }; fields?: unknown } & Record<
  string,
  unknown
>;

function checkHeader(header: string[], columns: Columns): { names: string[]; extra: boolean[] } {
  const names = header.map((h) => h.trim().toLowerCase());
  const seen = new Set<string>();
  for (const name of names) {
    if (name === "") throw new InvalidPayloadError("CSV header: a column has no name");
    if (seen.has(name)) throw new InvalidPayloadError(`CSV header: column "${name}" appears twice`);
    seen.add(name);
  }
  const missing = columns.required.filter((c) => !seen.has(c));
  if (missing.length > 0) {
    throw new InvalidPayloadError(
      `CSV header lacks ${missing.map((c) => `"${c}"`).join(", ")}: the first line must name the columns, e.g. ${columns.known.join(",")}`,
    );
  }
  if (columns.oneOf && columns.oneOf.length > 0 && !columns.oneOf.some((c) => seen.has(c))) {
    throw new InvalidPayloadError(
      `CSV header needs at least one of ${columns.oneOf.map((c) => `"${c}"`).join(", ")}`,
    );
  }
  const extra = names.map((n) => !columns.known.includes(n));
  if (columns.extra === "refuse" && extra.some(Boolean)) {
    const unknown = names.filter((_, i) => extra[i]);
    throw new InvalidPayloadError(
      `CSV header: unknown column(s) ${unknown.map((c) => `"${c}"`).join(", ")}; the columns are ${columns.known.join(",")}`,
    );
  }
  return { names, extra };
}

function recordToRow(record: CsvRecord, header: { names: string[]; extra: boolean[] }): Row {
  const row: Row = { row: record.line };
  if (record.error) {
    row.error = { value: record.fields.join(","), reason: `malformed CSV: ${record.error}` };
    return row;
  }
  if (record.fields.length !== header.names.length) {
    row.error = {
      value: record.fields.join(",").slice(0, 200),
      reason: `${record.fields.length} field(s) where the header has ${header.names.length}: quote values that contain commas`,
    };
    return row;
  }
  let fields: Record<string, string> | undefined;
  for (let i = 0; i < header.names.length; i++) {
    const value = record.fields[i]!;
    if (header.extra[i]) {
      if (value !== "") (fields ??= {})[header.names[i]!] = value;
    } else {
      row[header.names[i]!] = value;
    }
  }
  if (fields) row.fields = fields;
  return row;
}

/** Whether arrays and objects nest more than `limit` levels deep; never recurses past `limit`. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (value === null || typeof value !== "object") return false;
  if (limit === 0) return true;
  for (const child of Array.isArray(value) ? value : Object.values(value)) {
    if (nestsDeeperThan(child, limit - 1)) return true;
  }
  return false;
}

/** CSV with a header line, or NDJSON objects, to row objects carrying their line number. */
export async function* readRows<R extends { row: number }>(
  input: ImportInput,
  format: ImportFormat,
  columns: Columns,
  options: { maxBytes?: number } = {},
): AsyncGenerator<R[]> {
  const text = decodeText(input, options.maxBytes);
  try {
    if (format === "csv") {
      const parser = new CsvParser();
      let header: { names: string[]; extra: boolean[] } | undefined;
      const convert = (records: CsvRecord[]): R[] => {
        const rows: R[] = [];
        for (const record of records) {
          if (!header) {
            if (record.error) throw new InvalidPayloadError(`CSV header: ${record.error}`);
            header = checkHeader(record.fields, columns);
            continue;
          }
          rows.push(recordToRow(record, header) as unknown as R);
        }
        return rows;
      };
      for await (const chunk of text) {
        const rows = convert(parser.push(chunk));
        if (rows.length > 0) yield rows;
      }
      const rows = convert(parser.end());
      if (!header)
        throw new InvalidPayloadError(
          `empty CSV: the first line must name the columns, e.g. ${columns.known.join(",")}`,
        );
      if (rows.length > 0) yield rows;
      return;
    }
    const splitter = new LineSplitter();
    const convert = (lines: { line: number; text: string }[]): R[] =>
      lines.map(({ line, text: json }) => {
        let value: unknown;
        try {
          value = JSON.parse(json);
        } catch (err) {
          return {
            row: line,
            error: { value: json.slice(0, 200), reason: `not JSON: ${(err as Error).message}` },
          } as unknown as R;
        }
        if (typeof value !== "object" || value === null || Array.isArray(value)) {
          return {
            row: line,
            error: { value: json.slice(0, 200), reason: "not a JSON object" },
          } as unknown as R;
        }
        const object = value as Record<string, unknown>;
        // Checked here, on the event loop, before the row is cloned to a normalizer thread:
        // the structured clone of a deeply nested value overflows the stack (~4,500 levels),
        // which would fail the whole batch instead of this row.
        if (nestsDeeperThan(object, MAX_NESTING_DEPTH)) {
          const found = findStorableViolation(object);
          return {
            row: line,
            error: {
              value: "",
              reason: found
                ? `${found.path} ${found.problem}`
                : `nests deeper than ${MAX_NESTING_DEPTH} levels`,
            },
          } as unknown as R;
        }
        const row: Row = { row: line };
        const extra: string[] = [];
        for (const key of Object.keys(object)) {
          if (columns.known.includes(key) || columns.ndjsonKnown?.includes(key)) row[key] = object[key];
          else extra.push(key);
        }
        if (extra.length > 0) {
          row.error = {
            value: json.slice(0, 200),
            reason: `unknown key(s) ${extra.join(", ")}; the keys are ${columns.known.join(", ")}`,
          };
        }
        return row as unknown as R;
      });
    for await (const chunk of text) {
      const rows = convert(splitter.push(chunk));
      if (rows.length > 0) yield rows;
    }
    const rows = convert(splitter.end());
    if (rows.length > 0) yield rows;
  } catch (err) {
    if (err instanceof CsvSyntaxError)
      throw new InvalidPayloadError(`malformed ${format === "csv" ? "CSV" : "NDJSON"}: ${err.message}`, {
        cause: err,
      });
    throw err;
  }
}
