import { InvalidPayloadError, type Logger } from "@optout/core";
import { validatePayload, type InboundEmail, type InboundLink } from "@optout/schemas";

/**
 * What the edge publishes passes the rules its worker applies (guarantee 9): the edge answers
 * 200 only for a click or an unsubscribe the worker will record. Evidence that Postgres cannot
 * hold (a listId signed before the API refused control characters, a user agent with a NUL)
 * is cleaned rather than refused: the person asked to unsubscribe, and that must not be lost
 * over a label. Whatever is still refused after that gets a 400 page and is never published.
 */

// Control characters, and (in a /u regex, where a valid pair is one code point) lone surrogates.
const UNSTORABLE = /[\p{Cc}\p{Cs}]/gu;

/** `value` without the characters an identifier or header value cannot hold, cut to `maxLength`; undefined when nothing is left. */
export function storableLabel(value: string | undefined, maxLength: number): string | undefined {
  if (value === undefined) return undefined;
  const cleaned = value.replace(UNSTORABLE, "").slice(0, maxLength).trim();
  return cleaned === "" ? undefined : cleaned;
}

type Publishable = { inboundLink: InboundLink; inboundEmail: InboundEmail };

/** The payload, validated as its worker will validate it; null (logged, without personal data) when the worker would refuse it. */
export function publishable<K extends keyof Publishable>(
  name: K,
  payload: Publishable[K],
  logger: Logger,
): Publishable[K] | null {
  try {
    return validatePayload(name, payload) as Publishable[K];
  } catch (err) {
    if (!(err instanceof InvalidPayloadError)) throw err;
    // The message names a field and a problem ("/clickedAt is before 1970..."), never a value.
    logger.warn({ schema: name, err: err.message }, "refused a request the worker could not record");
    return null;
  }
}
