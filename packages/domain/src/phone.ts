/**
 * Phone numbers to E.164. Validity uses libphonenumber-js "max" metadata: the "min" metadata
 * only checks lengths and would let impossible numbers onto a suppression list, where they
 * never match a real recipient.
 */
import {
  isSupportedCountry,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
} from "libphonenumber-js/max";
import type { CountryCode, PhoneNumber } from "libphonenumber-js/max";
import { E164_PATTERN, normalizeE164Fast } from "./phone-e164.js";
import { invalid } from "./normalize-result.js";
import type { NormalizeResult } from "./normalize-result.js";

// Digits, white space, "+" and the separators people put in numbers; letters (vanity numbers,
// "ext.") are refused because a suppression list must hold exactly one form per number.
const PHONE_CHARACTERS = /^\+?[\d\s\u00a0().\-/\u2010-\u2015]+$/;
const DIGIT = /\d/g;
// Fewer digits than this cannot be a subscriber number anywhere (the shortest national numbers
// have 4 digits after a calling code or trunk prefix).
const MIN_DIGITS = 5;

export function normalizePhone(input: string, defaultCountry?: string): NormalizeResult {
  const country = resolveDefaultCountry(defaultCountry);
  if (country === null) return unknownCountry(defaultCountry);
  return normalizeWithCountry(input, country, true);
}

/**
 * `normalizePhone` without the E.164 fast path: the reference the fast path is tested and
 * measured against. Not exported from the package.
 */
export function normalizePhoneFullParse(input: string, defaultCountry?: string): NormalizeResult {
  const country = resolveDefaultCountry(defaultCountry);
  if (country === null) return unknownCountry(defaultCountry);
  return normalizeWithCountry(input, country, false);
}

/** Normalizes a batch; results are in input order and duplicates are parsed once. */
export function normalizePhones(inputs: readonly string[], defaultCountry?: string): NormalizeResult[] {
  const country = resolveDefaultCountry(defaultCountry);
  if (country === null) return inputs.map(() => unknownCountry(defaultCountry));
  const seen = new Map<string, NormalizeResult>();
  return inputs.map((input) => {
    let result = seen.get(input);
    if (!result) {
      result = normalizeWithCountry(input, country, true);
      seen.set(input, result);
    }
    return result;
  });
}

/** undefined: no default given; null: given but unknown. */
function resolveDefaultCountry(defaultCountry: string | undefined): CountryCode | undefined | null {
  if (defaultCountry === undefined || defaultCountry === "") return undefined;
  const upper = defaultCountry.trim().toUpperCase();
  return isSupportedCountry(upper) ? upper : null;
}

function unknownCountry(defaultCountry: string | undefined): NormalizeResult {
  return invalid(`unknown default country "${defaultCountry}": use an ISO 3166-1 alpha-2 code such as NL`);
}

function normalizeWithCountry(
  input: string,
  country: CountryCode | undefined,
  fastPath: boolean,
): NormalizeResult {
  if (typeof input !== "string") return invalid("not a phone number: expected a string");
  const text = input.trim();
  if (text === "") return invalid("empty phone number");
  if (fastPath && E164_PATTERN.test(text)) {
    const fast = normalizeE164Fast(text);
    if (fast) return fast;
  }
  if (/\p{L}/u.test(text)) return invalid("not a phone number: contains letters");
  if (!PHONE_CHARACTERS.test(text)) return invalid("not a phone number: unexpected characters");
  if ((text.match(DIGIT)?.length ?? 0) < MIN_DIGITS) return invalid("not a phone number: too few digits");

  let parsed = parse(text, country);
  let valid = parsed?.isValid() ?? false;
  if (!valid && text.startsWith("00")) {
    // "00" is the international prefix in most of the world, but the parser only knows it
    // from the default country (the US dials 011): without one, or when the default country
    // dials otherwise, read "0031 6..." as "+31 6...".
    const retry = parse(`+${text.slice(2)}`, country);
    if (retry?.isValid()) {
      parsed = retry;
      valid = true;
    }
  }
  if (parsed && valid) {
    return parsed.country
      ? { ok: true, identifier: parsed.number, country: parsed.country }
      : { ok: true, identifier: parsed.number };
  }
  return invalid(reasonFor(text, country, parsed));
}

function parse(text: string, country: CountryCode | undefined): PhoneNumber | undefined {
  // extract:false: the whole input must be the number, not a number somewhere in the text.
  return parsePhoneNumberFromString(text, { defaultCountry: country, extract: false });
}

function reasonFor(text: string, country: CountryCode | undefined, parsed: PhoneNumber | undefined): string {
  const international = text.startsWith("+") || text.startsWith("00");
  if (!international && !country) {
    return "national number without a country: write it as +<country code>... or pass a default country";
  }
  const where =
    parsed?.country ?? (parsed ? `+${parsed.countryCallingCode}` : international ? undefined : country);
  const input = text.startsWith("00") ? `+${text.slice(2)}` : text;
  switch (validatePhoneNumberLength(input, country)) {
    case "INVALID_COUNTRY":
      return "unknown country calling code";
    case "TOO_SHORT":
      return `too short for a phone number${where ? ` in ${where}` : ""}`;
    case "TOO_LONG":
      return `too long for a phone number${where ? ` in ${where}` : ""}`;
    default:
      return where ? `not a valid phone number for ${where}` : "not a valid phone number";
  }
}
