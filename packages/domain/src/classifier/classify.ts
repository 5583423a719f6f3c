/**
 * Turns an inbound SMS into opt_out / opt_in / help / ignored, following
 * shared/spec/keywords.md: (1) the whole message is a keyword, (2) a keyword with only
 * qualifiers around it, (3) a free-text revocation (unless the account chose strict mode);
 * opt-out wins over opt-in, an empty message is ignored.
 *
 * `createClassifier` does all table work once; the returned function is called per message and
 * only normalizes, looks up and runs one precompiled regex, in a few microseconds.
 */
import { normalizeText } from "./normalize-text.js";
import { KEYWORD_LANGUAGE_HINTS } from "./keywords.js";
import {
  MAX_FREE_TEXT_LENGTH,
  matchFreeTextRevocation,
  matchHelpRequest,
  matchOptInRequest,
  wantsMessages,
} from "./free-text.js";
import { bestMeaning, brandTokens, buildVocabulary, scan } from "./vocabulary.js";
import { isWrittenBrandName, mayBeUnknownBrand, mayBeUnknownName } from "./unknown-name.js";
import type { KeywordMeaning, Vocabulary } from "./vocabulary.js";
import type {
  ClassifierOptions,
  MatchRule,
  MessageContext,
  SmsClassification,
  SmsClassifier,
} from "./types.js";

export type {
  SmsAction,
  MatchRule,
  SmsClassification,
  ClassifierOptions,
  MessageContext,
  SmsClassifier,
} from "./types.js";

const IGNORED: SmsClassification = Object.freeze({ action: "ignored" });
const SEGMENT_SEPARATORS = /[.!?;,:\n\r…]+|\s[-–—]+\s/;
// Words after a leading "STOP" that show the everyday sense: "STOP SIGN", "stop by".
const EVERYDAY_STOP_FOLLOWERS = new Set([
  "by",
  "at",
  "in",
  "on",
  "over",
  "off",
  "sign",
  "signs",
  "light",
  "lights",
  "loss",
  "motion",
  "watch",
  "and",
  "or",
  "the",
  "a",
  "an",
  "here",
  "there",
  "for",
  "to",
  "when",
  "if",
  "what",
  "where",
  "is",
  "was",
  "button",
]);
const UPPER_CASE_WORD = /^[\p{Lu}]{4,}$/u;
// "Stop, I meant the blue one", "Stopp, ich meine den Termin am Freitag", "Stop! That's a great
// price": the keyword is an interjection before a correction (past or present tense, not "I mean
// it") or an exclamation, not a request.
const INTERJECTION_CONTEXT =
  /\b(?:i meant|i mean (?!it\b)|ich meine (?!(?:es|das)\b)|ik bedoel (?!het\b)|je veux dire|quiero decir|quero dizer|voglio dire|jag menar (?!(?:det|allvar)\b)|jeg mener (?!(?:det|alvor)\b)|mam na mysli|chodzi mi o|ich meinte|just kidding|im kidding|i m kidding|im joking|just joking|ich mach nur spass|war nur spass|je rigole|je plaisante|cest genial|c est genial|ik maak een grapje|grapje|es broma|estoy bromeando|e brincadeira|to brincando|estou brincando|sto scherzando|scherzo|jag skamtar|bara skamt|jeg tuller|bare tull|jeg laver sjov|bare for sjov|zartuje|tylko zartuje|je voulais dire|ik bedoelde|quise decir|quis dizer|intendevo|volevo dire|jag menade|jeg mente|mialem na mysli|mialam na mysli|chodzilo mi|thats a (?:great|good|crazy|insane|amazing) (?:price|deal)|what a (?:great |good )?(?:deal|price|offer)|wat een (?:goede |mooie |toffe )?(?:deal|prijs|aanbieding)|super gunstig|so billig|was fur ein (?:angebot|preis)|tolles angebot|trop bien|quel(?:le)? (?:offre|prix)|que buena oferta|que buen precio|que barato|que promocao|que preco|che offerta|che prezzo|vilket bra (?:pris|erbjudande)|for et godt tilbud|sikke et godt tilbud|co za (?:swietna |super )?(?:cena|oferta|promocja)|(?:falsche|wrong|verkeerde|mauvaise|equivocad[oa]|errad[oa]|sbagliat[oa]|fel|feil|forkert|zly|zla)(?: \w+)? (?:farbe|color|colour|size|grosse|maat|kleur|taille|couleur|talla|tamanho|cor|taglia|colore|storlek|farg|storrelse|farge|farve|rozmiar|kolor|adresse|address|adres|item|artikel|product|produkt))\b/;

