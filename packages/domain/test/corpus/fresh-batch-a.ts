/**
 * Fresh batch A: inbound SMS replies written from shared/spec/keywords.md and from how people
 * really text, BEFORE reading the classifier's rules or the rest of the corpus, then labelled as
 * a careful compliance officer would. It was scored once against the unchanged classifier
 * (docs/classifier.md, "first run, before changes, batch A") and is now training data.
 *
 * No message carries a MessageContext: every brand, campaign code and short code here is one
 * the account never configured (the carriers' prefix rule opts "STOP <anything>" out).
 *
 * Per section: keyword alone, keyword + brand/qualifier in both orders, free-text revocations
 * from polite to rude, look-alikes (the same words in another meaning: never opt out), opt-in
 * and HELP. `rule` is only set where the spec decides it; some qualifiers ("danke", "tak") are
 * not in the spec's list, so those entries assert the action only.
 */
import type { CorpusEntry as BaseEntry } from "./sms-corpus.js";

export type CorpusCategory = "keyword" | "keyword_brand" | "free_text" | "lookalike" | "opt_in" | "help";
export type CorpusEntry = BaseEntry & { category?: CorpusCategory };

type Overrides = Partial<Pick<CorpusEntry, "expected" | "rule">> & { norule?: true };
type Line = string | readonly [string, Overrides];
type Section = Partial<Record<CorpusCategory, readonly Line[]>>;

const DEFAULTS: Record<CorpusCategory, Pick<CorpusEntry, "expected" | "rule">> = {
  keyword: { expected: "opt_out", rule: "keyword" },
  keyword_brand: { expected: "opt_out", rule: "keyword_qualified" },
  free_text: { expected: "opt_out", rule: "free_text" },
  lookalike: { expected: "ignored" },
  opt_in: { expected: "opt_in", rule: "keyword" },
  help: { expected: "help", rule: "keyword" },
};

function section(lang: string, lines: Section): CorpusEntry[] {
  return Object.entries(lines).flatMap(([name, list]) => {
    const category = name as CorpusCategory;
    return (list ?? []).map((line): CorpusEntry => {
      const [text, over] = typeof line === "string" ? [line, {} as Overrides] : line;
      const entry: CorpusEntry = { text, lang, category, holdout: true, ...DEFAULTS[category] };
      if (over.expected) entry.expected = over.expected;
      if (over.rule) entry.rule = over.rule;
      if (over.norule) delete entry.rule;
      if (category === "lookalike") entry.lookalike = true;
      return entry;
    });
  });
}

const EN = section("en", {
  keyword: ["STOP", "Stop.", "unsubscribe", "CANCEL", "End", "QUIT!!", "Opt out"],
  keyword_brand: [
    "STOP Dominos",
    "Walgreens STOP",
    "STOP 78354",
    "UNSUBSCRIBE SPRING24",
    "stop pls",
    "Please stop",
    "END ALL",
    "cancel Peloton",
    "STOP NOW",
    "Sephora unsubscribe",
  ],
  free_text: [
    "please stop texting me",
    "Remove me from your list",
    "take me off your mailing list please",
    "no more texts",
    "Stop sending me these messages",
    "I don't want these texts anymore",
    "who is this?? stop messaging me",
    "Wrong number. Stop texting this number",
    "I never signed up for this, remove my number",
    "do not contact me again",
    "quit texting me bro",
    "enough with the messages already",
  ],
  lookalike: [
    "I'll stop by tomorrow afternoon",
    "can't stop laughing at this 😂",
    "Is there a bus stop near the store?",
    "end of the month works for me",
    "cancel my appointment on friday",
    "Please remove the onions from my order",
    "Does the sale end on Sunday?",
    "don't stop sending me the deals!",
    "I want to cancel my order, wrong size",
    "Bus stop?",
  ],
  opt_in: ["START", "Yes", "unstop"],
  help: ["HELP", "info", "Help?"],
});

