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

t.test("a keyword next to one brand the account never configured, in either order", async (t) => {
  const classify = createClassifier();
  const strict = createClassifier({ freeText: false });
  for (const [text, keyword] of [
    ["Walgreens STOP", "STOP"],
    ["Zalando afmelden", "AFMELDEN"],
    ["Lidl abbestellen", "ABBESTELLEN"],
    ["BAJA Movistar", "BAJA"],
    ["Magalu sair", "SAIR"],
    ["Coop disiscrivi", "DISISCRIVI"],
    ["Elgiganten stopp", "STOPP"],
    ["Rossmann stop", "STOP"],
    ["cancel Peloton", "CANCEL"],
    ["Walgreens stop please", "STOP"],
    ["TIM CANCELLAMI", "CANCELLAMI"],
    // A brand of two or three words, written as a name.
    ["Uber Eats stop", "STOP"],
    ["Afmelden Albert Heijn", "AFMELDEN"],
    ["Clas Ohlson AVSLUTA", "AVSLUTA"],
    ["STOP BURGER KING", "STOP"],
    // A name with common nouns and joiners in it, written as one, the keyword first or last.
    ["Pharmacie du Centre STOP", "STOP"],
    ["Sunny Paws Grooming cancel", "CANCEL"],
    ["SAIR Loja Verde", "SAIR"],
    ["BAJA Zapatería Luna", "BAJA"],
    ["Boulangerie de la Gare STOP", "STOP"],
  ] as const) {
    const expected = { action: "opt_out", rule: "keyword_qualified", match: keyword };
    t.match(classify(text), expected, text);
    t.match(strict(text), expected, `${text} (strict: rule 2 is a keyword rule)`);
  }
  for (const everyday of [
    "bus stop",
    "Stop sign",
    "pit stop",
    "cancel order",
    "Batería baja",
    "muy alto",
    "sin parar",
    "vou sair",
    "Annulla l'ordine",
    "stop looking",
    "never stop",
    "START Walgreens",
    // Two words in lower case are everyday words more often than a brand.
    "stop uber eats",
    "stop eating meat",
    "Cancel Gym Membership",
    "Stop Right There",
    "Cancel Dentist Appointment",
    "Stop Global Warming",
    "Cancel Friday Delivery",
    "STOP THE BUS",
  ]) {
    t.not(strict(everyday).action, "opt_out", `"${everyday}" is an everyday pair, not a brand`);
  }
});

t.test("free-text revocations per language name the words that matched", async (t) => {
  for (const [text, phrase, language] of [
    ["Kunnen jullie ophouden met die berichtjes?", "ophouden met die berichtjes", "nl"],
    ["Hallo, bitte Nummer löschen", "bitte nummer loschen", "de"],
    ["Ya basta de mensajes", "ya basta de mensajes", "es"],
    ["Deixem de me enviar mensagens, obrigado", "deixem de me enviar", "pt"],
    ["Per favore cancellate il mio numero dal vostro archivio", "cancellate il mio numero", "it"],
    ["Vorrei annullare l'iscrizione", "annullare liscrizione", "it"],
    ["Vill avsluta era sms-utskick", "avsluta era sms", "sv"],
    ["Vennligst slett nummeret mitt fra registeret", "slett nummeret mitt", "no"],
    ["Jeg ønsker ikke at modtage flere sms'er", "onsker ikke at modtage flere", "da"],
    ["Meld mig af", "meld mig af", "da"],
    ["Koniec z tymi smsami", "koniec z tymi smsami", "pl"],
  ] as const) {
    const result = classifySms(text);
    t.same(result, { action: "opt_out", rule: "free_text", match: phrase, language }, text);
    t.equal(classificationReason(result), `free_text:${phrase}`);
  }
});

t.test("the same verbs about something else are not revocations", async (t) => {
  for (const text of [
    "Rezygnuję z zamówienia, pomyliłem rozmiar",
    "Rezygnuję z wizyty w sobotę",
    "Nie mogę przestać się śmiać",
    "Ik wil me afmelden voor de cursus van dinsdag",
    "Je voudrais me désinscrire du cours de yoga de jeudi",
    "¡No paren de mandar ofertas!",
    "Non smettete di mandare offerte!",
    "Sluta inte med erbjudandena!",
    "annullare l'iscrizione al corso",
  ]) {
    t.equal(classifySms(text).action, "ignored", text);
  }
  t.equal(classifySms("Rezygnuję z otrzymywania SMS").action, "opt_out", "the messages are the object");
  for (const text of ["Stop, I meant the blue one", "Stopp, ich meinte Größe M", "Avsluta köpet"]) {
    t.equal(classifySms(text).action, "ignored", `${text}: an interjection or an everyday pair`);
  }
  t.equal(
    classifySms("Stop. I never signed up for this").action,
    "opt_out",
    "a keyword sentence still counts",
  );
  t.equal(classifySms("Hör auf, das ist ja super günstig!").action, "ignored", "delight, not a request");
  t.equal(classifySms("Stop, I mean it!").action, "opt_out");
  t.equal(classifySms("Ik wil me afmelden voor de nieuwsbrief").action, "opt_out", "a list is the object");
});

t.test("withdrawn consent is a revocation in every language", async (t) => {
  for (const [text, language] of [
    ["I revoke my consent to receive messages", "en"],
    ["Ik trek mijn toestemming in", "nl"],
    ["Ich widerrufe meine Einwilligung", "de"],
    ["Je retire mon consentement", "fr"],
    ["Retiro mi consentimiento", "es"],
    ["Retiro o meu consentimento", "pt"],
    ["Revoco il consenso", "it"],
    ["Jag återkallar mitt samtycke", "sv"],
    ["Jeg trekker tilbake samtykket", "no"],
    ["Jeg trækker mit samtykke tilbage", "da"],
    ["Cofam zgodę", "pl"],
  ] as const) {
    t.match(classifySms(text), { action: "opt_out", rule: "free_text", language }, text);
  }
});

t.test(
  "indirect revocations: questions, third persons, consent withdrawn, polite and dialect forms",
  async (t) => {
    const classify = createClassifier();
    for (const text of [
      "How do I stop getting these?",
      "Hur slutar jag få de här sms:en?",
      "Jak mogę przestać dostawać te smsy?",
      "Ma mère ne veut plus recevoir ces textos, merci de supprimer son numéro",
      "Mora mi vil ikkje ha desse meldingane lenger",
      "Under the TCPA I am revoking consent to receive any further text messages",
      "Op grond van de AVG trek ik mijn toestemming in voor het ontvangen van sms-berichten",
      "les agradecería que dejaran de enviarme publicidad",
      "nun me mannate cchiù messaggi",
      "Slutt å senda meg meldingar",
    ]) {
      t.match(classify(text), { action: "opt_out", rule: "free_text" }, text);
    }
    // The same words about other things, and a keyword said while laughing.
    for (const text of [
      "how do I stop the car alarm",
      "How do I stop getting charged twice?",
      "My mother wants to cancel her appointment",
      "I withdraw my application",
      "Dejen de mandarme la factura por correo postal",
      "Stopp, ich kann nicht mehr vor Lachen 😂😂",
      "stop, I can't breathe from laughing",
    ]) {
      t.not(classify(text).action, "opt_out", text);
    }
  },
);
