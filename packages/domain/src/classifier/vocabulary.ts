/**
 * The classifier's precompiled vocabulary (keywords, qualifiers, fillers and short-code
 * connectors, all normalized) and the token scan behind rules 1 and 2.
 */
import { normalizeText } from "./normalize-text.js";
import {
  AMBIGUOUS_OPT_OUT_KEYWORDS,
  FILLERS,
  FREE_TEXT_OPT_OUT_WORDS,
  HELP_KEYWORDS,
  OPT_IN_KEYWORDS,
  OPT_OUT_KEYWORDS,
  QUALIFIERS,
  SHORT_CODE_CONNECTORS,
} from "./keywords.js";
import type { KeywordTable } from "./keywords.js";
import type { ClassifierOptions, KeywordAction } from "./types.js";

// Rule 4, extended to help: a message that asks to stop is honoured whatever else it says.
export const ACTION_PRIORITY: readonly KeywordAction[] = ["opt_out", "opt_in", "help"];

export interface KeywordMeaning {
  action: KeywordAction;
  keyword: string;
  languages: readonly string[];
  /** May open a longer sentence as a revocation ("STOP I never signed up"). */
  unambiguous: boolean;
  /** Not a spec keyword: counts in free-text mode only (FREE_TEXT_OPT_OUT_WORDS). */
  freeTextOnly: boolean;
}

interface PhraseInfo {
  /** At most one meaning per action, in ACTION_PRIORITY order. */
  keywords: KeywordMeaning[];
  qualifierLanguages: readonly string[] | undefined;
  filler: boolean;
  connector: boolean;
}

export interface Vocabulary {
  phrases: Map<string, PhraseInfo>;
  longestPhrase: number;
  /** Every word of every keyword: a message with none of them skips the keyword-based checks. */
  keywordWords: Set<string>;
}

export interface ScanResult {
  keywords: KeywordMeaning[];
  qualifierLanguages: Set<string>;
  /** Index of the first token of the one run that is none of the above (see `allowUnknownName`). */
  unknownName?: number;
  /** How many tokens that run has: 1, or up to MAX_UNKNOWN_NAME_WORDS ("Uber Eats", "Clas Ohlson"). */
  unknownNameLength?: number;
}

/** The longest brand of unknown words rule 2 reads ("Albert Heijn", "Marks and Spencer" is not one). */
export const MAX_UNKNOWN_NAME_WORDS = 3;

const DIGITS = /^\d+$/;
// A campaign code: a short token with a digit ("C42", "PROMO2026", "2026").
const CAMPAIGN_CODE = /^(?=[a-z]*\d)[a-z0-9]{2,12}$/;
const MAX_BRAND_CACHE_ENTRIES = 1000;

/**
 * Reads the tokens as keywords, qualifiers (and, for rule 3, fillers). Undefined when any token
 * is something else or there is no keyword. With `allowUnknownName`, one run of up to
 * MAX_UNKNOWN_NAME_WORDS adjacent tokens that are not in the vocabulary at all is let through
 * and reported as `unknownName`/`unknownNameLength` (a brand or name the account never
 * configured: the caller decides whether it may stand there).
 */
export function scan(
  tokens: readonly string[],
  vocabulary: Vocabulary,
  brands: string[][] | undefined,
  toDigits: string | undefined,
  allowFillers: boolean,
  allowUnknownName = false,
): ScanResult | undefined {
  const keywords: KeywordMeaning[] = [];
  const qualifierLanguages = new Set<string>();
  let unknownName: number | undefined;
  let unknownNameLength = 0;
  let i = 0;
  outer: while (i < tokens.length) {
    const token = tokens[i] as string;
    for (let length = Math.min(vocabulary.longestPhrase, tokens.length - i); length >= 1; length--) {
      const key = length === 1 ? token : tokens.slice(i, i + length).join(" ");
      const info = vocabulary.phrases.get(key);
      if (!info) continue;
      const counted = allowFillers ? info.keywords : info.keywords.filter((k) => !k.freeTextOnly);
      if (counted.length > 0) {
        keywords.push(...counted);
      } else if (info.qualifierLanguages) {
        for (const language of info.qualifierLanguages) qualifierLanguages.add(language);
      } else if (info.filler && allowFillers) {
        // accepted, says nothing about the language
      } else if (info.connector && DIGITS.test(tokens[i + length] ?? "")) {
        // "STOP au 36111": the number follows
      } else {
        continue;
      }
      i += length;
      continue outer;
    }
    if (brands) {
      const brandLength = matchBrand(tokens, i, brands);
      if (brandLength > 0) {
        i += brandLength;
        continue;
      }
    }
    if (DIGITS.test(token)) {
      // "+1 (555) 123-4567" arrives as several digit tokens: read the run as one number.
      let end = i + 1;
      while (end < tokens.length && DIGITS.test(tokens[end] as string)) end++;
      const digits = tokens.slice(i, end).join("");
      if (isNumberQualifier(digits, toDigits)) {
        i = end;
        continue;
      }
      return undefined;
    }
    if (CAMPAIGN_CODE.test(token)) {
      i++;
      continue;
    }
    if (allowUnknownName && !vocabulary.phrases.has(token)) {
      if (unknownName === undefined) {
        unknownName = i;
        unknownNameLength = 1;
        i++;
        continue;
      }
      // The next word of the same name: "Uber Eats", "Albert Heijn".
      if (unknownName + unknownNameLength === i && unknownNameLength < MAX_UNKNOWN_NAME_WORDS) {
        unknownNameLength++;
        i++;
        continue;
      }
    }
    return undefined;
  }
  if (keywords.length === 0) return undefined;
  return unknownName === undefined
    ? { keywords, qualifierLanguages }
    : { keywords, qualifierLanguages, unknownName, unknownNameLength };
}

