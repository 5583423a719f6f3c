/**
 * Labelled inbound SMS messages for the classifier, labelled as a careful compliance officer
 * would read them (not as the classifier happens to answer). Keyword forms are generated from
 * the spec's tables, written out here independently of src/ so a table mistake there shows up
 * as a failure; free-text revocations and look-alike negatives are written by hand.
 *
 * `rule` is set where the spec's rule order decides it: "keyword" when the normalized message
 * is the keyword ("STOP!!!" normalizes to "stop"), "keyword_qualified" for keyword+qualifiers.
 */
import type { MatchRule, MessageContext, SmsAction } from "../../src/index.js";
import { FRESH_BATCH_A } from "./fresh-batch-a.js";
import { PROBES_AFTER_BATCH_A } from "./probes-after-batch-a.js";
import { FRESH_BATCH_B } from "./fresh-batch-b.js";
import { PROBES_AFTER_BATCH_B } from "./probes-after-batch-b.js";
import { FRESH_BATCH_C } from "./fresh-batch-c.js";
import { PROBES_AFTER_BATCH_C } from "./probes-after-batch-c.js";

export interface CorpusEntry {
  text: string;
  expected: SmsAction;
  rule?: MatchRule;
  /** Language of the message; "und" when it is not one (STOP, START). */
  lang: string;
  context?: MessageContext;
  /** A message that looks like an opt-out but is not: must never be opt_out in strict mode. */
  lookalike?: boolean;
  /** Part of the held-out section (see HOLDOUT). */
  holdout?: boolean;
  /** Which kind of message it is (set on fresh batches; scripts/score-batch.ts tables by it). */
  category?: CorpusCategory;
}

export type CorpusCategory = "keyword" | "keyword_brand" | "free_text" | "lookalike" | "opt_in" | "help";

// Each language's words for PLEASE, ALL and NOW, as people type them.
const PLEASE: Record<string, string> = {
  en: "please",
  nl: "aub",
  de: "bitte",
  fr: "s'il vous plaît",
  es: "por favor",
  pt: "por favor",
  it: "per favore",
  sv: "tack",
  no: "takk",
  da: "tak",
  pl: "proszę",
};
const ALL: Record<string, string> = {
  en: "ALL",
  nl: "alles",
  de: "alle",
  fr: "tout",
  es: "todo",
  pt: "tudo",
  it: "tutti",
  sv: "alla",
  no: "alle",
  da: "alle",
  pl: "wszystko",
};
const NOW: Record<string, string> = {
  en: "now",
  nl: "nu",
  de: "jetzt",
  fr: "maintenant",
  es: "ya",
  pt: "agora",
  it: "subito",
  sv: "nu",
  no: "nå",
  da: "nu",
  pl: "teraz",
};

// The spec's opt-out table, with diacritics as people type them. lang "und" when shared.
const OPT_OUT: ReadonlyArray<readonly [string, string]> = [
  ["STOP", "und"],
  ["STOPALL", "en"],
  ["STOP ALL", "en"],
  ["UNSUBSCRIBE", "en"],
  ["UNSUB", "und"],
  ["CANCEL", "en"],
  ["END", "en"],
  ["QUIT", "en"],
  ["OPTOUT", "en"],
  ["OPT OUT", "en"],
  ["OPT-OUT", "en"],
  ["REVOKE", "en"],
  ["REMOVE", "en"],
  ["AFMELDEN", "nl"],
  ["UITSCHRIJVEN", "nl"],
  ["STOPPEN", "nl"],
  ["STOPP", "und"],
  ["ABMELDEN", "de"],
  ["ABBESTELLEN", "de"],
  ["ARRÊT", "fr"],
  ["ARRÊTER", "fr"],
  ["DÉSABONNER", "fr"],
  ["DÉSINSCRIRE", "fr"],
  ["BAJA", "es"],
  ["ALTO", "es"],
  ["PARAR", "und"],
  ["CANCELAR", "und"],
  ["SAIR", "pt"],
  ["ANNULLA", "it"],
  ["DISISCRIVI", "it"],
  ["CANCELLAMI", "it"],
  ["AVSLUTA", "sv"],
  ["AVMELD", "no"],
  ["AFMELD", "da"],
  ["REZYGNUJĘ", "pl"],
  ["WYPISZ", "pl"],
];
const OPT_IN: ReadonlyArray<readonly [string, string]> = [
  ["START", "und"],
  ["UNSTOP", "en"],
  ["YES", "en"],
  ["SUBSCRIBE", "en"],
  ["AANMELDEN", "nl"],
  ["ANMELDEN", "de"],
  ["ALTA", "es"],
  ["INSCRIRE", "fr"],
];
const HELP: ReadonlyArray<readonly [string, string]> = [
  ["HELP", "en"],
  ["INFO", "und"],
  ["HULP", "nl"],
  ["HILFE", "de"],
  ["AIDE", "fr"],
  ["AYUDA", "es"],
  ["AJUDA", "pt"],
  ["AIUTO", "it"],
];