// "Stopp, ich kann nicht mehr vor Lachen 😂", "Arrête, je suis mort de rire": a keyword said
// while laughing is an interjection ("stop it, you're killing me"), not a request. Laughter in
// words of the 11 languages, or laughing emoji in the raw text.
const LAUGHTER =
  /\b(?:lol|lmao|lmfao|rofl|haha\w*|hehe\w*|ahah\w*|jaja\w*|jeje\w*|kkkk\w*|rsrs\w*|hihi\w*|xd|mdr|ptdr|laugh\w*|cracking up|dying|im dead|lach\w*|deuk|gier\w*|rire|rigole|mort de rire|risa|carcajada|rir|rindo|ridere|rido|ridendo|skratt\w*|garv\w*|latter|ler meg|flir\w*|grin|griner|smiech\w*|smieje|smiac)\b/;
const LAUGHING_EMOJI = /[\u{1F602}\u{1F923}\u{1F606}\u{1F605}\u{1F639}\u{1F601}]/u;

export function createClassifier(options: ClassifierOptions = {}): SmsClassifier {
  const freeText = options.freeText ?? true;
  const vocabulary = buildVocabulary(options);
  const brandCache = new Map<string, string[][]>();

  return function classify(text: string, context?: MessageContext): SmsClassification {
    if (typeof text !== "string") return IGNORED;
    const normalized = normalizeText(text);
    if (normalized === "") return IGNORED;

    // Rule 1: the whole message is a keyword.
    const exact = vocabulary.phrases.get(normalized);
    const meaning = exact?.keywords.find((k) => !k.freeTextOnly);
    if (meaning) return keywordResult(meaning, "keyword", undefined);

    // Rule 2: keywords and qualifiers only.
    const tokens = normalized.split(" ");
    const brands = context?.brandNames ? brandTokens(context.brandNames, brandCache) : undefined;
    const toDigits = context?.to ? context.to.replace(/\D/g, "").replace(/^0+/, "") : undefined;
    const qualified = scan(tokens, vocabulary, brands, toDigits, false);
    if (qualified) {
      const best = bestMeaning(qualified.keywords);
      return keywordResult(best, "keyword_qualified", qualified.qualifierLanguages);
    }
    // Rule 2 with a brand the account never configured ("STOP Walgreens", "Zalando afmelden").
    const named =
      unknownNameResult(text, tokens, vocabulary, brands, toDigits) ??
      // "STOP H&M", "bol.com afmelden": a name written with punctuation inside is one word.
      (INNER_PUNCTUATION.test(text)
        ? unknownNameResult(text, wordsAsTyped(text), vocabulary, brands, toDigits)
        : undefined);
    if (named) return named;
    // Rule 2 with a name written as one that has common nouns in it ("Pharmacie du Centre STOP").
    const written = writtenNameResult(text, tokens, vocabulary);
    if (written) return written;

    // Rule 3: free text, for short messages only.
    if (!freeText || codePointLength(text.trim()) > MAX_FREE_TEXT_LENGTH) return IGNORED;
    return classifyFreeText(text, normalized, tokens, vocabulary, brands, toDigits);
  };
}

/** The classifier settings an account stores (`freeTextOptOut`, `keywords`). */
export interface AccountClassifierSettings {
  freeTextOptOut?: boolean;
  keywords?: ClassifierOptions["extraKeywords"];
}

/** The options an account's settings give, as the SMS worker and the CLI build them. */
export function accountClassifierOptions(settings: AccountClassifierSettings): ClassifierOptions {
  return {
    freeText: settings.freeTextOptOut !== false,
    ...(settings.keywords ? { extraKeywords: settings.keywords } : {}),
  };
}

const INNER_PUNCTUATION = /[\p{L}\p{N}][^\p{L}\p{N}\s]+[\p{L}\p{N}]/u;

/** The message split at white space only, each word normalized and closed up ("bol.com" = "bolcom"). */
function wordsAsTyped(text: string): string[] {
  return text
    .trim()
    .split(/\s+/)
    .map((word) => normalizeText(word).replaceAll(" ", ""))
    .filter((word) => word !== "");
}

