/**
 * The keyword tables of shared/spec/keywords.md, by language, and the words that may stand
 * next to a keyword without changing its meaning. Entries are written as people type them;
 * the classifier normalizes them (normalize-text.ts) before use.
 */

export type KeywordTable = Readonly<Record<string, readonly string[]>>;

/** Opt-out keywords, exactly as in the spec. The sv/no/da row is shared by the three languages. */
export const OPT_OUT_KEYWORDS: KeywordTable = Object.freeze({
  en: [
    "STOP",
    "STOPALL",
    "STOP ALL",
    "UNSUBSCRIBE",
    "UNSUB",
    "CANCEL",
    "END",
    "QUIT",
    "OPTOUT",
    "OPT OUT",
    "OPT-OUT",
    "REVOKE",
    "REMOVE",
  ],
  nl: ["STOP", "AFMELDEN", "UITSCHRIJVEN", "STOPPEN"],
  de: ["STOP", "STOPP", "ABMELDEN", "ABBESTELLEN"],
  fr: ["STOP", "ARRET", "ARRETER", "DESABONNER", "DESINSCRIRE"],
  es: ["STOP", "BAJA", "ALTO", "PARAR", "CANCELAR"],
  pt: ["PARAR", "SAIR", "CANCELAR"],
  it: ["STOP", "ANNULLA", "DISISCRIVI", "CANCELLAMI"],
  sv: ["STOPP", "AVSLUTA", "AVMELD", "AFMELD", "UNSUB"],
  no: ["STOPP", "AVSLUTA", "AVMELD", "AFMELD", "UNSUB"],
  da: ["STOPP", "AVSLUTA", "AVMELD", "AFMELD", "UNSUB"],
  pl: ["STOP", "REZYGNUJE", "WYPISZ"],
});

/**
 * Opt-in keywords. The spec lists them without languages; they are filed under the language
 * they come from, and START, used as is across Europe, under all of them.
 */
export const OPT_IN_KEYWORDS: KeywordTable = Object.freeze({
  en: ["START", "UNSTOP", "YES", "SUBSCRIBE"],
  nl: ["START", "AANMELDEN"],
  de: ["START", "ANMELDEN"],
  fr: ["START", "INSCRIRE"],
  es: ["START", "ALTA"],
});

/** Help keywords; INFO is international. */
export const HELP_KEYWORDS: KeywordTable = Object.freeze({
  en: ["HELP", "INFO"],
  nl: ["HULP", "INFO"],
  de: ["HILFE", "INFO"],
  fr: ["AIDE", "INFO"],
  es: ["AYUDA", "INFO"],
  pt: ["AJUDA", "INFO"],
  it: ["AIUTO", "INFO"],
});

/**
 * The best-guess language of a keyword the table files under several languages, when the word
 * itself is clearly from one of them (Swedish "avsluta", Norwegian "avmeld", Danish "afmeld").
 */
export const KEYWORD_LANGUAGE_HINTS: Readonly<Record<string, string>> = Object.freeze({
  AVSLUTA: "sv",
  AVMELD: "no",
  AFMELD: "da",
});

/**
 * Words that say "stop" as plainly as a keyword but are not in the spec's tables: imperatives
 * ("Arrêtez", "Hört auf"), and spellings people use ("stahp"). They count under rule 3 only
 * (alone or with qualifiers and fillers), so strict mode stays exactly the spec's tables.
 */
export const FREE_TEXT_OPT_OUT_WORDS: KeywordTable = Object.freeze({
  en: ["STAHP", "CEASE", "DESIST", "CEASE AND DESIST", "STOP IT", "STOP NOW"],
  nl: ["HOU OP", "HOUD OP", "HOUDT OP", "HOUD NOU OP", "HOU NOU OP", "KAPPEN", "KAP ERMEE"],
  de: ["HÖRT AUF", "HÖREN SIE AUF", "HÖR AUF", "AUFHÖREN", "SCHLUSS"],
  fr: ["ARRÊTEZ", "ARRÊTE", "CESSEZ", "STOPPEZ", "ÇA SUFFIT"],
  es: ["PAREN", "DETENGAN", "DEJEN DE", "BASTA", "YA BASTA"],
  pt: ["PAREM", "PARE", "CHEGA", "BASTA"],
  it: ["SMETTETE", "SMETTETELA", "SMETTILA", "BASTA", "FERMATEVI"],
  sv: ["SLUTA", "SLUTA NU"],
  no: ["SLUTT", "SLUTT NÅ"],
  da: ["HOLD OP", "STOP NU"],
  pl: ["PRZESTAŃCIE", "PRZESTAŃ", "DOŚĆ", "KONIEC"],
});

/**
 * Opt-out keywords that also have an everyday meaning ("cancel my appointment", "end of the
 * month", "alto" = tall). They count alone or with qualifiers (rules 1 and 2) but not as the
 * opening word of a longer sentence, where the everyday meaning is the likelier one.
 */
export const AMBIGUOUS_OPT_OUT_KEYWORDS: ReadonlySet<string> = new Set([
  "CANCEL",
  "END",
  "QUIT",
  "REMOVE",
  "REVOKE",
  "ALTO",
  "PARAR",
  "CANCELAR",
  "SAIR",
  "ANNULLA",
  "BAJA",
]);

/**
 * Rule 2 qualifiers: ALL, PLEASE/PLS, NOW and their localized equivalents. A message made of a
 * keyword and only these words means the keyword ("STOP ALL", "stop please", "STOPP bitte").
 */