const LANGS = ["en", "nl", "de", "fr", "es", "pt", "it", "sv", "no", "da", "pl"];
const title = (s: string): string => s.charAt(0) + s.slice(1).toLowerCase();
// A shared keyword gets its qualifiers from a different language each time.
const langFor = (lang: string, i: number): string =>
  lang === "und" ? (LANGS[i % LANGS.length] as string) : lang;

function opOutForms(): CorpusEntry[] {
  const out: CorpusEntry[] = [];
  OPT_OUT.forEach(([kw, lang], i) => {
    const q = langFor(lang, i);
    const lower = kw.toLowerCase();
    const k = (text: string, context?: MessageContext): CorpusEntry => ({
      text,
      expected: "opt_out",
      rule: "keyword",
      lang,
      ...(context ? { context } : {}),
    });
    const kq = (text: string, context?: MessageContext): CorpusEntry => ({
      text,
      expected: "opt_out",
      rule: "keyword_qualified",
      lang: lang === "und" ? q : lang,
      ...(context ? { context } : {}),
    });
    out.push(
      k(kw),
      k(lower),
      k(title(kw)),
      k(`${kw}!!!`),
      k(`"${lower}"`),
      k(`${title(kw)} 🛑`),
      k(`  ${lower}.\n`),
    );
    out.push(kq(`${kw} ${PLEASE[q]}`), kq(`${title(PLEASE[q] as string)} ${lower}`), kq(`${kw} ${NOW[q]}!`));
    // "STOP ALL" is itself an English keyword, so rule 1 applies to it.
    if (kw === "STOP" && q === "en") out.push(k("STOP ALL"));
    else if (!kw.includes("ALL")) out.push(kq(`${kw} ${ALL[q]}`));
    out.push(
      kq(`${kw} 3010`, { to: "3010" }),
      kq(`${lower} ${lower}`),
      kq(`${kw} ACME`, { brandNames: ["ACME"] }),
    );
  });
  return out;
}

function optInForms(): CorpusEntry[] {
  const out: CorpusEntry[] = [];
  OPT_IN.forEach(([kw, lang], i) => {
    const q = langFor(lang === "und" ? "und" : lang === "es" ? "es" : lang, i);
    const k = (text: string): CorpusEntry => ({ text, expected: "opt_in", rule: "keyword", lang });
    out.push(k(kw), k(kw.toLowerCase()), k(title(kw)), k(`${kw}!`), k(`'${kw}'`), k(`${title(kw)} 👍`));
    out.push({
      text: `${title(kw)} ${PLEASE[q]}`,
      expected: "opt_in",
      rule: "keyword_qualified",
      lang: lang === "und" ? q : lang,
    });
  });
  return out;
}

function helpForms(): CorpusEntry[] {
  const out: CorpusEntry[] = [];
  HELP.forEach(([kw, lang], i) => {
    const q = langFor(lang, i);
    const k = (text: string): CorpusEntry => ({ text, expected: "help", rule: "keyword", lang });
    out.push(k(kw), k(kw.toLowerCase()), k(`${title(kw)}?`), k(`${kw}!!`), k(`"${title(kw)}"`));
    out.push({
      text: `${kw} ${PLEASE[q]}`,
      expected: "help",
      rule: "keyword_qualified",
      lang: lang === "und" ? q : lang,
    });
  });
  return out;
}

