/**
 * Validation and normalization of import rows: pure functions, run on the piscina pool for
 * bulk imports (one task per batch) and in-process for single writes, so both give the same
 * answers and the same messages.
 */
import { createHash } from "node:crypto";
import { CHANNEL_NAMES, isChannel, normalizeEmail, normalizePhone } from "@optout/domain";
import type { Channel } from "@optout/domain";
import { findStorableViolation, timestampViolation } from "@optout/schemas";
import type { CONTACT_IDENTIFIER_COLUMN, ContactBatchRow } from "@optout/store";

/** Contact and group ids: what the API accepts in a path segment. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
export const MAX_REASON_LENGTH = 500;

/**
 * Limits of a contact's free-form `fields`, per write (a PUT, an import row): at most this
 * many top-level keys, and this many bytes as compact JSON (UTF-8). Fields are labels for
 * a campaign (a first name, a tier), not a document store; the bound keeps every contact read
 * and every import batch small. Nesting and strings have the storable rule's limits as well.
 */
export const MAX_CONTACT_FIELDS = 200;
export const MAX_CONTACT_FIELDS_BYTES = 16 * 1024;

/**
 * Where a contact carries each channel's identifier (the row key and the API's JSON key; the
 * raw value is under `<key>Raw`). Kept here rather than imported: this module runs on the
 * normalizer threads, which should not load the store; the type ties it to the store's table.
 */
export const CONTACT_IDENTIFIER_KEY: typeof CONTACT_IDENTIFIER_COLUMN = Object.freeze({
  sms: "phone",
  email: "email",
});

export interface RowError {
  /** 1-based line of the file the row starts on (the CSV header is line 1). */
  row: number;
  /** The offending value as sent ("" when a value is missing). */
  value: string;
  reason: string;
}

/** Only a RowError has `value`. */
export function isRowError<T extends object>(r: T | RowError): r is RowError {
  return "value" in r;
}

/** A contact row as read from CSV (groups as "a;b") or NDJSON (groups as an array). */
export interface RawContactRow {
  row: number;
  id?: unknown;
  phone?: unknown;
  email?: unknown;
  groups?: unknown;
  fields?: unknown;
  /** Set by the reader when the row could not even be parsed. */
  error?: { value: string; reason: string };
}

export interface ContactTask {
  rows: RawContactRow[];
  defaultCountry: string | undefined;
  /** The channels whose identifiers the caller may write (a typed token's types); all when undefined. */
  channels?: readonly Channel[];
}

export interface ContactTaskResult {
  ok: (ContactBatchRow & { row: number })[];
  errors: RowError[];
}

const text = (v: unknown): string | undefined =>
  typeof v === "string" ? (v.trim() === "" ? undefined : v) : undefined;

function parseGroups(row: number, groups: unknown): string[] | RowError {
  if (groups === undefined || groups === null || groups === "") return [];
  const list = typeof groups === "string" ? groups.split(";") : groups;
  if (!Array.isArray(list))
    return { row, value: String(groups), reason: 'groups must be a list of group ids (CSV: "a;b")' };
  const out: string[] = [];
  for (const g of list) {
    if (typeof g !== "string")
      return { row, value: JSON.stringify(g) ?? "", reason: "a group id must be a string" };
    const id = g.trim();
    if (id === "") continue;
    if (!ID_PATTERN.test(id))
      return {
        row,
        value: id,
        reason: "invalid group id: 1-128 letters, digits or ._:- starting with a letter or digit",
      };
    out.push(id);
  }
  return out;
}

/**
 * The storable rule of @optout/schemas (no NUL, no lone surrogate, bounded strings and
 * nesting) over a row's values, `fields` included: a row Postgres would refuse is this row's
 * error, not the failure of the batch it would be written with.
 */
function unstorable(row: number, values: Record<string, unknown>): RowError | null {
  const found = findStorableViolation(values);
  if (found === null) return null;
  let value: unknown = values;
  for (const key of found.path.split("/").slice(1))
    value = (value as Record<string, unknown> | undefined)?.[key.replace(/~1/g, "/").replace(/~0/g, "~")];
  return {
    row,
    value: typeof value === "string" ? value.slice(0, 200) : "",
    reason: `${found.path} ${found.problem}`,
  };
}

/**
 * Why a row sets the identifier of a channel the caller may not write, or null. A value that
 * is present (null included: that would clear it) is refused; an empty CSV cell is no value.
 */
