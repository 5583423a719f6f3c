/**
 * The main language of a country, to pick the words of an opt-out footer and of the landing
 * page when nothing better is known. Multilingual countries get the language of the largest
 * group (BE: nl, CH: de, CA: en); the landing page lets the browser's Accept-Language win, so a
 * French-speaking Belgian still reads French there.
 */
// One line per language reads better than one line per country:
// prettier-ignore
const COUNTRY_LANGUAGE: Readonly<Record<string, string>> = Object.freeze({
  // nl
  NL: "nl", BE: "nl", SR: "nl", AW: "nl", CW: "nl", SX: "nl", BQ: "nl",
  // de
  DE: "de", AT: "de", CH: "de", LI: "de",
  // fr
  FR: "fr", LU: "fr", MC: "fr", RE: "fr", GP: "fr", MQ: "fr", GF: "fr", YT: "fr", PM: "fr", NC: "fr", PF: "fr",
  SN: "fr", CI: "fr", ML: "fr", BF: "fr", NE: "fr", TG: "fr", BJ: "fr", GA: "fr", CG: "fr", CD: "fr", MG: "fr", HT: "fr",
  // es
  ES: "es", MX: "es", AR: "es", CO: "es", CL: "es", PE: "es", VE: "es", EC: "es", GT: "es", CU: "es", BO: "es",
  DO: "es", HN: "es", PY: "es", SV: "es", NI: "es", CR: "es", PA: "es", UY: "es",
  // it
  IT: "it", SM: "it", VA: "it",
  // pt
  PT: "pt", BR: "pt", AO: "pt", MZ: "pt",
  // others with a language of their own
  DK: "da", SE: "sv", NO: "nb", FI: "fi", PL: "pl", CZ: "cs", SK: "sk", HU: "hu", RO: "ro", GR: "el", TR: "tr",
  // en
  GB: "en", IE: "en", US: "en", CA: "en", AU: "en", NZ: "en", ZA: "en", IN: "en", SG: "en", MT: "en",
});

/** ISO 639-1 code of the country's main language; undefined for a country not in the table. */
export function languageForCountry(country: string | undefined): string | undefined {
  if (!country) return undefined;
  const cc = country.toUpperCase();
  return Object.hasOwn(COUNTRY_LANGUAGE, cc) ? COUNTRY_LANGUAGE[cc] : undefined;
}
