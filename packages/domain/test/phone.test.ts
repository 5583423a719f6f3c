import t from "tap";
import { getCountries, getExampleNumber } from "libphonenumber-js/max";
import examples from "libphonenumber-js/mobile/examples";
import metadata from "libphonenumber-js/max/metadata";
import { normalizePhone, normalizePhones } from "../src/index.js";
import { normalizePhoneFullParse } from "../src/phone.js";
import { E164_PATTERN, normalizeE164Fast } from "../src/phone-e164.js";

const ok = (identifier: string, country?: string) =>
  country ? { ok: true, identifier, country } : { ok: true, identifier };

t.test("national and international formats become E.164", async (t) => {
  const cases: Array<[string, string | undefined, string, string]> = [
    ["+31 (0)6 1234 5678", undefined, "+31612345678", "NL"],
    ["0031 6 12345678", undefined, "+31612345678", "NL"],
    ["0031 6 12345678", "NL", "+31612345678", "NL"],
    // The US dials 011 abroad; "00" still reads as international.
    ["0031 6 12345678", "US", "+31612345678", "NL"],
    ["0612345678", "NL", "+31612345678", "NL"],
    ["06-1234-5678", "NL", "+31612345678", "NL"],
    ["06.12.34.56.78", "FR", "+33612345678", "FR"],
    ["(415) 555-2671", "US", "+14155552671", "US"],
    ["415.555.2671", "US", "+14155552671", "US"],
    ["011 44 7400 123456", "US", "+447400123456", "GB"],
    ["+44 (0)20 7946 0958", undefined, "+442079460958", "GB"],
    ["+49 (0)30 123456", undefined, "+4930123456", "DE"],
    ["+41 (0)79 123 45 67", undefined, "+41791234567", "CH"],
    ["+31612345678", undefined, "+31612345678", "NL"],
    ["  +31612345678  ", undefined, "+31612345678", "NL"],
    ["+1 415 555 2671", undefined, "+14155552671", "US"],
    ["+34 612 34 56 78", undefined, "+34612345678", "ES"],
    ["0612345678", "nl", "+31612345678", "NL"],
    ["+31\u00a06\u00a012345678", undefined, "+31612345678", "NL"],
    ["+31 6 1234 5678", "FR", "+31612345678", "NL"],
  ];
  for (const [input, country, identifier, expectedCountry] of cases) {
    t.same(
      normalizePhone(input, country),
      ok(identifier, expectedCountry),
      `${JSON.stringify(input)} with ${country ?? "no default"}`,
    );
  }
});

t.test("rejects what is not a valid number, with a reason", async (t) => {
  const rejected: Array<[string, string | undefined, RegExp]> = [
    ["", undefined, /empty/],
    ["   ", undefined, /empty/],
    ["abc", undefined, /letters/],
    ["+31 6 1234 abc", undefined, /letters/],
    ["+1 800 FLOWERS", undefined, /letters/],
    ["06 1234 5678 ext. 12", "NL", /letters/],
    ["+31#612345678", undefined, /unexpected characters/],
    ["+3161234567", undefined, /not a valid phone number for NL/],
    ["+316123456789", undefined, /NL/],
    ["0612345678", undefined, /default country/],
    ["0612345678", "XX", /unknown default country/],
    ["+999123456789", undefined, /unknown country calling code/],
    ["+1 555 01", undefined, /./],
    ["12", "NL", /too few digits/],
    ["+12345", undefined, /./],
    ["+1 200 555 0123", undefined, /not a valid phone number/],
    ["061234567", "NL", /NL/],
    ["++31612345678", undefined, /./],
  ];
  for (const [input, country, reason] of rejected) {
    const result = normalizePhone(input, country);
    t.equal(result.ok, false, `${JSON.stringify(input)} rejected`);
    if (!result.ok) t.match(result.reason, reason, `${JSON.stringify(input)}: ${result.reason}`);
    // Reasons reach logs and dead-letter headers: never the number itself.
    const digits = input.replace(/\D/g, "");
    if (!result.ok && digits.length >= 6)
      t.notOk(
        result.reason.includes(digits),
        `${JSON.stringify(input)}: the reason does not repeat the number`,
      );
  }
});

t.test("canonical E.164 input", async (t) => {
  t.same(
    normalizePhone("+447400123456"),
    ok("+447400123456", "GB"),
    "shared calling code resolves the country",
  );
  t.same(normalizePhone("+14165550123"), ok("+14165550123", "CA"), "NANP country from the area code");
  t.same(
    normalizePhone("+310612345678"),
    ok("+31612345678", "NL"),
    "a national prefix after the calling code is dropped",
  );
  t.same(normalizePhone("+80012345678"), ok("+80012345678"), "non-geographic numbers have no country");
  t.equal(normalizePhone("+8001234").ok, false, "too short");
  t.equal(normalizePhone("+2901234567890").ok, false, "too long for the country");
});

