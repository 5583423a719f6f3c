/**
 * Opaque page cursors: base64url of a position ("<seq>") and, during a list's first sync, the
 * first-sync boundary ("<seq>.<boundary>"). Clients must treat them as opaque strings.
 */
import { InvalidPayloadError } from "@optout/core";

export interface Position {
  seq: number;
  /** First-sync boundary; absent once the position is past it. */
  boundary?: number;
}

/** Query-string shape of a cursor (validated by the route schema, decoded here). */
export const CURSOR_PARAM = {
  type: "string",
  minLength: 1,
  maxLength: 64,
  pattern: "^[A-Za-z0-9_-]+$",
} as const;

export function encodeCursor(position: Position): string {
  const text =
    position.boundary !== undefined && position.boundary > position.seq
      ? `${position.seq}.${position.boundary}`
      : `${position.seq}`;
  return Buffer.from(text, "utf8").toString("base64url");
}

export function decodeCursor(cursor: string, field = "after"): Position {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  const match = /^(\d{1,15})(?:\.(\d{1,15}))?$/.exec(text);
  if (!match)
    throw new InvalidPayloadError(
      `"${field}" is not a cursor this API gave out: pass the "next" of a previous page`,
    );
  return match[2] === undefined
    ? { seq: Number(match[1]) }
    : { seq: Number(match[1]), boundary: Number(match[2]) };
}

/**
 * Keyset cursors of the lists in id order (a group's members, the browsing routes): base64url of
 * the last id of a page ("" before the first). Opaque to clients like the others.
 */
export function encodeIdCursor(id: string): string {
  return Buffer.from(id, "utf8").toString("base64url");
}

export function decodeIdCursor(cursor: string, field = "after"): string {
  const id = Buffer.from(cursor, "base64url").toString("utf8");
  if (id !== "" && !/^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/.test(id)) {
    throw new InvalidPayloadError(
      `"${field}" is not a cursor this API gave out: pass the "next" of a previous page`,
    );
  }
  return id;
}

/** Query-string shape of an id cursor (a base64url id of up to 128 characters). */
export const ID_CURSOR_PARAM = { type: "string", maxLength: 200, pattern: "^[A-Za-z0-9_-]*$" } as const;

/** Page size from the query string (strings: the API's ajv does not coerce types). */
export function parseLimit(
  value: string | undefined,
  defaults: { default: number; max: number },
  field = "limit",
): number {
  if (value === undefined) return defaults.default;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > defaults.max)
    throw new InvalidPayloadError(`"${field}" must be an integer from 1 to ${defaults.max}`);
  return n;
}

export const LIMIT_PARAM = { type: "string", pattern: "^[0-9]{1,6}$" } as const;
