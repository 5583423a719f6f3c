/**
 * Compliance evidence: every opt-out and opt-in of a list in a time range, with how it came
 * (source, keyword or reason, the source's message id) and the raw evidence the recorder kept
 * (the SMS text, the link's user agent, the import row...). One definition of the export's
 * rows and of their CSV and NDJSON forms, for the API and `optout evidence export`.
 */
import { csvField } from "@optout/core";
import { streamCursor } from "./cursor.js";
import type { Pool } from "./pool.js";

export interface EvidenceRecord {
  eventId: string;
  occurredAt: string;
  /** When the event was committed: from then on the check answers "suppressed" for an opt-out. */
  recordedAt: string;
  channel: string;
  identifier: string;
  action: "opt_out" | "opt_in";
  /** sms_keyword, link_click, email_one_click, email_link, email_mailto, api, import, scope_change */
  source: string;
  /** The source's own id: gateway message id, click id, API request id, import row key. */
  sourceId: string;
  /** The keyword (`keyword:STOP`), the free-text reason, or the reason picked on the page. */
  reason: string | null;
  /** The list the event is on: `org:<id>` or `account:<id>`. */
  scope: string;
  /** The account that recorded it (an organization list is shared by its accounts). */
  accountId: string;
  /** Whether it changed the state (a repeated STOP is evidence only). */
  stateChanged: boolean;
  evidence: Record<string, unknown>;
}

export interface EvidenceQuery {
  scope: string;
  channel: string;
  /** occurred_at >= from (RFC 3339); absent: from the beginning. */
  from?: string;
  /** occurred_at < to (RFC 3339); absent: up to now. */
  to?: string;
}

/** Longest pause between two reads of the consumer before the export's transaction is ended. */
export const EVIDENCE_EXPORT_IDLE_TIMEOUT_MS = 60_000;

interface EvidenceRow {
  event_id: string;
  occurred_at: Date;
  recorded_at: Date;
  channel: string;
  identifier: string;
  action: "opt_out" | "opt_in";
  source: string;
  source_id: string;
  reason: string | null;
  scope: string;
  account_id: string;
  state_changed: boolean;
  evidence: Record<string, unknown>;
}

const COLUMNS =
  "event_id, occurred_at, recorded_at, channel, identifier, action, source, source_id, reason, scope, account_id, state_changed, evidence";

function toRecord(r: EvidenceRow): EvidenceRecord {
  return {
    eventId: r.event_id,
    occurredAt: r.occurred_at.toISOString(),
    recordedAt: r.recorded_at.toISOString(),
    channel: r.channel,
    identifier: r.identifier,
    action: r.action,
    source: r.source,
    sourceId: r.source_id,
    reason: r.reason,
    scope: r.scope,
    accountId: r.account_id,
    stateChanged: r.state_changed,
    evidence: r.evidence,
  };
}

/**
 * The events of a list in [from, to), oldest first, `fetchSize` per chunk, from one snapshot
 * (the snapshot cursor of the list export: memory stays flat whatever the range).
 */
export async function* streamEvidence(
  pool: Pool,
  query: EvidenceQuery,
  fetchSize = 5_000,
): AsyncGenerator<EvidenceRecord[]> {
  const rows = streamCursor<EvidenceRow>(pool, {
    sql: `SELECT ${COLUMNS} FROM optout_events
           WHERE scope = $1 AND channel = $2
             AND ($3::timestamptz IS NULL OR occurred_at >= $3)
             AND ($4::timestamptz IS NULL OR occurred_at < $4)
           ORDER BY occurred_at, id`,
    values: [query.scope, query.channel, query.from ?? null, query.to ?? null],
    fetchSize,
    idleTimeoutMs: EVIDENCE_EXPORT_IDLE_TIMEOUT_MS,
  });
  for await (const chunk of rows) yield chunk.map(toRecord);
}

/** Every event of one identifier on a list, oldest first, with its evidence. */
export async function getIdentifierEvidence(
  pool: Pool,
  list: { scope: string; channel: string; identifier: string },
): Promise<EvidenceRecord[]> {
  const { rows } = await pool.query<EvidenceRow>(
    `SELECT ${COLUMNS} FROM optout_events WHERE scope = $1 AND channel = $2 AND identifier = $3
     ORDER BY occurred_at, id`,
    [list.scope, list.channel, list.identifier],
  );
  return rows.map(toRecord);
}

// ---- the export's forms --------------------------------------------------------------------

/** The CSV columns, in order; `evidence` is the raw evidence as a JSON object. */
export const EVIDENCE_CSV_COLUMNS = [
  "occurredAt",
  "recordedAt",
  "channel",
  "identifier",
  "action",
  "source",
  "reason",
  "sourceId",
  "eventId",
  "scope",
  "accountId",
  "stateChanged",
  "evidence",
] as const;

export const EVIDENCE_CSV_HEADER = `${EVIDENCE_CSV_COLUMNS.join(",")}\n`;

export function evidenceCsvLine(r: EvidenceRecord): string {
  return `${EVIDENCE_CSV_COLUMNS.map((c) => {
    const v = r[c];
    return csvField(typeof v === "string" ? v : v === null ? null : JSON.stringify(v));
  }).join(",")}\n`;
}

export function evidenceNdjsonLine(r: EvidenceRecord): string {
  return `${JSON.stringify(r)}\n`;
}
