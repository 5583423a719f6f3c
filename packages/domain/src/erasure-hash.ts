import { createHmac } from "node:crypto";

/**
 * What an erased identifier becomes in the opt-out state and history: a keyed hash of the
 * normalized identifier, so the person stays suppressed (a check, a START from their number,
 * an opt-in for them all hash what they are given and find it) while nothing that reads the
 * list can recover the identifier (HMAC-SHA256 with ERASURE_HASH_SECRET: a plain hash of a
 * phone number is reversed by trying every number).
 *
 * The prefix cannot start a real identifier (E.164 starts with "+", an address holds "@"), so
 * an erased row is recognisable in every export. Hex, not base64url, so SQL can compare it.
 */
export const ERASED_IDENTIFIER_PREFIX = "erased:";

/** Matches the value `erasedIdentifier` returns. */
export const ERASED_IDENTIFIER_PATTERN = /^erased:[0-9a-f]{64}$/;

export function erasedIdentifier(secret: string, identifier: string): string {
  return ERASED_IDENTIFIER_PREFIX + createHmac("sha256", secret).update(identifier).digest("hex");
}

export function isErasedIdentifier(value: string): boolean {
  return ERASED_IDENTIFIER_PATTERN.test(value);
}

/**
 * An entry of a list's suppression filter (@optout/cache, one per scope and channel) saying
 * "this list holds an erased identifier": only then does the check hash its recipients and probe
 * their erased forms, so a list that never had an erasure pays nothing for the feature. It is
 * read with the recipients, in the same filter read (one generation, no extra round trip).
 * Who writes a filter sets it: an erasure (before it commits, with the hash's own entry), a
 * rebuild whose source holds an erased identifier (@optout/store streamOptedOut), a list scope change carrying one. Never a
 * real identifier (no "+", no "@") and not an erased form (ERASED_IDENTIFIER_PATTERN).
 */
export const ERASURES_FILTER_MARKER = "erased:list-has-erasures";

/**
 * The entries to add to a list's filter for these identifiers: themselves, plus
 * ERASURES_FILTER_MARKER when one of them is an erased form.
 */
export function withErasureMarker(identifiers: readonly string[]): readonly string[] {
  return identifiers.some(isErasedIdentifier) ? [...identifiers, ERASURES_FILTER_MARKER] : identifiers;
}