const NL = section("nl", {
  keyword: ["AFMELDEN", "afmelden.", "Uitschrijven", "STOPPEN", "stoppen!!", "Stop"],
  keyword_brand: [
    "STOP Coolblue",
    "Zalando afmelden",
    "AFMELDEN Zalando",
    "STOP 4411",
    "uitschrijven KORTING25",
    "stoppen aub",
    "alsjeblieft stoppen",
    "Stop alles",
    "Kruidvat stop",
    ["afmelden graag", { norule: true }],
  ],
  free_text: [
    "hou op met sms'en",
    "Graag geen sms'jes meer",
    "Haal mijn nummer uit jullie bestand alstublieft",
    "Ik wil geen berichten meer ontvangen",
    "Verwijder mij van jullie lijst",
    "Stop met het sturen van berichten",
    "Ik wil geen sms meer van jullie",
    "Kunnen jullie ophouden met die berichtjes?",
    "Laat me met rust met jullie sms reclame",
    "Schrijf me uit aub",
    "Niet meer sms'en naar dit nummer",
    "Ik heb me nooit aangemeld, verwijder mijn nummer",
  ],
  lookalike: [
    "Ik wil me afmelden voor de cursus van dinsdag",
    "De bus stopt bij de halte voor de deur",
    "Ik ben gestopt met roken!",
    "Kan ik mijn bestelling nog stoppen? Verkeerde maat",
    "Wanneer stoppen jullie met de uitverkoop?",
    "Mijn dochter wil zich uitschrijven bij de zwemles",
    "Stop maar in de brievenbus",
    "Kunt u het pakket in de schuur stoppen?",
    "Niet stoppen met die aanbiedingen, top!",
    "Ik kom morgen even langs",
  ],
  opt_in: ["AANMELDEN", "Start", "aanmelden!"],
  help: ["HULP", "info", "Hulp?"],
});

const DE = section("de", {
  keyword: ["STOPP", "Abmelden", "ABBESTELLEN", "stop", "stopp!", "Abbestellen."],
  keyword_brand: [
    "STOPP Zalando",
    "Otto stopp",
    "ABMELDEN MediaMarkt",
    "Lidl abbestellen",
    "STOP 82323",
    "abmelden SOMMER24",
    "Stopp bitte",
    "bitte abmelden",
    "STOPP ALLE",
    ["Abbestellen danke", { norule: true }],
  ],
  free_text: [
    "bitte keine sms mehr",
    "Hören Sie auf, mir SMS zu schicken",
    "Bitte löschen Sie meine Nummer aus Ihrer Datei",
    "Ich möchte keine Nachrichten mehr erhalten",
    "Nehmen Sie mich bitte aus dem Verteiler",
    "Keine Werbung mehr per SMS bitte",
    "Lasst mich in Ruhe mit eurer SMS-Werbung",
    "Schreibt mir nicht mehr",
    "Ich will keine SMS mehr von euch bekommen",
    "Bitte tragen Sie mich aus der Liste aus",
    "Hört endlich auf mit dem Spam",
    "Ich habe mich nie angemeldet, bitte Nummer löschen",
  ],
  lookalike: [
    "Ich muss mein Kind vom Kurs abmelden, wie geht das?",
    "Kann ich die Bestellung noch stoppen? Falsche Größe",
    "Ich möchte die Zeitung abbestellen, nicht die SMS",
    "Bitte nicht abmelden, ich will weiter Angebote",
    "Zwischenstopp in Frankfurt, komme später",
    "Bitte die Lieferung stoppen, ich bin im Urlaub",
    "Ich kann nicht aufhören zu lachen",
    "Können Sie meinen Termin am Freitag absagen?",
    "Ich habe mich beim Fitnesskurs abgemeldet, bekomme ich das Geld zurück?",
    "Wann endet die Aktion?",
  ],
  opt_in: ["ANMELDEN", "Start", "anmelden"],
  help: ["HILFE", "Info", ["Hilfe bitte", { norule: true }]],
});

