/**
 * Rule 2 with a name the account never configured: "STOP Walgreens", "Zalando afmelden",
 * "Elgiganten stopp", "Uber Eats stop". The carriers' rule opts these out (the recipient names
 * the sender), so a message made of an opt-out keyword, qualifiers and ONE unknown word (or a
 * name of up to three, written as a name: see `mayBeUnknownBrand`) counts as keyword + brand, unless that word is an everyday word that gives the keyword its other meaning ("bus
 * stop", "stop by", "batería baja", "cancel order", "sin parar", "vou sair"): those pairs are
 * look-alikes. The lists hold the words that make such pairs, by language, plus the small words
 * (articles, pronouns, prepositions, negations) no brand is made of.
 */
import { normalizeText } from "./normalize-text.js";
import type { KeywordMeaning } from "./vocabulary.js";

const EVERYDAY_NEIGHBOURS: Readonly<Record<string, readonly string[]>> = {
  // Small words and the nouns of "bus stop", "stop sign", "cancel order", "end date".
  en: [
    "a an the my your his her its our their this that these those it me you him them us we i he she they",
    "by at in on over off to for from of with into up down out here there when if what where why how who",
    "is was are be been and or but not dont never cant wont no yes ok okay lol haha hahaha jk",
    "sign signs light lights loss motion watch button bus pit full truck rest last next first one non nonstop",
    "gym membership subscription contract lesson lessons session insurance policy",
    "dead week weekend happy high low back front year month day game time date line point result results",
    "order orders appointment appt booking reservation meeting flight delivery payment item items charge fee",
    "trip ride call plan plans class job smoking today tomorrow tonight now later soon already again",
    "text texts txt txts msg msgs message messages sms ads promo promos emails email spam calls",
    "monday tuesday wednesday thursday friday saturday sunday mon tue wed thu fri sat sun morning afternoon",
    "evening night noon account cart duplicates duplicate",
  ],
  nl: [
    "de het een mijn je jouw uw die dat deze dit ik jij hij zij wij we ze bij om met in op naar van voor",
    // Not "maar": "stop maar" is "just stop".
    "even eens hier daar niet nooit wel geen en of ook nog al dan toen bus halte trein tijd",
    "bestelling afspraak levering berichten berichtjes smsjes sms reclame maandag dinsdag woensdag",
    "donderdag vrijdag zaterdag zondag morgen vandaag vanavond straks",
  ],
  de: [
    "der die das den dem des ein eine einen mein meine dein ich du er sie wir es mal doch bitte hier da",
    "nicht nie kein keine und oder aber auch noch schon an am im in auf bei mit zu vom von bus bahn zug",
    "bestellung termin lieferung zahlung nachrichten werbung sms montag dienstag mittwoch donnerstag",
    "freitag samstag sonntag morgen heute abend gleich",
  ],
  fr: [
    "le la les un une des du de mon ma mes ton ta je tu il elle nous vous on ce cette ici la sans pas ne",
    "non jamais et ou mais au aux a en sur bus tram metro maladie travail commande rendez vous livraison",
    "messages textos pubs lundi mardi mercredi jeudi vendredi samedi dimanche demain aujourdhui soir",
    "cardiaque maladie",
  ],
  es: [
    "el la los las un una unos unas mi mis tu su yo tu el ella nosotros de del en con sin por para a al",
    "no nunca y o pero muy mas tan bastante demasiado aqui alli bus bateria planta marea temporada voz",
    "presion tension precio nivel medica cita pedido reserva compra vuelo entrega pago mensajes lunes",
    "martes miercoles jueves viernes sabado domingo manana hoy noche ahi alla",
  ],
  pt: [
    "o a os as um uma meu minha teu tua seu sua eu tu ele ela nos de do da dos das em no na com sem por",
    "para ao nao nunca e ou mas muito mais vou vai vamos pode posso quero preciso cedo hoje amanha casa",
    "trabalho escola loja pedido consulta encomenda compra reserva entrega mensagens segunda terca",
    "quarta quinta sexta sabado domingo noite daqui dali",
  ],
  it: [
    "il lo la i gli le un uno una mio mia tuo tua io tu lui lei noi di del della da dal in con senza su per",
    "a al non mai e o ma molto qui li ordine prenotazione appuntamento consegna pagamento semaforo",
    "autobus messaggi lunedi martedi mercoledi giovedi venerdi sabato domenica domani oggi stasera",
  ],
  sv: [
    "en ett den det de min mitt mina din jag du han hon vi ni i pa med av till fran for om inte aldrig",
    "och eller men har dar utan buss bussen tag avloppet bestallning leverans meddelanden samtalet",
    "motet mote kontot kopet kop ordern mandag tisdag onsdag torsdag fredag lordag sondag imorgon idag ikvall",
  ],
  no: [
    "en ei et den det de min mitt mine din jeg du han hun vi dere i pa med av til fra for om ikke aldri",
    "og eller men her der uten buss bussen tog vasken bestilling levering meldinger samtalen",
    "motet mandag tirsdag onsdag torsdag fredag lordag sondag imorgen idag ikveld",
  ],
  da: [
    "en et den det de min mit mine din jeg du han hun vi i pa med af til fra for om ikke aldrig og eller",
    "men her der uden bus bussen tog aflobet bestilling levering beskeder samtalen modet mandag",
    "tirsdag onsdag torsdag fredag lordag sondag imorgen idag iaften",
  ],
  pl: [
    "ja ty on ona my wy mi mnie moj moja moje twoj z ze w we na do od dla bez o nie nigdy i lub ale",
    "tu tam autobus zamowienie zamowienia wizyte wizyty fakture paragon dostawe wiadomosci smsy",
    "poniedzialek wtorek sroda czwartek piatek sobota niedziela jutro dzisiaj dzis",
  ],
};

