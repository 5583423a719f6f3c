/**
 * The one text form every keyword, qualifier and phrase is matched in: lower case, no
 * diacritics (ARRÊT = arret, REZYGNUJĘ = rezygnuje), apostrophes joined ("don't" = "dont",
 * "sms'en" = "smsen", as people type them without one anyway), every other punctuation mark
 * and emoji turned into a single space, letters repeated three or more times collapsed
 * ("STOPPPP" = "stop"; no word of the tables has a tripled letter), trimmed. The keyword
 * tables are normalized the same way, so "OPT-OUT" and "opt out" meet.
 *
 * It runs on every inbound message, so it is one pass over the characters with each
 * character's fold computed once and cached; normalizeTextSlow is the reference it must equal.
 */

// Letters that are not a base letter plus combining marks, so NFKD leaves them alone.
const LETTER_FOLDS: Readonly<Record<string, string>> = {
  ł: "l",
  ß: "ss",
  ø: "o",
  æ: "ae",
  œ: "oe",
  đ: "d",
  ð: "d",
  þ: "th",
  ı: "i",
  ħ: "h",
  ŧ: "t",
  ŀ: "l",
};
const LETTER_FOLD_PATTERN = /[łßøæœđðþıħŧŀ]/g;
const APOSTROPHES = /['’‘ʼ`´]/g;
const COMBINING_MARKS = /\p{M}/gu;
const NON_WORD = /[^\p{L}\p{N}]+/gu;
const ELONGATED = /(\p{L})\1{2,}/gu;
const SPACE = 32; // distance from "A" to "a"

/** The reference implementation; the fast path must agree with it (see the tests). */
export function normalizeTextSlow(input: string): string {
  return input
    .replace(APOSTROPHES, "")
    .normalize("NFKD") // also folds full-width and ligature forms
    .toLowerCase()
    .replace(COMBINING_MARKS, "")
    .replace(LETTER_FOLD_PATTERN, (letter) => LETTER_FOLDS[letter] ?? letter)
    .replace(NON_WORD, " ")
    .replace(ELONGATED, "$1")
    .trim();
}

// Each code point folds on its own (NFKD, case and marks are per character), so the fold of
// every character seen is cached: "" (dropped: apostrophes, marks), " " (a separator) or its
// letters and digits. Upper-case sigma is the exception (final ς depends on the next letter).
const bmpFolds: (string | undefined)[] = new Array<string | undefined>(0x10000);
const astralFolds = new Map<number, string>();
const CAPITAL_SIGMA = 0x3a3;

function foldOf(codePoint: number): string {
  const cached = codePoint < 0x10000 ? bmpFolds[codePoint] : astralFolds.get(codePoint);
  if (cached !== undefined) return cached;
  const char = String.fromCodePoint(codePoint);
  const folded = APOSTROPHES.test(char)
    ? ""
    : char
        .normalize("NFKD")
        .toLowerCase()
        .replace(COMBINING_MARKS, "")
        .replace(LETTER_FOLD_PATTERN, (letter) => LETTER_FOLDS[letter] ?? letter)
        .replace(NON_WORD, " ");
  APOSTROPHES.lastIndex = 0;
  if (codePoint < 0x10000) bmpFolds[codePoint] = folded;
  else astralFolds.set(codePoint, folded);
  return folded;
}

export function normalizeText(input: string): string {
  let out = "";
  let pendingSpace = false;
  let elongated = false;
  for (let i = 0; i < input.length; i++) {
    let code = input.charCodeAt(i);
    let folded: string;
    if (code >= 0x61 && code <= 0x7a) {
      folded = input[i] as string; // a-z, the common case
    } else if (code >= 0x41 && code <= 0x5a) {
      folded = String.fromCharCode(code + SPACE);
    } else {
      if (code >= 0xd800 && code <= 0xdbff) {
        code = input.codePointAt(i) ?? code;
        if (code > 0xffff) i++;
      }
      if (code === CAPITAL_SIGMA) return normalizeTextSlow(input);
      folded = foldOf(code);
    }
    for (let k = 0; k < folded.length; k++) {
      const ch = folded[k] as string;
      if (ch === " ") {
        pendingSpace = out.length > 0;
        continue;
      }
      if (pendingSpace) {
        out += " ";
        pendingSpace = false;
      }
      if (!elongated && out.length >= 2 && out[out.length - 1] === ch && out[out.length - 2] === ch)
        elongated = true;
      out += ch;
    }
  }
  return elongated ? out.replace(ELONGATED, "$1") : out;
}