// The short code or number the message went to, or any other short code or phone number
// (people quote the short code from the ad, or their own number): both mean "this program".
function isNumberQualifier(digits: string, toDigits: string | undefined): boolean {
  const significant = digits.replace(/^0+/, "");
  if (
    toDigits &&
    significant !== "" &&
    (toDigits === significant || (significant.length >= 6 && toDigits.endsWith(significant)))
  ) {
    return true;
  }
  return digits.length >= 2 && digits.length <= 15;
}

function matchBrand(tokens: readonly string[], start: number, brands: string[][]): number {
  for (const brand of brands) {
    if (brand.length === 0 || start + brand.length > tokens.length) continue;
    let same = true;
    for (let k = 0; k < brand.length && same; k++) same = tokens[start + k] === brand[k];
    if (same) return brand.length;
  }
  return 0;
}

export function brandTokens(names: readonly string[], cache: Map<string, string[][]>): string[][] {
  const key = names.join("\u0000");
  let cached = cache.get(key);
  if (!cached) {
    cached = [];
    for (const name of names) {
      const normalized = normalizeText(name);
      if (normalized === "") continue;
      cached.push(normalized.split(" "));
      // "ACME Shoes" is also typed "acmeshoes".
      if (normalized.includes(" ")) cached.push([normalized.replaceAll(" ", "")]);
    }
    cached.sort((a, b) => b.length - a.length);
    if (cache.size >= MAX_BRAND_CACHE_ENTRIES) cache.clear();
    cache.set(key, cached);
  }
  return cached;
}

export function bestMeaning(meanings: readonly KeywordMeaning[]): KeywordMeaning {
  for (const action of ACTION_PRIORITY) {
    const found = meanings.find((m) => m.action === action);
    if (found) return found;
  }
  return meanings[0] as KeywordMeaning;
}

export function buildVocabulary(options: ClassifierOptions): Vocabulary {
  const phrases = new Map<string, PhraseInfo>();
  const entry = (key: string): PhraseInfo => {
    let info = phrases.get(key);
    if (!info) {
      info = { keywords: [], qualifierLanguages: undefined, filler: false, connector: false };
      phrases.set(key, info);
    }
    return info;
  };
  const addKeywords = (
    table: KeywordTable,
    action: KeywordAction,
    extra: boolean,
    freeTextOnly = false,
  ): void => {
    for (const [language, words] of Object.entries(table)) {
      for (const word of words) {
        const key = normalizeText(word);
        if (key === "") continue;
        const info = entry(key);
        const existing = info.keywords.find((k) => k.action === action && k.freeTextOnly === freeTextOnly);
        if (existing) {
          if (!existing.languages.includes(language)) existing.languages = [...existing.languages, language];
          continue;
        }
        const keyword = key.toUpperCase();
        // Account keywords are deliberate choices, so they count as unambiguous.
        const unambiguous = extra || !AMBIGUOUS_OPT_OUT_KEYWORDS.has(keyword);
        info.keywords.push({ action, keyword, languages: [language], unambiguous, freeTextOnly });
        info.keywords.sort((a, b) => ACTION_PRIORITY.indexOf(a.action) - ACTION_PRIORITY.indexOf(b.action));
      }
    }
  };
  addKeywords(OPT_OUT_KEYWORDS, "opt_out", false);
  addKeywords(OPT_IN_KEYWORDS, "opt_in", false);
  addKeywords(HELP_KEYWORDS, "help", false);
  addKeywords(FREE_TEXT_OPT_OUT_WORDS, "opt_out", false, true);
  const extra = options.extraKeywords;
  if (extra?.optOut) addKeywords(extra.optOut, "opt_out", true);
  if (extra?.optIn) addKeywords(extra.optIn, "opt_in", true);
  if (extra?.help) addKeywords(extra.help, "help", true);

  for (const [language, words] of Object.entries(QUALIFIERS)) {
    for (const word of words) {
      const info = entry(normalizeText(word));
      info.qualifierLanguages = [...(info.qualifierLanguages ?? []), language];
    }
  }
  for (const words of Object.values(FILLERS))
    for (const word of words) entry(normalizeText(word)).filler = true;
  for (const words of Object.values(SHORT_CODE_CONNECTORS))
    for (const word of words) entry(normalizeText(word)).connector = true;

  let longestPhrase = 1;
  const keywordWords = new Set<string>();
  for (const [key, info] of phrases) {
    const words = key.split(" ");
    longestPhrase = Math.max(longestPhrase, words.length);
    if (info.keywords.length > 0) for (const word of words) keywordWords.add(word);
  }
  return { phrases, longestPhrase, keywordWords };
}