const EVERYDAY_WORDS: ReadonlySet<string> = new Set(
  Object.values(EVERYDAY_NEIGHBOURS).flatMap((lines) =>
    lines.flatMap((line) => normalizeText(line).split(" ")),
  ),
);

// An English gerund after the keyword is the everyday sense: "stop looking", "quit smoking".
const GERUND = /^[a-z]{3,}ing$/;
const HAS_LETTER = /\p{L}/u;
// French and Italian elide the article into the noun, and normalization joins them: "l'ordine"
// is "lordine", "d'appel" is "dappel". Only the articles and "de" (j', m', s', t', c' go before
// verbs), before a word of 4 letters or more: "Tim" is not "t'im", "Luna" not "l'una".
const ELIDED_ARTICLE = /^(?:dell|nell|sull|dall|all|qu|l|d)(?=[aeiouh][a-z]{3})/;
const FIRST_LETTER = /\p{L}/u;
const UPPER_CASE_LETTER = /\p{Lu}/u;

/**
 * Whether `tokens[index]`, a word the vocabulary does not know, may be a brand or name next to
 * the opt-out keyword(s) in `keywords`.
 */
export function mayBeUnknownName(
  tokens: readonly string[],
  index: number,
  keywords: readonly KeywordMeaning[],
): boolean {
  const token = tokens[index];
  if (token === undefined || token.length < 2 || !HAS_LETTER.test(token)) return false;
  if (!keywords.some((k) => k.action === "opt_out" && !k.freeTextOnly)) return false;
  if (EVERYDAY_WORDS.has(token) || EVERYDAY_WORDS.has(token.replace(ELIDED_ARTICLE, ""))) return false;
  return !GERUND.test(token);
}

