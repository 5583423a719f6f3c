/**
 * What Postgres can store, checked at every boundary (the NATS workers through validatePayload,
 * the API and the edge) so that a value the store would refuse is refused on its own, with a
 * precise reason, instead of failing the batch it was written with (guarantee 9).
 *
 * - NUL (U+0000): `text` refuses it (22021) and so does `jsonb` as `\u0000` (22P05).
 * - Lone UTF-16 surrogates (JSON `"\ud800"`): `jsonb` refuses the escape (22P05); in a `text`
 *   column pg's UTF-8 encoding silently turns them into U+FFFD, so the stored id is not the id
 *   sent and idempotency breaks.
 * - Nesting: free-form objects (contact `fields`, a gateway's extra properties) deeper than
 *   MAX_NESTING_DEPTH are refused; real data is flat, and deep JSON costs stack in every parser.
 * - Length: a backstop for strings that no schema bounds (keys, free-form values).
 * Other control characters are storable and stay allowed in free text (an SMS that says STOP
 * must not be lost over an invisible character); identifiers refuse all of them (see
 * NO_CONTROL_PATTERN and controlCharacterProblem).
 */

export const MAX_NESTING_DEPTH = 32;
/** The largest string anywhere in a payload (the largest schema-bounded field, an email body, is 100,000). */
export const MAX_STRING_LENGTH = 100_000;
/** The longest object key of a free-form object. */
export const MAX_KEY_LENGTH = 256;

export interface StorableViolation {
  /** JSON pointer of the offending value ("/fields/name"); "" for the value itself. */
  path: string;
  /** What is wrong, as the rest of a sentence: "contains a NUL character (U+0000)". */
  problem: string;
}

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;

/**
 * Why Postgres cannot store this string, or null: a NUL, a lone surrogate, or more than
 * `maxLength` characters. Free text passes with any other character.
 */
export function textProblem(value: string, maxLength = MAX_STRING_LENGTH): string | null {
  if (value.length > maxLength) return `is longer than ${maxLength} characters`;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0) return `contains a NUL character (U+0000) at index ${i}`;
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = value.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return `contains a lone UTF-16 surrogate (${hex(c)}) at index ${i}: not valid Unicode`;
    }
  }
  return null;
}

/** C0 controls, DEL and C1 controls (Unicode category Cc): never part of an id, an address or a number. */
const CONTROL = /\p{Cc}/u;
/** The same rule as a JSON Schema `pattern`, for identifier fields of the contract. */
export const NO_CONTROL_PATTERN = "^[^\\u0000-\\u001f\\u007f-\\u009f]*$";

/** Why this identifier cannot be accepted: textProblem, or any control character. */
export function controlCharacterProblem(value: string): string | null {
  const text = textProblem(value);
  if (text !== null) return text;
  const match = CONTROL.exec(value);
  return match
    ? `contains a control character (${hex(match[0].charCodeAt(0))}) at index ${match.index}`
    : null;
}

/** A JSON pointer segment (RFC 6901), with what cannot be shown escaped: messages go to logs and dead letters. */
function segment(key: string | number): string {
  const s = String(key).slice(0, 64).replace(/~/g, "~0").replace(/\//g, "~1");
  let out = "";
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out +=
      c < 0x20 || (c >= 0x7f && c <= 0x9f) || (ch.length === 1 && c >= 0xd800 && c <= 0xdfff)
        ? `\\u${c.toString(16).padStart(4, "0")}`
        : ch;
  }
  return `/${out}`;
}

/** A data object: a literal, Object.create(null), or the `new Empty()` of fast parsers (querystring, route params), whose prototype has no prototype. */
function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto === null || proto === Object.prototype || Object.getPrototypeOf(proto) === null;
}

/**
 * Walk a JSON value (strings, object keys, arrays, nested objects) and return the first thing
 * Postgres could not store, or null. Only plain objects and arrays are walked (a request body
 * that is a stream is left to its reader).
 */
export function findStorableViolation(value: unknown, path = ""): StorableViolation | null {
  return walk(value, path, 0);
}

function walk(value: unknown, path: string, depth: number): StorableViolation | null {
  if (typeof value === "string") {
    const problem = textProblem(value);
    return problem === null ? null : { path, problem };
  }
  if (value === null || typeof value !== "object") return null;
  if (!Array.isArray(value) && !isPlainObject(value)) return null;
  if (depth >= MAX_NESTING_DEPTH) return { path, problem: `nests deeper than ${MAX_NESTING_DEPTH} levels` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = walk(value[i], path + segment(i), depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const keyProblem = textProblem(key, MAX_KEY_LENGTH);
    if (keyProblem !== null)
      return { path, problem: `has a key ("${segment(key).slice(1)}") that ${keyProblem}` };
    const found = walk(value[key], path + segment(key), depth + 1);
    if (found) return found;
  }
  return null;
}

/** findStorableViolation as one sentence ("/id contains a NUL character (U+0000) at index 3"), or null. */
export function storableViolation(value: unknown, path = ""): string | null {
  const found = findStorableViolation(value, path);
  return found === null ? null : `${found.path || "the value"} ${found.problem}`;
}
