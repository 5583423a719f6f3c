/**
 * Fast path for numbers that are already canonical E.164 (what most API callers send).
 *
 * libphonenumber-js spends a parse extracting a number from free text and builds its regular
 * expressions from strings on every call. For "+<digits>" the extraction is known in advance,
 * so this module precompiles each country's patterns from the same "max" metadata once and
 * applies the parser's own rules to them. It must give exactly the full parse's answer: when a
 * shortcut could diverge (the national number matches a national prefix pattern the parser
 * would rewrite, a non-geographic calling code, metadata it cannot read) it returns undefined
 * and the caller does the full parse. test/phone-fast-path.test.ts checks the equivalence on
 * every country's numbers.
 */
import { Metadata } from "libphonenumber-js/max";
import metadataJson from "libphonenumber-js/max/metadata";
import type { CountryCode } from "libphonenumber-js/max";
import { invalid } from "./normalize-result.js";
import type { NormalizeResult } from "./normalize-result.js";

export const E164_PATTERN = /^\+[1-9]\d{6,14}$/;

// The number types the parser tries, in its order (helpers/getNumberType.js).
const NUMBER_TYPES = [
  "FIXED_LINE",
  "MOBILE",
  "PREMIUM_RATE",
  "TOLL_FREE",
  "SHARED_COST",
  "VOIP",
  "PERSONAL_NUMBER",
  "PAGER",
  "UAN",
  "VOICEMAIL",
] as const;

interface CountryPlan {
  country: CountryCode;
  /** Set when several countries share the calling code and the plan names its own prefixes. */
  leadingDigits: RegExp | undefined;
  nationalPrefix: RegExp | undefined;
  isValid: (nationalNumber: string) => boolean;
}

interface CallingCodePlan {
  /** The parser's main country for the calling code comes first. */
  countries: CountryPlan[];
  minLength: number;
  maxLength: number;
  /** Non-geographic codes (+800, +882...) or metadata this module cannot read: full parse. */
  fullParseOnly: boolean;
}

// The parser's numbering plan exposes more than the published typings; read it defensively so
// that a library upgrade that renames a method sends numbers to the full parse instead of
// changing answers.
interface TypeInternals {
  pattern?: () => string | undefined;
  possibleLengths?: () => number[] | undefined;
}
interface PlanInternals {
  possibleLengths?: () => number[] | undefined;
  leadingDigits?: () => string | undefined;
  nationalPrefixForParsing?: () => string | undefined;
  nationalNumberPattern?: () => string | undefined;
  hasTypes?: () => boolean;
  type?: (name: string) => TypeInternals | undefined;
}

let plans: Map<string, CallingCodePlan> | undefined;

function buildPlans(): Map<string, CallingCodePlan> {
  const built = new Map<string, CallingCodePlan>();
  const byCallingCode: Record<string, string[]> = metadataJson.country_calling_codes;
  for (const [callingCode, countries] of Object.entries(byCallingCode)) {
    built.set(callingCode, planFor(countries));
  }
  for (const callingCode of Object.keys(metadataJson.nonGeographic ?? {})) {
    if (!built.has(callingCode)) {
      built.set(callingCode, { countries: [], minLength: 0, maxLength: Infinity, fullParseOnly: true });
    }
  }
  return built;
}

function planFor(countries: readonly string[]): CallingCodePlan {
  const result: CallingCodePlan = { countries: [], minLength: Infinity, maxLength: 0, fullParseOnly: false };
  for (const country of countries) {
    const plan = country === "001" ? undefined : readPlan(country as CountryCode);
    if (!plan) {
      // One unreadable country could change which country wins: give up on the whole code.
      return { countries: [], minLength: 0, maxLength: Infinity, fullParseOnly: true };
    }
    result.countries.push(plan.country);
    result.minLength = Math.min(result.minLength, ...plan.lengths);
    result.maxLength = Math.max(result.maxLength, ...plan.lengths);
  }
  if (result.countries.length === 0) result.fullParseOnly = true;
  return result;
}