/**
 * Whether the run `tokens[start .. start + length)` of words the vocabulary does not know may be
 * a brand next to the opt-out keyword(s): every word may be a name (`mayBeUnknownName`), and a
 * name of two or three words is written as one, each word capitalized or the whole message in
 * capitals ("Uber Eats stop", "Afmelden Albert Heijn", "STOP CLAS OHLSON"). Lower-case pairs are
 * too often everyday words the lists do not hold ("cancel gym membership", "stop eating meat").
 */
export function mayBeUnknownBrand(
  rawText: string,
  tokens: readonly string[],
  start: number,
  length: number,
  keywords: readonly KeywordMeaning[],
): boolean {
  for (let k = start; k < start + length; k++) if (!mayBeUnknownName(tokens, k, keywords)) return false;
  if (length === 1) return true;
  const capitalized = capitalizedWords(rawText);
  return tokens.slice(start, start + length).every((token) => capitalized.has(token));
}

/** The normalized words of the text that were typed with a capital first letter. */
function capitalizedWords(rawText: string): Set<string> {
  const words = new Set<string>();
  for (const word of rawText.trim().split(/\s+/)) {
    const first = FIRST_LETTER.exec(word)?.[0];
    if (first === undefined || !UPPER_CASE_LETTER.test(first)) continue;
    const normalized = normalizeText(word);
    // "Domino's" is "dominos"; "H&M" is "h m" as tokens and "hm" typed as one word.
    for (const token of normalized.split(" ")) words.add(token);
    words.add(normalized.replaceAll(" ", ""));
  }
  return words;
}

// Small words that join the words of a name, inside it only: "Pharmacie du Centre", "Bakkerij
// De Molen", "Pizzeria Da Mario", "Bageriet vid Torget", "Piekarnia pod Lipami".
const NAME_JOINERS: ReadonlySet<string> = new Set(
  "de du des la le les del della delle dei di da do dos das am an im zum zur der den von van vom of the and y e i og och pa vid ved pod nad na w".split(
    " ",
  ),
);
// Everyday words of the lists above that shop and company names are made of ("SAIR Loja Verde",
// "Deutsche Bahn abbestellen"); the other everyday words (orders, appointments, days, small
// words) keep a keyword's other meaning even when capitalized ("Cancel Dentist Appointment").
const NAME_NOUNS: ReadonlySet<string> = new Set(["loja", "casa", "bahn"]);
const MAX_WRITTEN_NAME_WORDS = 4;

/**
 * Whether `name` (the normalized words beside an opt-out keyword, the whole rest of the message)
 * is a brand of two to four words written as one, with common nouns in it: "Sunny Paws Grooming
 * cancel", "Pharmacie du Centre STOP", "SAIR Loja Verde". Every word but a joiner inside the name
 * is capitalized and not a word of the vocabulary; at least one is not an everyday word; an
 * everyday word may only be a shop noun, an English gerund only in a name of three words and not
 * first ("Eating Meat", "Global Warming" are the everyday sense, "Sunny Paws Grooming" a name). `isVocabularyWord` says which words are
 * keywords or qualifiers.
 */
export function isWrittenBrandName(
  rawText: string,
  name: readonly string[],
  isVocabularyWord: (word: string) => boolean,
): boolean {
  if (name.length < 2 || name.length > MAX_WRITTEN_NAME_WORDS) return false;
  const capitalized = capitalizedWords(rawText);
  let distinctive = false;
  for (let i = 0; i < name.length; i++) {
    const word = name[i] as string;
    if (i > 0 && i < name.length - 1 && NAME_JOINERS.has(word)) continue;
    if (word.length < 2 || !HAS_LETTER.test(word) || !capitalized.has(word) || isVocabularyWord(word))
      return false;
    if (GERUND.test(word)) {
      if (i === 0 || name.length < 3) return false;
      continue;
    }
    if (EVERYDAY_WORDS.has(word) || EVERYDAY_WORDS.has(word.replace(ELIDED_ARTICLE, ""))) {
      if (!NAME_NOUNS.has(word)) return false;
      continue;
    }
    distinctive = true;
  }
  return distinctive;
}
