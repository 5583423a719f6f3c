// How the Unsubscribes page words what the API stores: event sources and reasons as readable
// labels ("keyword:STOP" -> "Replied STOP (keyword)"), and email addresses with an international
// domain in Unicode (they are stored with the domain in punycode: "xn--bcher-kva.example" ->
// "bücher.example"). A module loaded before app.js (module and deferred scripts run in document
// order, before DOMContentLoaded); app.js reads globalThis.optoutDisplay.
import { toUnicode } from "/ui/punycode.js";

/** What each source of an event means, as the page shows it. */
const SOURCE_LABELS = {
  sms_keyword: "SMS reply",
  link_click: "Clicked the opt-out link",
  email_one_click: "Email one-click unsubscribe",
  email_link: "Email unsubscribe link",
  email_mailto: "Unsubscribe email",
  api: "API",
  import: "Import",
  scope_change: "Carried from the previous list",
};

/**
 * Reasons the system writes itself (not free text a recipient or a client typed). The methods'
 * reasons read like their sources, so that a reason that only restates the source is left out.
 */
const REASON_LABELS = {
  one_click: SOURCE_LABELS.email_one_click,
  link: SOURCE_LABELS.email_link,
  mailto: SOURCE_LABELS.email_mailto,
  link_click: SOURCE_LABELS.link_click,
  // The choices of the edge's opt-out page.
  too_many: "Too many messages",
  not_relevant: "Not relevant",
  never_signed_up: "Never signed up",
  other: "Other",
};

/** "<rule>:<match>" reasons of the SMS classifier (packages/domain classificationReason). */
const SMS_RULES = {
  keyword: (match) => `Replied ${match} (keyword)`,
  keyword_qualified: (match) => `Replied “${match}” (keyword with other words)`,
  free_text: (match) => `Replied “${match}”`,
};

function sourceLabel(source) {
  return SOURCE_LABELS[source] || source;
}

/** The reason in words; "" when there is none or it only restates the source ("one_click"). */
function reasonLabel(reason, source) {
  const label = reasonWords(reason);
  return label === sourceLabel(source) ? "" : label;
}

function reasonWords(reason) {
  if (!reason) return "";
  const rule = /^([a-z_]+):(.+)$/s.exec(reason);
  if (rule && SMS_RULES[rule[1]]) return SMS_RULES[rule[1]](rule[2]);
  if (REASON_LABELS[reason]) return REASON_LABELS[reason];
  // Other machine reasons read as words; free text stays as written.
  if (!/^[a-z_]+$/.test(reason)) return reason;
  const text = reason.replace(/_/g, " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** An identifier as people read it: an email address's punycode domain in Unicode. */
function displayIdentifier(channel, identifier) {
  if (channel !== "email") return identifier;
  const at = identifier.lastIndexOf("@");
  if (at < 0 || !/(^|\.)xn--/i.test(identifier.slice(at + 1))) return identifier;
  try {
    return `${identifier.slice(0, at)}@${toUnicode(identifier.slice(at + 1))}`;
  } catch {
    return identifier; // Not valid punycode: show what is stored.
  }
}

globalThis.optoutDisplay = Object.freeze({ sourceLabel, reasonLabel, displayIdentifier });
