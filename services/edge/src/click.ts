import { createHash } from "node:crypto";
import { generateLinkTokens } from "@optout/domain";
import { REASON_CODES } from "./i18n.js";

/**
 * Ids of what the edge publishes. They are the Nats-Msg-Id (JetStream drops a copy within its
 * duplicate window) and the event's source id (the worker records one event per id), so they
 * must be the same for the same act and different for different acts:
 * - a click id comes from a nonce that the landing page puts in its form: a double click or a
 *   reload-and-resubmit of that page sends the same nonce, so it is one click; a form posted
 *   without a nonce (a script, an old page) falls back to one click per token per minute;
 * - the token is hashed in, so one recipient's nonce can never collide with another's click
 *   (the nonce comes from the client), and the id does not reveal the token in logs.
 */
const NONCE_LENGTH = 22;
const NONCE_PATTERN = /^[0-9A-Za-z]{16,64}$/;
const ID_HASH_CHARS = 32;

export function newClickNonce(): string {
  return generateLinkTokens(1, NONCE_LENGTH)[0]!;
}

function hashId(prefix: string, parts: string[]): string {
  return `${prefix}${createHash("sha256").update(parts.join("\n")).digest("base64url").slice(0, ID_HASH_CHARS)}`;
}

const minuteOf = (at: Date) => String(Math.floor(at.getTime() / 60_000));

export function clickId(token: string, nonce: string | undefined, at: Date): string {
  const basis = nonce !== undefined && NONCE_PATTERN.test(nonce) ? `n:${nonce}` : `m:${minuteOf(at)}`;
  return hashId("click-", [token, basis]);
}

/**
 * One unsubscribe per (token, method, minute): mail providers retry one-click POSTs, people
 * double-click. A preference page's choice (a topic, or "all") is part of the act: two topics
 * unsubscribed within a minute are two events.
 */
export function emailUnsubscribeId(token: string, method: string, at: Date, choice?: string): string {
  return hashId("email-", [token, method, minuteOf(at), ...(choice === undefined ? [] : [choice])]);
}

export const MAX_REASON_LENGTH = 500;
const MAX_COMMENT_LENGTH = 400;

function clean(text: string | undefined, max: number): string {
  // Control characters and runs of white space become one space: the reason is one line.
  return (text ?? "")
    .replace(/[\p{Cc}\p{Cf}\s]+/gu, " ")
    .trim()
    .slice(0, max);
}

/**
 * The reason to record: the picked code (stable, English, for reports), the free text after
 * it ("too_many: every day is too much"), or whichever of the two is given.
 */
export function composeReason(reason: string | undefined, comment: string | undefined): string | undefined {
  const picked = clean(reason, MAX_COMMENT_LENGTH);
  const code = (REASON_CODES as readonly string[]).includes(picked) ? picked : undefined;
  const text = clean(comment, MAX_COMMENT_LENGTH);
  const free = code === undefined ? picked : "";
  const parts = [code, [free, text].filter(Boolean).join(" ")].filter(Boolean);
  return parts.length === 0 ? undefined : parts.join(": ").slice(0, MAX_REASON_LENGTH);
}
