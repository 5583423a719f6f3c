/**
 * Scores a labelled SMS batch against the classifier: a per-language x per-category table of
 * correct/total (by action), then every miss with what the classifier said and why.
 *
 *   node --conditions=development --import tsx packages/domain/scripts/score-batch.ts [--strict] [--markdown] [--corpus | --batch-b | --batch-c | --probes-c]
 *
 * Batch A by default; --batch-b and --batch-c the held-out batches B and C; --probes-c the probes
 * written after batch C; --corpus scores the whole SMS_CORPUS (entries without a category are
 * placed by their label: a look-alike, an opt-in, a keyword rule, a free-text opt-out, or
 * "lookalike" for any other message that must be ignored).
 * A look-alike counts as correct when it is not opted out (the spec only forbids opting it out).
 */
import { createClassifier, classificationReason } from "../src/index.js";
import { FRESH_BATCH_A } from "../test/corpus/fresh-batch-a.js";
import { FRESH_BATCH_B } from "../test/corpus/fresh-batch-b.js";
import { FRESH_BATCH_C } from "../test/corpus/fresh-batch-c.js";
import { PROBES_AFTER_BATCH_C } from "../test/corpus/probes-after-batch-c.js";
import { SMS_CORPUS, type CorpusCategory, type CorpusEntry } from "../test/corpus/sms-corpus.js";

const CATEGORIES: readonly CorpusCategory[] = [
  "keyword",
  "keyword_brand",
  "free_text",
  "lookalike",
  "opt_in",
  "help",
];

interface Tally {
  ok: number;
  total: number;
}

function categoryOf(entry: CorpusEntry): CorpusCategory {
  if (entry.category) return entry.category;
  if (entry.lookalike || entry.expected === "ignored") return "lookalike";
  if (entry.expected === "opt_in" || entry.expected === "help") return entry.expected;
  if (entry.rule === "keyword") return "keyword";
  return entry.rule === "keyword_qualified" ? "keyword_brand" : "free_text";
}

function isCorrect(entry: CorpusEntry, action: string): boolean {
  return entry.lookalike ? action !== "opt_out" : action === entry.expected;
}

function cell(t: Tally | undefined): string {
  return t ? `${t.ok}/${t.total}` : "-";
}

function percent(t: Tally): string {
  return `${((100 * t.ok) / t.total).toFixed(1)}%`;
}

export function scoreBatch(batch: readonly CorpusEntry[], strict: boolean, markdown: boolean): string {
  const classify = createClassifier({ freeText: !strict });
  const byLang = new Map<string, Map<CorpusCategory | "all", Tally>>();
  const misses: string[] = [];
  const add = (lang: string, key: CorpusCategory | "all", ok: boolean): void => {
    const row = byLang.get(lang) ?? new Map<CorpusCategory | "all", Tally>();
    byLang.set(lang, row);
    const t = row.get(key) ?? { ok: 0, total: 0 };
    row.set(key, t);
    t.total += 1;
    if (ok) t.ok += 1;
  };
  for (const entry of batch) {
    if (strict && categoryOf(entry) === "free_text") continue;
    const result = classify(entry.text, entry.context);
    const ok = isCorrect(entry, result.action);
    const category = categoryOf(entry);
    add(entry.lang, category, ok);
    add(entry.lang, "all", ok);
    add("ALL", category, ok);
    add("ALL", "all", ok);
    if (!ok) {
      const why = classificationReason(result) ?? "-";
      misses.push(
        `${entry.lang} ${category} ${JSON.stringify(entry.text)}: expected ${entry.expected}, got ${result.action} (${why})`,
      );
    }
  }
  const header = ["lang", ...CATEGORIES, "all", "%"];
  // Languages in batch order, the total last.
  const ordered = [...byLang.entries()].sort(([a], [b]) => Number(a === "ALL") - Number(b === "ALL"));
  const rows = ordered.map(([lang, row]) => {
    const all = row.get("all") ?? { ok: 0, total: 1 };
    return [lang, ...CATEGORIES.map((c) => cell(row.get(c))), cell(all), percent(all)];
  });
  const table = markdown
    ? [
        `| ${header.join(" | ")} |`,
        `|${header.map(() => " --- ").join("|")}|`,
        ...rows.map((r) => `| ${r.join(" | ")} |`),
      ]
    : [header, ...rows].map((r) => r.map((c) => c.padEnd(13)).join(""));
  return [...table, "", `misses (${misses.length}):`, ...misses].join("\n");
}

const argv = process.argv.slice(2);
const BATCHES = {
  "--batch-b": FRESH_BATCH_B,
  "--batch-c": FRESH_BATCH_C,
  "--probes-c": PROBES_AFTER_BATCH_C,
} as const;
const named = (Object.keys(BATCHES) as (keyof typeof BATCHES)[]).find((flag) => argv.includes(flag));
const batch = argv.includes("--corpus") ? SMS_CORPUS : named ? BATCHES[named] : FRESH_BATCH_A;
console.log(scoreBatch(batch, argv.includes("--strict"), argv.includes("--markdown")));
