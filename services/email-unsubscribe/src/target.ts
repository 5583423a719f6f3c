import { verifyEmailToken, type EmailTokenClaims } from "@optout/domain";
import type { InboundEmail } from "@optout/schemas";

/**
 * The subject the List-Unsubscribe mailto: URL pre-fills is `unsubscribe-<token>`. Mail
 * clients and people may prefix it ("Re: ", "[ext] "), so the marker is looked for as a word
 * anywhere in the subject; the token itself is `base64url(claims).base64url(hmac)[0..22]`.
 */
const SUBJECT_TOKEN =
  /(?:^|[^A-Za-z0-9_-])unsubscribe-([A-Za-z0-9_-]{1,1500}\.[A-Za-z0-9_-]{22})(?![A-Za-z0-9_.-])/i;

/** The token carried by a mailto subject, unverified; undefined when there is none. */
export function tokenFromSubject(subject: string | undefined): string | undefined {
  if (subject === undefined) return undefined;
  return SUBJECT_TOKEN.exec(subject)?.[1];
}

/** Whose opt-out an inbound email is, and where that came from. */
export interface EmailTarget {
  accountId: string;
  /** As received: still to be normalized. */
  email: string;
  listId?: string;
  /** "subject_token": a verified token in a mailto subject named the target; "payload": the payload's own fields. */
  via: "subject_token" | "payload";
}

/**
 * A mailto reply whose subject carries a token that verifies is about the token's account,
 * address and list: people reply from another address or alias than the one subscribed, and
 * the token is what the List-Unsubscribe header gave that subscriber. Anything else (no token,
 * a forged or foreign token, another method) is about the payload's accountId and email.
 */
export function resolveTarget(email: InboundEmail, secret: string): EmailTarget {
  if (email.method === "mailto") {
    const token = tokenFromSubject(email.subject);
    const claims: EmailTokenClaims | null = token === undefined ? null : verifyEmailToken(secret, token);
    if (claims) {
      const listId = claims.listId ?? email.listId;
      return {
        accountId: claims.accountId,
        email: claims.email,
        ...(listId === undefined ? {} : { listId }),
        via: "subject_token",
      };
    }
  }
  return {
    accountId: email.accountId,
    email: email.email,
    ...(email.listId === undefined ? {} : { listId: email.listId }),
    via: "payload",
  };
}
