/**
 * Response shapes of the API, registered as shared schemas (`app.addSchema`, `$id` = the name) so
 * the routes' `response` schemas point at them with `ref("Name")` and @fastify/swagger lists them
 * under `components.schemas`. Documentation only: the API serializes with JSON.stringify, not
 * with these (see ./swagger.ts).
 */

import { ERROR_CODE_LIST } from "@optout/core";
import { EVENT_SOURCES } from "@optout/schemas";
import { TOKEN_PERMISSIONS } from "@optout/store";

type Schema = Record<string, unknown>;

const TIMESTAMP = { type: "string", format: "date-time" } as const;
const CHANNEL = { type: "string", enum: ["sms", "email"] } as const;
const SOURCE = { type: "string", enum: [...EVENT_SOURCES] } as const;
const PERMISSION = { type: "string", enum: [...TOKEN_PERMISSIONS] } as const;
const CURSOR = { type: "string", description: "Opaque cursor: pass it back unchanged." } as const;

/** What a recent event (GET .../events) and a recorded event (POST .../optouts) share. */
const EVENT_FIELDS = {
  eventId: { type: "string", format: "uuid" },
  channel: CHANNEL,
  identifier: { type: "string" },
  action: { type: "string", enum: ["opt_out", "opt_in"] },
  source: SOURCE,
  reason: { type: ["string", "null"] },
} as const;

/** A page of a browsing route (routes/browse.ts): items in id order. */
const idPage = (item: string): Schema => ({
  type: "object",
  required: ["items", "next", "hasMore"],
  properties: {
    items: { type: "array", items: { $ref: `${item}#` } },
    next: { ...CURSOR, description: "Pass as `after`; present on every page, the last included." },
    hasMore: { type: "boolean" },
  },
});

