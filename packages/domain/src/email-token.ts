import { createHmac, timingSafeEqual } from "node:crypto";

/**
 * Signed one-click unsubscribe tokens (RFC 8058): the URL in List-Unsubscribe names the
 * account, the address and the list, and carries an HMAC so nobody can unsubscribe someone
 * else by editing the URL. Format: base64url(JSON payload) "." base64url(HMAC-SHA256)[0..22].
 * No expiry: an unsubscribe link in an old email must keep working (CAN-SPAM: 30 days at
 * least; in practice forever).
 */

export interface EmailTokenClaims {
  /** account id */
  accountId: string;
  /** normalized address */
  email: string;
  /** optional list id (the List-Id of the mailing) */
  listId?: string;
}

const SIGNATURE_CHARS = 22; // 132 bits of HMAC-SHA256: plenty against forgery, keeps URLs short

function sign(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body).digest("base64url").slice(0, SIGNATURE_CHARS);
}

export function createEmailToken(secret: string, claims: EmailTokenClaims): string {
  const payload: Record<string, string> = { a: claims.accountId, e: claims.email };
  if (claims.listId !== undefined) payload.l = claims.listId;
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${body}.${sign(secret, body)}`;
}

/** The claims of a token whose signature verifies; null for anything else (never throws). */
export function verifyEmailToken(secret: string, token: string): EmailTokenClaims | null {
  const dot = token.indexOf(".");
  if (dot <= 0 || token.length > 2048) return null;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1));
  const expected = Buffer.from(sign(secret, body));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const payload = JSON.parse(Buffer.from(body, "base64url").toString("utf8")) as Record<string, unknown>;
    if (typeof payload.a !== "string" || typeof payload.e !== "string") return null;
    if (payload.l !== undefined && typeof payload.l !== "string") return null;
    return {
      accountId: payload.a,
      email: payload.e,
      ...(typeof payload.l === "string" ? { listId: payload.l } : {}),
    };
  } catch {
    return null;
  }
}
