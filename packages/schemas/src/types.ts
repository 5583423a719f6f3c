/** TypeScript shapes of the wire payloads; the JSON Schemas in ./json are the authority. */
import type { EventSource } from "./sources.js";

export type Channel = "sms" | "email";
export type OptAction = "opt_out" | "opt_in";
export type { EventSource };

export interface InboundSms {
  id: string;
  accountId: string;
  from: string;
  to: string;
  text: string;
  receivedAt: string;
  country?: string;
}

export interface InboundLink {
  id: string;
  token: string;
  clickedAt: string;
  userAgent?: string;
  ip?: string;
  reason?: string;
}

export interface InboundEmail {
  id: string;
  accountId: string;
  email: string;
  method: "one_click" | "link" | "mailto";
  receivedAt: string;
  listId?: string;
  /** The preference page's choice of one of the account's topics. */
  topic?: string;
  /** The preference page's "unsubscribe from all": channel-wide, whatever `listId` names. */
  all?: boolean;
  reason?: string;
  subject?: string;
  body?: string;
  autoSubmitted?: string;
}

export interface ChangeEvent {
  eventId: string;
  accountId: string;
  scope: string;
  channel: Channel;
  identifier: string;
  action: OptAction;
  source: EventSource;
  reason?: string;
  occurredAt: string;
  /** The account's topic this change is about; absent when channel-wide. */
  topic?: string;
}

export interface OutboundSms {
  id: string;
  accountId: string;
  to: string;
  from: string;
  text: string;
  inReplyTo: string;
  kind?: "confirmation" | "help";
}

export interface OutboundWebhook {
  id: string;
  accountId: string;
  event: ChangeEvent;
}

export type Category = "promotional" | "transactional";

export interface CheckRequest {
  accountId: string;
  channel: Channel;
  recipients: string[];
  country?: string;
  category?: Category;
  groupIds?: string[];
  /** One of the account's topics: suppressed when opted out of the channel or of this topic. */
  topic?: string;
  chunked?: boolean;
}

export type CheckReason =
  "opted_out" | "not_opted_out" | "transactional" | "bypass_group" | "invalid_recipient";

export interface CheckResult {
  recipient: string;
  identifier?: string;
  suppressed: boolean;
  reason: CheckReason;
  since?: string;
  /** The request's topic, when the opt-out that suppresses is of that topic only. */
  topic?: string;
  detail?: string;
}

export interface CheckReply {
  /** The results are compact (no `recipient`, in the request's order): see `expandCheckReply`. */
  compact?: boolean;
  results: CheckResult[];
  offset?: number;
  total?: number;
}

export interface ErrorReply {
  error: { code: string; message: string; details?: unknown };
}

export interface TagRequest {
  accountId: string;
  recipients: string[];
  campaignId?: string;
  channel?: "sms";
  country?: string;
  /** Accept a reply in several messages when it exceeds the NATS server's max_payload. */
  chunked?: boolean;
}

/** A footer (`text`, plus `link`/`token` when it is a link), or `error` for a recipient that is not a phone number. */
export interface TagResult {
  recipient: string;
  text?: string;
  link?: string;
  token?: string;
  error?: "invalid_recipient";
  detail?: string;
}

export interface TagReply {
  /** The tags are compact (no `recipient`, links as `linkBase` + token): see `expandTagReply`. */
  compact?: boolean;
  linkBase?: string;
  tags: TagResult[];
  /** Chunked replies only: index of this part's first tag, and the number of recipients. */
  offset?: number;
  total?: number;
}
