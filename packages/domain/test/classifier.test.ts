import t from "tap";
import { classificationReason, classifySms, createClassifier, normalizeText } from "../src/index.js";
import { normalizeTextSlow } from "../src/classifier/normalize-text.js";

t.test("rules and reasons", async (t) => {
  t.same(classifySms("STOP"), { action: "opt_out", rule: "keyword", match: "STOP" });
  t.same(classifySms("stop please"), {
    action: "opt_out",
    rule: "keyword_qualified",
    match: "STOP",
    language: "en",
  });
  t.same(classifySms("remove me from your list"), {
    action: "opt_out",
    rule: "free_text",
    match: "remove me from your list",
    language: "en",
  });
  t.equal(classificationReason(classifySms("STOP")), "keyword:STOP");
  t.equal(classificationReason(classifySms("STOP 3010")), "keyword_qualified:STOP");
  t.equal(
    classificationReason(classifySms("remove me from your list")),
    "free_text:remove me from your list",
  );
  t.equal(classificationReason(classifySms("hello")), undefined);
  t.same(classifySms(""), { action: "ignored" });
  t.same(classifySms(" \n\t "), { action: "ignored" });
});

t.test("language is a best guess from the match", async (t) => {
  t.equal(classifySms("STOP").language, undefined, "STOP is shared by many languages");
  t.equal(classifySms("ARRÊT").language, "fr");
  t.equal(classifySms("STOP bitte").language, "de", "a qualifier can settle it");
  t.equal(classifySms("AVSLUTA").language, "sv");
  t.equal(classifySms("CANCELAR").language, undefined, "es and pt");
  t.equal(classifySms("geen sms meer").language, "nl");
});

t.test("context: short code, brand, campaign code", async (t) => {
  const classify = createClassifier();
  t.equal(classify("STOP 3010", { to: "3010" }).action, "opt_out");
  t.equal(classify("STOP +31 6 1234 5678", { to: "+31612345678" }).rule, "keyword_qualified");
  t.equal(
    classify("STOP 0031612345678", { to: "+31612345678" }).rule,
    "keyword_qualified",
    "a long number that is the sender",
  );
  t.equal(classify("Stop Acme", { brandNames: ["ACME"] }).rule, "keyword_qualified");
  t.equal(classify("stop acme shoes", { brandNames: ["Acme Shoes"] }).rule, "keyword_qualified");
  t.equal(classify("stop acmeshoes", { brandNames: ["Acme Shoes"] }).rule, "keyword_qualified");
  t.same(
    classify("stop acme", {}),
    { action: "opt_out", rule: "keyword_qualified", match: "STOP" },
    "an unknown word next to the keyword is a brand the account never configured: the carriers' rule",
  );
  for (const name of ["Stop jenny", "stop xq7", "unsubscribe bobsburgers", "STOPP bitte2"]) {
    t.equal(classify(name, {}).action, "opt_out", `"${name}" opts out`);
  }
  for (const everyday of [
    "stop by",
    "stop sign",
    "stop looking",
    "stop it's fine",
    "stop and think",
    "stop here",
  ]) {
    t.equal(classify(everyday, {}).action, "ignored", `"${everyday}" is the everyday sense`);
  }
  t.equal(classify("STOP C42").rule, "keyword_qualified");
  t.equal(classify("STOP au 36111").rule, "keyword_qualified", "France's STOP au <short code>");
  t.equal(classify("STOP au revoir").action, "opt_out", "free text: a keyword sentence");
});

t.test("opt-out wins over opt-in and help", async (t) => {
  t.equal(classifySms("START STOP").action, "opt_out");
  t.equal(classifySms("YES STOP").action, "opt_out");
  t.equal(classifySms("HELP STOP").action, "opt_out");
  t.equal(classifySms("YES HELP").action, "opt_in");
});

t.test("strict mode uses the spec's keywords only", async (t) => {
  const strict = createClassifier({ freeText: false });
  t.equal(strict("STOP").action, "opt_out");
  t.equal(strict("Stop please").action, "opt_out");
  t.equal(strict("STOP ALL").action, "opt_out");
  t.equal(strict("remove me from your list").action, "ignored");
  t.equal(strict("ok stop").action, "ignored", "fillers are free text");
  t.equal(strict("Arrêtez").action, "ignored", "imperatives outside the tables are free text");
  t.equal(strict("help me").action, "ignored");
  t.equal(classifySms("Arrêtez", { freeText: false }).action, "ignored");
  t.equal(classifySms("Arrêtez").action, "opt_out");
});

