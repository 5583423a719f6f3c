/**
 * One identifier's evidence as a printable HTML page (GET .../optouts/{channel}/{identifier}/evidence
 * with Accept: text/html): "this person opted out then, this way, and we stopped sending then".
 * Built only through the escaping `html` tag: a reason or an SMS text cannot inject markup.
 */
import { html, type SafeHtml } from "@optout/core";
import type { EvidenceRecord } from "@optout/store";

export interface IdentifierEvidence {
  accountId: string;
  scope: string;
  channel: string;
  identifier: string;
  status: "opted_out" | "opted_in" | "none";
  /** When the current state began (the winning event's occurredAt). */
  since: string | null;
  /**
   * When the list started suppressing the identifier: the recordedAt of the opt-out that put
   * it in its current opted-out state (from then on every check answered "suppressed"). Null
   * when it is not opted out.
   */
  suppressedFrom: string | null;
  /** The event that decided the current state. */
  decidingEventId: string | null;
  generatedAt: string;
  events: EvidenceRecord[];
}

export const SOURCE_LABELS: Record<string, string> = {
  sms_keyword: "SMS reply with a keyword",
  link_click: "Opt-out link clicked",
  email_one_click: "Email one-click unsubscribe (RFC 8058)",
  email_link: "Email unsubscribe link",
  email_mailto: "Email unsubscribe by mail (mailto)",
  api: "Recorded through the API",
  import: "Imported from an earlier suppression list",
  scope_change: "Carried over when the account changed lists",
};

const STATUS_TEXT = { opted_out: "Opted out", opted_in: "Opted back in", none: "No opt-out recorded" };
const ACTION_TEXT = { opt_out: "Opt-out", opt_in: "Opt-in" };

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#111}h1{font-size:1.4rem;margin:0 0 .25rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:1rem 0}dt{font-weight:600}dd{margin:0}
table{border-collapse:collapse;width:100%;margin-top:1rem}th,td{border:1px solid #999;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#eee}pre{margin:0;white-space:pre-wrap;word-break:break-word;font-size:12px}.decisive{background:#fff6d6}
.muted{color:#555}.t{white-space:nowrap;font-variant-numeric:tabular-nums}.ev{min-width:22em}@media print{body{margin:0}th{background:#ddd!important;-webkit-print-color-adjust:exact;print-color-adjust:exact}}`;

function row(e: EvidenceRecord, decisive: boolean): SafeHtml {
  return html`<tr class="${decisive ? "decisive" : ""}">
<td class="t">${e.occurredAt}</td><td class="t">${e.recordedAt}</td><td>${ACTION_TEXT[e.action]}${e.stateChanged ? "" : html` <span class="muted">(repeat: no change)</span>`}</td>
<td>${SOURCE_LABELS[e.source] ?? e.source}<br><span class="muted">${e.source}</span></td><td>${e.reason ?? ""}</td>
<td><pre>${e.sourceId}</pre><span class="muted">event ${e.eventId}</span></td><td class="ev"><pre>${JSON.stringify(e.evidence, null, 2)}</pre></td>
</tr>`;
}

export function renderEvidencePage(doc: IdentifierEvidence): string {
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Opt-out evidence: ${doc.identifier}</title>
<meta name="robots" content="noindex"><style>${STYLE}</style></head>
<body>
<h1>Opt-out evidence</h1>
<p class="muted">Every opt-out and opt-in recorded for this recipient on the account's list, oldest first, with the evidence kept when each was received.</p>
<dl>
<dt>Account</dt><dd>${doc.accountId}</dd>
<dt>List</dt><dd>${doc.scope}</dd>
<dt>Channel</dt><dd>${doc.channel}</dd>
<dt>Recipient</dt><dd>${doc.identifier}</dd>
<dt>Current status</dt><dd>${STATUS_TEXT[doc.status]}${doc.since ? ` since ${doc.since}` : ""}</dd>
<dt>Suppressed from</dt><dd>${doc.suppressedFrom ?? "not suppressed"}${doc.suppressedFrom ? html` <span class="muted">(recorded: every check from then on answered "suppressed")</span>` : ""}</dd>
<dt>Generated</dt><dd>${doc.generatedAt}</dd>
</dl>
<table>
<thead><tr><th>Occurred</th><th>Recorded</th><th>Action</th><th>How</th><th>Keyword or reason</th><th>Source id</th><th>Evidence</th></tr></thead>
<tbody>${doc.events.length === 0 ? html`<tr><td colspan="7">No events.</td></tr>` : doc.events.map((e) => row(e, e.eventId === doc.decidingEventId))}</tbody>
</table>
${doc.decidingEventId ? html`<p class="muted">The highlighted row is the event behind the current status.</p>` : ""}
</body></html>
`;
  return page.value;
}