t.test("batches keep order and report each failure", async (t) => {
  const results = normalizePhones(["0612345678", "nonsense", "+33612345678", "0612345678", ""], "NL");
  t.same(
    results.map((r) => (r.ok ? r.identifier : "invalid")),
    ["+31612345678", "invalid", "+33612345678", "+31612345678", "invalid"],
  );
  const unknown = normalizePhones(["0612345678"], "ZZ");
  t.equal(unknown[0]?.ok, false, "an unknown default country fails every item");
  t.same(normalizePhones([]), []);
});

/*
 * The E.164 fast path must give the full parse's answer for every number (TRAPS.md: correctness
 * beats speed). Numbers come from every country's example number, mutated, and from random
 * digits after every calling code, so shared calling codes (+1, +44, +7...) and national
 * prefixes are covered.
 */

// Deterministic so a failure can be reproduced.
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function digits(random: () => number, count: number): string {
  let out = "";
  for (let i = 0; i < count; i++) out += Math.floor(random() * 10).toString();
  return out;
}

function candidates(): string[] {
  const random = prng(20261126);
  const numbers = new Set<string>();
  for (const country of getCountries()) {
    const example = getExampleNumber(country, examples);
    if (!example) continue;
    const e164 = example.number;
    numbers.add(e164);
    numbers.add(e164.slice(0, -1));
    numbers.add(`${e164}5`);
    numbers.add(`+${example.countryCallingCode}0${example.nationalNumber}`);
    for (let i = 0; i < 12; i++) {
      const keep = e164.length - 1 - Math.floor(random() * 4);
      numbers.add(e164.slice(0, keep) + digits(random, e164.length - keep));
    }
  }
  for (const callingCode of Object.keys(metadata.country_calling_codes)) {
    for (let length = 4; length + callingCode.length <= 15; length++) {
      for (let i = 0; i < 6; i++) numbers.add(`+${callingCode}${digits(random, length)}`);
    }
  }
  for (let i = 0; i < 2000; i++)
    numbers.add(`+${1 + Math.floor(random() * 9)}${digits(random, 6 + Math.floor(random() * 9))}`);
  return [...numbers].filter((n) => E164_PATTERN.test(n));
}

t.test("fast path equals the full parse", async (t) => {
  const numbers = candidates();
  let fastAnswered = 0;
  let valid = 0;
  const mismatches: string[] = [];
  for (const number of numbers) {
    const full = normalizePhoneFullParse(number);
    const fast = normalizeE164Fast(number);
    if (full.ok) valid++;
    if (!fast) continue;
    fastAnswered++;
    const same =
      fast.ok === full.ok &&
      (!fast.ok || (full.ok && fast.identifier === full.identifier && fast.country === full.country));
    if (!same) mismatches.push(`${number}: fast ${JSON.stringify(fast)} full ${JSON.stringify(full)}`);
  }
  t.comment(
    `${numbers.length} numbers, ${valid} valid; the fast path answered ${fastAnswered}, the rest fell back`,
  );
  t.same(mismatches.slice(0, 20), [], "no number where the fast path and the full parse disagree");
  t.ok(fastAnswered / numbers.length > 0.8, "the fast path answers most canonical numbers");
});

t.test("speed (informational)", async (t) => {
  const sample = [
    "+31612345678",
    "+14155552671",
    "+447400123456",
    "+33612345678",
    "+4915123456789",
    "+34612345678",
  ];
  const measure = (fn: (s: string) => unknown, inputs: readonly string[]): number => {
    const rounds = 3000;
    for (let i = 0; i < 500; i++) fn(inputs[i % inputs.length] as string);
    const start = process.hrtime.bigint();
    for (let i = 0; i < rounds; i++) fn(inputs[i % inputs.length] as string);
    return Number(process.hrtime.bigint() - start) / rounds / 1000;
  };
  const fast = measure((s) => normalizePhone(s), sample);
  const full = measure((s) => normalizePhoneFullParse(s), sample);
  const national = measure(
    (s) => normalizePhone(s, "NL"),
    ["06 1234 5678", "+31 (0)6 1234 5678", "0031 6 12345678"],
  );
  t.comment(
    `E.164 fast path ${fast.toFixed(2)} µs, full parse ${full.toFixed(2)} µs, national formats ${national.toFixed(2)} µs per number`,
  );
  t.ok(fast > 0 && full > 0);
});