function foreignIdentifier(raw: RawContactRow, channels: readonly Channel[]): RowError | null {
  for (const channel of CHANNEL_NAMES) {
    if (channels.includes(channel)) continue;
    const key = CONTACT_IDENTIFIER_KEY[channel];
    const value = raw[key];
    if (value === undefined || (typeof value === "string" && value.trim() === "")) continue;
    return {
      row: raw.row,
      value: typeof value === "string" ? value : (JSON.stringify(value) ?? ""),
      reason: `this token is not valid for channel "${channel}" (its types: ${channels.join(", ")}): leave "${key}" out; the contact's stored ${key} is kept`,
    };
  }
  return null;
}

/** Why a contact's `fields` are too large, or null (see MAX_CONTACT_FIELDS_BYTES). */
export function contactFieldsProblem(fields: Record<string, unknown>): string | null {
  const keys = Object.keys(fields).length;
  if (keys > MAX_CONTACT_FIELDS) return `fields has ${keys} keys, more than ${MAX_CONTACT_FIELDS}`;
  const bytes = Buffer.byteLength(JSON.stringify(fields), "utf8");
  if (bytes > MAX_CONTACT_FIELDS_BYTES) {
    return `fields take ${bytes} bytes as JSON, more than ${MAX_CONTACT_FIELDS_BYTES} (16 KiB): keep large data elsewhere and store a reference`;
  }
  return null;
}

/**
 * Validate and normalize one contact row; national phone numbers use `defaultCountry`. With
 * `channels`, identifiers of other channels are refused and left out of the result (the store
 * then keeps those of an existing contact, see upsertContactBatch).
 */
export function normalizeContactRow(
  raw: RawContactRow,
  defaultCountry: string | undefined,
  channels: readonly Channel[] = CHANNEL_NAMES,
): (ContactBatchRow & { row: number }) | RowError {
  const { row } = raw;
  if (raw.error) return { row, ...raw.error };
  const bad = unstorable(row, {
    id: raw.id,
    phone: raw.phone,
    email: raw.email,
    groups: raw.groups,
    fields: raw.fields,
  });
  if (bad) return bad;
  const id = typeof raw.id === "string" ? raw.id.trim() : raw.id;
  if (typeof id !== "string" || id === "") return { row, value: "", reason: "missing contact id" };
  if (!ID_PATTERN.test(id))
    return {
      row,
      value: id,
      reason: "invalid contact id: 1-128 letters, digits or ._:- starting with a letter or digit",
    };
  const foreign = foreignIdentifier(raw, channels);
  if (foreign) return foreign;
  if (raw.phone !== undefined && raw.phone !== null && typeof raw.phone !== "string") {
    return { row, value: JSON.stringify(raw.phone) ?? "", reason: "phone must be a string" };
  }
  if (raw.email !== undefined && raw.email !== null && typeof raw.email !== "string") {
    return { row, value: JSON.stringify(raw.email) ?? "", reason: "email must be a string" };
  }
  const phoneRaw = text(raw.phone) ?? null;
  const emailRaw = text(raw.email) ?? null;
  if (phoneRaw === null && emailRaw === null) {
    const writable = channels.map((c) => CONTACT_IDENTIFIER_KEY[c]);
    return {
      row,
      value: id,
      reason:
        writable.length === CHANNEL_NAMES.length
          ? "no phone and no email: a contact needs at least one"
          : `no ${writable.join(" and no ")}: a contact written by this token (types: ${channels.join(", ")}) needs one`,
    };
  }
  let phone: string | null = null;
  if (phoneRaw !== null) {
    const n = normalizePhone(phoneRaw, defaultCountry);
    if (!n.ok) return { row, value: phoneRaw, reason: `invalid phone number: ${n.reason}` };
    phone = n.identifier;
  }
  let email: string | null = null;
  if (emailRaw !== null) {
    const n = normalizeEmail(emailRaw);
    if (!n.ok) return { row, value: emailRaw, reason: `invalid email address: ${n.reason}` };
    email = n.identifier;
  }
  const groups = parseGroups(row, raw.groups);
  if (!Array.isArray(groups)) return groups;
  let fields: Record<string, unknown> = {};
  if (raw.fields !== undefined && raw.fields !== null) {
    if (typeof raw.fields !== "object" || Array.isArray(raw.fields)) {
      return { row, value: JSON.stringify(raw.fields) ?? "", reason: "fields must be an object" };
    }
    fields = raw.fields as Record<string, unknown>;
    const problem = contactFieldsProblem(fields);
    if (problem !== null) return { row, value: "", reason: problem };
  }
  return { row, id, phoneRaw, phone, emailRaw, email, fields, groups };
}

export function normalizeContactRows(task: ContactTask): ContactTaskResult {
  const ok: ContactTaskResult["ok"] = [];
  const errors: RowError[] = [];
  for (const raw of task.rows) {
    const r = normalizeContactRow(raw, task.defaultCountry, task.channels);
    if (isRowError(r)) errors.push(r);
    else ok.push(r);
  }
  return { ok, errors };
}