const FR = section("fr", {
  keyword: ["STOP", "Arrêt", "ARRETER", "désabonner", "DESINSCRIRE", "Arrêter."],
  keyword_brand: [
    "STOP Carrefour",
    "Fnac STOP",
    "STOP 36180",
    "STOP au 36180",
    "Désabonner Decathlon",
    "ARRET PROMO10",
    "stop svp",
    "svp stop",
    ["Stop merci", { norule: true }],
    "STOP TOUT",
  ],
  free_text: [
    "ne plus recevoir",
    "Merci de ne plus m'envoyer de SMS",
    "Je ne veux plus recevoir vos messages",
    "Retirez-moi de votre liste svp",
    "Supprimez mon numéro de votre fichier s'il vous plaît",
    "Arrêtez de m'envoyer des textos",
    "Plus de sms svp",
    "Foutez-moi la paix avec vos pubs",
    "Désinscrivez-moi",
    "Je souhaite me désabonner de vos sms",
    "Arrêtez de me harceler avec vos messages",
    "Je n'ai jamais demandé ça, enlevez mon numéro",
  ],
  lookalike: [
    "Je passe à l'arrêt de bus à 18h",
    "Je dois annuler mon rendez-vous de vendredi",
    "J'ai arrêté de fumer grâce à vous !",
    "On se retrouve à l'arrêt du tram ?",
    "Je n'arrête pas de rire",
    "Pouvez-vous arrêter la livraison, je suis en vacances",
    "Je voudrais me désinscrire du cours de yoga de jeudi",
    "Surtout n'arrêtez pas les promos !",
    "La voiture est à l'arrêt devant chez vous",
    "C'est la fin du mois, je paie lundi",
  ],
  opt_in: ["INSCRIRE", "START", "inscrire"],
  help: ["AIDE", "Info", ["aide svp", { norule: true }]],
});

const ES = section("es", {
  keyword: ["BAJA", "Alto", "PARAR", "cancelar", "Stop", "baja."],
  keyword_brand: [
    "BAJA Movistar",
    "Zara baja",
    "STOP 22533",
    "BAJA PROMO2X1",
    "baja por favor",
    "por favor baja",
    "ALTO YA",
    "Cancelar Telepizza",
    "BAJA TODOS",
    "parar ahora",
  ],
  free_text: [
    "no mas",
    "No quiero recibir más mensajes",
    "Dejen de mandarme mensajes por favor",
    "Bórrenme de su lista",
    "Quiten mi número de su base de datos",
    "No me manden más SMS",
    "Darme de baja por favor",
    "Quiero darme de baja de sus mensajes",
    "Ya basta de mensajes",
    "Dejad de escribirme",
    "No me escriban más, gracias",
    "Eliminen mi número por favor",
  ],
  lookalike: [
    "La batería está baja",
    "Necesito cancelar la cita del viernes",
    "Estoy de baja médica, no puedo ir",
    "El precio es muy alto",
    "No puedo parar de reír",
    "Quiero cancelar mi pedido, me equivoqué de talla",
    "Paso por la tienda mañana",
    "¡No paren de mandar ofertas!",
    "Lo dejo en la planta baja",
    "Mi hijo es muy alto para esa talla",
  ],
  opt_in: ["ALTA", "Start", "alta"],
  help: ["AYUDA", "info", ["Ayuda por favor", { norule: true }]],
});

const PT = section("pt", {
  keyword: ["PARAR", "Sair", "CANCELAR", "STOP", "sair.", "Parar!"],
  keyword_brand: [
    "SAIR Vivo",
    "Magalu sair",
    "PARAR 28001",
    "CANCELAR PROMO50",
    "sair por favor",
    "por favor parar",
    "parar agora",
    "Cancelar Renner",
    "STOP Americanas",
    "Continente sair",
  ],
  free_text: [
    "Não quero mais receber mensagens",
    "Parem de me mandar SMS",
    "Por favor tirem meu número da lista",
    "Me tire dessa lista",
    "Remova meu número do seu cadastro, por favor",
    "Chega de mensagens",
    "Não me mandem mais mensagens",
    "Quero sair da lista de SMS",
    "Me deixem em paz com essas propagandas",
    "Pare de enviar sms pra mim",
    "Não quero receber mais nada de vocês",
    "Deixem de me enviar mensagens, obrigado",
  ],
  lookalike: [
    "Vou sair agora, chego em 10 min",
    "Preciso cancelar minha consulta de sexta",
    "Não consigo parar de rir",
    "Quero cancelar o pedido, tamanho errado",
    "Vou sair do trabalho mais cedo hoje",
    "A que horas sai a entrega?",
    "Parei de fumar!",
    "Não parem com as promoções!",
    "Posso sair do curso de sábado?",
    "Passo na loja amanhã",
  ],
  opt_in: ["START", "Start!", "yes"],
  help: ["AJUDA", "Info", "ajuda?"],
});

