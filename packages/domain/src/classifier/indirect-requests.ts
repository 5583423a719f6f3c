/**
 * Rule 3, the revocations said indirectly, per language: "how do I stop getting these?", a
 * third person's request ("my mother doesn't want these texts any more, remove her number"),
 * a formal withdrawal of consent (under the GDPR/AVG/DSGVO/RGPD/LGPD/RODO or the TCPA), a long
 * polite conditional ("I would appreciate it if you stopped sending me...") and dialect or
 * slang forms of "stop sending me messages". Each is a general shape with the messages, the
 * receiving or the person's number in it, so the same words about other things ("how do I
 * stop the car alarm", "my mother wants to cancel her appointment", "I withdraw my
 * application") do not match. Patterns run on normalized text, like free-text.ts, which joins
 * them into its one regex per language.
 */
import {
  DA_MESSAGES,
  DE_MESSAGES,
  EN_MESSAGES,
  ES_MESSAGES,
  FR_MESSAGES,
  IT_MESSAGES,
  NL_MESSAGES,
  NO_MESSAGES,
  PL_MESSAGES,
  PT_MESSAGES,
  SV_MESSAGES,
} from "./message-words.js";

/**
 * A third person's request, per language: "my" + a relative, a negated verb of wanting in the
 * next words (the negation just before it or a few words after: "wil deze berichten niet meer"),
 * and the messages;
 * or the relative, then a verb of removing + her/his number.
 */
interface ThirdPerson {
  /** "my mother", "mora mi", "a minha mãe". */
  relative: string;
  want: string;
  negation: string;
  messages: string;
  remove: string;
  /** Her/his/their number. */
  theirNumber: string;
}