// No rule: some of these are keyword+qualifier messages ("pls stop") that rule 2 takes first.
const o = (lang: string, ...texts: string[]): CorpusEntry[] =>
  texts.map((text) => ({ text, expected: "opt_out", lang }));
const ign = (lang: string, ...texts: string[]): CorpusEntry[] =>
  texts.map((text) => ({ text, expected: "ignored", lang }));
const look = (lang: string, ...texts: string[]): CorpusEntry[] =>
  texts.map((text) => ({ text, expected: "ignored", lang, lookalike: true }));

/** Free-text revocations: the plain meaning is "stop sending me messages". */
const FREE_TEXT: CorpusEntry[] = [
  ...o(
    "en",
    "Please stop texting me",
    "stop texting me",
    "Stop sending me these messages",
    "remove me from your list",
    "Remove me from this list please",
    "unsubscribe me",
    "Unsubscribe me please!",
    "No more messages please",
    "no more texts",
    "Don't text me again",
    "do not contact me",
    "Take me off this list",
    "take me off your mailing list",
    "Leave me alone",
    "please stop messaging me",
    "Stop sending me texts!!",
    "I don't want these texts anymore",
    "I no longer wish to receive these messages",
    "How do I stop these texts?",
    "Quit texting me",
    "stop the spam",
    "Stop spamming me",
    "Never text me again",
    "Please remove my number",
    "Delete my number",
    "opt me out",
    "I want to opt out",
    "I want to unsubscribe",
    "Please unsubscribe me from this",
    "stop it",
    "STOP IT NOW",
    "just stop",
    "omg stop",
    "Stop. Who is this?",
    "STOP I never signed up for this",
    "Wrong number",
    "You have the wrong number",
    "I never signed up for this",
    "Who gave you my number? Stop",
    "please take me off",
    "get me off this list",
    "Enough with the texts",
    "stop with the texts already",
    "I'd like to be removed",
    "Please have me removed from your list",
    "I unsubscribed last week, why am I still getting these?",
    "Stop sending me promotions",
    "no more promos please",
    "STOP CONTACTING ME",
    "Stop. Thanks",
    "Thank you, but please stop",
    "Can you please stop sending me messages",
    "I don't want to receive any more texts from you",
    "Do not text this number",
    "stop texting this number",
    "This is spam, stop",
    "Not interested, please remove me",
    "Stop, I'm not interested",
    "ok stop",
    "STOP thank you",
    "Stop thanks",
    "Hi, please unsubscribe me",
    "unsubscribe from this list",
    "I can't unsubscribe, stop texting me",
    "Unsubcribe",
    "unsuscribe",
    "stop sending me this crap",
    "Please stop. Thank you",
    "no more please",
    "stop please thank you",
    "stop msging me",
    "Why do you keep texting me? Stop",
    "Stop!! I said stop!!",
    "cancel these texts",
    "please stop all messages to this number",
    "Stop texting me or I'll report you",
    "STOPPPP",
    "stoooop",
    "UNSUBSCRIBE ME PLEASE",
    "Please remove me.",
    "can you remove me",
    "Remove me from all lists",
    "stop sending",
    "Stop txt",
    "end all texts",
    "I want out",
    "STOP SMS",
    "stop 🙏🙏",
    "Stop. I'm driving",
    "How do I unsubscribe from these?",
    "Why do you keep texting me? Stop",
    "Stop ACME",
    "please stop contacting me, I never gave you permission",
    "I do not consent to these messages",
    "I didn't sign up for this, remove me",
    "Quit sending me this junk",
    "Stop these annoying promotional texts",
    "no more spam",
    "pls stop",
    "please, stop.",
    "u can stop texting me now",
    "Remove this number from your list",
    "Stop messaging me. This is the 3rd time I've asked",
  ),
  ...o(
    "nl",
    "Hou op met sms'en",
    "Geen sms meer",
    "Geen sms meer aub",
    "Ik wil geen berichten meer ontvangen",
    "Haal me van de lijst",
    "Verwijder mijn nummer",
    "Stop met sms'en aub",
    "Ik wil me afmelden",
    "Schrijf me uit",
    "Laat me met rust",
    "Stuur me geen berichten meer",
    "Stop met het sturen van berichten",
    "Niet meer sms'en aub",
    "Verwijder mij uit jullie bestand",
    "Stop reclame",
    "Ik wil afmelden voor sms",
    "Ik wil niet meer gebeld of ge-sms't worden",
    "Hou nou eens op met die berichten",
    "Stop. Bedankt",
  ),
  ...o(
    "de",
    "Bitte keine SMS mehr",
    "Keine Nachrichten mehr bitte",
    "Hören Sie auf, mir zu schreiben",
    "Schreiben Sie mir nicht mehr",
    "Löschen Sie meine Nummer",
    "Bitte austragen",
    "Ich möchte mich abmelden",
    "Entfernen Sie mich aus dem Verteiler",
    "Lassen Sie mich in Ruhe",
    "Keine Werbung mehr!",
    "Stopp. Wer ist das?",
    "Schickt mir keine SMS mehr",
    "Bitte nicht mehr kontaktieren",
    "Ich will keine Nachrichten mehr bekommen",
    "Tragen Sie mich bitte aus",
    "Stop Werbung",
    "Ich will keine SMS mehr von euch",
  ),
  ...o(
    "fr",
    "Je ne veux plus recevoir de SMS",
    "Ne plus recevoir",
    "Arrêtez de m'envoyer des messages",
    "Merci de me désinscrire",
    "Désinscrivez-moi",
    "Retirez-moi de votre liste",
    "Plus de SMS svp",
    "Ne m'envoyez plus de messages",
    "Laissez-moi tranquille",
    "Stop aux SMS",
    "Arrêtez les SMS svp",
    "Je souhaite me désabonner",
    "Je ne veux plus être contacté",
    "Supprimez mon numéro",
    "arretez de menvoyer des sms",
    "STOP merci",
    "STOP pub",
    "Merci de ne plus m'envoyer de SMS",
  ),
  ...o(
    "es",
    "No más",
    "No más mensajes",
    "No me envíen más mensajes",
    "Dejen de enviarme mensajes",
    "Bórrenme de la lista",
    "Quiero darme de baja",
    "Ya no quiero recibir mensajes",
    "Déjenme en paz",
    "No quiero más mensajes, gracias",
    "Sáquenme de su lista",
    "No más, gracias",
    "Por favor no me manden más publicidad",
    "Dame de baja",
    "Eliminen mi número por favor",
    "Ya no me manden mensajes",
  ),
  ...o(
    "pt",
    "Não quero mais receber mensagens",
    "Parem de me enviar mensagens",
    "Me tirem da lista",
    "Não me enviem mais SMS",
    "Quero sair da lista",
    "Chega de mensagens",
    "Me descadastre",
    "Por favor, me removam da lista",
    "Não quero receber mais nada",
    "Pare de me mandar mensagem",
  ),
  ...o(
    "it",
    "Non voglio più ricevere messaggi",
    "Basta messaggi",
    "Smettetela di inviarmi messaggi",
    "Non mandatemi più SMS",
    "Toglietemi dalla lista",
    "Cancellatemi dalla lista",
    "Lasciatemi in pace",
    "Non scrivetemi più",
    "Non voglio più sms",
    "Basta!",
    "Rimuovetemi per favore",
  ),
  ...o(
    "sv",
    "Sluta skicka sms",
    "Inga fler sms tack",
    "Ta bort mig från listan",
    "Jag vill inte ha fler meddelanden",
    "Sluta smsa mig",
    "Avregistrera mig",
  ),
  ...o(
    "no",
    "Slutt å sende meg meldinger",
    "Ikke send meg flere meldinger",
    "Fjern meg fra listen",
    "Meld meg av",
    "Ingen flere sms takk",
  ),
  ...o(
    "da",
    "Stop med at sende mig beskeder",
    "Ingen flere sms'er tak",
    "Fjern mig fra listen",
    "Afmeld mig venligst",
    "Jeg vil ikke have flere beskeder",
  ),
  ...o(
    "pl",
    "Nie chcę więcej SMS-ów",
    "Nie chcę więcej",
    "Proszę nie wysyłać więcej wiadomości",
    "Usuńcie mnie z listy",
    "Przestańcie wysyłać mi wiadomości",
    "Nie chcę już otrzymywać wiadomości",
    "Wypiszcie mnie",
    "Dość tych SMS-ów",
  ),
];

