/**
 * What the route schemas cannot say: a summary, a description and the responses of every
 * operation, keyed by "METHOD /openapi/{path}". Parameters, request bodies and access come from
 * the routes themselves. A test fails when a route has no entry here or an entry has no route.
 */
import { ACCOUNT_PATCH_BODY } from "../routes/schemas.js";
import { ref } from "./schemas.js";

type Schema = Record<string, unknown>;

export interface ResponseDoc {
  description: string;
  /** application/json body; `content` for anything else. */
  schema?: Schema;
  content?: Record<string, Schema>;
  headers?: Record<string, { description: string; schema: Schema }>;
}

export interface OperationDoc {
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  /** Success and route-specific error responses; 400/401/403 are added from the route's schema and access. */
  responses: Record<string, ResponseDoc>;
  /** Request bodies that are not JSON (CSV, NDJSON uploads): media type -> schema. */
  requestContent?: Record<string, Schema>;
}

export const TAGS: { name: string; description: string }[] = [
  {
    name: "Tokens",
    description:
      "Typed API tokens: per account, per channel (type), read and/or write. Managed with the admin token.",
  },
  {
    name: "Opt-out lists",
    description: "The lists: sync, current state, history, manual opt-outs and opt-ins.",
  },
  { name: "Email", description: "Helpers for email senders." },
  {
    name: "Address book",
    description: "Contacts and groups, and opt-out-filtered group lists for campaigns.",
  },
  {
    name: "Organizations and accounts",
    description: "Who owns which list. Admin token only, except reading one's own account.",
  },
  {
    name: "Erasure",
    description:
      "GDPR erasure of one recipient: their data goes, their suppression stays (under a keyed hash).",
  },
  {
    name: "Statistics",
    description: "Opt-outs per day, channel, source and campaign, and campaigns' opt-out rates.",
  },
  { name: "Service", description: "Health, readiness, the Unsubscribes page and this documentation." },
  {
    name: "Dead letters",
    description:
      "Messages the workers could not process (invalid payload, unknown account or token, out of deliveries), kept 30 days in the dead-letter stream: list, inspect, replay once the cause is fixed. Admin token only; `optout dlq` on the command line does the same.",
  },
];

/** What PUT and PATCH of an account share: write-only secrets, the list scope change. */
const ACCOUNT_WRITE_RULES = [
  "**Secrets are write-only**: `webhook.secret` is never returned; left out of a PUT or PATCH it is kept (a first webhook needs one). A read-modify-write with what GET returns keeps it.",
  "",
  "**A list change never makes an opted-out recipient reachable**: when `listScope` (or the organization of an organization-list account) changes, every identifier opted out on the old list and not on the new one is recorded on the new list as an `opt_out` event with source `scope_change` (evidence: the old list, the original event; reason: the original reason), dated at the change so it wins over an older opt-in there, in the same transaction as the account change; the answer's `scopeChange` counts them. These events are in the history and list sync, not on the change feed or webhooks (the account's recipients were suppressed before and after). Opt-ins are not carried; the old list is left unchanged.",
].join("\n");

const NOT_FOUND_ACCOUNT: ResponseDoc = {
  description: "UNKNOWN_ACCOUNT: no such account.",
  schema: ref("Error"),
};
/** The import model, shared by both imports (docs/contract-notes/address-book.md). */
const IMPORT_REPORT =
  "A precise report, never all-or-nothing: every row that cannot be stored is listed in `errors` as `{row, value, reason}` (`row` is the line the record starts on; the CSV header is line 1), whether the checks here refused it or Postgres did (the batch is then split down to the row at fault), and every other row is committed. Batches commit in file order. An import that cannot go on (a malformed file past a record, a body over 1 GiB, the database unavailable) answers the error (400, or 503 when worth retrying) with a message naming the last line processed: the rows up to it are committed or were reported, none after it is counted. Posting the same file again is idempotent, so after fixing what the report names, post the whole file again.";
const ADDRESS_BOOK_TYPES =
  "A typed token sees and writes only its types' identifiers: `phone`/`phoneRaw` need the `sms` type, `email`/`emailRaw` the `email` type; the keys of other types are left out of what it reads.";