const THIRD_PERSON: Readonly<Record<string, ThirdPerson>> = {
  en: {
    relative:
      "(?:my|our) (?:elderly |old |late |grand )?(?:mother|mom|mum|mommy|mama|father|dad|daddy|papa|wife|husband|son|daughter|grandma|grandmother|grandpa|grandfather|granny|nan|nana|aunt|uncle|brother|sister|kid|kids|child|children|boyfriend|girlfriend|partner|parents|grandparents|mother in law|father in law)",
    want: "(?:want|wants|wish|wishes|need|needs|asked|ask|sign|signed|consent|consented|agree|agreed)",
    negation: "(?:doesnt|does not|dont|do not|no longer|never|didnt|did not|not)",
    messages: EN_MESSAGES,
    remove: "(?:remove|delete|erase|take|unsubscribe|cancel)\\w*",
    theirNumber: "(?:her|his|their) (?:number|phone|phone number|cell|cell number|mobile|mobile number)",
  },
  nl: {
    relative:
      "(?:mijn|onze|mn) (?:moeder|mama|ma|vader|papa|pa|vrouw|man|zoon|dochter|oma|opa|zus|zuster|broer|tante|oom|ouders|grootouders|vriendin|vriend|partner|schoonmoeder|schoonvader|kind|kinderen)",
    want: "(?:wil|wilt|willen|hoeft|hoeven|wenst|wensen|vroeg|gevraagd|aangemeld)",
    negation: "(?:niet|geen|nooit)",
    messages: NL_MESSAGES,
    remove: "(?:verwijder|schrap|wis|haal)\\w*",
    theirNumber: "(?:haar|zijn|hun) (?:nummer|telefoonnummer|gegevens)",
  },
  de: {
    relative:
      "(?:meine|mein|unsere|unser) (?:mutter|mama|mutti|vater|papa|vati|frau|mann|sohn|tochter|oma|opa|grossmutter|grossvater|schwester|bruder|tante|onkel|eltern|grosseltern|freundin|freund|partnerin|partner|schwiegermutter|schwiegervater)",
    want: "(?:will|wollen|mochte|mochten|mag|braucht|brauchen|wunscht|wunschen|bestellt|angemeldet)",
    negation: "(?:nicht|keine|kein|keinerlei|nie|niemals)",
    messages: DE_MESSAGES,
    remove: "(?:losch|entfern|streich|austrag|trag)\\w*",
    theirNumber: "(?:ihre|seine|deren) (?:nummer|handynummer|telefonnummer|daten)",
  },
  fr: {
    relative:
      "(?:ma|mon|mes|notre) (?:mere|maman|pere|papa|femme|epouse|mari|fils|fille|grand mere|grand pere|mamie|mamy|papi|papy|soeur|frere|tante|oncle|parents|grands parents|copine|copain|compagne|compagnon|belle mere|beau pere|enfants?)",
    want: "(?:veut|veulent|voulait|souhaite|souhaitent|desire|desirent|demande|inscrit|inscrite)",
    negation: "(?:ne|n|pas|plus|jamais|aucun|aucune)",
    messages: FR_MESSAGES,
    remove: "(?:supprim|retir|enlev|effac|desinscri|desabonn)\\w*",
    theirNumber: "(?:son|leur) (?:numero|telephone|portable)|ses coordonnees",
  },
  es: {
    relative:
      "(?:mi|mis|nuestra|nuestro) (?:madre|mama|mami|padre|papa|papi|esposa|esposo|mujer|marido|hijo|hija|hijos|abuela|abuelo|abuelita|abuelito|hermana|hermano|tia|tio|padres|abuelos|novia|novio|pareja|suegra|suegro)",
    want: "(?:quiere|quieren|queria|desea|desean|pidio|necesita|suscribio|apunto|autorizo)",
    negation: "(?:no|nunca|jamas)",
    messages: ES_MESSAGES,
    remove: "(?:borr|elimin|quit|sac|dar de baja|den de baja)\\w*",
    theirNumber: "(?:su|sus) (?:numero|telefono|celular|movil|datos)",
  },
  pt: {
    relative:
      "(?:a minha|o meu|minha|meu|meus|minhas|nossa|nosso) (?:mae|mamae|pai|papai|esposa|esposo|mulher|marido|filho|filha|filhos|avo|avos|vovo|irma|irmao|tia|tio|pais|namorada|namorado|sogra|sogro)",
    want: "(?:quer|querem|queria|deseja|desejam|pediu|precisa|inscreveu|cadastrou|autorizou)",
    negation: "(?:nao|nunca|jamais)",
    messages: PT_MESSAGES,
    remove: "(?:remov|retir|apag|exclu|elimin|tir|descadastr)\\w*",
    theirNumber:
      "(?:o )?(?:numero|telefone|celular|telemovel|contacto|contato|dados) (?:dela|dele|deles|delas)|(?:o )?(?:seu|seus) (?:numero|telefone|celular|dados)",
  },
  it: {
    relative:
      "(?:mia|mio|miei|mie|nostra|nostro) (?:madre|mamma|padre|papa|babbo|moglie|marito|figlio|figlia|figli|nonna|nonno|nonni|sorella|fratello|zia|zio|genitori|fidanzata|fidanzato|compagna|compagno|suocera|suocero)",
    want: "(?:vuole|vogliono|voleva|desidera|desiderano|chiesto|iscritta|iscritto|autorizzato)",
    negation: "(?:non|mai)",
    messages: IT_MESSAGES,
    remove: "(?:cancell|rimuov|togl|elimin|disiscriv)\\w*",
    theirNumber: "(?:il )?(?:suo|loro) (?:numero|recapito|contatto)",
  },
  sv: {
    relative:
      "(?:min|mitt|mina|var) (?:mamma|mor|pappa|far|fru|man|son|dotter|mormor|farmor|morfar|farfar|syster|bror|sambo|flickvan|pojkvan|foraldrar|barn)",
    want: "(?:vill|onskar|behover|bad|anmalde)",
    negation: "(?:inte|aldrig|ej|inga)",
    messages: SV_MESSAGES,
    remove: "(?:ta bort|tar bort|radera|stryk|avregistrera)\\w*",
    theirNumber: "(?:hennes|hans|deras) (?:nummer|telefonnummer|uppgifter)",
  },
  no: {
    relative:
      "(?:min|mi|mitt|mine|var) (?:mor|mamma|far|pappa|kone|mann|sonn|datter|bestemor|bestefar|farmor|mormor|farfar|morfar|soster|syster|bror|foreldre|samboer|kjaereste)|(?:mora|moren|mor|mamma|faren|far|pappa|kona|kona|mannen|sonnen|sonen|dattera|datteren|bestemora|bestemoren|bestefaren|broren|bror|sostera|systera|syster|foreldrene|foreldra) (?:mi|min|mitt|mine|vaar|var)",
    want: "(?:vil|onsker|ynskjer|trenger|treng|ba|bad|meldte)",
    negation: "(?:ikke|ikkje|aldri|ingen)",
    messages: NO_MESSAGES,
    remove: "(?:fjern|slett|stryk)\\w*",
    theirNumber: "(?:nummeret|telefonnummeret) (?:hennes|hans|deres)|(?:hennes|hans|deres) nummer|nummeret",
  },
  da: {
    relative:
      "(?:min|mit|mine|vores) (?:mor|far|mormor|farmor|morfar|farfar|kone|mand|son|datter|soster|bror|kaereste|forlaeldre|foraeldre|born|svigermor|svigerfar)",
    want: "(?:vil|onsker|behover|bad|tilmeldte|gider)",
    negation: "(?:ikke|aldrig|ingen)",
    messages: DA_MESSAGES,
    remove: "(?:fjern|slet|afmeld|framled)\\w*",
    theirNumber: "(?:hendes|hans|deres) (?:nummer|telefonnummer|oplysninger)",
  },
  pl: {
    relative:
      "(?:moja|moj|moi|moje|nasza|nasz) (?:mama|matka|mamusia|tata|ojciec|tatus|zona|maz|syn|corka|dzieci|babcia|dziadek|siostra|brat|rodzice|dziadkowie|dziewczyna|chlopak|partner|partnerka|tesciowa|tesc)",
    want: "(?:chce|chca|chciala|chcial|zyczy|zycza|prosila|prosil|potrzebuje|zapisywala|zapisywal)",
    negation: "(?:nie|nigdy)",
    messages: PL_MESSAGES,
    remove: "(?:usun|wypisz|wypisc|wykresl|skresl)\\w*",
    theirNumber: "(?:jej|jego|ich) (?:numer|dane|numeru)",
  },
};

