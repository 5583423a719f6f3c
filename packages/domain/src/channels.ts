/**
 * The channels (token types) the product keeps lists for. Everything channel-specific that the
 * domain knows hangs off this registry, so adding `whatsapp` or `push` is one entry here.
 */
import { normalizeEmail } from "./email.js";
import { normalizePhone } from "./phone.js";
import type { NormalizeResult } from "./normalize-result.js";

export interface ChannelDefinition {
  /** Turns what a caller sent into the one form stored on the list. */
  normalize(input: string, defaultCountry?: string): NormalizeResult;
  /** What the identifier is, for messages ("phone number", "email address"). */
  identifierKind: string;
}

export const CHANNELS = Object.freeze({
  sms: Object.freeze({ normalize: normalizePhone, identifierKind: "phone number" }),
  email: Object.freeze({
    normalize: (input: string) => normalizeEmail(input),
    identifierKind: "email address",
  }),
} satisfies Record<string, ChannelDefinition>);

/** Derived from the registry so that the type and the table cannot drift apart. */
export type Channel = keyof typeof CHANNELS;

export const CHANNEL_NAMES: readonly Channel[] = Object.freeze(Object.keys(CHANNELS) as Channel[]);

export function isChannel(x: string): x is Channel {
  return Object.hasOwn(CHANNELS, x);
}