/** Messages that use a keyword in another sense, or are ordinary replies. */
const NEGATIVES: CorpusEntry[] = [
  ...look(
    "en",
    "I'll stop by tomorrow",
    "can't stop laughing",
    "the bus stop on Main St",
    "end of the month works",
    "cancel my appointment on friday",
    "Stop by our shop",
    "yes I'll be there",
    "Where is the nearest bus stop?",
    "Can I cancel my order?",
    "I need to cancel my reservation for tonight",
    "The party ends at 10",
    "At the end of the day it's fine",
    "Don't stop the music",
    "Please don't unsubscribe me",
    "I quit my job today lol",
    "Remove the onions from my order please",
    "How do I remove an item from my cart?",
    "stop sign on 5th is down",
    "I can't stop thinking about that deal",
    "Never stop dreaming",
    "Don't cancel my order!",
    "I'll stop at the store on my way home",
    "We'll end up coming Saturday",
    "Can you help me cancel the extra item?",
    "Please don't stop sending me deals",
    "I love these texts, keep them coming",
    "I accidentally unsubscribed, add me back please",
    "Did I get unsubscribed?",
    "What does STOP do?",
    "Is there a stop near the mall?",
    "quit playing, what's the real price?",
    "The end of summer sale starts when?",
    "Stop and shop has it cheaper",
    "Yes, 3pm works",
    "Start time is 9am?",
    "Cancel the 2pm, book 4pm instead",
    "I'm out of town until Monday",
    "remove the cheese from the list",
    "Please keep texting me the deals",
    "I stopped by yesterday but you were closed",
    "The app keeps saying cancel when I try to pay",
    "Can't wait for the sale to end so I can shop",
    "Stop! That's a great price 😂",
    "I don't want to miss your deals",
    "Don't send me the red one, send the blue one",
    "Please remove my name from the reservation",
    "The charge should be removed",
    "You sent the wrong number for the code",
    "I never asked for this color",
    "I told my wife to stop buying shoes",
    "get me out of here lol",
    "Don't call me, text me instead",
  ),
  ...ign(
    "en",
    "Is the store open?",
    "Thanks!",
    "What time is the sale?",
    "ok",
    "👍",
    "Who is this?",
    "lol",
    "Got it, thanks",
    "Can you help me find my order number?",
    "See you Saturday",
    "Do you have this in size 10?",
    "Sounds good",
    "What's the code again?",
    "Can I get a discount?",
    "My order hasn't arrived yet",
    "Yes I want the blue one",
    "NO",
    "No thanks",
    "Not now",
    "Maybe later",
    "When does the promotion end?",
    "Love it",
    "",
    "   ",
    "\n",
    "🙂🙂",
    "...",
    "How much is shipping?",
  ),
  ...look(
    "nl",
    "Ik kom morgen langs",
    "Stop maar in de brievenbus",
    "Ik wil mijn afspraak afzeggen",
    "Ik stop om 5 uur met werken",
    "Waar is de bushalte?",
    "Ik heb geen bericht ontvangen",
  ),
  ...ign(
    "nl",
    "Is de winkel open?",
    "Bedankt!",
    "Ja, ik kom",
    "Hoe laat begint de uitverkoop?",
    "Top, tot zaterdag",
  ),
  ...look(
    "de",
    "Ich habe keine SMS bekommen",
    "Ich komme morgen vorbei",
    "Wo ist die Haltestelle?",
    "Ich möchte meinen Termin absagen",
    "Bitte keine Zwiebeln",
    "Keine Ahnung",
  ),
  ...ign("de", "Danke!", "Ja, passt", "Wann ist der Sale?", "Habt ihr heute offen?"),
  ...look(
    "fr",
    "Pas de SMS reçu pour ma commande",
    "Je passerai demain",
    "Arrêt de bus rue principale",
    "Je veux annuler mon rendez-vous",
    "Je veux plus de promos comme ça !",
  ),
  ...ign("fr", "Merci !", "Oui je serai là", "C'est à quelle heure ?", "Super, merci beaucoup"),
  ...look(
    "es",
    "Paso mañana por la tienda",
    "¿Dónde está la parada?",
    "Quiero cancelar mi cita del viernes",
    "No más de 10 minutos",
    "El precio es muy alto",
  ),
  ...ign("es", "Gracias", "Sí, allí estaré", "¿A qué hora abren?"),
  ...look("pt", "Passo aí amanhã", "Quero cancelar o pedido", "Vou sair mais cedo hoje"),
  ...ign("pt", "Obrigado!", "Sim, estarei lá"),
  ...look("it", "Passo domani", "Vorrei annullare la prenotazione", "Il tavolo è troppo alto"),
  ...ign("it", "Grazie!", "Sì, ci sarò"),
  ...look("sv", "Jag kommer förbi imorgon", "Avsluta mötet klockan tre?"),
  ...ign("sv", "Tack så mycket!", "Hej, när öppnar ni?"),
  ...ign("no", "Takk!", "Når åpner dere?"),
  ...ign("da", "Tak!", "Hvornår åbner I?"),
  ...look("pl", "Wpadnę jutro", "Chcę anulować wizytę"),
  ...ign("pl", "Dziękuję!", "Tak, będę"),
];