function thirdPersonPatterns(p: ThirdPerson): string[] {
  const window = "(?: \\w+){0,10}?";
  return [
    // "My mother doesn't want these texts", "Min mor vil ikke have de her sms'er mere".
    `\\b(?:${p.relative})\\b(?=${window} (?:${p.negation}(?: \\w+){0,2}? ${p.want}|${p.want}(?: \\w+){0,5}? ${p.negation})\\b)${window} ${p.messages}\\b`,
    // "... remove her number", "retirem o número dela".
    `\\b(?:${p.relative})\\b(?: \\w+){0,14}? ${p.remove} (?:\\w+ ){0,2}?(?:${p.theirNumber})\\b`,
  ];
}

const EN_THESE = "these|them|this|those|it|any more|anymore";

/**
 * What a question or a request to stop sending must be about: the messages (a few words may
 * stand between: "these stupid texts") or, at the end of the message, "these"/"them". Not
 * "how do I stop getting charged twice", "stop sending me the paper bill".
 */
function aboutMessages(messages: string, these: string): string {
  return `(?:(?: \\w+){0,2}? ${messages}\\b|(?: (?:${these}))+$)`;
}

// After "send me": the end of the message, a courtesy, or the messages; not another object.
function sendingMe(messages: string): string {
  return `(?:$| (?:\\w+ ){0,2}?${messages}\\b| (?:please|pls|por favor|porfa|grazie|per favore|tak|takk|tack|merci|danke|bitte|dank je|alsjeblieft|obrigad[oa]|gracias|prosze|dziekuje)\\b)`;
}