const INVALID_IDENTIFIER =
  "INVALID_PAYLOAD: the identifier is not a phone number / email address (phone numbers in national format use the account's default country).";

export const OPERATIONS: Record<string, OperationDoc> = {
  // ---- service ----
  "GET /healthz": {
    operationId: "health",
    tag: "Service",
    summary: "Liveness",
    responses: { "200": { description: "The process is up.", schema: ref("Health") } },
  },
  "GET /readyz": {
    operationId: "ready",
    tag: "Service",
    summary: "Readiness",
    description:
      "200 when the API (and, in the all-in-one local process, every worker) is ready to serve; 503 otherwise.",
    responses: {
      "200": { description: "Ready.", schema: ref("Health") },
      "503": { description: "Not ready.", schema: ref("Health") },
    },
  },
  "GET /ui": {
    operationId: "uiRedirect",
    tag: "Service",
    summary: "Redirect to /ui/",
    responses: { "308": { description: "Redirect to `/ui/`." } },
  },
  "GET /ui/": {
    operationId: "ui",
    tag: "Service",
    summary: "The Unsubscribes page",
    description:
      "A static page (HTML, CSS, vanilla JS) that calls this API with a token kept in the tab's sessionStorage: recent opt-outs and opt-ins with source and reason, filter by channel and action, search a number or address (normalized by the API), the full history of one recipient. Identifiers are masked until clicked. Sign in with an account token with read permission, or with the admin token plus an account id.",
    responses: { "200": { description: "The page.", content: { "text/html": { type: "string" } } } },
  },
  "GET /ui/{file}": {
    operationId: "uiAsset",
    tag: "Service",
    summary: "A file of the Unsubscribes page",
    description: "The page's script and stylesheets, served with a restrictive Content-Security-Policy.",
    responses: {
      "200": { description: "The file." },
      "404": { description: "No such file.", schema: ref("Error") },
    },
  },
  "GET /docs": {
    operationId: "docs",
    tag: "Service",
    summary: "This API's documentation, as a page",
    responses: {
      "200": {
        description: "HTML rendering of this document.",
        content: { "text/html": { type: "string" } },
      },
    },
  },
  "GET /docs/openapi.json": {
    operationId: "openapi",
    tag: "Service",
    summary: "This document (OpenAPI 3.1, JSON)",
    description: "The same document as docs/openapi.yaml in the repository, generated from the routes.",
    responses: { "200": { description: "The OpenAPI document.", schema: { type: "object" } } },
  },

  // ---- tokens ----
  "GET /v1/me": {
    operationId: "whoAmI",
    tag: "Tokens",
    summary: "Who the token is",
    description:
      "The caller's kind, and for an account token its account, types and permissions. Any valid token may call it.",
    responses: { "200": { description: "The principal.", schema: ref("Me") } },
  },
  "POST /v1/accounts/{accountId}/tokens": {
    operationId: "createToken",
    tag: "Tokens",
    summary: "Create a typed API token",
    description:
      "`types`: the channels the token may touch (`sms`, `email`). `permissions`: `read` (lists, states, history, events, statistics), `write` (manual opt-outs/opt-ins, imports, address book changes) and/or `erasure:write` (GDPR erasures); they are independent, so a write-only token cannot read and only `erasure:write` erases. The token (`oo_<id>_<secret>`) is in the response only: the server keeps a SHA-256 hash. Each request looks the token up by id, so a revoke takes effect at once.",
    responses: {
      "201": {
        description: "Created. Store `token` now: it cannot be shown again.",
        schema: ref("TokenCreated"),
      },
      "404": NOT_FOUND_ACCOUNT,
    },
  },
  "GET /v1/accounts/{accountId}/tokens": {
    operationId: "listTokens",
    tag: "Tokens",
    summary: "List an account's working tokens",
    description:
      "Without secrets, oldest first; revoked tokens are left out. Not paged (an account has few tokens).",
    responses: { "200": { description: "The tokens.", schema: ref("TokenList") }, "404": NOT_FOUND_ACCOUNT },
  },
  "DELETE /v1/accounts/{accountId}/tokens/{tokenId}": {
    operationId: "revokeToken",
    tag: "Tokens",
    summary: "Revoke a token",
    description: "The token stops working on the next request, in every API process.",
    responses: {
      "204": { description: "Revoked." },
      "404": {
        description: "NOT_FOUND: the account has no working token with this id.",
        schema: ref("Error"),
      },
    },
  },

  // ---- lists ----
  "GET /v1/accounts/{accountId}/optouts": {
    operationId: "syncList",
    tag: "Opt-out lists",
    summary: "Sync the list of one channel, in order of last change",
    description: [
      "The list of the account's scope (its organization's list, or its own when `listScope` is `account`) for one channel, ordered by last change and paged by an opaque cursor.",
      "",
      "- **First sync** (no `after`): only identifiers that are opted out now. Identifiers that are opted in were never on your list, so they are left out.",
      "- **Next pages and later syncs**: pass the `next` of the previous page as `after`. You get every identifier whose state changed after that point, including those that opted back in (`status: opted_in`): remove them from your copy.",
      "- `next` is on every page; on the last page (`hasMore: false`) it points after the last item (or is the `after` you sent when nothing changed). Keep it and come back later to get only what changed since.",
      "- The cursor is stable under concurrent writes: a change that commits after you read a page is never before your cursor.",
      "- `Accept: application/x-ndjson` streams the whole remainder (from `after`, or the whole list) as one JSON object per line, in the same order and with the same first-sync rule as paging; `limit` is ignored. The cursor to sync from next time is in the `Optout-Next-Cursor` response header.",
    ].join("\n"),
    responses: {
      "200": {
        description: "A page (JSON) or the whole remainder (NDJSON).",
        content: {
          "application/json": ref("ListPage"),
          "application/x-ndjson": { ...ref("ListItem"), description: "One ListItem per line." },
        },
        headers: {
          "Optout-Next-Cursor": {
            description: "NDJSON only: pass as `after` next time.",
            schema: { type: "string" },
          },
        },
      },
      "404": NOT_FOUND_ACCOUNT,
    },
  },
  "GET /v1/accounts/{accountId}/events": {
    operationId: "recentEvents",
    tag: "Opt-out lists",
    summary: "Recent opt-outs and opt-ins, newest first",
    description:
      "The events of the account's list scope (on an organization list: from every account of the organization), newest first, with source and reason; the Unsubscribes page shows these. Without `channel`, every channel the token may read. Page older with `before` = the previous page's `next`. For keeping a copy of the list, use the sync endpoint: this one is a log for people.",
    responses: {
      "200": { description: "A page of events.", schema: ref("EventPage") },
      "404": NOT_FOUND_ACCOUNT,
    },
  },
  "GET /v1/accounts/{accountId}/optouts/{channel}/{identifier}": {
    operationId: "getState",
    tag: "Opt-out lists",
    summary: "Current state of one recipient",
    description:
      "The identifier may be in any format the channel accepts (national phone numbers use the account's default country); the answer names the normalized form. `status: none` when nothing was ever recorded.",
    responses: {
      "200": { description: "The state.", schema: ref("State") },
      "400": { description: INVALID_IDENTIFIER, schema: ref("Error") },
      "404": NOT_FOUND_ACCOUNT,
    },
  },
  "GET /v1/accounts/{accountId}/optouts/{channel}/{identifier}/history": {
    operationId: "getHistory",
    tag: "Opt-out lists",
    summary: "Every event of one recipient, oldest first",
    description: "With source, reason and raw evidence (the SMS text, the user agent of a click, ...).",
    responses: {
      "200": { description: "The history.", schema: ref("History") },
      "400": { description: INVALID_IDENTIFIER, schema: ref("Error") },
      "404": NOT_FOUND_ACCOUNT,
    },
  },
  "POST /v1/accounts/{accountId}/optouts": {
    operationId: "recordOptout",
    tag: "Opt-out lists",
    summary: "Opt a recipient out (or back in) manually",
    description:
      "Recorded as source `api`. Send an `Idempotency-Key` header to make retries safe: the same key records one event (200 with `duplicate: true` the second time).",
    responses: {
      "201": { description: "Recorded.", schema: ref("RecordedEvent") },
      "200": { description: "Already recorded under this Idempotency-Key.", schema: ref("RecordedEvent") },
      "400": { description: INVALID_IDENTIFIER, schema: ref("Error") },
      "404": NOT_FOUND_ACCOUNT,
    },
  },

  // ---- email ----
  "POST /v1/accounts/{accountId}/email-unsubscribe-headers": {
    operationId: "emailUnsubscribeHeaders",
    tag: "Email",
    summary: "List-Unsubscribe and List-Unsubscribe-Post header values for one recipient",
    description:
      "Exactly the two header values, to merge into an outgoing message. `List-Unsubscribe` (RFC 2369) holds the HTTPS one-click URI (RFC 8058) on the edge, `<base>email/unsubscribe/<token>` where `<base>` is the account setting `emailUnsubscribeBaseUrl` or else LINK_BASE_URL, then, when the account sets `unsubscribeMailto`, `mailto:<mailbox>?subject=unsubscribe-<token>`. The token is an HMAC-signed (EMAIL_TOKEN_SECRET) encoding of account, normalized address and listId. Changes nothing: a read token of type `email` may call it.",
    responses: {
      "200": { description: "The header values.", schema: ref("ListUnsubscribeHeaders") },
      "404": NOT_FOUND_ACCOUNT,
    },
  },

  // ---- address book ----
  "PUT /v1/accounts/{accountId}/groups/{groupId}": {
    operationId: "putGroup",
    tag: "Address book",
    summary: "Create or replace a group",
    description:
      "`bypassOptOut: true` marks a group whose members are sent to even when opted out (a PUT without it does not bypass).",
    responses: {
      "201": { description: "Created.", schema: ref("Group") },
      "200": { description: "Replaced.", schema: ref("Group") },
      "404": NOT_FOUND_ACCOUNT,
    },
  },
  "GET /v1/accounts/{accountId}/groups/{groupId}": {
    operationId: "getGroup",
    tag: "Address book",
    summary: "Read a group",
    responses: {
      "200": { description: "The group.", schema: ref("Group") },
      "404": { description: "NOT_FOUND or UNKNOWN_ACCOUNT.", schema: ref("Error") },
    },
  },
  "DELETE /v1/accounts/{accountId}/groups/{groupId}": {
    operationId: "deleteGroup",
    tag: "Address book",
    summary: "Delete a group",
    description: "Its memberships go with it; the contacts stay.",
    responses: {
      "204": { description: "Deleted." },
      "404": { description: "NOT_FOUND or UNKNOWN_ACCOUNT.", schema: ref("Error") },
    },
  },
  "GET /v1/accounts/{accountId}/groups/{groupId}/contacts": {
    operationId: "listGroupContacts",
    tag: "Address book",
    summary: "A group's members for a campaign, without those opted out",
    description:
      "With `channel`, members without an identifier for it are left out and, unless `excludeOptedOut=false`, so are those opted out on the account's list, except those the bypass rule lets through: a contact of the account with that identifier in any `bypassOptOut` group (the rule `optout.check` answers `bypass_group` by; a bypass group comes back whole). Paged by contact id (`after` = the previous `next`), or with `Accept: application/x-ndjson` the whole list streamed. " +
      ADDRESS_BOOK_TYPES +
      " That holds with or without `channel`, in JSON and NDJSON: an `sms` token gets `{id, phone}` items.",
    responses: {
      "200": {
        description: "A page (JSON) or every member (NDJSON, one `{id, phone, email}` per line).",
        content: {
          "application/json": ref("GroupContactPage"),
          "application/x-ndjson": { type: "object", description: "One member per line." },
        },
      },
      "404": { description: "NOT_FOUND (group) or UNKNOWN_ACCOUNT.", schema: ref("Error") },
    },
  },
  "PUT /v1/accounts/{accountId}/contacts/{contactId}": {
    operationId: "putContact",
    tag: "Address book",
    summary: "Create or replace a contact",
    description:
      "`phone` and `email` are normalized (the raw values are kept); `groups` replaces the contact's memberships (groups are created as needed); `fields` are free-form: at most 200 keys, 16 KiB (16,384 bytes) as compact UTF-8 JSON, 32 levels of nesting. " +
      ADDRESS_BOOK_TYPES +
      " Sending another type's key (`email` from an `sms` token, even `null`, which would clear it) is a 403 `FORBIDDEN`; the PUT keeps the stored identifiers of the types the token lacks. Such a token must send one of its types' identifiers (a contact needs one).",
    responses: {
      "201": { description: "Created.", schema: ref("Contact") },
      "200": { description: "Replaced.", schema: ref("Contact") },
      "400": {
        description:
          "INVALID_PAYLOAD: the phone number or email address does not normalize, `fields` are over their limits, or the body is malformed.",
        schema: ref("Error"),
      },
      "404": NOT_FOUND_ACCOUNT,
    },
  },
  "GET /v1/accounts/{accountId}/contacts/{contactId}": {
    operationId: "getContact",
    tag: "Address book",
    summary: "Read a contact",
    description: ADDRESS_BOOK_TYPES,
    responses: {
      "200": { description: "The contact.", schema: ref("Contact") },
      "404": { description: "NOT_FOUND or UNKNOWN_ACCOUNT.", schema: ref("Error") },
    },
  },
  "DELETE /v1/accounts/{accountId}/contacts/{contactId}": {
    operationId: "deleteContact",
    tag: "Address book",
    summary: "Delete a contact",
    description:
      "With its memberships. A typed token may not delete a contact that has an identifier of a type it lacks (that would remove the identifier): 403 `FORBIDDEN`.",
    responses: {
      "204": { description: "Deleted." },
      "404": { description: "NOT_FOUND or UNKNOWN_ACCOUNT.", schema: ref("Error") },
    },
  },
  "POST /v1/accounts/{accountId}/contacts/import": {
    operationId: "importContacts",
    tag: "Address book",
    summary: "Import contacts (CSV or NDJSON)",
    description:
      '`text/csv` with a header row `id,phone,email,groups` (groups separated by `;`, other columns become `fields`), or `application/x-ndjson`. Streamed, normalized in worker threads; a row that does not normalize is reported, never silently dropped. With `Accept: application/x-ndjson` the answer streams `{"progress": {rows, imported, failed}}` lines, then the summary.\n\n' +
      IMPORT_REPORT +
      "\n\n" +
      ADDRESS_BOOK_TYPES +
      " A row with another type's identifier (a non-empty CSV cell; an NDJSON key, even `null`) is that row's error; the stored identifiers of the types the token lacks are kept.",
    requestContent: { "text/csv": { type: "string" }, "application/x-ndjson": { type: "string" } },
    responses: {
      "200": { description: "The summary.", schema: ref("ImportSummary") },
      "404": NOT_FOUND_ACCOUNT,
      "415": {
        description: "UNSUPPORTED_MEDIA_TYPE: send text/csv or application/x-ndjson.",
        schema: ref("Error"),
      },
    },
  },
  "POST /v1/accounts/{accountId}/optouts/import": {
    operationId: "importOptouts",
    tag: "Opt-out lists",
    summary: "Import an existing suppression list (CSV or NDJSON)",
    description:
      "`text/csv` with header `channel,identifier,date,reason`, or NDJSON with the same fields. Each row is recorded as an `opt_out` event with source `import`; importing the same file again records nothing new (`duplicates`). Rows may be of any channel, so an account token needs every type. With `Accept: application/x-ndjson` the answer streams progress lines, then the summary.\n\n" +
      IMPORT_REPORT,
    requestContent: { "text/csv": { type: "string" }, "application/x-ndjson": { type: "string" } },
    responses: {
      "200": { description: "The summary.", schema: ref("ImportSummary") },
      "404": NOT_FOUND_ACCOUNT,
      "415": {
        description: "UNSUPPORTED_MEDIA_TYPE: send text/csv or application/x-ndjson.",
        schema: ref("Error"),
      },
    },
  },

  // ---- organizations and accounts ----
  "PUT /v1/organizations/{orgId}": {
    operationId: "putOrganization",
    tag: "Organizations and accounts",
    summary: "Create or update an organization",
    responses: {
      "201": { description: "Created.", schema: ref("Organization") },
      "200": { description: "Updated.", schema: ref("Organization") },
    },
  },
  "GET /v1/organizations/{orgId}": {
    operationId: "getOrganization",
    tag: "Organizations and accounts",
    summary: "Read an organization",
    responses: {
      "200": { description: "The organization.", schema: ref("Organization") },
      "404": { description: "NOT_FOUND.", schema: ref("Error") },
    },
  },
  "PUT /v1/accounts/{accountId}": {
    operationId: "putAccount",
    tag: "Organizations and accounts",
    summary: "Create or replace an account",
    description: [
      "Replaces the account and every setting: a setting left out is removed (use PATCH to change some). `listScope`: `organization` (default: the organization's shared list) or `account` (its own list, invisible to the organization list and vice versa). The settings are the ones the workers read, one schema for both (@optout/schemas): webhook, confirmation SMS, help texts, keywords, free-text opt-out, brand names, email unsubscribe settings, and for `optout.tag` `keywordFlows` (per country; `false` or `null` switches a built-in flow off), `tagTemplates` and `linkBaseUrl`. An unknown setting is a 400.",
      "",
      ACCOUNT_WRITE_RULES,
    ].join("\n"),
    responses: {
      "201": { description: "Created.", schema: ref("Account") },
      "200": { description: "Replaced.", schema: ref("Account") },
      "404": { description: "UNKNOWN_ORGANIZATION: create the organization first.", schema: ref("Error") },
    },
  },
  "PATCH /v1/accounts/{accountId}": {
    operationId: "patchAccount",
    tag: "Organizations and accounts",
    summary: "Change some of an account's settings (JSON merge patch)",
    description: [
      "A JSON merge patch (RFC 7396, `application/merge-patch+json`; `application/json` is accepted too) of the document PUT takes: members present are set, objects merge member by member, `null` removes a member (so a keyword flow is switched off with `false` here), arrays are replaced whole. The patched account must be valid as a PUT body would be (400 naming the field otherwise). Does not create an account.",
      "",
      ACCOUNT_WRITE_RULES,
    ].join("\n"),
    requestContent: { "application/merge-patch+json": ACCOUNT_PATCH_BODY },
    responses: {
      "200": { description: "Updated.", schema: ref("Account") },
      "404": {
        description: "UNKNOWN_ACCOUNT: create it with PUT; UNKNOWN_ORGANIZATION.",
        schema: ref("Error"),
      },
    },
  },
  "GET /v1/accounts/{accountId}": {
    operationId: "getAccount",
    tag: "Organizations and accounts",
    summary: "Read an account",
    description: "An account token with read permission may read its own account.",
    responses: {
      "200": { description: "The account.", schema: ref("Account") },
      "404": { description: "NOT_FOUND.", schema: ref("Error") },
    },
  },
  // ---- dead letters ----
  "GET /v1/admin/dead-letters": {
    operationId: "listDeadLetters",
    tag: "Dead letters",
    summary: "List dead letters, oldest first",
    description:
      "With their original subject, account (the JSON body's `accountId`; link clicks have none), reason and the time they were dead-lettered. Filters combine with AND. One request examines at most 10,000 dead letters: a filter that matches little may answer a short (even empty) page with `hasMore: true`; go on with `after` = `next`.",
    responses: {
      "200": { description: "A page.", schema: ref("DeadLetterPage") },
      "404": { description: "NOT_FOUND: this installation has no dead-letter stream.", schema: ref("Error") },
    },
  },
  "GET /v1/admin/dead-letters/{seq}": {
    operationId: "getDeadLetter",
    tag: "Dead letters",
    summary: "One dead letter: headers, reason, body",
    responses: {
      "200": { description: "The dead letter.", schema: ref("DeadLetterDetail") },
      "404": {
        description: "NOT_FOUND: no dead letter with this sequence (replayed, deleted or expired).",
        schema: ref("Error"),
      },
    },
  },
  "POST /v1/admin/dead-letters/replay": {
    operationId: "replayDeadLetters",
    tag: "Dead letters",
    summary: "Replay dead letters to their original subject",
    description: [
      "Send `seqs` or `filter` (`{}`: every dead letter). Each dead letter's body is published to the subject it was first published to, with its original headers (without the `Optout-Dlq-*` ones) plus `Optout-Replay-Of: <seq>`, then deleted from the dead-letter stream once the publish is stored (unless `keep`). Fix the cause first: a message that fails again is dead-lettered again under a new sequence.",
      "",
      "Repeating a replay is harmless: the replay's `Nats-Msg-Id` is `replay:<dlq stream>:<seq>` (one message per dead letter within the duplicate window) and the workers record each source message id once. A filter replay handles at most `limit` (10,000) dead letters per request: repeat it until `matched` is 0.",
    ].join("\n"),
    responses: {
      "200": { description: "What was done (`failed` dead letters stay).", schema: ref("ReplayReport") },
    },
  },

  // ---- erasure ----
  "POST /v1/accounts/{accountId}/erasures": {
    operationId: "eraseIdentifier",
    tag: "Erasure",
    summary: "Erase one recipient's data (GDPR) and keep them suppressed",
    description: [
      "For an erasure request of the person behind `identifier` (normalized like everywhere else). In one transaction, on the account's list (an organization list: every account of the organization that uses it):",
      "",
      "- **history**: each event of the identifier keeps its action, source and times (statistics still count it), but its identifier becomes the keyed hash `identifierHash` (HMAC-SHA256 with `ERASURE_HASH_SECRET`), its reason is removed and its evidence keeps only the link `token` and `campaignId` (SMS texts, user agents, IP prefixes go);",
      "- **state**: the identifier's row is replaced by the hash's, **opted out** (since the original opt-out, else since now: an erasure request is an objection too), so `optout.check`, list sync/export (which show the hash) and filtered group lists keep suppressing the person;",
      "- **address book**: every contact with the identifier is deleted with its group memberships;",
      "- links and webhook jobs carry the hash instead; confirmation-SMS records are deleted.",
      "",
      "The erasure is recorded (id, hash, counts, who asked), never the identifier. Afterwards only the person can opt back in, by sending an opt-in keyword (START) from their number (hashed to match); an opt-in through the API answers 409 `ERASED_IDENTIFIER`. Repeating an erasure is safe. Needs the `erasure:write` permission (not implied by `write`).",
    ].join("\n"),
    responses: {
      "200": { description: "Erased.", schema: ref("Erasure") },
      "400": { description: INVALID_IDENTIFIER, schema: ref("Error") },
      "404": NOT_FOUND_ACCOUNT,
      "503": {
        description:
          "DEPENDENCY_UNAVAILABLE: the suppression filter (Redis) or Postgres could not be written; nothing was erased, send the request again.",
        schema: ref("Error"),
      },
    },
  },

  // ---- statistics ----
  "GET /v1/accounts/{accountId}/stats/optouts": {
    operationId: "optoutStats",
    tag: "Statistics",
    summary: "Opt-outs per day, channel, source and campaign",
    description:
      "The account's opt-outs with `occurredAt` in [`from`, `to`) (default: the 30 days before now; at most 366 days), grouped by the comma-separated `groupBy` dimensions (default `day`; `day` is the UTC date, `campaign` the campaign of the opt-out link, null for other sources). `optOuts` counts opt-outs that changed the state (people), `requests` every opt-out request including repeated STOPs. Opt-outs carried by a list scope change are not counted. Without `channel`, every channel the token may read.",
    responses: {
      "200": { description: "The counts.", schema: ref("OptoutStats") },
      "400": {
        description: "INVALID_PAYLOAD: a bad `groupBy`, `from` not before `to`, or a range over 366 days.",
        schema: ref("Error"),
      },
      "404": NOT_FOUND_ACCOUNT,
    },
  },
  "GET /v1/accounts/{accountId}/stats/campaigns/{campaign}": {
    operationId: "campaignStats",
    tag: "Statistics",
    summary: "A campaign's opt-out rate",
    description:
      'The opt-out links `optout.tag` issued for the campaign (`campaignId` of the tag request; one per recipient and channel) against the distinct links an opt-out came through: `rate` = `optOuts` / `linksIssued` (null before any link). Recipients tagged with a keyword instruction ("STOP au 36111") have no link and are not counted.',
    responses: {
      "200": { description: "The campaign's counts.", schema: ref("CampaignStats") },
      "404": NOT_FOUND_ACCOUNT,
    },
  },
};