t.test("free text is limited to 160 characters", async (t) => {
  const short = "Please stop texting me.";
  t.equal(classifySms(short).action, "opt_out");
  const long = `${short} ${"I have told you many times already and I am really tired of it. ".repeat(3)}`;
  t.ok(long.length > 160);
  t.equal(classifySms(long).action, "ignored");
});

t.test("extraKeywords add per-account words by language", async (t) => {
  const classify = createClassifier({
    extraKeywords: {
      optOut: { en: ["HALT", "NO MORE DEALS"], nl: ["KAPPEN"] },
      optIn: { en: ["JOIN"] },
      help: { de: ["HILFE BITTE"] },
    },
  });
  t.same(classify("halt"), { action: "opt_out", rule: "keyword", match: "HALT", language: "en" });
  t.equal(classify("HALT please").rule, "keyword_qualified");
  t.equal(classify("no more deals").action, "opt_out");
  t.equal(classify("Kappen!").language, "nl");
  t.same(classify("JOIN"), { action: "opt_in", rule: "keyword", match: "JOIN", language: "en" });
  t.equal(classify("hilfe bitte").action, "help");
  t.equal(classify("STOP").action, "opt_out", "built-in keywords stay");
  t.equal(createClassifier()("halt").action, "ignored", "other accounts are not affected");
  const strict = createClassifier({ freeText: false, extraKeywords: { optOut: { en: ["HALT"] } } });
  t.equal(strict("HALT").action, "opt_out", "extra keywords count in strict mode");
});

t.test("robust to real-world noise", async (t) => {
  for (const text of [
    "STOP!!!",
    "'stop'",
    "“Stop”",
    " stop \n",
    "Stop 🛑",
    "sToP",
    "STOP. STOP.",
    "stop stop stop",
    "STOPPPP",
    "Stop.",
  ]) {
    t.equal(classifySms(text).action, "opt_out", JSON.stringify(text));
  }
});

t.test("speed (informational)", async (t) => {
  const classify = createClassifier();
  const messages = [
    "STOP",
    "stop please",
    "Thanks! See you Saturday",
    "Please stop texting me",
    "What time is the sale?",
    "Non voglio più ricevere messaggi",
  ];
  for (let i = 0; i < 5000; i++) classify(messages[i % messages.length] as string);
  const rounds = 30000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < rounds; i++) classify(messages[i % messages.length] as string);
  const micros = Number(process.hrtime.bigint() - start) / rounds / 1000;
  t.comment(`classifier: ${micros.toFixed(2)} µs per short message`);
  t.ok(micros < 50, "well within budget even on a loaded machine");
});

t.test("spec normalization", async (t) => {
  const cases: Array<[string, string]> = [
    ["  STOP  ", "stop"],
    ["STOP!!!", "stop"],
    ['"Stop"', "stop"],
    ["“STOP”", "stop"],
    ["«Arrêt»", "arret"],
    ["ARRÊT", "arret"],
    ["DÉSABONNER", "desabonner"],
    ["REZYGNUJĘ", "rezygnuje"],
    ["Proszę", "prosze"],
    ["Łódź", "lodz"],
    ["Straße", "strasse"],
    ["Frånvaro", "franvaro"],
    ["Være", "vaere"],
    ["STOP 🛑😡", "stop"],
    ["👍", ""],
    ["stop\n\nplease", "stop please"],
    ["OPT-OUT", "opt out"],
    ["don't", "dont"],
    ["don’t", "dont"],
    ["sms'en", "smsen"],
    ["ＳＴＯＰ", "stop"],
    ["STOPPPP", "stop"],
    ["pleeeease", "please"],
    ["STOP 3010", "stop 3010"],
    ["ΣΤΟΠ", "στοπ"],
    ["", ""],
  ];
  for (const [input, expected] of cases) t.equal(normalizeText(input), expected, JSON.stringify(input));
});

t.test("the cached per-character fold equals the reference on every code point", async (t) => {
  let mismatches = 0;
  for (let code = 0; code < 0x1fb00; code++) {
    if (code >= 0xd800 && code <= 0xdfff) continue;
    const text = `A${String.fromCodePoint(code)}b ${String.fromCodePoint(code)}`;
    if (normalizeText(text) !== normalizeTextSlow(text)) mismatches++;
  }
  t.equal(mismatches, 0);
});