/** The other indirect kinds, per language. */
const INDIRECT: Readonly<Record<string, readonly string[]>> = {
  en: [
    // "How do I stop getting these?", "how can I stop receiving these texts", not "how do I stop the alarm".
    `\\b(?:how|what)(?: do| can| could| should| would| to)?(?: i| we| you| one)?(?: \\w+){0,2}? (?:stop|quit|avoid|not|no longer|never) (?:getting|receiving|get|receive|be getting|be receiving)${aboutMessages(EN_MESSAGES, EN_THESE)}`,
    // "Under the TCPA I am revoking consent", "withdrawal of my consent".
    "\\b(?:revok|withdr[ae]w|retract|rescind|cancel)\\w*(?: \\w+){0,3}? consent\\b|\\b(?:revocation|withdrawal) of (?:my |all |any )?consent\\b|\\bconsent (?:is |has been )?(?:hereby )?(?:revoked|withdrawn|rescinded)\\b",
    // "quit blowing up my phone", "stop spamming my phone".
    "\\b(?:stop|quit|cease) (?:blowing up|spamming|flooding|bombarding|hitting up|texting|messaging|pinging) (?:my (?:phone|cell|line|inbox|number|mobile)|me)\\b",
  ],
  nl: [
    `\\bhoe\\b(?: \\w+){1,6}? (?:stoppen met (?:het )?(?:ontvangen|krijgen)${aboutMessages(NL_MESSAGES, "deze|die|dit|ze")}|${NL_MESSAGES} niet meer (?:krijg|krijgen|ontvang|ontvangen)\\b)`,
    "\\btrek\\w* (?:\\w+ ){0,3}?toestemming\\w* (?:\\w+ ){0,2}?in\\b|\\b(?:intrek\\w*|herroep\\w*) (?:\\w+ ){0,3}?toestemming\\b|\\btoestemming\\w* (?:\\w+ ){0,3}?(?:in te trekken|intrekken|herroepen)\\b|\\bintrekking van (?:mijn |de )?toestemming\\b",
    // Flemish "stoppen me die sms'kes" (me = met), "zoudt ge willen stoppen".
    `\\b(?:stop|stoppen|stopt|ophouden|uitscheiden) (?:me|mee|met) (?:\\w+ ){0,2}?${NL_MESSAGES}\\b`,
  ],
  de: [
    `\\bwie\\b(?: \\w+){1,3}? auf\\w*(?: (?:diese|die|solche|eure|ihre|keine))?(?: \\w+)? ${DE_MESSAGES} zu (?:bekommen|erhalten|empfangen|kriegen)\\b|\\bwie (?:\\w+ ){1,4}?(?:keine|koane) (?:\\w+ )?${DE_MESSAGES} mehr\\b`,
    "\\b(?:widerruf|zuruckzieh|ziehe|entzieh)\\w*(?: \\w+){0,3}? (?:einwilligung|zustimmung|einverstandnis|einwilligungserklarung|einverstandniserklarung)\\w*|\\b(?:einwilligung|zustimmung)\\w*(?: \\w+){0,3}? (?:widerrufen|zuruck|entziehen)\\b",
    // Bavarian and Swiss: "koane SMS mehr", "hörts auf mit dene SMS", "kei SMS meh".
    `\\b(?:koane|koa|kane|kei|keini|ka) (?:\\w+ )?${DE_MESSAGES} (?:mehr|meh|mea)\\b|\\bhor\\w* (?:doch |endlich |mal |jetzt )?auf mit (?:\\w+ ){0,2}?${DE_MESSAGES}\\b`,
    `\\b(?:dankbar|freuen|schon|nett)\\b(?: \\w+){0,6}? (?:keine|keinerlei) (?:\\w+ ){0,2}?${DE_MESSAGES} mehr\\b`,
  ],
  fr: [
    `\\bcomment\\b(?: \\w+){0,3}? (?:ne plus|ne pas|arreter de|jarrete de|arrete de|cesser de|plus) (?:recevoir|avoir)${aboutMessages(FR_MESSAGES, "ces|les|ca|cela")}`,
    "\\b(?:retir|revoqu|revoc|annul)\\w*(?: \\w+){0,3}? consentement\\b|\\bconsentement (?:\\w+ ){0,2}?(?:retire|revoque|annule)\\b",
    // "Je vous serais reconnaissant de cesser de m'envoyer", "arrêtez de m'envoyer vos textos".
    `\\b(?:cess|arret)\\w* (?:de |d )?(?:menvoyer|nous envoyer|mecrire|me contacter|me spammer)${sendingMe(FR_MESSAGES)}|\\b(?:cess|arret)\\w* (?:tout |les |vos )?envois? (?:de |des )?${FR_MESSAGES}\\b`,
  ],
  es: [
    `\\bcomo\\b(?: \\w+){0,3}? (?:(?:dejar|dejo|dejamos|parar|paro|paramos) de|no|ya no) (?:recibir|recibo|me lleguen|me llegan)${aboutMessages(ES_MESSAGES, "estos|estas|esos|esas")}`,
    "\\b(?:retir|revoc|revoqu|anul)\\w*(?: \\w+){0,3}? consentimiento\\b",
    // "les agradecería que dejaran de enviarme publicidad", "no me enviaran más mensajes".
    `\\b(?:dej|par|ces)\\w* de (?:enviar|mandar|escribir|mensajear)(?:me|nos)${sendingMe(ES_MESSAGES)}|\\b(?:dej|ces)\\w* de (?:enviar|mandar)(?: \\w+){0,2}? ${ES_MESSAGES}\\b|\\bno (?:me|nos) (?:env|mand|escrib)\\w*(?: \\w+)? mas${sendingMe(ES_MESSAGES)}`,
  ],
  pt: [
    `\\bcomo\\b(?: \\w+){0,3}? (?:(?:parar|paro|paramos|deixar|deixo|deixamos) de|nao) receber${aboutMessages(PT_MESSAGES, "estes|estas|esses|essas|isso|isto")}`,
    "\\b(?:retir|revog|cancel)\\w*(?: \\w+){0,3}? consentimento\\b",
    // "agradeceria se parassem de me enviar mensagens".
    `\\b(?:par|deix|cess)\\w* de (?:me|nos) (?:enviar|mandar|escrever|ligar|contactar|contatar)${sendingMe(PT_MESSAGES)}|\\b(?:parassem|deixassem|cessassem|parem|deixem) de (?:enviar|mandar)(?: \\w+){0,2}? ${PT_MESSAGES}\\b`,
  ],
  it: [
    `\\bcome\\b(?: \\w+){0,3}? (?:(?:smettere|smetto|smettiamo|smetterla) di|non|non piu) ricevere${aboutMessages(IT_MESSAGES, "questi|queste|li|piu")}`,
    "\\b(?:revoc|ritir|annull)\\w*(?: \\w+){0,3}? consenso\\b",
    // "vi sarei grato se smetteste di inviarmi messaggi".
    `\\bsmett\\w* di (?:inviar|mandar|scriver|mannar|spammar)\\w*(?:mi|ci)${sendingMe(IT_MESSAGES)}|\\bsmett\\w* di (?:inviare|mandare)(?: \\w+){0,2}? ${IT_MESSAGES}\\b`,
    // Roman and southern: "nun me mannate cchiù messaggi", "basta co' 'sti messaggi".
    `\\b(?:non|nun|un|nu) (?:mi|me|ce|ci) (?:mandate|mannate|inviate|scrivete|scrivite|mannat|mandat)\\w*(?: \\w+)? (?:piu|cchiu|chiu)${sendingMe(IT_MESSAGES)}|\\bbasta (?:con|co|cu|cun|cor)(?: \\w+)?(?: sti| sti qua| questi| i vostri)? ${IT_MESSAGES}\\b`,
  ],
  sv: [
    `\\bhur\\b(?: \\w+){0,4}? (?:sluta|slutar)(?: jag| man| vi)? (?:att )?(?:fa|ta emot|motta)${aboutMessages(SV_MESSAGES, "de har|dessa|dem|det har")}`,
    "\\b(?:aterkall|aterkalla)\\w*(?: \\w+){0,3}? samtycke\\w*|\\b(?:drar|tar) (?:\\w+ )?tillbaka (?:\\w+ ){0,2}?samtycke\\w*|\\b(?:drar|tar) (?:\\w+ ){0,2}?samtycke\\w* tillbaka\\b",
    // "Skulle uppskatta om ni slutade skicka meddelanden till mig", "sluta skicka mej sms".
    `\\bslut(?:a|ar|ade|at) (?:att )?(?:skicka|smsa|sms a|messa|skriva|ringa|spamma)(?: (?:mig|mej|oss))?(?:${sendingMe(SV_MESSAGES)}| till (?:mig|mej|oss)\\b)`,
  ],
  no: [
    `\\b(?:hvordan|korleis|koss|hvorleis)\\b(?: \\w+){0,3}? (?:slutte|slutter|sluttar|slutta|stopper|stoppar)(?: jeg| eg| vi| man| me)? (?:a )?(?:fa|motta|ta imot|ta i mot)${aboutMessages(NO_MESSAGES, "disse|desse|dem|dei")}`,
    "\\b(?:trekk|tilbakekall)\\w*(?: \\w+){0,3}? samtykke\\w*",
    // "hadde satt pris på om dere sluttet å sende meg meldinger", nynorsk "slutt å senda meg meldingar".
    `\\bslutt\\w* (?:a )?(?:sende|senda|sms e|smse|skrive|skriva|mase|ringe|ringa|spamme)(?: (?:meg|oss))?(?:${sendingMe(NO_MESSAGES)}| til (?:meg|oss)\\b)|\\b(?:ikke|ikkje) (?:send|sende|senda|skriv|skriva|kontakt) (?:meg|oss)(?: (?:flere|fleire|mer|meir|noe mer|noko meir|igjen|att))?${sendingMe(NO_MESSAGES)}|\\b(?:ikke|ikkje|ingen) (?:flere|fleire|mer|meir) (?:\\w+ )?${NO_MESSAGES}\\b`,
  ],
  da: [
    `\\bhvordan\\b(?: \\w+){0,3}? (?:stopper|holder op|slipper|undgar|undga)(?: \\w+){0,3}? (?:fa|modtage)${aboutMessages(DA_MESSAGES, "de her|disse|dem")}|\\bhvordan (?:stopper|slipper|undgar|afmelder|framelder) (?:jeg|man|vi)(?: \\w+){0,3}? ${DA_MESSAGES}\\b`,
    "\\b(?:traekk|tilbagekald)\\w*(?: \\w+){0,3}? samtykke\\w*",
    // "Lad være med at sende mig sms'er", "gider I godt lade være med at spamme mig", "hold nu op med de sms'er".
    `\\blad\\w* vaere med at (?:spamme|chikanere)\\b|\\blad\\w* vaere med at (?:sende|skrive|smse|sms e|ringe|kontakte|maile)(?: (?:mig|os))?(?:${sendingMe(DA_MESSAGES)}| til (?:mig|os)\\b)|\\b(?:hold|holde|holder) (?:nu |dog |lige |sa |bare )?op med (?:\\w+ ){0,2}?${DA_MESSAGES}\\b|\\b(?:stop|stopper|holder op) med at (?:sende|skrive|spamme) (?:mig|os|${DA_MESSAGES})\\b`,
  ],
  pl: [
    `\\b(?:jak|co zrobic|co mam zrobic)\\b(?: \\w+){0,3}? (?:przestac|nie) (?:dostawac|otrzymywac|dostac)${aboutMessages(PL_MESSAGES, "te|tych|tego|je|ich")}`,
    "\\b(?:cofam|cofa|cofnac|cofniecie|wycofuj\\w*|wycofa\\w*|wycofanie|odwoluj\\w*|odwolanie)(?: \\w+){0,3}? zgod\\w*",
    // "Uprzejmie proszę o zaprzestanie wysyłania wiadomości", "przestańcie mi słać te smsy".
    `\\bzaprzesta\\w*(?: \\w+){0,2}? (?:wysylania|przesylania|wysylki|kontaktu|kontaktowania|dzwonienia|pisania|slania|spamowania)(?: (?:mi|do mnie|nam))?${sendingMe(PL_MESSAGES)}|\\b(?:przestancie|przestan|przestac) (?:mi |nam |do mnie )?(?:slac|przesylac)\\b`,
  ],
};

/** The indirect-request patterns of one language (free-text.ts joins them into its regex). */
export function indirectRequestPatterns(language: string): string[] {
  const third = THIRD_PERSON[language];
  return [...(INDIRECT[language] ?? []), ...(third ? thirdPersonPatterns(third) : [])];
}