export const COMPONENT_SCHEMAS: Record<string, Schema> = {
  Error: {
    type: "object",
    required: ["error"],
    properties: {
      error: {
        type: "object",
        required: ["code", "message"],
        properties: {
          code: {
            type: "string",
            description:
              "A code of the error registry (docs/errors.md: its status, whether a retry can help, what to do).",
            enum: [...ERROR_CODE_LIST],
          },
          message: { type: "string", description: "What went wrong and what to do next." },
        },
      },
    },
  },
  Organization: {
    type: "object",
    properties: {
      id: { type: "string" },
      name: { type: ["string", "null"] },
      createdAt: TIMESTAMP,
      updatedAt: TIMESTAMP,
    },
  },
  Account: {
    type: "object",
    description:
      "The account and its settings as stored (every setting of PUT). Write-only settings (`webhook.secret`) are never shown. After a PUT or PATCH that moved the account to another list, `scopeChange` says what was carried over.",
    properties: {
      id: { type: "string" },
      organizationId: { type: "string" },
      listScope: { type: "string", enum: ["organization", "account"] },
      defaultCountry: { type: ["string", "null"] },
      webhook: {
        type: "object",
        properties: { url: { type: "string", format: "uri" } },
        description: "The webhook's URL; its secret is write-only.",
      },
      createdAt: TIMESTAMP,
      updatedAt: TIMESTAMP,
      scopeChange: {
        type: "object",
        required: ["fromScope", "toScope", "carried"],
        description:
          "Only in the answer of a PUT or PATCH that moved the account to another list: every identifier opted out on the old list and not on the new one got an `opt_out` event with source `scope_change` on the new list, in the same transaction.",
        properties: {
          fromScope: { type: "string", examples: ["org:acme"] },
          toScope: { type: "string", examples: ["account:acme-nl"] },
          carried: { type: "integer", description: "Identifiers (all channels) carried over." },
        },
      },
    },
    additionalProperties: true,
  },
  TokenInfo: {
    type: "object",
    required: ["id", "name", "types", "permissions", "createdAt", "lastUsedAt"],
    properties: {
      id: { type: "string", description: "Public id (also inside the token); use it to revoke." },
      name: { type: ["string", "null"] },
      types: { type: "array", items: CHANNEL },
      permissions: { type: "array", items: PERMISSION },
      createdAt: TIMESTAMP,
      lastUsedAt: {
        type: ["string", "null"],
        format: "date-time",
        description: "Updated at most once a minute.",
      },
    },
  },
  Erasure: {
    type: "object",
    required: [
      "id",
      "channel",
      "identifierHash",
      "eventsErased",
      "contactsDeleted",
      "linksErased",
      "wasOptedOut",
      "erasedAt",
    ],
    properties: {
      id: { type: "string", format: "uuid", description: "The erasure's audit record." },
      channel: CHANNEL,
      identifierHash: {
        type: "string",
        pattern: "^erased:[0-9a-f]{64}$",
        description:
          "What the list, the history and exports show instead of the identifier: `erased:` + hex HMAC-SHA256(ERASURE_HASH_SECRET, normalized identifier).",
      },
      eventsErased: {
        type: "integer",
        description: "History events whose identifier, reason and evidence were erased.",
      },
      contactsDeleted: {
        type: "integer",
        description: "Contacts deleted from the address books using the list.",
      },
      linksErased: { type: "integer", description: "Opt-out links now carrying the hash." },
      wasOptedOut: {
        type: "boolean",
        description: "Whether the recipient was opted out before (they are now).",
      },
      erasedAt: TIMESTAMP,
    },
  },
  OptoutStats: {
    type: "object",
    required: ["from", "to", "groupBy", "channels", "items", "total"],
    properties: {
      from: TIMESTAMP,
      to: TIMESTAMP,
      groupBy: { type: "array", items: { type: "string", enum: ["day", "channel", "source", "campaign"] } },
      channels: { type: "array", items: CHANNEL },
      items: {
        type: "array",
        description: "One per group, in `groupBy` order; only the dimensions asked for are present.",
        items: {
          type: "object",
          required: ["optOuts", "requests"],
          properties: {
            day: { type: "string", format: "date", description: "UTC date." },
            channel: CHANNEL,
            source: SOURCE,
            campaign: {
              type: ["string", "null"],
              description: "The opt-out link's campaign; null for other sources.",
            },
            optOuts: { type: "integer", description: "Opt-outs that changed the state (people)." },
            requests: { type: "integer", description: "Every opt-out request, repeats included." },
          },
        },
      },
      total: {
        type: "object",
        required: ["optOuts", "requests"],
        properties: { optOuts: { type: "integer" }, requests: { type: "integer" } },
      },
    },
  },
  CampaignStats: {
    type: "object",
    required: ["campaign", "channels", "linksIssued", "optOuts", "rate", "firstLinkAt", "lastOptOutAt"],
    properties: {
      campaign: { type: "string" },
      channels: {
        type: "array",
        items: {
          type: "object",
          required: ["channel", "linksIssued", "optOuts", "rate"],
          properties: {
            channel: CHANNEL,
            linksIssued: { type: "integer" },
            optOuts: { type: "integer" },
            rate: { type: ["number", "null"] },
          },
        },
      },
      linksIssued: { type: "integer", description: "Opt-out links issued by optout.tag for the campaign." },
      optOuts: { type: "integer", description: "Distinct links of the campaign an opt-out came through." },
      rate: { type: ["number", "null"], description: "optOuts / linksIssued; null when no link was issued." },
      firstLinkAt: { type: ["string", "null"], format: "date-time" },
      lastOptOutAt: { type: ["string", "null"], format: "date-time" },
    },
  },
  TokenCreated: {
    allOf: [
      { $ref: "TokenInfo#" },
      {
        type: "object",
        required: ["token"],
        properties: {
          token: {
            type: "string",
            pattern: "^oo_[0-9A-Za-z]{16}_[0-9A-Za-z]{32}$",
            description: "The bearer token. Shown only here: it is stored as a SHA-256 hash.",
          },
        },
      },
    ],
  },
  TokenList: {
    type: "object",
    required: ["items"],
    properties: { items: { type: "array", items: { $ref: "TokenInfo#" } } },
  },
  Me: {
    type: "object",
    required: ["kind", "types", "permissions"],
    properties: {
      kind: { type: "string", enum: ["admin", "account"] },
      accountId: { type: "string", description: "Account tokens only." },
      tokenId: { type: "string", description: "Account tokens only." },
      types: { type: "array", items: CHANNEL },
      permissions: { type: "array", items: PERMISSION },
    },
  },
  ListItem: {
    type: "object",
    required: ["channel", "identifier", "status", "since"],
    properties: {
      channel: CHANNEL,
      identifier: { type: "string", description: "E.164 phone number or normalized email address." },
      status: { type: "string", enum: ["opted_out", "opted_in"] },
      since: { ...TIMESTAMP, description: "When the event that set this status happened." },
    },
  },
  ListPage: {
    type: "object",
    required: ["items", "next", "hasMore"],
    properties: {
      items: { type: "array", items: { $ref: "ListItem#" } },
      next: {
        ...CURSOR,
        description:
          "Present on every page. Pass as `after` for the next page, or keep it to sync only what changed later.",
      },
      hasMore: { type: "boolean", description: "false: you have everything for now." },
    },
  },
  RecentEvent: {
    type: "object",
    properties: {
      ...EVENT_FIELDS,
      accountId: {
        type: "string",
        description: "The account the event came in for (on an organization list, any account of it).",
      },
      occurredAt: TIMESTAMP,
      recordedAt: TIMESTAMP,
      topic: {
        type: "string",
        description: "The account's topic of a topic event; absent when channel-wide.",
      },
    },
  },
  EventPage: {
    type: "object",
    required: ["items", "next", "hasMore"],
    properties: {
      items: { type: "array", items: { $ref: "RecentEvent#" } },
      next: {
        type: ["string", "null"],
        description: "Pass as `before` for older events; null only when there are no events at all.",
      },
      hasMore: { type: "boolean" },
    },
  },
  State: {
    type: "object",
    required: ["channel", "identifier", "status"],
    properties: {
      channel: CHANNEL,
      identifier: { type: "string", description: "Normalized." },
      status: { type: "string", enum: ["opted_out", "opted_in", "none"] },
      since: TIMESTAMP,
      source: SOURCE,
      reason: { type: ["string", "null"] },
      erased: {
        type: "boolean",
        enum: [true],
        description:
          "Present when the recipient's data was erased at their request (`POST .../erasures`): the state is the one kept under the keyed hash, without source or reason.",
      },
    },
  },
  History: {
    type: "object",
    required: ["channel", "identifier", "items"],
    properties: {
      channel: CHANNEL,
      identifier: { type: "string" },
      items: {
        type: "array",
        description: "Oldest first.",
        items: {
          type: "object",
          properties: {
            eventId: { type: "string", format: "uuid" },
            action: { type: "string", enum: ["opt_out", "opt_in"] },
            source: SOURCE,
            sourceId: { type: "string" },
            reason: { type: ["string", "null"] },
            evidence: { type: "object", description: "Raw evidence: the SMS text, the user agent, ..." },
            accountId: { type: "string" },
            occurredAt: TIMESTAMP,
            recordedAt: TIMESTAMP,
            topic: {
              type: "string",
              description:
                "The account's topic this event is about (an unsubscribe from one topic); absent for the whole channel.",
            },
          },
        },
      },
    },
  },
  RecordedEvent: {
    type: "object",
    properties: {
      ...EVENT_FIELDS,
      occurredAt: TIMESTAMP,
      topic: { type: "string", description: "The topic the change is about, when the request named one." },
      duplicate: {
        type: "boolean",
        description: "true when this Idempotency-Key was already recorded (200 instead of 201).",
      },
    },
  },
  EvidenceRecord: {
    type: "object",
    description:
      "One opt-out or opt-in with how it came and the evidence kept. CSV has these columns in the order occurredAt, recordedAt, channel, identifier, action, source, reason, sourceId, eventId, scope, accountId, stateChanged, evidence (a JSON object).",
    properties: {
      occurredAt: {
        ...TIMESTAMP,
        description: "When the recipient acted (the SMS received, the link clicked).",
      },
      recordedAt: {
        ...TIMESTAMP,
        description: "When the list recorded it: from then on the check answers accordingly.",
      },
      channel: CHANNEL,
      identifier: { type: "string" },
      action: { type: "string", enum: ["opt_out", "opt_in"] },
      source: SOURCE,
      reason: {
        type: ["string", "null"],
        description: "The keyword (`keyword:STOP`), the free-text reason or the reason picked on the page.",
      },
      sourceId: {
        type: "string",
        description: "The source's own id: gateway message id, click id, API request id, import row key.",
      },
      eventId: { type: "string", format: "uuid" },
      scope: { type: "string", description: "The list: `org:<id>` or `account:<id>`." },
      accountId: { type: "string", description: "The account it came in for." },
      stateChanged: { type: "boolean", description: "false for a repeat (a second STOP): evidence only." },
      evidence: {
        type: "object",
        description:
          "Raw evidence: the SMS text, keyword rule and language; a click's user agent, truncated IP and campaign; an email's method and list; the API caller (`recordedBy`); the import row.",
      },
    },
  },
  IdentifierEvidence: {
    type: "object",
    required: ["accountId", "scope", "channel", "identifier", "status", "events"],
    properties: {
      accountId: { type: "string" },
      scope: { type: "string" },
      channel: CHANNEL,
      identifier: { type: "string", description: "Normalized." },
      status: { type: "string", enum: ["opted_out", "opted_in", "none"] },
      since: { type: ["string", "null"], format: "date-time" },
      suppressedFrom: {
        type: ["string", "null"],
        format: "date-time",
        description:
          "When the list started suppressing the recipient: the recording time of the opt-out behind the current state. null when not opted out.",
      },
      decidingEventId: { type: ["string", "null"], format: "uuid" },
      generatedAt: TIMESTAMP,
      events: {
        type: "array",
        description: "Oldest first.",
        items: { $ref: "EvidenceRecord#" },
      },
    },
  },
  AuditEntry: {
    type: "object",
    properties: {
      id: { type: "integer" },
      occurredAt: TIMESTAMP,
      actor: {
        type: "object",
        description: "`{kind: admin}` or `{kind: token, tokenId}` (the token's public id, never the token).",
        properties: { kind: { type: "string", enum: ["admin", "token"] }, tokenId: { type: "string" } },
      },
      action: { type: "string" },
      target: { type: ["string", "null"], description: "A token id, `channel:identifier`, a delivery id." },
      requestId: { type: ["string", "null"] },
      details: {
        type: "object",
        description: "Names and counts (`changed` settings, grants, import totals), never values of secrets.",
      },
    },
  },
  AuditPage: {
    type: "object",
    required: ["items", "next", "hasMore"],
    properties: {
      items: { type: "array", items: { $ref: "AuditEntry#" } },
      next: { ...CURSOR, description: "Pass as `after`; present on every page, the last included." },
      hasMore: { type: "boolean" },
    },
  },
  WebhookDelivery: {
    type: "object",
    properties: {
      id: { type: "string", format: "uuid", description: "The event's id (one job per event)." },
      channel: CHANNEL,
      identifier: { type: "string" },
      action: { type: "string", enum: ["opt_out", "opt_in"] },
      status: { type: "string", enum: ["pending", "delivered", "dead", "skipped"] },
      attempts: { type: "integer", description: "Attempts since the job was created or last redelivered." },
      lastStatus: {
        type: ["integer", "null"],
        description: "The receiver's HTTP status on the last attempt.",
      },
      lastError: { type: ["string", "null"] },
      nextAttemptAt: { type: ["string", "null"], format: "date-time" },
      redeliveries: { type: "integer" },
      lastRedeliveredAt: { type: ["string", "null"], format: "date-time" },
      createdAt: TIMESTAMP,
      updatedAt: TIMESTAMP,
    },
  },
  WebhookDeliveryPage: {
    type: "object",
    required: ["items", "next", "hasMore"],
    properties: {
      items: { type: "array", items: { $ref: "WebhookDelivery#" } },
      next: { type: ["string", "null"], description: "Pass as `before` for older jobs." },
      hasMore: { type: "boolean" },
    },
  },
  ListUnsubscribeHeaders: {
    type: "object",
    required: ["List-Unsubscribe", "List-Unsubscribe-Post"],
    properties: {
      "List-Unsubscribe": {
        type: "string",
        example:
          "<https://o.example/email/unsubscribe/eyJhIjoi...>, <mailto:unsubscribe@mail.acme.example?subject=unsubscribe-eyJhIjoi...>",
      },
      "List-Unsubscribe-Post": { type: "string", enum: ["List-Unsubscribe=One-Click"] },
    },
  },
  Health: {
    type: "object",
    properties: {
      status: { type: "string", enum: ["ok", "ready", "not_ready"] },
      reasons: {
        type: "array",
        items: { type: "string" },
        description:
          'Why it is not ready, e.g. "postgres is down: ..." or "sms-inbound paused until redis answer(s) again".',
      },
    },
  },
  Group: {
    type: "object",
    properties: {
      id: { type: "string" },
      name: { type: "string" },
      bypassOptOut: { type: "boolean", description: "Members are sent to even when opted out." },
      createdAt: TIMESTAMP,
      updatedAt: TIMESTAMP,
    },
  },
  Contact: {
    type: "object",
    description:
      "`phone`/`phoneRaw` are left out for a token without the `sms` type, `email`/`emailRaw` for one without the `email` type.",
    properties: {
      id: { type: "string" },
      phone: { type: ["string", "null"], description: "E.164." },
      phoneRaw: { type: ["string", "null"], description: "As sent." },
      email: { type: ["string", "null"], description: "Normalized." },
      emailRaw: { type: ["string", "null"], description: "As sent." },
      groups: { type: "array", items: { type: "string" } },
      fields: {
        type: "object",
        maxProperties: 200,
        description:
          "Free-form: at most 200 keys, 16 KiB (16,384 bytes) as compact UTF-8 JSON, nesting at most 32 levels, keys at most 256 characters.",
      },
      createdAt: TIMESTAMP,
      updatedAt: TIMESTAMP,
    },
  },
  ImportSummary: {
    type: "object",
    required: ["imported", "failed", "errors"],
    properties: {
      imported: { type: "integer" },
      duplicates: {
        type: "integer",
        description: "Opt-out imports: rows already recorded by an earlier import.",
      },
      failed: { type: "integer" },
      errors: {
        type: "array",
        description:
          "Rows not stored, in line order: refused by the checks or by the database. Every other row is committed.",
        items: {
          type: "object",
          properties: {
            row: {
              type: "integer",
              description: "The line the record starts on (the CSV header is line 1).",
            },
            value: {
              type: "string",
              description:
                "The offending value as sent (the contact id or the identifier when the database refused the row).",
            },
            reason: { type: "string" },
          },
        },
      },
      errorsOmitted: { type: "integer", description: "Failed rows beyond the listed errors." },
    },
  },
  GroupContactPage: {
    type: "object",
    required: ["items", "next", "hasMore"],
    properties: {
      items: {
        type: "array",
        items: {
          type: "object",
          description:
            "`phone` is left out for a token without the `sms` type, `email` for one without the `email` type.",
          properties: {
            id: { type: "string" },
            phone: { type: ["string", "null"] },
            email: { type: ["string", "null"] },
          },
        },
      },
      next: CURSOR,
      hasMore: { type: "boolean" },
    },
  },
  AccountSummary: {
    type: "object",
    description: "An account as listed: without its settings (read the account for those).",
    properties: {
      id: { type: "string" },
      organizationId: { type: "string" },
      listScope: { type: "string", enum: ["organization", "account"] },
      defaultCountry: { type: ["string", "null"] },
      createdAt: TIMESTAMP,
      updatedAt: TIMESTAMP,
    },
  },
  AccountPage: idPage("AccountSummary"),
  OrganizationPage: idPage("Organization"),
  GroupPage: idPage("Group"),
  ContactPage: idPage("Contact"),
  DeadLetter: {
    type: "object",
    required: [
      "seq",
      "deadLetteredAt",
      "subject",
      "reason",
      "stream",
      "streamSeq",
      "msgId",
      "accountId",
      "size",
    ],
    properties: {
      seq: { type: "integer", description: "Sequence in the dead-letter stream." },
      deadLetteredAt: { ...TIMESTAMP, description: "The dead letter's own stream timestamp." },
      subject: { type: ["string", "null"], description: "The original subject." },
      reason: { type: "string" },
      stream: { type: ["string", "null"], description: "The original's stream." },
      streamSeq: { type: ["integer", "null"], description: "The original's sequence in its stream." },
      msgId: { type: ["string", "null"], description: "The original's Nats-Msg-Id." },
      accountId: { type: ["string", "null"], description: "The body's `accountId`, if any." },
      size: { type: "integer", description: "Body size in bytes." },
    },
  },
  DeadLetterDetail: {
    allOf: [
      { $ref: "DeadLetter#" },
      {
        type: "object",
        required: ["dlqSubject", "headers", "body"],
        properties: {
          dlqSubject: { type: "string", description: "`<ns>.dlq.<rest of the original subject>`." },
          headers: { type: "object", additionalProperties: { type: "array", items: { type: "string" } } },
          body: {
            type: "object",
            required: ["encoding", "value"],
            description:
              "`json`: the parsed body; `utf8`: text that is not JSON; `base64`: bytes that are not UTF-8.",
            properties: { encoding: { type: "string", enum: ["json", "utf8", "base64"] }, value: {} },
          },
        },
      },
    ],
  },
  DeadLetterPage: {
    type: "object",
    required: ["items", "next", "hasMore"],
    properties: {
      items: { type: "array", items: { $ref: "DeadLetter#" } },
      next: {
        ...CURSOR,
        description:
          "Present on every page: pass as `after` to continue after the last dead letter examined.",
      },
      hasMore: { type: "boolean", description: "More dead letters follow (some may not match the filter)." },
    },
  },
  ReplayReport: {
    type: "object",
    required: [
      "dryRun",
      "keep",
      "matched",
      "replayed",
      "wouldReplay",
      "skipped",
      "failed",
      "items",
      "itemsOmitted",
    ],
    properties: {
      dryRun: { type: "boolean" },
      keep: { type: "boolean" },
      matched: { type: "integer", description: "Dead letters found (by sequence or filter)." },
      replayed: { type: "integer", description: "Published to their original subject (0 in a dry run)." },
      wouldReplay: { type: "integer", description: "Dry run: would have been published." },
      skipped: {
        type: "integer",
        description:
          "Sequences with no dead letter, and dead letters naming no subject of this installation.",
      },
      failed: { type: "integer", description: "The publish failed; these dead letters stay." },
      items: {
        type: "array",
        description: "The first 1000 dead letters handled.",
        items: {
          type: "object",
          required: ["seq", "subject", "outcome"],
          properties: {
            seq: { type: "integer" },
            subject: { type: ["string", "null"] },
            outcome: { type: "string", enum: ["replayed", "would_replay", "skipped", "failed"] },
            message: { type: "string" },
            deleted: { type: "boolean" },
          },
        },
      },
      itemsOmitted: { type: "integer" },
    },
  },
};

/** A reference to a shared schema, as fastify resolves it (`Name#`); swagger writes `#/components/schemas/Name`. */
export const ref = (name: keyof typeof COMPONENT_SCHEMAS & string) => ({ $ref: `${name}#` });
