import t from "tap";
import { createClassifier } from "../src/index.js";
import type { SmsAction } from "../src/index.js";
import { SMS_CORPUS } from "./corpus/sms-corpus.js";

const ACTIONS: readonly SmsAction[] = ["opt_out", "opt_in", "help", "ignored"];

t.test("corpus accuracy", async (t) => {
  t.ok(SMS_CORPUS.length >= 400, `${SMS_CORPUS.length} labelled messages`);
  const classify = createClassifier();
  const misses: string[] = [];
  const perClass = new Map<SmsAction, { total: number; correct: number }>(
    ACTIONS.map((a) => [a, { total: 0, correct: 0 }]),
  );
  for (const entry of SMS_CORPUS) {
    const result = classify(entry.text, entry.context);
    const counts = perClass.get(entry.expected);
    if (counts) counts.total++;
    if (result.action === entry.expected) {
      if (counts) counts.correct++;
    } else {
      misses.push(
        `${JSON.stringify(entry.text)} [${entry.lang}] expected ${entry.expected}, got ${result.action}${result.match ? ` (${result.rule}:${result.match})` : ""}`,
      );
    }
  }
  for (const [action, { total, correct }] of perClass) {
    t.comment(`${action}: ${correct}/${total} = ${((100 * correct) / total).toFixed(1)}%`);
  }
  const correct = SMS_CORPUS.length - misses.length;
  const accuracy = correct / SMS_CORPUS.length;
  t.comment(`overall: ${correct}/${SMS_CORPUS.length} = ${(100 * accuracy).toFixed(2)}%`);
  const sections: Array<[string, (e: (typeof SMS_CORPUS)[number]) => boolean]> = [
    ["keyword rules (1, 2)", (e) => e.rule === "keyword" || e.rule === "keyword_qualified"],
    [
      "free-text revocations",
      (e) => e.expected === "opt_out" && e.rule !== "keyword" && e.rule !== "keyword_qualified",
    ],
    ["look-alike negatives", (e) => e.lookalike === true],
    ["held-out batches", (e) => e.holdout === true],
  ];
  for (const [name, inSection] of sections) {
    const entries = SMS_CORPUS.filter(inSection);
    const right = entries.filter((e) => classify(e.text, e.context).action === e.expected).length;
    t.comment(`${name}: ${right}/${entries.length} = ${((100 * right) / entries.length).toFixed(1)}%`);
  }
  for (const miss of misses) t.comment(`miss: ${miss}`);
  t.ok(accuracy >= 0.97, `overall accuracy ${(100 * accuracy).toFixed(2)}% >= 97%`);
});

t.test("pure keyword cases are all right, with the rule the spec's order gives", async (t) => {
  const classify = createClassifier();
  const wrong = SMS_CORPUS.filter((e) => e.rule === "keyword" || e.rule === "keyword_qualified")
    .map((e) => ({ e, r: classify(e.text, e.context) }))
    .filter(({ e, r }) => r.action !== e.expected || r.rule !== e.rule)
    .map(
      ({ e, r }) => `${JSON.stringify(e.text)}: expected ${e.expected}/${e.rule}, got ${r.action}/${r.rule}`,
    );
  t.same(wrong, []);
});

t.test("strict mode: keyword cases unchanged, no look-alike is an opt-out", async (t) => {
  const strict = createClassifier({ freeText: false });
  const lookalikes = SMS_CORPUS.filter((e) => e.lookalike);
  t.ok(lookalikes.length >= 50, `${lookalikes.length} look-alike negatives`);
  const optedOut = lookalikes
    .filter((e) => strict(e.text, e.context).action === "opt_out")
    .map((e) => e.text);
  t.same(optedOut, [], "no look-alike classified as opt_out in strict mode");
  const keywordMisses = SMS_CORPUS.filter((e) => e.rule === "keyword" || e.rule === "keyword_qualified")
    .filter((e) => strict(e.text, e.context).action !== e.expected)
    .map((e) => e.text);
  t.same(keywordMisses, [], "strict mode keeps every keyword case");
  const freeTextAnswers = SMS_CORPUS.filter((e) => strict(e.text, e.context).rule === "free_text");
  t.same(freeTextAnswers, [], "strict mode never answers with free text");
});

t.test("default mode: look-alikes that are opt-outs are listed", async (t) => {
  const classify = createClassifier();
  const falseOptOuts = SMS_CORPUS.filter(
    (e) => e.expected !== "opt_out" && classify(e.text, e.context).action === "opt_out",
  ).map((e) => e.text);
  t.comment(`false opt-outs in default mode: ${falseOptOuts.length} ${JSON.stringify(falseOptOuts)}`);
  t.ok(falseOptOuts.length <= 2, "at most a couple of false opt-outs");
});