/** A row of an existing suppression list: `channel,identifier,date,reason`. */
export interface RawOptoutRow {
  row: number;
  channel?: unknown;
  identifier?: unknown;
  date?: unknown;
  reason?: unknown;
  error?: { value: string; reason: string };
}

export interface OptoutTask {
  rows: RawOptoutRow[];
  defaultCountry: string | undefined;
}

export interface NormalizedOptout {
  row: number;
  channel: Channel;
  identifier: string;
  /** RFC 3339, when the row gave a date. */
  occurredAt: string | undefined;
  reason: string | undefined;
  /** Deterministic per (channel, identifier, date): importing the row again records nothing new. */
  sourceId: string;
}

export interface OptoutTaskResult {
  ok: NormalizedOptout[];
  errors: RowError[];
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Why an import date cannot be recorded, or null: the contract's timestamp rule
 * (@optout/schemas timestampViolation: strict RFC 3339, a real calendar date, offset within
 * ±14:00, 1970 to a day ahead), with YYYY-MM-DD read as midnight UTC.
 */
export function importDateProblem(value: string): string | null {
  const v = value.trim();
  return timestampViolation(DATE_ONLY.test(v) ? `${v}T00:00:00Z` : v);
}

/** RFC 3339 or YYYY-MM-DD (midnight UTC) to an ISO instant; undefined when importDateProblem finds one. */
export function parseImportDate(value: string): string | undefined {
  if (importDateProblem(value) !== null) return undefined;
  const v = value.trim();
  return new Date(Date.parse(DATE_ONLY.test(v) ? `${v}T00:00:00Z` : v.replace(" ", "T"))).toISOString();
}

export function importSourceId(channel: string, identifier: string, occurredAt: string | undefined): string {
  const digest = createHash("sha256")
    .update(`${channel}\u0000${identifier}\u0000${occurredAt ?? "undated"}`)
    .digest("base64url");
  return `import:${digest.slice(0, 32)}`;
}

export function normalizeOptoutRow(
  raw: RawOptoutRow,
  defaultCountry: string | undefined,
): NormalizedOptout | RowError {
  const { row } = raw;
  if (raw.error) return { row, ...raw.error };
  const bad = unstorable(row, {
    channel: raw.channel,
    identifier: raw.identifier,
    date: raw.date,
    reason: raw.reason,
  });
  if (bad) return bad;
  const channel = typeof raw.channel === "string" ? raw.channel.trim().toLowerCase() : "";
  if (!isChannel(channel))
    return {
      row,
      value: typeof raw.channel === "string" ? raw.channel : "",
      reason: 'unknown channel: use "sms" or "email"',
    };
  const identifierRaw = typeof raw.identifier === "string" ? raw.identifier : "";
  if (identifierRaw.trim() === "") return { row, value: "", reason: "missing identifier" };
  const n = channel === "sms" ? normalizePhone(identifierRaw, defaultCountry) : normalizeEmail(identifierRaw);
  if (!n.ok)
    return {
      row,
      value: identifierRaw,
      reason: `invalid ${channel === "sms" ? "phone number" : "email address"}: ${n.reason}`,
    };
  let occurredAt: string | undefined;
  const date = typeof raw.date === "string" ? raw.date.trim() : "";
  if (date !== "") {
    const problem = importDateProblem(date);
    if (problem !== null)
      return {
        row,
        value: date,
        reason: `invalid date: it ${problem}; use RFC 3339 (2026-11-26T10:00:00Z) or YYYY-MM-DD`,
      };
    occurredAt = parseImportDate(date);
  }
  const reasonText = typeof raw.reason === "string" ? raw.reason.trim() : "";
  if (reasonText.length > MAX_REASON_LENGTH)
    return {
      row,
      value: reasonText.slice(0, 40),
      reason: `reason longer than ${MAX_REASON_LENGTH} characters`,
    };
  return {
    row,
    channel,
    identifier: n.identifier,
    occurredAt,
    reason: reasonText === "" ? undefined : reasonText,
    sourceId: importSourceId(channel, n.identifier, occurredAt),
  };
}

export function normalizeOptoutRows(task: OptoutTask): OptoutTaskResult {
  const ok: NormalizedOptout[] = [];
  const errors: RowError[] = [];
  for (const raw of task.rows) {
    const r = normalizeOptoutRow(raw, task.defaultCountry);
    if (isRowError(r)) errors.push(r);
    else ok.push(r);
  }
  return { ok, errors };
}