const IT = section("it", {
  keyword: ["STOP", "Annulla", "DISISCRIVI", "cancellami", "Stop!", "ANNULLA."],
  keyword_brand: [
    "STOP Esselunga",
    "Zalando stop",
    "STOP 48000",
    "DISISCRIVI PROMO24",
    "Cancellami Unieuro",
    "stop per favore",
    "per favore stop",
    ["stop grazie", { norule: true }],
    "STOP TUTTO",
    "Coop disiscrivi",
  ],
  free_text: [
    "Non voglio più ricevere messaggi",
    "Smettetela di mandarmi sms",
    "Per favore cancellate il mio numero dal vostro archivio",
    "Toglietemi dalla lista",
    "Basta messaggi",
    "Non mandatemi più sms",
    "Vorrei disiscrivermi",
    "Lasciatemi in pace con i vostri sms pubblicitari",
    "Cancellatemi dalla vostra lista per favore",
    "Rimuovete il mio numero",
    "Non scrivetemi più",
    "Annulla iscrizione",
  ],
  lookalike: [
    "Annulla l'ordine, ho sbagliato taglia",
    "Devo annullare l'appuntamento di venerdì",
    "Non riesco a smettere di ridere",
    "Passo domani in negozio",
    "C'è una fermata dell'autobus vicino?",
    "Ho smesso di fumare!",
    "Vorrei cancellare la prenotazione del tavolo",
    "Non smettete di mandare offerte!",
    "Mi sono disiscritto dalla palestra, mi rimborsate?",
    "Stop al semaforo, arrivo tra 5 minuti",
  ],
  opt_in: ["START", "Start", "yes"],
  help: ["AIUTO", "Info", ["aiuto per favore", { norule: true }]],
});

const SV = section("sv", {
  keyword: ["STOPP", "Avsluta", "UNSUB", "stopp!", "STOP", "avsluta."],
  keyword_brand: [
    "STOPP ICA",
    "Elgiganten stopp",
    "STOPP 72550",
    "AVSLUTA REA24",
    ["stopp tack", { norule: true }],
    "Avsluta Apotea",
    "stopp nu",
    "STOPP ALLA",
    "Lindex avsluta",
    "STOP Clas Ohlson",
  ],
  free_text: [
    "Sluta skicka sms till mig",
    "Jag vill inte ha fler sms",
    "Ta bort mitt nummer från er lista",
    "Inga fler meddelanden tack",
    "Avregistrera mig",
    "Sluta spamma mig",
    "Jag vill inte få fler meddelanden från er",
    "Radera mitt nummer ur ert register",
    "Låt mig vara i fred med era reklam-sms",
    "Vill avsluta era sms-utskick",
    "Sluta skriva till mig",
    "Ta bort mig från utskicken tack",
  ],
  lookalike: [
    "Vi avslutar mötet klockan tre",
    "Jag vill avsluta mitt gymkort",
    "Kan ni stoppa leveransen, jag är bortrest",
    "Busshållplatsen är precis utanför",
    "Jag kan inte sluta skratta",
    "Jag har slutat röka!",
    "Sluta inte med erbjudandena!",
    "Avbokar min tid på fredag",
    "Stopp i avloppet, kan ni komma?",
    "När slutar rean?",
  ],
  opt_in: ["START", "start", "Yes"],
  help: ["HELP", "Info", "info?"],
});

const NO = section("no", {
  keyword: ["STOPP", "Avmeld", "AVMELD", "stopp.", "UNSUB", "Stopp!"],
  keyword_brand: [
    "STOPP Elkjøp",
    "Komplett stopp",
    "STOPP 2030",
    "AVMELD SALG24",
    ["avmeld takk", { norule: true }],
    "stopp nå",
    "STOPP ALLE",
    "Avmeld XXL",
    "Kiwi stopp",
    "vennligst stopp",
  ],
  free_text: [
    "Slutt å sende meg sms",
    "Jeg vil ikke ha flere meldinger",
    "Fjern nummeret mitt fra listen deres",
    "Ikke send meg flere sms",
    "Meld meg av",
    "Vennligst slett nummeret mitt fra registeret",
    "Ingen flere meldinger takk",
    "La meg være i fred med reklamen deres",
    "Jeg ønsker ikke å motta flere meldinger",
    "Slutt å spamme meg",
    "Ta meg av lista",
    "Vil ikke ha mer reklame på sms",
  ],
  lookalike: [
    "Jeg må avmelde meg fra kurset på fredag",
    "Bussen stopper rett utenfor",
    "Kan dere stoppe leveransen? Jeg er bortreist",
    "Jeg klarer ikke slutte å le",
    "Jeg har sluttet å røyke!",
    "Ikke slutt med tilbudene!",
    "Vi avslutter møtet klokka tre",
    "Jeg kommer innom i morgen",
    "Når slutter salget?",
    "Stopp i vasken, kan dere komme?",
  ],
  opt_in: ["START", "Start", "yes"],
  help: ["HELP", "info", "Help?"],
});

