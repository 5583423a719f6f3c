/**
 * The timestamps of the contract (`receivedAt`, `clickedAt`, `occurredAt`, import dates): RFC
 * 3339 that Postgres `timestamptz` stores as the same instant and that is plausible for an
 * opt-out. ajv's own `date-time` lets through what Postgres refuses (offset -23:59: "time zone
 * displacement out of range"; year 0000) and what it silently changes (second 60, hour 24 roll
 * over to the next minute or day).
 *
 * - Grammar: `YYYY-MM-DD`, `T` (or `t`, or a space: RFC 3339 section 5.6 note), `hh:mm:ss`, an
 *   optional fraction of 1-9 digits, then `Z`/`z` or `+hh:mm`/`-hh:mm`.
 * - A real calendar date (2026-02-30 is refused, not rolled over to March), hours 00-23,
 *   seconds 00-59: no leap second (JavaScript dates, which order events here, cannot hold one).
 * - An offset within ±14:00, the widest in use (Kiribati, +14:00).
 * - Not before 1970-01-01T00:00:00Z: nothing in an opt-out list is older than the Unix epoch,
 *   and an earlier date is a client bug (a zero value).
 * - Not more than MAX_FUTURE_SKEW_MS after now: the latest event decides an identifier's
 *   state, so an event dated 2099 would pin it there (a later STOP would never win over an
 *   opt-in). A day covers any clock skew and a local time sent as UTC.
 */

export const MIN_TIMESTAMP_MS = 0;
export const MAX_FUTURE_SKEW_MS = 24 * 60 * 60 * 1000;
export const MAX_OFFSET_MINUTES = 14 * 60;

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

const isLeapYear = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Why this is not a storable, plausible RFC 3339 timestamp (as the rest of a sentence), or null. */
export function timestampViolation(value: string, now: number = Date.now()): string | null {
  const m = RFC3339.exec(value);
  if (!m) return "is not an RFC 3339 timestamp (e.g. 2026-11-26T10:00:00Z, with Z or an offset)";
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const days = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1];
  if (days === undefined || day < 1 || day > days)
    return `has a date that does not exist (${m[1]}-${m[2]}-${m[3]})`;
  if (hour > 23 || minute > 59) return `has a time that does not exist (${m[4]}:${m[5]})`;
  if (second > 59) return `has second ${m[6]}: leap seconds are not accepted, send :59`;
  let offsetMinutes = 0;
  if (m[8] !== undefined) {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (om > 59 || oh * 60 + om > MAX_OFFSET_MINUTES)
      return `has offset ${m[8]}${m[9]}:${m[10]}, outside -14:00..+14:00`;
    offsetMinutes = (m[8] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  // Date.UTC maps years 0-99 to 1900-1999: those are refused here by the 1970 bound anyway.
  if (year < 1970 || ms < MIN_TIMESTAMP_MS) return "is before 1970-01-01T00:00:00Z";
  if (ms > now + MAX_FUTURE_SKEW_MS) return "is more than 24 hours in the future: check the sender's clock";
  return null;
}

export function isStorableTimestamp(value: string, now?: number): boolean {
  return timestampViolation(value, now) === null;
}