export const QUALIFIERS: KeywordTable = Object.freeze({
  en: [
    "ALL",
    "PLEASE",
    "PLS",
    "PLZ",
    "PLEASE PLEASE",
    "PLEEZ",
    "PLEASEE",
    "PLEASEEE",
    "NOW",
    "RIGHT NOW",
    "ASAP",
    "IMMEDIATELY",
  ],
  nl: [
    "ALLE",
    "ALLES",
    "ALSTUBLIEFT",
    "ALSJEBLIEFT",
    "ASJEBLIEFT",
    "AUB",
    "A.U.B.",
    "AJB",
    "GRAAG",
    "NU",
    "DIRECT",
    "METEEN",
    "NU METEEN",
  ],
  de: ["ALLE", "ALLES", "BITTE", "BITTE BITTE", "JETZT", "SOFORT"],
  fr: [
    "TOUT",
    "TOUS",
    "TOUTES",
    "S'IL VOUS PLAIT",
    "S'IL TE PLAIT",
    "SIL VOUS PLAIT",
    "SVP",
    "S.V.P.",
    "STP",
    "MAINTENANT",
    "IMMEDIATEMENT",
    "TOUT DE SUITE",
  ],
  es: [
    "TODO",
    "TODOS",
    "TODAS",
    "POR FAVOR",
    "PORFAVOR",
    "PORFA",
    "XFA",
    "YA",
    "AHORA",
    "AHORA MISMO",
    "INMEDIATAMENTE",
  ],
  pt: ["TUDO", "TODOS", "TODAS", "POR FAVOR", "PORFAVOR", "PF", "PFV", "AGORA", "JA", "IMEDIATAMENTE"],
  it: ["TUTTO", "TUTTI", "PER FAVORE", "PERFAVORE", "PER PIACERE", "ORA", "ADESSO", "SUBITO"],
  // "tack"/"takk"/"tak" are how Scandinavians say please in a request ("Stopp tack").
  sv: ["ALLA", "ALLT", "TACK", "SNÄLLA", "NU", "GENAST"],
  no: ["ALLE", "ALT", "TAKK", "VENNLIGST", "NÅ"],
  da: ["ALLE", "ALT", "TAK", "VENLIGST", "NU"],
  pl: ["WSZYSTKO", "WSZYSTKIE", "PROSZĘ", "TERAZ", "JUŻ", "NATYCHMIAST"],
});

/**
 * Words that join a keyword to the short code in national keyword flows, such as France's
 * "STOP au 36xxx". They count only when a number follows.
 */
export const SHORT_CODE_CONNECTORS: KeywordTable = Object.freeze({
  en: ["TO", "AT"],
  nl: ["NAAR", "AAN"],
  de: ["AN"],
  fr: ["AU", "A"],
  es: ["AL", "A"],
  pt: ["PARA", "AO"],
  it: ["AL", "A"],
  sv: ["TILL"],
  no: ["TIL"],
  da: ["TIL"],
  pl: ["DO", "NA"],
});

/**
 * Greetings, thanks and emphasis that people wrap around an opt-out ("ok stop", "STOP thank
 * you", "just stop it"). They are not qualifiers in the spec's sense, so a message that needs
 * them is a free-text revocation (rule 3), only for opt-out, and off in strict mode.
 */
export const FILLERS: KeywordTable = Object.freeze({
  en: [
    "THANKS",
    "THANK YOU",
    "THANK U",
    "THANKS SO MUCH",
    "THX",
    "TY",
    "TNX",
    "OK",
    "OKAY",
    "K",
    "HI",
    "HELLO",
    "HEY",
    "SORRY",
    "JUST",
    "IT",
    "THIS",
    "THAT",
    "ALREADY",
    "AGAIN",
    "SERIOUSLY",
    "GUYS",
    "MAN",
    "MATE",
    "BRO",
    "LOL",
    "OMG",
    "FFS",
    "DAMN",
    "FOR REAL",
    "ME",
    "YOU",
    "U",
    "THE",
    "TEXTS",
    "MESSAGES",
    "TEXTING",
    "MESSAGING",
    "SPAM",
    "ENOUGH",
    "OH",
    "FOR GOODS SAKE",
    "FOR GODS SAKE",
    "GOD",
    "JESUS",
    "DUDE",
    "NO",
    "NOPE",
    "NO THANKS",
    "NO THANK YOU",
    "WHO IS THIS",
    "I SAID",
    "SAID",
    "PLEASE JUST",
    "KINDLY",
    "BUT",
    "AND",
    "SO",
  ],
  nl: [
    "BEDANKT",
    "DANK JE",
    "DANKJEWEL",
    "DANK U",
    "DANK U WEL",
    "HOI",
    "HALLO",
    "OKE",
    "NOU",
    "GEWOON",
    "EVEN",
    "NEE",
    "NEE DANK JE",
    "AUB",
    "MAAR",
    "GEEN INTERESSE",
    "GEEN INTERESSE MEER",
  ],
  de: ["DANKE", "DANKE SCHÖN", "VIELEN DANK", "HALLO", "EINFACH", "ENDLICH", "NEIN", "NEIN DANKE", "ES"],
  fr: ["MERCI", "MERCI BEAUCOUP", "BONJOUR", "SALUT", "NON", "NON MERCI"],
  es: ["GRACIAS", "MUCHAS GRACIAS", "HOLA", "NO", "NO GRACIAS"],
  pt: ["OBRIGADO", "OBRIGADA", "OLÁ", "OI", "NÃO", "NÃO OBRIGADO"],
  it: ["GRAZIE", "CIAO", "NO", "NO GRAZIE", "BASTA"],
  sv: ["HEJ", "NEJ", "NEJ TACK"],
  no: ["HEI", "NEI", "NEI TAKK"],
  da: ["HEJ", "NEJ", "NEJ TAK"],
  pl: ["DZIĘKUJĘ", "DZIĘKI", "CZEŚĆ", "NIE", "NIE DZIĘKUJĘ"],
});