const DA = section("da", {
  keyword: ["STOPP", "Afmeld", "AFMELD", "stop", "UNSUB", "afmeld!"],
  keyword_brand: [
    "STOP Matas",
    "Netto stop",
    "AFMELD Bilka",
    "STOPP 1919",
    "AFMELD TILBUD24",
    ["stop tak", { norule: true }],
    "afmeld venligst",
    "stop nu",
    "STOP ALLE",
    "Elgiganten afmeld",
  ],
  free_text: [
    "Stop med at sende mig sms",
    "Jeg vil ikke modtage flere beskeder",
    "Fjern mit nummer fra jeres liste",
    "Slet venligst mit nummer fra jeres kartotek",
    "Ingen flere sms tak",
    "Meld mig af",
    "Lad mig være i fred med jeres sms-reklamer",
    "Send ikke flere beskeder til mig",
    "Jeg ønsker ikke at modtage flere sms'er",
    "Hold op med at skrive til mig",
    "Tag mig af listen",
    "Jeg har aldrig tilmeldt mig, fjern mit nummer",
  ],
  lookalike: [
    "Jeg vil afmelde min søn fra fodbold på lørdag",
    "Bussen stopper lige udenfor",
    "Kan I stoppe leveringen, jeg er på ferie",
    "Jeg kan ikke stoppe med at grine",
    "Jeg er stoppet med at ryge!",
    "Stop ikke med tilbuddene!",
    "Jeg kigger forbi i morgen",
    "Hvornår slutter udsalget?",
    "Stop i afløbet, kan I komme?",
    "Jeg må aflyse min tid fredag",
  ],
  opt_in: ["START", "Start", "YES"],
  help: ["HELP", "Info", "info?"],
});

const PL = section("pl", {
  keyword: ["STOP", "Rezygnuję", "REZYGNUJE", "wypisz", "WYPISZ!", "Stop."],
  keyword_brand: [
    "STOP Allegro",
    "Rossmann stop",
    "STOP 7122",
    "REZYGNUJĘ Orange",
    "WYPISZ PROMO24",
    "stop proszę",
    "proszę stop",
    "Wypisz Zalando",
    "STOP WSZYSTKO",
    "stop teraz",
  ],
  free_text: [
    "Nie chcę więcej SMS-ów",
    "Proszę usunąć mój numer z bazy",
    "Przestańcie do mnie pisać",
    "Wypiszcie mnie z listy",
    "Nie chcę otrzymywać więcej wiadomości",
    "Rezygnuję z otrzymywania SMS",
    "Proszę nie wysyłać mi więcej wiadomości",
    "Dajcie mi spokój z tymi reklamami",
    "Usuńcie mnie z listy",
    "Koniec z tymi smsami",
    "Wypisuję się",
    "Nie piszcie do mnie więcej",
  ],
  lookalike: [
    "Rezygnuję z zamówienia, pomyliłem rozmiar",
    "Wypisz mi fakturę na firmę",
    "Muszę odwołać wizytę w piątek",
    "Nie mogę przestać się śmiać",
    "Przystanek jest przed sklepem",
    "Rzuciłem palenie!",
    "Wpadnę jutro do sklepu",
    "Czy możecie wypisać zaświadczenie?",
    "Nie przestawajcie z promocjami!",
    "Rezygnuję z wizyty w sobotę",
  ],
  opt_in: ["START", "Start", "yes"],
  help: ["HELP", "INFO", "info?"],
});

export const FRESH_BATCH_A: CorpusEntry[] = [
  ...EN,
  ...NL,
  ...DE,
  ...FR,
  ...ES,
  ...PT,
  ...IT,
  ...SV,
  ...NO,
  ...DA,
  ...PL,
];