/** Messages that match both opt-out and opt-in, or help and opt-out: opt-out wins. */
const CONFLICTS: CorpusEntry[] = [
  { text: "STOP. STOP. STOP.", expected: "opt_out", rule: "keyword_qualified", lang: "und" },
  { text: "Graag afmelden", expected: "opt_out", rule: "keyword_qualified", lang: "nl" },
  { text: "STOP START", expected: "opt_out", rule: "keyword_qualified", lang: "und" },
  { text: "yes stop", expected: "opt_out", rule: "keyword_qualified", lang: "en" },
  { text: "HELP STOP", expected: "opt_out", rule: "keyword_qualified", lang: "en" },
  { text: "unstop? no, STOP", expected: "opt_out", lang: "en" },
  { text: "Yes please stop texting me", expected: "opt_out", rule: "free_text", lang: "en" },
];

/** Help requests in words, and opt-ins that are not the keyword. */
const OTHER: CorpusEntry[] = [
  { text: "help me", expected: "help", rule: "free_text", lang: "en" },
  { text: "I need help", expected: "help", rule: "free_text", lang: "en" },
  { text: "more info please", expected: "help", rule: "free_text", lang: "en" },
  { text: "Ich brauche Hilfe", expected: "help", rule: "free_text", lang: "de" },
  { text: "Necesito ayuda", expected: "help", rule: "free_text", lang: "es" },
  { text: "yes please", expected: "opt_in", rule: "keyword_qualified", lang: "en" },
  { text: "START 3010", expected: "opt_in", rule: "keyword_qualified", lang: "und", context: { to: "3010" } },
  { text: "Yes yes", expected: "opt_in", rule: "keyword_qualified", lang: "en" },
  { text: "STOP au 36111", expected: "opt_out", rule: "keyword_qualified", lang: "fr" },
  {
    text: "STOP +1 (555) 010-2030",
    expected: "opt_out",
    rule: "keyword_qualified",
    lang: "en",
    context: { to: "+15550102030" },
  },
  { text: "stop C42", expected: "opt_out", rule: "keyword_qualified", lang: "und" },
  { text: "STOP PROMO2026", expected: "opt_out", rule: "keyword_qualified", lang: "und" },
  {
    text: "Stop Acme Shoes",
    expected: "opt_out",
    rule: "keyword_qualified",
    lang: "und",
    context: { brandNames: ["Acme Shoes"] },
  },
  { text: "«STOP»", expected: "opt_out", rule: "keyword", lang: "und" },
  { text: "ＳＴＯＰ", expected: "opt_out", rule: "keyword", lang: "und" },
  { text: "Stop\n\nSent from my iPhone", expected: "opt_out", lang: "en" },
  { text: "Opt out!", expected: "opt_out", rule: "keyword", lang: "en" },
  { text: "Désinscrire", expected: "opt_out", rule: "keyword", lang: "fr" },
  { text: "désabonner svp", expected: "opt_out", rule: "keyword_qualified", lang: "fr" },
  { text: "Rezygnuję", expected: "opt_out", rule: "keyword", lang: "pl" },
];