function readPlan(country: CountryCode): { country: CountryPlan; lengths: number[] } | undefined {
  const metadata = new Metadata();
  metadata.selectNumberingPlan(country);
  const plan = metadata.numberingPlan as unknown as PlanInternals | undefined;
  if (!plan || typeof plan.nationalPrefixForParsing !== "function" || typeof plan.hasTypes !== "function")
    return undefined;
  const lengths = plan.possibleLengths?.();
  const general = plan.nationalNumberPattern?.();
  if (!lengths || lengths.length === 0 || !general) return undefined;

  const generalPattern = entire(general);
  let isValid: (nationalNumber: string) => boolean;
  if (plan.hasTypes()) {
    if (typeof plan.type !== "function") return undefined;
    const types: Array<{ lengths: ReadonlySet<number> | undefined; pattern: RegExp }> = [];
    for (const name of NUMBER_TYPES) {
      const type = plan.type(name);
      const pattern = type?.pattern?.();
      // A type without a pattern never matches (helpers/getNumberType.js, isNumberTypeEqualTo).
      if (!type || !pattern) continue;
      const typeLengths = type.possibleLengths?.();
      types.push({ lengths: typeLengths ? new Set(typeLengths) : undefined, pattern: entire(pattern) });
    }
    isValid = (n) =>
      generalPattern.test(n) &&
      types.some((type) => (!type.lengths || type.lengths.has(n.length)) && type.pattern.test(n));
  } else {
    isValid = (n) => generalPattern.test(n);
  }
  const leading = plan.leadingDigits?.();
  const prefix = plan.nationalPrefixForParsing();
  return {
    country: {
      country,
      leadingDigits: leading ? new RegExp(`^(?:${leading})`) : undefined,
      nationalPrefix: prefix ? new RegExp(`^(?:${prefix})`) : undefined,
      isValid,
    },
    lengths,
  };
}

function entire(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

/**
 * Validates a canonical E.164 number. Returns undefined when only the full parse can answer.
 * The caller must have checked E164_PATTERN.
 */
export function normalizeE164Fast(e164: string): NormalizeResult | undefined {
  plans ??= buildPlans();
  let plan: CallingCodePlan | undefined;
  let callingCodeLength = 1;
  // Calling codes are prefix-free, so the first hit is the only one (as in the parser).
  for (; callingCodeLength <= 3; callingCodeLength++) {
    plan = plans.get(e164.slice(1, 1 + callingCodeLength));
    if (plan) break;
  }
  // The reason reaches logs and dead-letter headers: it names the problem, never the number.
  if (!plan) return invalid("unknown country calling code");
  if (plan.fullParseOnly) return undefined;

  const callingCode = e164.slice(1, 1 + callingCodeLength);
  const nationalNumber = e164.slice(1 + callingCodeLength);
  for (const c of plan.countries) {
    // The parser rewrites numbers that match a national prefix pattern: it strips "+31 06..."
    // to "+31 6...", and some plans even lengthen short local numbers (+261 5484982 becomes
    // +261 20 5484982). Leave those to it.
    if (c.nationalPrefix?.test(nationalNumber)) return undefined;
  }
  if (nationalNumber.length < plan.minLength) return invalid(`too short for +${callingCode}`);
  if (nationalNumber.length > plan.maxLength) return invalid(`too long for +${callingCode}`);

  const chosen = countryOf(plan, nationalNumber);
  // Without a country the parser validates against the calling code's main country.
  const validator = chosen ?? plan.countries[0];
  if (!validator?.isValid(nationalNumber)) {
    return invalid(`not a valid phone number for ${chosen?.country ?? `+${callingCode}`}`);
  }
  return chosen ? { ok: true, identifier: e164, country: chosen.country } : { ok: true, identifier: e164 };
}

// The parser's choice among countries sharing a calling code (+1, +44, +7...): the first
// country whose leading digits match or, for one without leading digits, whose number types
// match (helpers/getCountryByNationalNumber.js).
function countryOf(plan: CallingCodePlan, nationalNumber: string): CountryPlan | undefined {
  if (plan.countries.length === 1) return plan.countries[0];
  for (const c of plan.countries) {
    if (c.leadingDigits ? c.leadingDigits.test(nationalNumber) : c.isValid(nationalNumber)) return c;
  }
  return undefined;
}