function unknownNameResult(
  rawText: string,
  tokens: readonly string[],
  vocabulary: Vocabulary,
  brands: string[][] | undefined,
  toDigits: string | undefined,
): SmsClassification | undefined {
  const named = scan(tokens, vocabulary, brands, toDigits, false, true);
  if (
    named?.unknownName === undefined ||
    !mayBeUnknownBrand(rawText, tokens, named.unknownName, named.unknownNameLength ?? 1, named.keywords)
  )
    return undefined;
  const optOut = named.keywords.find((k) => k.action === "opt_out") as KeywordMeaning;
  return keywordResult(optOut, "keyword_qualified", named.qualifierLanguages);
}

/** The keyword first or last and the rest a brand written as a name (`isWrittenBrandName`). */
function writtenNameResult(
  rawText: string,
  tokens: readonly string[],
  vocabulary: Vocabulary,
): SmsClassification | undefined {
  if (tokens.length < 3) return undefined;
  const isVocabularyWord = (word: string): boolean => vocabulary.phrases.has(word);
  const ends: ReadonlyArray<readonly [string, readonly string[]]> = [
    [tokens[0] as string, tokens.slice(1)],
    [tokens[tokens.length - 1] as string, tokens.slice(0, -1)],
  ];
  for (const [keyword, name] of ends) {
    const optOut = vocabulary.phrases
      .get(keyword)
      ?.keywords.find((k) => k.action === "opt_out" && !k.freeTextOnly);
    if (optOut && isWrittenBrandName(rawText, name, isVocabularyWord))
      return keywordResult(optOut, "keyword_qualified", undefined);
  }
  return undefined;
}

const defaultClassifier = createClassifier();
// Building a classifier costs about a millisecond; callers that pass the same options object
// (an account's settings) get the compiled one back.
const classifiersByOptions = new WeakMap<ClassifierOptions, SmsClassifier>();

/** Classifies one message; prefer `createClassifier` once per account for repeated use. */
export function classifySms(
  text: string,
  options?: ClassifierOptions,
  context?: MessageContext,
): SmsClassification {
  if (!options) return defaultClassifier(text, context);
  let classifier = classifiersByOptions.get(options);
  if (!classifier) {
    classifier = createClassifier(options);
    classifiersByOptions.set(options, classifier);
  }
  return classifier(text, context);
}

/** The reason stored with an opt-out event: "keyword:STOP", "free_text:remove me from your list". */
export function classificationReason(c: SmsClassification): string | undefined {
  if (c.action === "ignored" || !c.rule || c.match === undefined) return undefined;
  return `${c.rule}:${c.match}`;
}

function classifyFreeText(
  raw: string,
  normalized: string,
  tokens: readonly string[],
  vocabulary: Vocabulary,
  brands: string[][] | undefined,
  toDigits: string | undefined,
): SmsClassification {
  const hasKeyword = tokens.some((token) => vocabulary.keywordWords.has(token));
  const laughing = LAUGHTER.test(normalized) || LAUGHING_EMOJI.test(raw);
  if (!wantsMessages(normalized)) {
    // An opt-out keyword wrapped in thanks or greetings: "ok stop", "STOP thank you".
    const polite = hasKeyword ? politeRevocation(tokens, vocabulary, brands, toDigits) : undefined;
    if (polite) return freeTextResult(normalized, polite);

    // A sentence of its own that is an opt-out keyword: "Stop. I never signed up for this".
    if (hasKeyword && !laughing && SEGMENT_SEPARATORS.test(raw) && !INTERJECTION_CONTEXT.test(normalized)) {
      for (const segment of raw.split(SEGMENT_SEPARATORS)) {
        const segmentText = normalizeText(segment);
        if (segmentText === "" || segmentText === normalized) continue;
        const inSegment = politeRevocation(segmentText.split(" "), vocabulary, brands, toDigits);
        if (inSegment) return freeTextResult(segmentText, inSegment);
      }
    }

    const phrase = matchFreeTextRevocation(normalized);
    // While laughing, only a phrase about the messages counts, not a bare "hör auf".
    if (phrase && !(laughing && vocabulary.phrases.has(phrase.phrase)))
      return { action: "opt_out", rule: "free_text", match: phrase.phrase, language: phrase.language };

    // "STOP who is this": a keyword typed in capitals, then something else.
    const lead = hasKeyword && !laughing ? leadingKeyword(raw, tokens, vocabulary) : undefined;
    if (lead) return freeTextResult(normalized, { keyword: lead, qualifierLanguages: new Set() });
  }
  const optIn = matchOptInRequest(normalized);
  if (optIn) return { action: "opt_in", rule: "free_text", match: optIn };
  const help =
    matchHelpRequest(normalized) ??
    (hasKeyword ? helpSentence(raw, normalized, vocabulary, brands, toDigits) : undefined);
  if (help) return { action: "help", rule: "free_text", match: help };
  return IGNORED;
}

