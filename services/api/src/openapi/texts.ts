/** Description paragraphs that several operations share (their routes put them in `schema.description`). */

/** What PUT and PATCH of an account share: write-only secrets, the list scope change. */
export const ACCOUNT_WRITE_RULES = [
  "**Secrets are write-only**: `webhook.secret` is never returned; left out of a PUT or PATCH it is kept (a first webhook needs one). A read-modify-write with what GET returns keeps it.",
  "",
  "**A list change never makes an opted-out recipient reachable**: when `listScope` (or the organization of an organization-list account) changes, every identifier opted out on the old list and not on the new one is recorded on the new list as an `opt_out` event with source `scope_change` (evidence: the old list, the original event; reason: the original reason), dated at the change so it wins over an older opt-in there, in the same transaction as the account change; the answer's `scopeChange` counts them. These events are in the history and list sync, not on the change feed or webhooks (the account's recipients were suppressed before and after). Opt-ins are not carried; the old list is left unchanged.",
].join("\n");

/** The import model, shared by both imports (docs/contract-notes/address-book.md). */
export const IMPORT_REPORT =
  "A precise report, never all-or-nothing: every row that cannot be stored is listed in `errors` as `{row, value, reason}` (`row` is the line the record starts on; the CSV header is line 1), whether the checks here refused it or Postgres did (the batch is then split down to the row at fault), and every other row is committed. Batches commit in file order. An import that cannot go on (a malformed file past a record, a body over 1 GiB, the database unavailable) answers the error (400, or 503 when worth retrying) with a message naming the last line processed: the rows up to it are committed or were reported, none after it is counted. Posting the same file again is idempotent, so after fixing what the report names, post the whole file again.";

/** What a typed token sees of the address book. */
export const ADDRESS_BOOK_TYPES =
  "A typed token sees and writes only its types' identifiers: `phone`/`phoneRaw` need the `sms` type, `email`/`emailRaw` the `email` type; the keys of other types are left out of what it reads.";

/** The 400 of a route with a `channel`/`identifier` pair. */
export const INVALID_IDENTIFIER =
  "INVALID_PAYLOAD: the identifier is not a phone number / email address (phone numbers in national format use the account's default country).";
