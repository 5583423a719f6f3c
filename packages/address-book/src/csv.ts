/**
 * An incremental RFC 4180 CSV parser: feed it text chunks as they arrive, get complete records
 * back. Fields are separated by commas, records by CRLF, LF or a lone CR; a field in double
 * quotes may hold commas, line breaks and doubled quotes (""). Lenient where it costs nothing
 * (a quote inside an unquoted field is kept as a character), strict where data would be lost:
 * text after a closing quote makes that record malformed, and an unclosed quote fails the file
 * once the record grows past `maxRecordChars`.
 */

export interface CsvRecord {
  /** 1-based line of the file on which the record starts (the header is line 1). */
  line: number;
  fields: string[];
  /** Set when the record is malformed; `fields` then holds what was read. */
  error?: string;
}

export class CsvSyntaxError extends Error {
  readonly line: number;
  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.name = "CsvSyntaxError";
    this.line = line;
  }
}

export const DEFAULT_MAX_RECORD_CHARS = 1024 * 1024;

const COMMA = 44;
const QUOTE = 34;
const LF = 10;
const CR = 13;

export class CsvParser {
  #carry = "";
  #line = 1;
  readonly #maxRecordChars: number;

  constructor(options: { maxRecordChars?: number } = {}) {
    this.#maxRecordChars = options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS;
  }

  /** Parse what is complete in the text seen so far; the rest waits for the next chunk. */
  push(chunk: string): CsvRecord[] {
    const text = this.#carry.length === 0 ? chunk : this.#carry + chunk;
    const out: CsvRecord[] = [];
    const consumed = this.#parse(text, false, out);
    this.#carry = consumed === text.length ? "" : text.slice(consumed);
    if (this.#carry.length > this.#maxRecordChars) {
      throw new CsvSyntaxError(
        this.#line,
        `record longer than ${this.#maxRecordChars} characters (an unclosed quote?)`,
      );
    }
    return out;
  }

  /** The end of the input: the last record needs no line break. */
  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.#carry.length > 0) this.#parse(this.#carry, true, out);
    this.#carry = "";
    return out;
  }

  /** Returns how many characters were consumed (complete records only, unless `final`). */
  #parse(text: string, final: boolean, out: CsvRecord[]): number {
    const n = text.length;
    let pos = 0;
    while (pos < n) {
      const start = pos;
      const line = this.#line;
      let lines = 0;
      const fields: string[] = [];
      let error: string | undefined;
      let i = pos;
      for (;;) {
        let value: string;
        if (text.charCodeAt(i) === QUOTE) {
          // Quoted field: up to the next quote that is not doubled.
          let j = i + 1;
          value = "";
          let closed = -1;
          for (;;) {
            const k = text.indexOf('"', j);
            if (k < 0 || (k + 1 >= n && !final)) break; // "" may continue in the next chunk
            value += text.slice(j, k);
            if (text.charCodeAt(k + 1) === QUOTE) {
              value += '"';
              j = k + 2;
              continue;
            }
            closed = k;
            break;
          }
          if (closed < 0) {
            if (!final) return start;
            throw new CsvSyntaxError(line + lines, "unclosed quoted field at the end of the file");
          }
          for (let p = value.indexOf("\n"); p >= 0; p = value.indexOf("\n", p + 1)) lines++;
          i = closed + 1;
          const c = i < n ? text.charCodeAt(i) : -1;
          if (c !== COMMA && c !== LF && c !== CR && c !== -1) {
            error ??= "text after a closing quote: quote the whole field and double the quotes inside";
            // Skip to the end of the field as if it were unquoted.
            while (i < n) {
              const d = text.charCodeAt(i);
              if (d === COMMA || d === LF || d === CR) break;
              i++;
            }
          }
        } else {
          let k = i;
          while (k < n) {
            const c = text.charCodeAt(k);
            if (c === COMMA || c === LF || c === CR) break;
            k++;
          }
          value = text.slice(i, k);
          i = k;
        }
        fields.push(value);
        if (i >= n) {
          if (!final) return start;
          pos = n;
          break;
        }
        const c = text.charCodeAt(i);
        if (c === COMMA) {
          i++;
          continue;
        }
        if (c === CR) {
          // CRLF: the LF may be in the next chunk.
          if (i + 1 >= n && !final) return start;
          i += text.charCodeAt(i + 1) === LF ? 2 : 1;
        } else {
          i++;
        }
        lines++;
        pos = i;
        break;
      }
      // The loop above returns on an incomplete record: this one is complete.
      this.#line = line + lines;
      // A blank line is no record (but it counts as a line).
      if (fields.length === 1 && fields[0] === "" && text.charCodeAt(start) !== QUOTE) continue;
      out.push(error === undefined ? { line, fields } : { line, fields, error });
    }
    return pos;
  }
}

/** Split NDJSON text into lines incrementally; blank lines are skipped but counted. */
export class LineSplitter {
  #carry = "";
  #line = 1;
  readonly #maxLineChars: number;

  constructor(options: { maxLineChars?: number } = {}) {
    this.#maxLineChars = options.maxLineChars ?? DEFAULT_MAX_RECORD_CHARS;
  }

  push(chunk: string): { line: number; text: string }[] {
    const text = this.#carry + chunk;
    const out: { line: number; text: string }[] = [];
    let pos = 0;
    for (let k = text.indexOf("\n"); k >= 0; k = text.indexOf("\n", pos)) {
      const line = text.slice(pos, k);
      if (line.trim().length > 0) out.push({ line: this.#line, text: line });
      this.#line++;
      pos = k + 1;
    }
    this.#carry = text.slice(pos);
    if (this.#carry.length > this.#maxLineChars) {
      throw new CsvSyntaxError(this.#line, `line longer than ${this.#maxLineChars} characters`);
    }
    return out;
  }

  end(): { line: number; text: string }[] {
    const rest = this.#carry;
    this.#carry = "";
    return rest.trim().length > 0 ? [{ line: this.#line, text: rest }] : [];
  }
}