/**
 * Written after the classifier was tuned on the sections above and measured once, unchanged,
 * as a held-out check (README reports that first measurement). Labels were not revisited.
 */
const HOLDOUT_ENTRIES: CorpusEntry[] = [
  ...o(
    "en",
    "Stop sending me messages I didn't ask for",
    "please quit texting this number",
    "Remove my number from your system",
    "Unsubscribe from all",
    "I don't want your texts",
    "STOP!!!!!!!!",
    "Stop 😤",
    "Take my number off your list",
    "Not interested. Stop.",
    "Don't message me anymore",
    "Please stop contacting this number",
    "who is this?? stop texting me",
    "I want to be taken off your list",
    "cancel all messages",
    "Stop pls thx",
    "End these messages",
    "Please opt me out of all texts",
    "stop. wrong number",
    "Unsubscribe 🛑",
    "Please stop the text messages",
    "Stahp",
    "opt-out please",
    "I'm not the person you're looking for, please stop",
    "Stop texting me, this isn't John",
  ),
  ...o(
    "nl",
    "Stop met die sms'jes",
    "Ik wil geen sms'jes meer",
    "Graag uitschrijven voor berichten",
    "Haal mijn nummer uit jullie systeem",
  ),
  ...o("de", "Bitte nicht mehr schreiben", "Ich will keine Werbung per SMS", "Hört auf mir SMS zu schicken"),
  ...o("fr", "Arrêtez svp", "Je ne veux plus de vos messages", "Stop, merci de me retirer de la liste"),
  ...o("es", "Por favor ya no me envíen mensajes", "Quítenme de la lista", "No quiero recibir más mensajes"),
  ...o("pt", "Não quero receber essas mensagens", "Parem de mandar mensagem"),
  ...o("it", "Non voglio ricevere altri messaggi", "Basta con questi sms"),
  ...o("sv", "Sluta skicka meddelanden till mig"),
  ...o("no", "Ikke send meg mer reklame"),
  ...o("da", "Stop med at skrive til mig"),
  ...o("pl", "Proszę usunąć mój numer"),
  ...look(
    "en",
    "Can I stop by at 3?",
    "What stop do I get off at?",
    "Is the sale ending soon?",
    "I'd like to cancel my booking for Friday",
    "Please remove the extra charge",
    "Start shipping when?",
    "Don't stop sending coupons!",
    "I had to quit early yesterday",
    "End date for the promo?",
    "Who do I contact to cancel my gym membership?",
    "Thanks, that stopped the leak",
    "Stop the presses, that's cheap!",
    "I unsubscribed from your emails but I still want texts",
    "Quitting smoking was hard, thanks for the support",
    "Stop light was out on Elm",
    "I can't make it, cancel please",
    "Can you stop the delivery? I won't be home",
    "Please cancel my order and refund me",
  ),
  ...ign(
    "en",
    "Yes, I'll take two",
    "Unsure if I can come",
    "Remind me again what time?",
    "How late are you open?",
  ),
  ...look("nl", "Ik stop er morgen mee met roken"),
  ...ign("de", "Ich bin um 5 Uhr da"),
  ...look("fr", "L'arrêt de bus est loin ?"),
  ...ign("es", "¿Cuándo termina la oferta?", "No, gracias"),
  ...look("pt", "Vou parar na loja amanhã"),
  ...look("it", "Annulla l'ordine 123 per favore"),
  { text: "START please", expected: "opt_in", rule: "keyword_qualified", lang: "en" },
  { text: "Subscribe me", expected: "opt_in", lang: "en" },
  { text: "Help?", expected: "help", rule: "keyword", lang: "en" },
  { text: "info pls", expected: "help", rule: "keyword_qualified", lang: "en" },
  { text: "What is this? HELP", expected: "help", lang: "en" },
];
const HOLDOUT: CorpusEntry[] = HOLDOUT_ENTRIES.map((e) => ({ ...e, holdout: true }));

