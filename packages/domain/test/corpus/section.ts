/**
 * Builds labelled corpus sections by category: expected action and rule follow from the
 * category (a look-alike is "ignored" and flagged), overridable per line.
 */
import type { CorpusCategory, CorpusEntry } from "./sms-corpus.js";

type Overrides = Partial<Pick<CorpusEntry, "expected" | "rule">> & { norule?: true };
export type Line = string | readonly [string, Overrides];
export type Section = Partial<Record<CorpusCategory, readonly Line[]>>;

const DEFAULTS: Record<CorpusCategory, Pick<CorpusEntry, "expected" | "rule">> = {
  keyword: { expected: "opt_out", rule: "keyword" },
  keyword_brand: { expected: "opt_out", rule: "keyword_qualified" },
  free_text: { expected: "opt_out", rule: "free_text" },
  lookalike: { expected: "ignored" },
  opt_in: { expected: "opt_in", rule: "keyword" },
  help: { expected: "help", rule: "keyword" },
};

export function section(lang: string, lines: Section, holdout = true): CorpusEntry[] {
  return Object.entries(lines).flatMap(([name, list]) => {
    const category = name as CorpusCategory;
    return (list ?? []).map((line): CorpusEntry => {
      const [text, over] = typeof line === "string" ? [line, {} as Overrides] : line;
      const entry: CorpusEntry = {
        text,
        lang,
        category,
        ...(holdout ? { holdout } : {}),
        ...DEFAULTS[category],
      };
      if (over.expected) entry.expected = over.expected;
      if (over.rule) entry.rule = over.rule;
      if (over.norule) delete entry.rule;
      if (category === "lookalike") entry.lookalike = true;
      return entry;
    });
  });
}
