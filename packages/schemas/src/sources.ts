/**
 * Where an opt-out event came from: the one list of sources. The JSON Schemas (`source` in
 * json/common.ts), the OpenAPI document and the TypeScript type derive from it; the database
 * CHECK constraint on optout_events.source is kept equal to it by a migration per new source
 * (a test compares them).
 */
export const EVENT_SOURCES = Object.freeze([
  "sms_keyword",
  "link_click",
  "email_one_click",
  "email_link",
  "email_mailto",
  "api",
  "import",
  // An opt-out carried from an account's previous list when its list scope changed.
  "scope_change",
] as const);

export type EventSource = (typeof EVENT_SOURCES)[number];