/** A second held-out batch, written after HOLDOUT was used for tuning; measured once. */
const HOLDOUT_2_ENTRIES: CorpusEntry[] = [
  ...o(
    "en",
    "Please stop sending these to me",
    "I'd appreciate it if you stopped texting me",
    "Kindly remove me from your mailing list",
    "Txt STOP? ok STOP",
    "STOP STOP STOP STOP",
    "Stop sending me this garbage",
    "UNSUBSCRIBE!!!!!",
    "Cancel my subscription",
    "No more, thank you",
    "please don't send me any more texts",
    "I am not interested in receiving these messages",
    "Stop msg",
    "Stop sending me promos, I already bought one",
    "this number doesn't want your texts",
    "Who is this? Please remove this number",
    "Unsub pls",
    "Stop contacting me!",
    "No more marketing texts please",
  ),
  ...o("nl", "Ik wil deze berichten niet meer ontvangen", "Afmelden graag"),
  ...o(
    "de",
    "Bitte hören Sie auf, mir Nachrichten zu senden",
    "Ich möchte keine weiteren Nachrichten erhalten",
  ),
  ...o("fr", "Merci d'arrêter les envois", "Désabonnez-moi svp"),
  ...o("es", "Dejen de mandarme mensajes por favor", "Baja por favor"),
  ...o("pt", "Quero parar de receber mensagens"),
  ...o("it", "Per favore smettete di scrivermi"),
  ...o("sv", "Sluta skicka reklam"),
  ...o("pl", "Proszę o wypisanie z listy"),
  ...look(
    "en",
    "I'll stop by the front desk",
    "What time does the sale end?",
    "Can I still cancel my order from yesterday?",
    "Remove item 2 from my order",
    "The bus stopped running at 10",
    "I want to quit my membership",
    "End of story, I'll buy it",
    "STOPPED BY TODAY, GREAT SERVICE",
    "Thank you for stopping the charge",
    "No stop on my street?",
  ),
  ...ign("en", "Help me choose a size", "Is the offer still valid?", "Yes! See you then", "Sure"),
  ...look("nl", "Ik wil mijn bestelling annuleren"),
  ...look("de", "Können Sie die Lieferung stoppen?"),
  ...look("fr", "Je m'arrête chez vous demain"),
  ...look("es", "¿Puedo cancelar mi pedido?"),
  ...look("it", "Fermata dell'autobus?"),
  { text: "Yes please!", expected: "opt_in", rule: "keyword_qualified", lang: "en" },
  { text: "Help pls", expected: "help", rule: "keyword_qualified", lang: "en" },
  { text: "I need info", expected: "help", lang: "en" },
];
const HOLDOUT_2: CorpusEntry[] = HOLDOUT_2_ENTRIES.map((e) => ({ ...e, holdout: true }));

export const SMS_CORPUS: readonly CorpusEntry[] = Object.freeze([
  ...opOutForms(),
  ...optInForms(),
  ...helpForms(),
  ...FREE_TEXT,
  ...NEGATIVES,
  ...CONFLICTS,
  ...OTHER,
  ...HOLDOUT,
  ...HOLDOUT_2,
  // Written before the rules were read, scored once (docs/classifier.md), now training data.
  ...FRESH_BATCH_A,
  ...PROBES_AFTER_BATCH_A,
  // Held out until the batch A rules were done, scored once (docs/classifier.md), then used to
  // fix the rules: its entries keep holdout and their category, but it is training data now.
  ...FRESH_BATCH_B,
  ...PROBES_AFTER_BATCH_B,
  // Held out until the batch B rules were done, scored once (docs/classifier.md), then used to
  // fix the rules: its entries keep holdout and their category, but it is training data now.
  ...FRESH_BATCH_C,
  ...PROBES_AFTER_BATCH_C,
]);