// A sentence of its own that is a help keyword: "What is this? HELP".
function helpSentence(
  raw: string,
  normalized: string,
  vocabulary: Vocabulary,
  brands: string[][] | undefined,
  toDigits: string | undefined,
): string | undefined {
  if (!SEGMENT_SEPARATORS.test(raw)) return undefined;
  for (const segment of raw.split(SEGMENT_SEPARATORS)) {
    const segmentText = normalizeText(segment);
    if (segmentText === "" || segmentText === normalized) continue;
    const found = scan(segmentText.split(" "), vocabulary, brands, toDigits, false);
    if (found && found.keywords.every((k) => k.action === "help")) return segmentText;
  }
  return undefined;
}

function freeTextResult(
  phrase: string,
  found: { keyword: KeywordMeaning; qualifierLanguages: ReadonlySet<string> },
): SmsClassification {
  return {
    action: "opt_out",
    rule: "free_text",
    match: phrase,
    ...languageOf(found.keyword, found.qualifierLanguages),
  };
}

/** An unambiguous opt-out keyword with only qualifiers and fillers around it. */
function politeRevocation(
  tokens: readonly string[],
  vocabulary: Vocabulary,
  brands: string[][] | undefined,
  toDigits: string | undefined,
): { keyword: KeywordMeaning; qualifierLanguages: ReadonlySet<string> } | undefined {
  const result = scan(tokens, vocabulary, brands, toDigits, true);
  const keyword = result?.keywords.find((k) => k.action === "opt_out" && k.unambiguous);
  return result && keyword ? { keyword, qualifierLanguages: result.qualifierLanguages } : undefined;
}

function leadingKeyword(
  raw: string,
  tokens: readonly string[],
  vocabulary: Vocabulary,
): KeywordMeaning | undefined {
  const [first, second] = tokens;
  if (first === undefined || second === undefined) return undefined;
  const meaning = vocabulary.phrases.get(first)?.keywords[0];
  if (!meaning || meaning.action !== "opt_out" || !meaning.unambiguous) return undefined;
  if (EVERYDAY_STOP_FOLLOWERS.has(second) || second.endsWith("ing")) return undefined;
  // Two words, the keyword first: the carriers' rule (the message starts with the keyword) opts
  // out; the second word is a brand, a name, a campaign code we do not know ("stop acme",
  // "Stop Jenny"). The everyday senses ("stop by", "stop sign", "stop looking") are left above.
  if (tokens.length === 2) return mayBeUnknownName(tokens, 1, [meaning]) ? meaning : undefined;
  // Longer: capitals mark the keyword ("STOP who is this").
  const [firstWord = ""] = raw
    .trim()
    .replace(/^[^\p{L}]+/u, "")
    .split(/[^\p{L}\p{N}]+/u);
  return UPPER_CASE_WORD.test(firstWord) ? meaning : undefined;
}

function keywordResult(
  meaning: KeywordMeaning,
  rule: MatchRule,
  qualifierLanguages: ReadonlySet<string> | undefined,
): SmsClassification {
  return { action: meaning.action, rule, match: meaning.keyword, ...languageOf(meaning, qualifierLanguages) };
}

function languageOf(
  meaning: KeywordMeaning,
  qualifierLanguages: ReadonlySet<string> | undefined,
): { language?: string } {
  if (meaning.languages.length === 1) return { language: meaning.languages[0] as string };
  const hint = KEYWORD_LANGUAGE_HINTS[meaning.keyword];
  if (hint) return { language: hint };
  // "STOP bitte" is German even though STOP is not.
  if (qualifierLanguages && qualifierLanguages.size > 0) {
    const shared = meaning.languages.filter((language) => qualifierLanguages.has(language));
    if (shared.length === 1) return { language: shared[0] as string };
  }
  return {};
}

function codePointLength(text: string): number {
  if (text.length <= MAX_FREE_TEXT_LENGTH) return text.length;
  let count = 0;
  for (const _ of text) count++;
  return count;
}
