/**
 * Rule 3: free-text revocations, the US "any reasonable means" rule. A short message whose
 * plain meaning is "stop sending me messages", in any language of the keyword tables.
 *
 * Patterns run on normalized text (normalize-text.ts: lower case, no diacritics, apostrophes
 * joined so "don't" is "dont" and "m'envoyer" is "menvoyer", one space between words). They
 * look for a request about *messages* (stop + texting, remove me, no more texts), never for a
 * bare keyword, so "I'll stop by tomorrow" or "cancel my appointment on friday" do not match.
 * Negations and questions about an opt-out ("don't unsubscribe me", "did I get removed?") are
 * cut out before matching, so that "I can't unsubscribe, stop texting me" still counts.
 */

import {
  DE_MESSAGES,
  EN_MESSAGES,
  ES_MESSAGES,
  FR_MESSAGES,
  IT_MESSAGES,
  NL_MESSAGES,
  PL_MESSAGES,
  PT_MESSAGES,
} from "./message-words.js";
import { indirectRequestPatterns } from "./indirect-requests.js";

/**
 * After a verb of sending or receiving: not followed by an article and another thing ("dejen de
 * mandarme la factura", "Parem de me enviar a fatura", "ne plus recevoir la facture papier"):
 * the messages, or nothing named, only.
 */
function notAnotherObject(articles: string, messages: string): string {
  return `(?! (?:${articles}) (?!(?:\\w+ )?${messages}\\b)\\w+)`;
}

/** Longer messages are conversations, not revocations (spec rule 3). */
export const MAX_FREE_TEXT_LENGTH = 160;

// Words that may stand between "stop" and the messages: "stop all these stupid texts".
const EN_BETWEEN =
  "(?: (?:all|the|these|those|this|your|ur|ya|any|it with|with|sending|sending me|send|texting|getting|receiving|me|us|stupid|annoying|fucking|freaking|frigging|damn|bloody|promotional|marketing|spam|sms|text|future|further|more|daily|constant|endless|unwanted|bs|crap|of the|of these|of your))*";
const EN_VERBING =
  "(?:sending|texting|txting|txtn|textin|messaging|msging|msg ing|contacting|calling|spamming|emailing|e mailing|bothering|harassing|harrassing|bugging|pestering|smsing|sms ing|writing)";
const EN_REMOVE_OBJECT =
  "(?:me|us|my (?:number|phone|phone number|cell|cell number|mobile|mobile number|details|info|information|email|data|contact|contact info|name)|this number|this phone|this phone number|my #|this #)";
// Without a list named, only the person or their number: "remove my name from the booking" is not one.
const EN_REMOVE_OBJECT_BARE =
  "(?:me|us|my (?:number|phone number|cell|cell number|mobile|mobile number|contact info)|this number|this phone number|my #|this #)";
// What may stand between "don't want" and the messages: "I don't want to receive any more texts".
const EN_WANT_BETWEEN =
  "(?: (?:to|receive|receiving|get|getting|be getting|keep getting|see|any|anymore|more|these|this|those|your|ur|the|all|further|future|of|from|you|ya|sms|text|promotional|marketing|stupid|annoying|spam|junk))*";
const EN_LIST =
  "(?:list|lists|mailing list|text list|sms list|contact list|database|db|system|contacts|records|roster|distribution list)";

// Things one is removed from that are not the messages: "remove me from the group chat".
const EN_ELSEWHERE =
  "(?:group|group chat|chat|team|class|course|booking|reservation|order|order form|form|waitlist|wait list|waiting list|event|party|trip|photo|picture|invoice|receipt|delivery|account|profile|shift|schedule|appointment)";

const EN = [
  `\\b(?:stop|quit|cease|discontinue|end|halt|pause|enough|cancel|unsubscribe from)${EN_BETWEEN} ${EN_MESSAGES}\\b`,
  // Not "I'll stop texting my ex": someone else's messages.
  `\\b(?:stop|quit|cease|discontinue|no more|enough) ${EN_VERBING}\\b(?! (?:my|him|her|them|his|their|people|everyone|each other)\\b)`,
  "\\b(?:asked|told|said to|requested|begged)(?: you| u| yall| you guys)?(?: (?:already|before|twice|again|many times|multiple times|several times|repeatedly))? to (?:stop|unsubscribe|remove me|take me off)\\b(?! (?:by|at|in|over)\\b)",
  // Not "stop getting charged twice", "stop receiving the paper bill".
  `\\b(?:stop|quit|cease) (?:receiving|getting)\\b(?! (?!(?:texted|messaged|called|emailed|spammed|contacted|bothered|harassed)\\b)\\w+ed\\b)${notAnotherObject("the|a|an|my|paper", EN_MESSAGES)}`,
  `\\b(?:stopped|would stop|could stop|will stop|can stop|to stop) ${EN_VERBING} (?:me|us|this number|my number)\\b`,
  // Not "cancel my subscription to the magazine": to the messages, the list, or nothing named.
  `\\b(?:cancel|end|stop|terminate) (?:my|the|this|your|ur) (?:sms |text |texting |message |messaging )?(?:subscription|subscriptions)\\b(?! (?:to|for|with|at|on) (?!(?:(?:your|ur|these|those|the|this|all|my) )?(?:${EN_MESSAGES}|list|service|program)\\b))`,
  `\\bnot interested(?: in)?(?: (?:receiving|getting|any|these|this|those|your|ur|more|further))* ${EN_MESSAGES}\\b`,
  `\\b(?:remove|delete|erase|take|get|put|scratch|cross|strike|drop) ${EN_REMOVE_OBJECT}(?: \\w+){0,2} (?:from|off|out of)(?: of)? (?:your|ur|the|this|that|these|all|any|ya|every)(?: \\w+)? ${EN_LIST}\\b`,
  `\\boff (?:of )?(?:your|ur|this|that|these|ya)(?: \\w+)? ${EN_LIST}\\b`,
  // Not "remove me from the group chat", "remove my number from the order form".
  `\\b(?:remove|delete|erase|drop|unlist|unenroll|unregister) ${EN_REMOVE_OBJECT_BARE}\\b(?! from (?:the |this |that |our |my |your |ur )?${EN_ELSEWHERE}\\b)`,
  `\\b(?:take|get|scratch|cross|strike) ${EN_REMOVE_OBJECT_BARE} off\\b(?! (?:the |this |that |our |my |your |ur )?${EN_ELSEWHERE}\\b)`,
  "\\b(?:i|id|i d|i would|i want to|want to|wish to|like to|please|pls|can i|could i|how (?:do|can) i|i need to|need to)(?: \\w+){0,2} (?:be|get) (?:removed|taken off|unsubscribed|deleted|opted out|unenrolled)\\b",
  "\\bhave (?:me|my number|this number) (?:removed|taken off|unsubscribed|deleted)\\b",
  "\\b(?:unsubscribe|unsubscribed|unsubscribing|unsub|unsubbed|unsuscribe|unsubcribe|unsubscibe|unsubsribe|unsubscrib|unsusbcribe|unsuscribed|unsubribe|unsbscribe|unscribe|unsubsrcibe|unsubscriibe)\\b",
  "\\bopt(?:ing|ed)? (?:me |us )?out\\b",
  "\\b(?:opt me|count me|i want|i d like|id like) out\\b(?! of (?:town|office|the office|stock))",
  `\\bno more(?: \\w+){0,2} ${EN_MESSAGES}\\b`,
  "^(?:no more|enough|enough already|no more please|no more thanks|no more thank you)$",
  `\\bno longer (?:want|wish|need|like)(?: to)? (?:receive|get|be (?:contacted|texted|messaged)|hear from)\\b`,
  `\\b(?:dont|do not|no longer|never|doesnt|does not) (?:want|wish|need|like|care for|appreciate|consent to)${EN_WANT_BETWEEN} ${EN_MESSAGES}\\b`,
  `\\b(?:dont|do not|no longer) (?:want|wish) to (?:receive|get|be contacted|be texted|be messaged|hear from|be on)\\b`,
  `\\b(?:dont|do not|never|please dont|pls dont|stop) (?:ever )?(?:text|txt|message|msg|contact|sms|email|e mail|call|bother|spam|ping|harass) (?:(?:me|us|this number|my number)(?: again| anymore| any more| ever again)?|again|anymore|any more|ever again|here)\\b`,
  `\\b(?:dont|do not|never) (?:send|text)(?: me| us)? (?:(?:any|any more|more|another|these|those|this|your|ur|such|stupid|annoying)(?: \\w+)? ${EN_MESSAGES}|anymore|any more|ever again|again$)`,
  "\\b(?:leave me alone|leave us alone|go away|fuck off|f off|piss off|sod off|get lost|bugger off|buzz off|back off)\\b",
  // "You have the wrong number", not "you sent the wrong number for the code".
  "(?:^|\\b(?:you have|you ve got|youve got|u have|you got|this is|its|it s|thats|that s|have the|got the|sorry)(?: the| a)? )wrong (?:number|person|phone number|phone|guy|girl)\\b(?! (?:for|in|on|of|was|is|to)\\b)",
  `\\b(?:never|didnt|did not|dont remember|do not remember) (?:sign|signed|opt|opted|subscribe|subscribed|consent|consented|register|registered)(?: up| in)?(?: for| to)? (?:this|these|that|your|ur|any|it|them)\\b`,
  "\\bwho gave you (?:my|this) (?:number|phone|contact|info)\\b",
  // "Not interested, cancel": the everyday keywords count after a refusal.
  "\\bnot interested\\b(?: \\w+)? (?:cancel|end|quit|remove)$",
  "\\b(?:you|u) (?:can|may|could) (?:stop|quit)(?: now| it| texting| messaging| texting me)?(?: (?:thx|thanks|thank you|pls|please))?$",
  "^(?:please |pls )?remove (?:from|off) (?:the |your |ur |this )?(?:list|mailing list|text list|sms list)\\b",
  // Consent withdrawn, in every language: "I revoke my consent", "Ich widerrufe meine Einwilligung".
  "\\b(?:revoke|withdraw|retract|cancel)(?: \\w+)? (?:my |all )?consent\\b|\\brefrain from (?:contacting|texting|messaging|sending)\\b",
  // Fed up, in any register: "sick of your texts", "can't be bothered with these messages".
  `\\b(?:sick|tired|fed up|sick and tired) (?:of|with)(?: (?:all|getting|receiving|your|ur|these|those|the|this|stupid|constant|endless|daily))* ${EN_MESSAGES}\\b|\\b(?:cant|cannot|can not) be bothered (?:with|to (?:get|read|receive))(?: (?:any|more|all|your|ur|these|those|the))* ${EN_MESSAGES}\\b`,
  // "Never signed up, take me off": "take me off" as the whole request, at the end.
  "\\b(?:take|get) me off(?: (?:please|pls|plz|now|asap|thanks|thx))*$",
];

const NL = [
  `\\b(?:hou|houd|houdt|houden) (?:nou |nu |eens |toch |alsjeblieft |aub |even )*op met(?: \\w+){0,3}? (?:smsen|smssen|sms en|sms|appen|mailen|sturen|spammen|bellen|berichten|berichten sturen|versturen|${NL_MESSAGES})\\b`,
  "^(?:hou|houd|houdt) (?:nou |toch |eens )?op$",
  `\\bstop (?:nou |nu |toch )?met(?: \\w+){0,3}? (?:smsen|sms en|sturen|appen|mailen|spammen|bellen|versturen|${NL_MESSAGES})\\b`,
  `\\bgeen(?: \\w+){0,2}? ${NL_MESSAGES}(?: \\w+){0,2}? meer\\b`,
  // Not "ik heb geen bericht ontvangen" (I got no message): only as a request.
  `^(?:aub |alstublieft |graag |nee )?geen ${NL_MESSAGES}(?: (?:aub|alstublieft|graag|meer|bedankt|dank je|dank u|svp|a u b))*$`,
  "\\bniet meer (?:\\w+ ){0,3}?(?:gebeld|ge smst|gesmst|gemaild|benaderd|gecontacteerd|lastiggevallen|geappt)\\b",
  `\\bstop (?:de |met de |met die |met |die )?${NL_MESSAGES}\\b`,
  "\\b(?:niet meer|nooit meer|nooit) (?:\\w+ )?(?:smsen|sms en|sms|berichten|benaderen|contacteren|bellen|mailen|ontvangen|sturen|appen|lastigvallen|lastig vallen|spammen)\\b",
  // Not "ik wil me afmelden voor de cursus": a course, not the messages.
  `\\b(?:wil|ik wil|graag|wil graag|ik wil graag) (?:me |mij |mezelf )?(?:afmelden|uitschrijven|uitgeschreven worden|afgemeld worden|eraf|er af|van de lijst|van jullie lijst|van uw lijst)\\b(?! (?:voor|bij|van) (?!(?:de |het |jullie |deze |uw |alle |dit |die )?(?:lijst|mailinglijst|verzendlijst|nieuwsbrief|service|dienst|${NL_MESSAGES})\\b))`,
  `\\b(?:ophouden|op houden|stoppen) met(?: \\w+){0,3}? (?:smsen|sms en|sturen|appen|mailen|spammen|versturen|${NL_MESSAGES})\\b`,
  "\\b(?:mijn|dit) (?:nummer|telefoonnummer|gegevens) (?:\\w+ ){0,4}?(?:verwijderen|schrappen|wissen|weghalen|annuleren|uitschrijven)\\b",
  "\\b(?:haal|verwijder|schrap|wis|haalt|verwijdert|schrapt|annuleer|annuleert) (?:aub |alstublieft |even |graag )?(?:me|mij|mijn (?:nummer|gegevens|telefoonnummer|naam|email|mailadres|e mailadres)|dit nummer)\\b",
  "\\b(?:schrijf|meld|schrijft|meldt) (?:me|mij) (?:\\w+ )?(?:af|uit)\\b",
  "\\blaat (?:me|mij) (?:met rust|gerust|met vrede)\\b",
  "\\bstuur (?:me |mij |ons )?(?:niks|niets|nooit|geen)\\b(?: \\w+){0,3} meer\\b",
  `\\b(?:mij|me|mijn nummer|mijn gegevens) (?:\\w+ ){0,2}?(?:uit|van) (?:het|de|jullie|uw|je|dit|deze) (?:bestand|lijst|database|adressenbestand|verzendlijst|mailinglijst|systeem|klantenbestand|sms lijst)\\b`,
  "\\b(?:wil|hoef|wens)(?: \\w+){0,2}? (?:niks|niets) meer (?:van jullie|ontvangen|krijgen)\\b",
  `\\b(?:kappen|kap|klaar) (?:nou |nu )?met(?: \\w+){0,2}? (?:${NL_MESSAGES}|smsen|sms en|appen|spammen)\\b`,
  "\\b(?:wil|ik wil) (?:hier |ervan |er )?(?:vanaf|eraf|eruit|uit)$",
  `^(?:afmelden|uitschrijven|stoppen)(?: voor| van)(?: de| alle| jullie| uw)? (?:${NL_MESSAGES}|sms service|lijst|mailinglijst)\\b`,
  `\\b(?:me|mij) (?:\\w+ )?(?:uitschrijven|afmelden)\\b(?! (?:voor|bij|van) (?!(?:de |het |jullie |deze |uw |alle )?(?:lijst|nieuwsbrief|${NL_MESSAGES})\\b))`,
  `\\b(?:hoef|wil) (?:\\w+ ){0,2}?${NL_MESSAGES} niet meer\\b`,
  "\\bwil (?:uit|van|af van|eraf van) (?:het|de|jullie|uw) (?:bestand|lijst|database|verzendlijst|mailinglijst)\\b",
  "\\b(?:mij|me) (?:\\w+ )?(?:uit te schrijven|af te melden)\\b(?! (?:voor|bij|van) (?!(?:de |het |jullie |deze |uw )?(?:lijst|nieuwsbrief|sms|berichten)\\b))",
  "\\btrek (?:\\w+ )?toestemming in\\b|\\btoestemming (?:\\w+ )?in ?trekken\\b|\\brot (?:toch |nou )?op\\b",
  `\\bstop (?:ff |even |eens |nou |nu |toch )?met(?: \\w+){0,3}? (?:${NL_MESSAGES}|smsen|sms en|sturen|appen|spammen)\\b`,
  "\\blaat (?:me|mij) (?:\\w+ ){0,2}?met rust\\b",
  // "Wrong number", the start of the message and not "wrong number for the code"; "never signed up".
  "^verkeerd(?:e)? nummer(?:$| (?!(?:fur|for|voor|pour|para|per|pa|til|w|na|in|im|on|op|auf|de|del|do|da|di|i|en|el|der|den|dem|von|van|bei|bij|sur|su|no|nel|nella|na)\\b))|\\bnooit (?:aangemeld|ingeschreven|opgegeven)\\b",
  // "Heb geen zin meer in jullie sms'jes", "ben die berichten zat".
  `\\bgeen zin (?:meer )?in(?: \\w+){0,2}? ${NL_MESSAGES}\\b|\\b${NL_MESSAGES} (?:\\w+ )?(?:zat|beu|spuugzat|kotsbeu)\\b`,
  `\\b(?:zeg|zegt|opzeggen|op zeggen)(?: \\w+){0,3}? (?:abonnement|nummer|inschrijving)(?: (?:op|voor) (?:de |jullie |uw )?${NL_MESSAGES})?(?: op)?$`,
];

const DE = [
  `\\bkeine(?: \\w+){0,2}? ${DE_MESSAGES}(?: \\w+){0,3}? mehr\\b`,
  // Not "ich habe keine SMS bekommen" (I got none): only as a request.
  `\\bkeine (?:weiteren |weitere |mehr )${DE_MESSAGES}\\b|^(?:bitte )?keine ${DE_MESSAGES}(?: bitte| danke)?$|\\bbitte keine ${DE_MESSAGES}\\b`,
  "\\b(?:hor|hore|horen|hort|horen sie|hort mal) (?:\\w+ ){0,2}?auf\\b(?: \\w+){0,4}? (?:zu )?(?:schreiben|simsen|smsen|sms zu schicken|sms zu senden|senden|schicken|nerven|belastigen|kontaktieren|spammen|zuzuspammen|anzurufen|anrufen)\\b",
  "\\b(?:schreib|schreibt|schreiben sie|schicken sie|schickt|schick|senden sie|sendet|send|kontaktieren sie|kontaktiert|ruft|rufen sie) (?:mir|mich|uns) (?:\\w+ )?(?:nicht mehr|keine|nie wieder|nie mehr|nichts mehr)\\b",
  "\\b(?:nicht mehr|nie wieder|nie mehr) (?:\\w+ )?(?:schreiben|kontaktieren|anschreiben|senden|schicken|belastigen|simsen|zuschicken|zusenden|anrufen)\\b",
  "\\b(?:losch|losche|loschen sie|loscht|entfern|entferne|entfernen sie|entfernt|streich|streiche|streichen sie|streicht|stornieren sie|storniert|nehmen sie|nehmt|nimm) (?:bitte )?(?:mich|meine (?:nummer|daten|handynummer|telefonnummer|adresse)|diese nummer)\\b",
  "\\b(?:trag|tragen sie|tragt|trage) (?:mich|meine nummer) (?:\\w+ ){0,3}?aus\\b",
  "\\baustragen\\b",
  // Infinitive last, as people type it: "bitte Nummer löschen", "meine Nummer bitte entfernen".
  // Not "bitte den Termin löschen" nor "die alte Nummer löschen": my number or me.
  "(?:\\b(?:meine|diese|bitte) )?(?<!\\b(?:alte|neue|andere|falsche|seine|ihre|deren|den|die|das) )\\b(?:nummer|handynummer|telefonnummer|daten|mich) (?:\\w+ ){0,3}?(?:loschen|entfernen|austragen|streichen|stornieren)\\b",
  `\\b(?:hor|hort|hore|horen sie|aufhoren) (?:\\w+ ){0,2}?(?:auf )?mit(?: \\w+){0,2}? ${DE_MESSAGES}\\b`,
  "\\b(?:ich mochte|ich will|mochte|will|ich wurde gerne|bitte) (?:mich |meine nummer )?(?:abmelden|austragen|abbestellen|keine (?:sms|nachrichten|werbung)(?: mehr)?)\\b",
  `\\b(?:stop|stopp) (?:die |der |mit der |mit den |den |mit )?${DE_MESSAGES}\\b`,
  `\\b(?:mich|meine nummer|meine daten) (?:\\w+ ){0,2}?(?:aus|von) (?:ihrem|ihrer|eurem|eurer|dem|der|ihren|euren|den|diesem|dieser) (?:verteiler|liste|datei|kartei|datenbank|system|sms verteiler|${DE_MESSAGES})\\b`,
  `\\b(?:will|mochte|brauche|wollen) (?:\\w+ ){0,2}?${DE_MESSAGES} nicht mehr\\b`,
  `\\bschluss (?:jetzt )?mit (?:\\w+ ){0,2}?${DE_MESSAGES}\\b`,
  "\\b(?:nerv|belastig|stor)\\w* (?:sie |ihr )?(?:mich|uns) (?:\\w+ )?nicht mehr\\b",
  "\\b(?:abgemeldet|ausgetragen|geloscht|entfernt) (?:werden|sein)\\b",
  `^(?:die |alle |eure |ihre )?${DE_MESSAGES} (?:bitte )?(?:abbestellen|abmelden|stoppen|kundigen|beenden)\\b`,
  "\\bnicht mehr (?:\\w+ )?(?:kontaktiert|angeschrieben|angerufen|belastigt|angesimst) (?:werden)\\b",
  "\\bkein interesse\\b(?: \\w+){0,2} (?:loschen|austragen|abmelden|entfernen)$",
  `\\b(?:diese|die|eure|ihre|alle) ${DE_MESSAGES} (?:\\w+ )?(?:abbestellen|abmelden|stoppen|kundigen|beenden)\\b`,
  "\\baus (?:der|ihrer|eurer|dem|ihrem|eurem) (?:liste|verteiler|datei|kartei|datenbank) (?:\\w+ )?(?:streichen|loschen|entfernen|austragen|nehmen)\\b",
  // An objection under the GDPR: "Ich widerspreche der Nutzung meiner Nummer".
  "\\bwiderspreche\\b(?: \\w+){0,4} (?:nutzung|verwendung|verarbeitung|werbung|kontaktaufnahme|sms|daten|nummer)\\b",
  "\\bwiderrufe\\b(?: \\w+){0,2} (?:einwilligung|zustimmung|einverstandnis)\\b|\\b(?:einwilligung|zustimmung) (?:\\w+ )?widerrufen\\b",
  "\\bverpisst euch\\b|\\bverpiss dich\\b",
  `\\bkundige\\b(?: \\w+){0,3} (?:sms|newsletter|service|dienst|abo|abonnement|werbung|${DE_MESSAGES})\\b`,
  "\\bunterlassen\\b(?: \\w+){0,3} (?:kontakt\\w*|nachrichten|sms|werbung|anrufe)\\b",
  "^falsche nummer(?:$| (?!(?:fur|for|voor|pour|para|per|pa|til|w|na|in|im|on|op|auf|de|del|do|da|di|i|en|el|der|den|dem|von|van|bei|bij|sur|su|no|nel|nella|na)\\b))|\\bnie (?:angemeldet|registriert|eingetragen)\\b",
  "\\baufhoren\\b(?: \\w+){0,3}? (?:zu )?(?:schreiben|simsen|senden|schicken|kontaktieren|nerven|spammen)\\b",
  // "Lasst mich endlich in Ruhe (mit eurer Werbung)", "Ich hab keinen Bock mehr auf eure SMS".
  // Not "lass mich in Ruhe überlegen" (let me think it over in peace).
  "\\b(?:lass|lasst|lassen sie|lass sie) (?:mich|uns) (?:\\w+ ){0,2}?(?:in ruhe|in frieden|zufrieden)\\b(?! (?:\\w+ )?(?:uberlegen|nachdenken|uberdenken|entscheiden|arbeiten|essen|schlafen|lesen|schauen|aussuchen|ausreden|machen|fertig)\\b)",
  `\\b(?:keine lust|keinen bock|kein bock|die nase voll|genug) (?:mehr )?(?:auf|von)(?: \\w+){0,2}? ${DE_MESSAGES}\\b`,
  `\\b(?:kundigen sie|kundigt|kundige|beenden sie|beendet|beende) (?:mein |meine |das |die )?(?:abo|abonnement|sms abo|anmeldung)\\b(?! (?:fur|bei|beim|im|vom|von|der|des) (?!(?:die |den |eure |ihre )?${DE_MESSAGES}\\b))`,
];

const FR = [
  `\\bne (?:plus|pas|jamais) (?:recevoir|etre (?:contacte|contactee|sollicite|sollicitee|derange|deranger))\\b${notAnotherObject("la|le|les|ma|mon|mes|ma|une|un", FR_MESSAGES)}`,
  "\\bne (?:plus|jamais) (?:m|me |nous )?(?:envoy|ecri|contact|appel|harcel|sollicit|derang)\\w*",
  `\\bje ne (?:veux|souhaite|desire|voudrais) (?:plus|pas|aucun|aucune|plus aucun|plus aucune|plus rien)(?: \\w+){0,3}? (?:recevoir|${FR_MESSAGES})\\b`,
  // Without "ne", "je veux plus de promos" can mean "I want more promos"; only unambiguous forms.
  "\\bje (?:veux|souhaite) plus (?:recevoir|rien|aucun|aucune|etre contacte|etre contactee)\\b",
  "\\bje ne (?:veux|souhaite|desire) plus\\b",
  `^(?:plus|assez|fini|finis|arret|stop)(?: de| des| les| aux?| avec les| avec vos)? (?:\\w+ )?${FR_MESSAGES}\\b`,
  "\\b(?:arretez|arrete|arreter|cessez|cesse|cesser|stoppez|stoppe|stopper) (?:de |d)?(?:m|me |nous |n)?(?:envoy|ecri|contact|harcel|spam|text|sms|appel|importun|deranger|solliciter)\\w*",
  `\\b(?:arretez|arrete|arreter|cessez|stoppez|stop) (?:les|vos|ces|tes|tous les|toutes les|avec les|avec vos|avec ces|l envoi de|lenvoi de|lenvoi des|les envois de) (?:\\w+ )?${FR_MESSAGES}\\b`,
  "\\bne ?(?:m|me |nous )?(?:envoy|ecri|contact|appel|harcel|sollicit|derang)\\w* (?:plus|jamais)\\b",
  "\\bm(?:envoy|ecri|contact)\\w* plus\\b",
  `\\b(?:d|de )?(?:arreter|cesser|stopper) (?:les |vos |ces |tous les |toutes les |d |de )?${FR_MESSAGES}\\b`,
  "\\b(?:retirez|supprimez|enlevez|effacez|rayez|radiez|retire|supprime|enleve|efface|desinscrivez|desabonnez|desinscris|desabonne) ?(?:moi|mon numero|mes coordonnees|mon nom|mon adresse|ce numero)\\b",
  // Not "me desinscrire du cours de yoga": another thing than the messages.
  `\\b(?:me|je veux me|je souhaite me|veuillez me|merci de me|je voudrais me) (?:desinscrire|desabonner|retirer|supprimer|radier|desinscrit|desabonne)\\b(?! (?:du|des|au|aux|de la|de l|a la) (?!(?:liste|fichier|service|programme|newsletter|${FR_MESSAGES})\\b))`,
  "\\b(?:laissez|laisse|laissez nous) (?:moi|nous)? ?tranquilles?\\b|\\b(?:foutez|fichez|fous|fiche) (?:moi|nous) la paix\\b",
  `\\b(?:ca suffit|assez|marre|ras le bol)(?: avec| de| des)? (?:les |vos |ces |tes |de vos |de ces )?(?:\\w+ )?${FR_MESSAGES}\\b`,
  "^(?:\\w+ )?(?:desinscription|desabonnement)\\b",
  `\\bplus jamais (?:de |d |des )?(?:\\w+ )?${FR_MESSAGES}\\b`,
  "\\brefuse (?:de )?recevoir\\b|\\bje m oppose (?:a|au) (?:l )?(?:utilisation|traitement|envoi)\\b|\\bje moppose\\b",
  "\\bretire (?:mon |le )?consentement\\b|\\bretrait (?:de |du )?(?:mon )?consentement\\b",
  "\\b(?:arretez|arrete|arreter|cessez|cesse|cesser) (?:de |d )?(?:m |me |nous )(?:envoy|ecri|contact|harcel|spam|appel)\\w*",
  "\\b(?:cesser|arreter|stopper|cessez|arretez) (?:tout |tous les |les |vos )?envois?\\b",
  "^(?:mauvais numero|erreur de numero|faux numero)(?:$| (?!(?:fur|for|voor|pour|para|per|pa|til|w|na|in|im|on|op|auf|de|del|do|da|di|i|en|el|der|den|dem|von|van|bei|bij|sur|su|no|nel|nella|na)\\b))|\\bjamais (?:inscrit|inscrite|abonne|abonnee)\\b",
  "\\b(?:lachez|lache|lachez nous) (?:moi|nous)\\b(?: (?:avec|la grappe|les baskets))?",
  `\\b(?:resilier|resiliez|annuler|annulez|je resilie|j annule|jannule) (?:mon |l |votre |cet |le )?(?:abonnement|inscription)(?: (?:aux|a vos|a ces|des|de vos) ${FR_MESSAGES})?$`,
  `\\b(?:j en ai|jen ai|on en a|jai|j ai) (?:marre|ras le bol|assez) (?:de |des |de vos |de ces )?(?:\\w+ )?${FR_MESSAGES}\\b`,
];

const ES_OBJECT_ARTICLES = "la|el|las|los|mi|mis|su|sus|una|un";
const ES = [
  "^no mas(?: (?:por favor|porfavor|porfa|gracias|muchas gracias|please|ya|nada|mensajes|sms|textos|publicidad|spam|promociones))*$",
  `\\bno mas (?:\\w+ )?${ES_MESSAGES}\\b`,
  `\\bno (?:me |nos )?(?:envien|envies|envie|mande|manden|mandes|escriban|escribas|escriba|contacten|contactes|contacte|llamen|molesten|moleste|molestes) (?:\\w+ ){0,3}?(?:mas|nunca|nada|nunca mas)\\b${notAnotherObject(ES_OBJECT_ARTICLES, ES_MESSAGES)}`,
  `\\bno (?:me |nos )?(?:envien|envies|manden|mandes|escriban|escribas) (?:\\w+ )?${ES_MESSAGES}\\b`,
  "\\bya no (?:me |nos )?(?:envien|envies|manden|mandes|escriban|escribas|contacten|llamen|molesten)\\b",
  `\\b(?:dejen|deja|deje|dejar|paren|para|pare|parar|dejad) de (?:enviar|mandar|escribir|molestar|contactar|llamar|enviarme|mandarme|escribirme|molestarme|contactarme|llamarme|enviarnos|mandarnos)\\b${notAnotherObject(ES_OBJECT_ARTICLES, ES_MESSAGES)}`,
  "\\b(?:borrame|borrenme|borreme|eliminame|eliminenme|elimineme|quitame|quitenme|quiteme|sacame|saquenme|saqueme|darme de baja|denme de baja|dame de baja|deme de baja|dar de baja|dadme de baja)\\b(?! (?:al|a la|del|de la|en el|en la) (?!(?:servicio|sms|mensajes|lista|boletin|newsletter|envio)\\b))",
  "\\b(?:borrar|eliminar|quitar|sacar|borren|eliminen|quiten|saquen) (?:mi numero|mis datos|este numero|mi telefono)\\b",
  "\\b(?:me|nos) (?:quiero |quisiera |deseo )?(?:dar|doy|den|borren|eliminen|quiten|saquen) (?:de baja|de la lista|de su lista|de tu lista|de esta lista)\\b",
  `\\bno (?:quiero|deseo|quisiera) (?:recibir |seguir recibiendo |mas |recibir mas )?(?:\\w+ ){0,2}?(?:${ES_MESSAGES}|nada)\\b`,
  "\\bno (?:quiero|deseo) (?:recibir |seguir recibiendo )?mas\\b",
  "\\b(?:dejame|dejenme|dejeme|dejadme) en paz\\b",
  // Not "cancelar la suscripcion al gimnasio", "darme de baja del curso": something else.
  "\\b(?:quiero|deseo|quisiera) (?:dejar de recibir|darme de baja|salir de la lista|cancelar (?:la )?suscripcion|desuscribirme|desuscribir)\\b(?! (?:al|a la|del|de la|en el|en la) (?!(?:servicio|sms|mensajes|lista|boletin|newsletter|envio)\\b))",
  "\\bdesuscrib\\w*\\b",
  `\\b(?:basta|ya basta|basta ya|suficiente|se acabo) (?:de|con) (?:\\w+ )?${ES_MESSAGES}\\b`,
  "\\b(?:deseo|quiero|prefiero|quisiera|pido) no recibir (?:mas|nada)\\b",
  "\\bno (?:me interesa|estoy interesad[oa])\\b(?: \\w+)? (?:baja|alto|parar|cancelar)$",
  "\\bno (?:me |nos )?(?:escriban|manden|envien|contacten|molesten)(?: (?:por favor|porfa|gracias))?$",
  "\\bno quiero que (?:me |nos )?(?:escriban|manden|envien|contacten|llamen|molesten)\\b",
  `^baja (?:de|del) (?:la |su |esta |vuestra )?(?:lista|servicio|boletin|${ES_MESSAGES})\\b`,
  "\\bretiro (?:mi |el )?consentimiento\\b|\\brevoco (?:mi |el )?consentimiento\\b",
  `\\b(?:cesen|cese|detengan|suspendan|paren) (?:el envio de|los envios de|de enviar|de mandar) (?:\\w+ )?${ES_MESSAGES}\\b`,
  "\\bno (?:me |nos )?(?:vuelvan|vuelva|vuelvas) a (?:escribir|enviar|mandar|contactar|llamar)\\w*",
  "^numero (?:equivocado|incorrecto|errado)(?:$| (?!(?:fur|for|voor|pour|para|per|pa|til|w|na|in|im|on|op|auf|de|del|do|da|di|i|en|el|der|den|dem|von|van|bei|bij|sur|su|no|nel|nella|na)\\b))|\\bnunca me (?:suscribi|registre|apunte|inscribi)\\b",
  // Not "déjame tranquilo un rato" (give me a moment).
  "\\b(?:dejame|dejenme|dejeme|dejadme|deja me) (?:tranquil[oa]s?|en paz)\\b(?! (?:un|unos) (?:rato|momento|segundo|minuto|minutos|dia)\\b)",
  `\\b(?:(?:estoy|ya estoy|estamos) )?(?:harto|harta|hartos|cansado|cansada|hasta las narices|podrido|podrida) (?:de|con) (?:tus |sus |los |las |estos |estas |tantos |tantas |vuestros )?(?:\\w+ )?${ES_MESSAGES}\\b|\\b(?:ya )?vale (?:ya )?(?:con|de) (?:los |las |tantos |tantas |estos |estas |tus |sus )?${ES_MESSAGES}\\b`,
  `\\bcancel\\w* (?:mi |la )?(?:suscripcion|subscripcion|inscripcion)(?:$| (?:a|de) (?:los |las |sus |tus |vuestros )?(?:${ES_MESSAGES}|lista|servicio)\\b)`,
  `\\b(?:no (?:quiero |deseo )?)?(?:ningun|ninguna|ni un|ni una) (?:\\w+ )?(?:${ES_MESSAGES}|mensaje|sms) mas\\b`,
];

const PT = [
  `\\bnao (?:quero|desejo|gostaria de) (?:mais )?(?:receber |\\w+ ){0,4}?(?:${PT_MESSAGES}|nada)\\b`,
  // Not "nao quero mais o casaco" (the coat): alone, or about the messages.
  "\\bnao quero mais(?: nada| receber| isso| isto)?$|\\bnao quero mais (?:nada|receber) (?:de voces|disso)\\b",
  `\\b(?:parem|pare|para|parar|deixem|deixe|deixa|deixar) de (?:me |nos )?(?:enviar|mandar|mandarem|enviarem|escrever|ligar|incomodar|contatar|contactar)\\b${notAnotherObject("a|o|as|os|minha|meu|minhas|meus|uma|um", PT_MESSAGES)}`,
  "\\bnao (?:me |nos )?(?:enviem|envie|mandem|mande|escrevam|escreva|contatem|contate|contactem|contacte|liguem|ligue|incomodem|incomode) (?:\\w+ ){0,2}?mais\\b",
  "\\b(?:me )?(?:tirem|tire|tira|remova|removam|remove|exclua|excluam|exclui|apague|apaguem|retire|retirem|descadastre|descadastrem)(?: me)? (?:da|dessa|desta|de sua|da sua|da vossa) lista\\b",
  "\\b(?:me (?:tirem|tire|remova|removam|exclua|excluam|descadastre|descadastrem|retirem|apaguem)|(?:tirem|tire|remova|removam|exclua|excluam|descadastre|descadastrem|retirem|apaguem)(?: me| meu numero| o meu numero| meus dados))\\b",
  "\\bdescadastr\\w*\\b",
  "\\b(?:cancelem|cancele|cancelar|removam|remova|remover|retirem|retire|retirar|apaguem|apague|apagar|excluam|exclua|excluir|eliminem|elimine|eliminar|tirem|tire|tirar) (?:o )?(?:meu|nosso|este) (?:numero|contacto|contato|telefone|telemovel|celular)\\b",
  // "quero sair" alone or from the list, not "quero sair mais cedo hoje".
  "\\bquero sair(?:$| (?:da|dessa|desta|de sua|da sua|da vossa) lista| dos? (?:sms|mensagens))",
  // Not "quero cancelar a assinatura da revista".
  `\\bquero (?:me descadastrar|descadastrar|cancelar (?:a )?(?:inscricao|assinatura|subscricao)|deixar de receber)\\b(?! (?:da|do|de|na|no|ao|a) (?!(?:${PT_MESSAGES}|lista|servico|newsletter|vossa lista|sua lista)\\b))`,
  "\\b(?:quero|gostaria de|desejo|preciso) (?:parar|deixar) de receber\\b",
  `\\b(?:chega|basta) de (?:\\w+ )?${PT_MESSAGES}\\b`,
  "\\bme deix(?:em|e|a) em paz\\b|\\bdeixem me em paz\\b",
  `\\b(?:cancel\\w*|parar|interromper) (?:o envio de |o envio das |as |os |essas |estas |estes |esses |todas as )?${PT_MESSAGES}\\b`,
  "\\b(?:nao tenho interesse|nao me interessa|nao estou interessad[oa])\\b(?: \\w+)? (?:sair|parar|cancelar)$",
  "\\bser (?:removid|retirad|excluid|descadastrad|tirad)[oa]s?(?:$| (?:da|dessa|desta|de sua|da sua) lista)",
  "^(?:parem|pare|para) com (?:isso|isto|as mensagens|os sms|essas mensagens|a propaganda)(?: (?:por favor|obrigado|obrigada|ja))?$",
  "\\bretiro (?:o |o meu |meu )?consentimento\\b|\\brevogo (?:o |o meu |meu )?consentimento\\b",
  "^numero (?:errado|enganado|incorreto)(?:$| (?!(?:fur|for|voor|pour|para|per|pa|til|w|na|in|im|on|op|auf|de|del|do|da|di|i|en|el|der|den|dem|von|van|bei|bij|sur|su|no|nel|nella|na)\\b))|\\bnunca me (?:cadastrei|inscrevi|registei|registrei)\\b",
  "\\bsair (?:da|dessa|desta|de sua|da sua|da vossa) lista\\b",
  "\\b(?:deixa|deixe|deixem) me em paz\\b|\\b(?:me )?deix(?:em|e|a)(?: me)? (?:em paz|sossegad[oa]|quiet[oa])\\b",
  `\\b(?:estou |ja estou |to |tou )?(?:farto|farta|cansado|cansada|de saco cheio) (?:de|com|das|dos|dessas|destas) (?:\\w+ )?${PT_MESSAGES}\\b`,
  `\\b(?:parem|pare|para) com (?:as |os |essas |estas |esses |estes |tantas |tantos |a |essa )?${PT_MESSAGES}\\b`,
  `\\b(?:nenhuma|nenhum) (?:\\w+ )?(?:${PT_MESSAGES}|mensagem) (?:a )?mais\\b|\\bnunca mais (?:me |nos )?(?:mandem|enviem|mande|envie|escrevam|contactem|contatem|liguem)\\b`,
];

const IT = [
  `\\bnon (?:voglio|desidero|vorrei) (?:piu|ricevere|altri|altre)(?: ricevere)?(?:(?: \\w+){0,2} ${IT_MESSAGES})?\\b`,
  `\\bbasta(?: cosi| ora| adesso)?(?: con)?(?: i| gli| le| questi| questo| queste| con i| con questi)? ${IT_MESSAGES}\\b`,
  "^basta(?: \\w+)?$",
  `\\b(?:smettete(?:la)?|smettila|smetti|smettere|smettetela|piantatela|piantala) (?:di )?(?:inviar|mandar|scriver|contattar|chiamar|disturbar|importunar)\\w*\\b${notAnotherObject("la|il|lo|le|i|gli|una|un|mia|mio|mie|miei", IT_MESSAGES)}`,
  "\\bnon (?:mi |ci )?(?:inviate|mandate|scrivete|contattate|chiamate|disturbate|inviare|mandare|scrivere|contattare) (?:\\w+ ){0,2}?piu\\b",
  "\\bnon (?:mandatemi|inviatemi|scrivetemi|contattatemi|chiamatemi) (?:\\w+ ){0,2}?piu\\b",
  "\\b(?:toglietemi|rimuovetemi|cancellatemi|eliminatemi|togliermi|rimuovermi|cancellarmi|disiscrivermi|disiscrivetemi|toglimi|rimuovimi|eliminami|disiscrivimi|cancellami)\\b(?! (?:il|lo|la|i|gli|le|l|un|una|uno)\\b)(?! (?:dal|dalla|dallo|da) (?!(?:lista|elenco|archivio|sms|messaggi|newsletter|servizio|vostr\\w*)\\b))",
  "\\bessere (?:rimoss|cancellat|tolt|eliminat|disiscritt)[oaie] (?:dalla|dal|dai|dalle) (?:lista|elenco|archivio|vostr\\w*|sms|messaggi|newsletter)\\b",
  "\\b(?:lasciatemi|lasciami|lasciateci) in pace\\b",
  "\\b(?:cancellate|cancella|cancellare|rimuovete|rimuovi|rimuovere|togliete|togli|togliere|eliminate|elimina|eliminare|annullate|annullare) (?:il |questo )?(?:mio numero|miei dati|numero)\\b",
  // "annulla iscrizione", not "annullare l'iscrizione al corso".
  "\\bannull\\w* (?:la mia |la )?l?iscrizion[ei]\\b(?! (?:al|alla|allo|a) (?!(?:servizio|sms|messaggi|newsletter|lista)\\b))",
  // "vorrei non ricevere più messaggi", not "non ricevere più il pacco sarebbe un problema".
  `\\b(?:vorrei|preferirei|desidero|voglio|chiedo di) non (?:ricevere|avere) (?:piu|altri|altre)\\b|\\bnon ricevere (?:piu|altri|altre) (?:\\w+ )?${IT_MESSAGES}\\b`,
  "\\bnon (?:mi interessa|sono interessat[oa])\\b(?: \\w+)? (?:annulla|cancellami|disiscrivi)$",
  "\\b(?:vorrei|voglio|desidero) essere (?:cancellat|rimoss|disiscritt|tolt)[oaie](?:$| (?:dalla|dal) (?:lista|elenco|archivio|vostr))",
  "\\bnon (?:voglio|desidero|vorrei) essere (?:contattat|disturbat|chiamat)[oaie]\\b",
  "\\brevoco (?:il |il mio |mio )?consenso\\b|\\britiro (?:il |il mio |mio )?consenso\\b",
  `\\b(?:smettetela|smettila|smettete|piantatela|piantala) con (?:questi |questo |queste |i |gli |le |tutti )?${IT_MESSAGES}\\b`,
  "\\bnon (?:inviarmi|mandarmi|scrivermi|contattarmi) (?:\\w+ )?piu\\b",
  "^numero (?:sbagliato|errato)(?:$| (?!(?:fur|for|voor|pour|para|per|pa|til|w|na|in|im|on|op|auf|de|del|do|da|di|i|en|el|der|den|dem|von|van|bei|bij|sur|su|no|nel|nella|na)\\b))|\\bnon mi sono mai (?:iscritt|registrat)[oa]\\b",
  // "No more SMS", "quit it with these messages", "fed up", "never signed up, take me off", in
  // the registers people use: "niente più sms", "la volete finire con sti messaggi?", "levatemi".
  `\\b(?:niente|nessun|nessuna|nessun altro|nessun altra|mai) (?:piu|altri|altre|altro)(?: \\w+)? ${IT_MESSAGES}\\b|\\bbasta (?:piu )?(?:sti|ste|sto|questi|queste|tutti questi|tutte queste) (?:\\w+ )?${IT_MESSAGES}\\b`,
  `\\b(?:finitela|finiscila|finiamola|fatela finita|falla finita|(?:la )?(?:volete|vuoi|potete|puoi) (?:finire|smettere|piantare)|la finite|la finisci|smettetela|smettila|piantatela|piantala) (?:\\w+ )?con (?:sti |ste |sto |questi |queste |i |gli |le |tutti |tutte |tutti questi |tutte queste |\\w+ )?${IT_MESSAGES}\\b`,
  `\\b(?:sono |siamo )?(?:stufo|stufa|stufi|stanco|stanca|stufo marcio) (?:di|dei|delle|degli|di tutti|di sti|di ste|di questi|di queste) (?:\\w+ )?${IT_MESSAGES}\\b|\\b(?:ne ho|ne abbiamo) (?:abbastanza|piene le scatole|le scatole piene) (?:di|dei|delle) (?:\\w+ )?${IT_MESSAGES}\\b`,
  "\\b(?:levatemi|levami|levarmi)\\b(?! (?:il|lo|la|i|gli|le|l|un|una|uno)\\b)(?! (?:dal|dalla|dallo|da) (?!(?:lista|elenco|archivio|sms|messaggi|newsletter|servizio|vostr\\w*)\\b))|\\b(?:lasciatemi|lasciami|lasciateci) stare\\b",
  "^(?:\\w+ )?mai (?:iscritt|registrat)[oaie]\\b(?! (?:al|alla|allo|a) (?:corso|palestra|lezione|lezioni|evento|gara|torneo|concorso)\\b)|\\bnon (?:ho )?mai (?:dato il (?:mio )?consenso|chiesto (?:sti|questi|i vostri) ${IT_MESSAGES})\\b",
  `\\b(?:disdire|disdico|disdite|disdici|disattivate|disattiva|disattivare) (?:il mio |il |questo |lo |l ?)?(?:abbonamento|servizio|iscrizione)(?: (?:agli|ai|alle|dei|degli|delle) ${IT_MESSAGES})?$`,
];

const SV = [
  "\\bsluta (?:\\w+ )?(?:skicka|smsa|sms a|messa|kontakta|ringa|spamma|mejla|maila|stora|skriva|skriv)\\w*",
  "\\b(?:inga|vill inte ha|vill inte fa) (?:fler|mer|flera|nagra) \\w*(?:sms|meddelanden|utskick|mejl|mail|erbjudanden|reklam)\\b",
  "\\bvill inte (?:ha|fa|ta emot) (?:\\w+ ){0,2}?(?:sms|meddelanden|utskick|mejl|reklam)\\b",
  "\\b(?:ta bort|radera|stryk|avregistrera) (?:mig|mitt nummer|mina uppgifter|detta nummer)\\b",
  "\\b(?:onskar|vill) inte (?:langre )?(?:ha|fa|ta emot|motta) (?:fler|mer|flera|nagra|\\w+ ){0,2}?(?:sms|meddelanden|utskick|mejl|reklam)\\b",
  "\\bavregistrer\\w*|\\bavsluta (?:era |alla |mina )?(?:prenumeration|prenumerationen|utskick|utskicken|sms|sms utskick|sms utskicken|meddelanden)\\b",
  "\\blat mig vara\\b|\\bskicka inte (?:fler|mer|nagot|nagra)\\b",
  "\\b(?:bli|bliva) (?:avregistrerad|borttagen|struken|avanmald)\\b",
  "\\bavanmal (?:mig|oss)\\b",
  "\\bvill inte ha (?:nagot|nagra) (?:mer|fler)\\b",
  "\\baterkallar (?:\\w+ )?samtycke\\w*\\b",
  "^fel nummer(?:$| (?!(?:fur|for|voor|pour|para|per|pa|til|w|na|in|im|on|op|auf|de|del|do|da|di|i|en|el|der|den|dem|von|van|bei|bij|sur|su|no|nel|nella|na)\\b))|\\baldrig (?:anmalt|registrerat|registrerade) mig\\b",
  // "Lämna mig ifred (med er reklam)", "lägg av med smsen", "orkar inte få fler sms".
  "\\b(?:lamna|lat) (?:mig|oss) (?:\\w+ )?(?:ifred|i fred|vara)\\b",
  "\\b(?:sluta|lagg av|lag av|stoppa|skippa) med (?:\\w+ )?(?:sms|smsen|sms en|smsandet|meddelanden|meddelandena|reklam|reklamen|spam|spammet|spammandet|utskick|utskicken|mejl|mejlen|erbjudanden)\\b",
  "\\b(?:orkar|gitter|pallar|onskar|vill) inte (?:fa |ha |ta emot |motta )?(?:fler|mer|flera|nagra fler|nagot mer)(?: \\w+)? (?:sms|meddelanden|utskick|mejl|reklam|erbjudanden)\\b",
  // "Avsluta min prenumeration (på sms)", "säg upp mitt nummer": not a subscription to something else.
  "\\b(?:avsluta|sag upp|saga upp|sager upp) (?:min |mitt |er |ert |era |mina )?(?:prenumeration|prenumerationen|abonnemang|abonnemanget|nummer|medlemskap)\\b(?! (?:pa|av|hos|till) (?!(?:sms|era sms|smsen|sms en|utskick|utskicken|meddelanden|reklam|nyhetsbrevet|erbjudanden)\\b))|\\b(?:sag|saga) upp mig\\b",
  "^(?:\\w+ )?aldrig (?:anmalt|registrerat|bett om)\\b|\\bvill inte ha mer(?: av er| fran er)?$",
];

const NO = [
  "\\b(?:slutt|slutte|stopp|stoppe|stop) (?:a |med a )?(?:sende|sms|kontakte|ringe|spamme|mase|plage)\\w*",
  "\\bikke send (?:meg )?(?:flere|mer)\\b",
  "\\b(?:ingen|ikke) (?:flere|mer) \\w*(?:sms|meldinger|melding|reklame|e poster|eposter|tilbud)\\b",
  "\\b(?:fjern|slett) (?:vennligst |bare )?(?:meg|nummeret mitt|mitt nummer|dette nummeret)\\b",
  "\\bta (?:meg|nummeret mitt|mitt nummer) (?:av|ut av|bort fra|ut fra)\\b",
  "\\b(?:onsker|vil) ikke (?:a )?(?:ha|motta|fa) (?:flere|mer|noen flere|noe mer|\\w+ (?:sms|meldinger|reklame))\\b",
  "\\bmeld\\w* (?:jeg |vi )?(?:meg |oss )?av\\b",
  "\\bbli (?:avmeldt|fjernet|slettet|stroket)\\b",
  "\\bvil ikke (?:ha|motta) (?:flere|mer)\\b",
  "\\bla meg vaere i fred\\b",
  "\\b(?:vil|onsker a|gjerne) (?:\\w+ )?(?:avmelde|avmeldes|melde meg av)\\b(?! (?:meg |oss )?(?:min|mitt|mine|fra (?!(?:lista|listen|dere|sms|nyhetsbrevet)\\b)))",
  "\\bvil ikke (?:ha|motta|fa) (?:mer |flere |noe |noen )?(?:reklame|sms|meldinger|tilbud)\\b",
  "\\bmeld (?:meg|oss) ut\\b",
  "\\bavslutt (?:abonnementet|abonnement|utsendelsene|sms ene|smsene|sms)\\b(?!(?: mitt| mine)? (?:pa|hos|til|for) (?!(?:sms|smsene|meldinger|meldingene|reklame|nyhetsbrevet|utsendelser|utsendelsene)\\b))",
  "\\btrekker (?:\\w+ )?(?:tilbake )?(?:\\w+ )?samtykke\\w*\\b",
  "\\bikke (?:kontakt|send|skriv til|ring) (?:meg|oss) (?:igjen|mer)\\b",
  "^feil nummer(?:$| (?!(?:fur|for|voor|pour|para|per|pa|til|w|na|in|im|on|op|auf|de|del|do|da|di|i|en|el|der|den|dem|von|van|bei|bij|sur|su|no|nel|nella|na)\\b))|\\baldri (?:meldt meg pa|registrert meg)\\b",
  // "Faen, gi deg med disse meldingene", "kutt ut meldingene", "gidder ikke få flere sms".
  "\\bgi (?:deg|dere|dokker) (?:na |da |snart )?med (?:\\w+ )?(?:sms|smsene|sms ene|meldinger|meldingene|reklame|reklamen|spam|spammen|tilbudene|maset|masingen|utsendelsene)\\b",
  "\\b(?:kutt ut|slutt med|stopp med|stopp) (?:\\w+ )?(?:sms|smsene|sms ene|meldingene|meldinger|reklamen|reklame|spam|spammen|utsendelsene|tilbudene)\\b",
  "\\b(?:gidder|orker|onsker|vil) ikke (?:a )?(?:fa|ha|motta) (?:flere|mer|noen flere|noe mer)(?: \\w+)? (?:sms|sms er|meldinger|reklame|tilbud|e poster)\\b",
  "\\bla (?:meg|oss) (?:vaere|vaere i fred|i fred)$|\\b(?:si opp|sier opp|avslutt) (?:mitt |mine |abonnementet mitt |abonnementet pa )?(?:abonnement|abonnementet|nummer|sms|meldinger)\\b(?!(?: mitt| mine)? (?:pa|hos|til|for) (?!(?:sms|smsene|meldinger|meldingene|reklame|nyhetsbrevet|utsendelser|utsendelsene)\\b))",
];

const DA = [
  "\\b(?:stop|stoppe|hold op|holde op|hor op) med at (?:sende|skrive|kontakte|ringe|spamme|sms e)\\b",
  "\\bingen (?:flere|mere) (?:sms|sms er|smser|beskeder|reklamer|mails|tilbud)\\b",
  "\\b(?:fjern|slet) (?:venligst |lige |bare )?(?:mig|mit nummer|dette nummer|mine oplysninger)\\b",
  "\\btag (?:mig|mit nummer) (?:af|ud af|vaek fra)\\b",
  "\\bmeld (?:mig|os) (?:\\w+ )?af\\b",
  "\\b(?:onsker|vil) ikke (?:at )?(?:have|modtage|fa) (?:flere|mere|nogen flere|\\w+ (?:sms|smser|beskeder|reklamer))\\b",
  "\\bafmeld mig\\b",
  "\\bjeg vil ikke (?:have|modtage) (?:flere|mere)\\b",
  "\\bsend (?:ikke|aldrig) (?:flere|mere)\\b|\\blad mig vaere(?: i fred\\b|$)",
  "\\b(?:blive|blir|bliver) (?:afmeldt|fjernet|slettet)\\b",
  // Not "afmelde min søn fra fodbold": someone else, from something else.
  "\\b(?:vil|onsker at|gerne) (?:\\w+ )?(?:afmelde|afmeldes|framelde|frameldes)\\b(?! (?:mig |os )?(?:\\w{4,}(?:en|et|erne)\\b|min|mit|mine|vores|fra (?!(?:listen|jeres|sms|nyhedsbrevet)\\b)))",
  "\\b(?:onsker|vil have) ikke (?:flere|mere) (?:sms|smser|beskeder|reklamer|tilbud|mails)\\b",
  "\\bvil ikke (?:have|modtage|fa) (?:mere |flere |noget |nogen )?(?:reklame|reklamer|sms|smser|beskeder|tilbud)\\b",
  "\\b(?:stop|hold op) med (?:de |jeres |alle )?(?:sms|smserne|smser|beskederne|beskeder|reklamerne|reklamer|spam)\\b",
  "\\bafslut (?:abonnementet|abonnement|nyhedsbrevet|smserne|sms erne|sms)\\b(?!(?: mit| mine)? (?:pa|hos|til|for|af) (?!(?:sms|smserne|sms erne|beskeder|beskederne|reklamer|nyhedsbrevet|tilbud)\\b))",
  "\\btraekker (?:\\w+ )?samtykke\\w* tilbage\\b|\\btilbagekalder (?:\\w+ )?samtykke\\w*\\b",
  "\\b(?:kontakt|skriv til|ring til|send) (?:mig|os) ikke (?:igen|mere)\\b",
  "\\b(?:ingen|ikke) (?:flere|mere) \\w*(?:sms|smser|beskeder|reklamer|tilbud)\\b",
  "^forkert nummer(?:$| (?!(?:fur|for|voor|pour|para|per|pa|til|w|na|in|im|on|op|auf|de|del|do|da|di|i|en|el|der|den|dem|von|van|bei|bij|sur|su|no|nel|nella|na)\\b))|\\baldrig (?:tilmeldt|registreret) mig\\b",
  "\\bafmelder (?:jeg )?mig\\b",
  // "For fanden, hold op med det spam", "gider ikke få flere sms fra jer".
  "\\bdrop (?:de |jeres |alle |dem )?(?:sms|sms er|smser|smserne|sms erne|beskeder|beskederne|reklamer|reklamerne|spam|spammet)\\b|\\b(?:stop|hold op|hor op|drop|lad vaere) med (?:\\w+ )?(?:sms|smserne|sms erne|smser|sms er|beskederne|beskeder|reklamerne|reklamer|spam|spammet|spammen|tilbuddene|mails|mailene|udsendelserne)\\b",
  "\\b(?:gider|orker|onsker|vil) ikke (?:at )?(?:fa|have|modtage) (?:flere|mere|nogen flere|noget mere)(?: \\w+)? (?:sms|sms er|smser|beskeder|reklamer|reklame|tilbud|mails)\\b",
  "\\b(?:opsig|opsiger|afslut|afslutter) (?:mit |mine |jeres )?(?:abonnement|abonnementet|nummer|medlemskab)\\b(?!(?: mit| mine)? (?:pa|hos|til|for|af) (?!(?:sms|smserne|sms erne|beskeder|beskederne|reklamer|nyhedsbrevet|tilbud)\\b))|\\blad (?:mig|os) vaere\\b",
];

// Refuses "z" + anything but the list or the messages: "wypisz mnie z zajęć jogi" (a class).
const PL_NOT_ELSEWHERE =
  "(?! z (?!(?:(?:tej|tych|waszej|twojej|tego|waszego|waszych|tej waszej) )?(?:listy|bazy|newslettera|subskrypcji|sms|smsow|wiadomosci|smsami|wiadomosciami|powiadomien)\\b))";
const PL = [
  "\\bnie (?:chce|chcemy|zycze sobie|potrzebuje)(?: (?:juz|wiecej|otrzymywac|dostawac|zadnych)\\b)+",
  `\\bnie (?:chce|chcemy|zycze sobie)(?: \\w+){0,2}? ${PL_MESSAGES}\\b`,
  "\\b(?:prosze )?nie (?:wysylac|wysylajcie|wysylaj|piszcie|pisac|pisz|dzwonic|dzwoncie|kontaktowac|spamowac|przysylac|przysylajcie)\\b",
  // The verb says what should stop: not "nie moge przestac sie smiac".
  "\\b(?:przestancie|przestan|prosze przestac|przestac) (?:mi |nam |do mnie |do nas |mnie )?(?:wysylac|pisac|dzwonic|spamowac|przysylac|nekac|zawracac)\\b|^(?:prosze )?(?:przestancie|przestan)(?: juz)?$",
  `\\b(?:usun|usuncie|usunac|wypiszcie|wypisz|wykreslcie|wykresl|skreslcie) (?:mnie|moj numer|moje dane|ten numer|numer)\\b${PL_NOT_ELSEWHERE}`,
  // "rezygnuje z zamowienia" cancels an order: only when the object is the messages.
  `\\b(?:rezygnuje|rezygnujemy|zrezygnowac|rezygnowac|zrezygnuje) z (?:\\w+ ){0,2}?(?:otrzymywania|subskrypcji|newslettera|powiadomien|listy|${PL_MESSAGES})\\b|\\bkoniec (?:z )?(?:tymi |tym |tych |tego )?${PL_MESSAGES}\\b|\\bwypisuje (?:sie|mnie)\\b|\\b(?:dosc|dosyc) (?:tych |tego )?${PL_MESSAGES}\\b`,
  `\\bdajcie mi (?:swiety )?spokoj\\b|\\b(?:cofam|wycofuje) (?:moja )?zgode\\b|\\bnie (?:kontaktujcie|kontaktuj) sie\\b|\\bwypisac sie\\b|\\bwypisanie\\b|\\bchce sie wypisac\\b${PL_NOT_ELSEWHERE}`,
  // Not "mnie wypisac z zajec" (a class): from a list, or nothing named.
  `\\bmnie (?:\\w+ )?(?:wypisac|usunac|wykreslic)\\b${PL_NOT_ELSEWHERE}|\\bprosze (?:o )?(?:wypisanie|usuniecie|wykreslenie)\\b`,
  "\\bnie chce (?:juz )?nic (?:wiecej|juz)\\b",
  `^zly numer(?:$| (?!(?:fur|for|voor|pour|para|per|pa|til|w|na|in|im|on|op|auf|de|del|do|da|di|i|en|el|der|den|dem|von|van|bei|bij|sur|su|no|nel|nella|na)\\b))|\\bnigdy sie nie (?:zapisywal|zapisal|rejestrowal)\\w*|\\b(?:jak )?sie wypisac\\b${PL_NOT_ELSEWHERE}`,
  // "Zostawcie mnie w spokoju", "dajcie sobie spokój z tymi smsami", "mam dość waszych smsów".
  `\\bzostaw(?:cie)? (?:mnie|nas) w spokoju\\b|\\b(?:dajcie|daj) sobie (?:juz )?spokoj z (?:\\w+ )?${PL_MESSAGES}\\b|\\b(?:przestancie|przestan|skonczcie|skoncz) z (?:\\w+ )?${PL_MESSAGES}\\b`,
  `\\b(?:mam|mamy) (?:juz )?(?:dosc|dosyc|serdecznie dosc|po dziurki w nosie) (?:\\w+ )?${PL_MESSAGES}\\b|\\b(?:nigdy wiecej |zadnych (?:wiecej |juz )?)(?:\\w+ )?${PL_MESSAGES}\\b`,
  `\\b(?:anuluj|anulujcie|anulowac|zrezygnuj|wylacz|wylaczcie|wylaczyc) (?:moja |moje |ta )?(?:subskrypcje|subskrypcja|powiadomienia|abonament)(?:$| (?:na |z )?${PL_MESSAGES}\\b)`,
];

/**
 * The general shape of a removal request, per language: a verb of removing (any form: stems)
 * and the person's number or data as its object, in either order ("verwijder mijn nummer",
 * "meine Nummer bitte löschen", "Kan dere fjerne nummeret mitt?"). Only the number or data:
 * "remove me" alone is too often about something else (a group, a booking).
 */
const REMOVAL: ReadonlyArray<readonly [string, string, string, string?]> = [
  [
    "en",
    "(?:remove|delete|erase|cancel|unlist|wipe)\\w*",
    "(?:my|this) (?:number|phone number|cell number|mobile number|details|data|contact details)",
    `(?! from (?:the |this |that |our |my |your |ur )?${EN_ELSEWHERE}\\b)`,
  ],
  [
    "nl",
    "(?:verwijder|schrap|wis|annuleer|haal|halen)\\w*",
    "(?:mijn|dit) (?:nummer|telefoonnummer|gegevens|mobiele nummer)",
  ],
  [
    "de",
    "(?:losch|entfern|streich|stornier|sperr)\\w*",
    "(?:meine|diese) (?:nummer|handynummer|telefonnummer|daten|kontaktdaten)",
  ],
  [
    "fr",
    "(?:retir|supprim|enlev|effac|ray|radi)\\w*",
    "(?:mon|ce) (?:numero|telephone)|mes (?:coordonnees|donnees)",
  ],
  [
    "es",
    "(?:borr|elimin|quit|sac|remov|cancel)\\w*",
    "(?:mi|este) (?:numero|telefono|movil|celular)|mis datos",
  ],
  [
    "pt",
    "(?:remov|retir|apag|exclu|elimin|tir|cancel|descadastr)\\w*",
    "(?:o |os )?(?:meu|meus|este) (?:numero|dados|contacto|contato|telefone|telemovel|celular)",
  ],
  [
    "it",
    "(?:rimuov|cancell|togl|elimin|annull)\\w*",
    "(?:il )?(?:mio|questo) (?:numero|recapito|contatto)|(?:i )?miei dati",
  ],
  ["sv", "(?:ta bort|radera|stryk|avregistrer)\\w*", "(?:mitt|detta) nummer|mina uppgifter|numret"],
  ["no", "(?:fjern|slett|stryk)\\w*", "nummeret mitt|mitt nummer|dette nummeret|opplysningene mine"],
  ["da", "(?:fjern|slet|annuller|afmeld)\\w*", "(?:mit|dette) nummer|mine oplysninger"],
  [
    "pl",
    "(?:usun|wypis|wykresl|skresl)\\w*",
    "(?:moj|mojego|ten|tego) (?:numer|numeru)|(?:moje|moich) dan\\w*",
  ],
];

function removalPatterns(language: string): string[] {
  const found = REMOVAL.find(([l]) => l === language);
  if (!found) return [];
  // The optional fourth part refuses what follows ("remove my number from the order form").
  const [, verb, object, notAbout = ""] = found;
  return [`\\b${verb} (?:\\w+ ){0,2}?(?:${object})\\b${notAbout}`, `\\b(?:${object}) (?:\\w+ ){0,3}?${verb}`];
}

const POSITIVE_BY_LANGUAGE: ReadonlyArray<readonly [string, readonly string[]]> = [
  ["en", EN],
  ["nl", NL],
  ["de", DE],
  ["fr", FR],
  ["es", ES],
  ["pt", PT],
  ["it", IT],
  ["sv", SV],
  ["no", NO],
  ["da", DA],
  ["pl", PL],
];

/**
 * Spans that talk about opting out without asking for it. They are blanked before matching,
 * so the rest of the message can still be a revocation.
 */
const NEGATED_OR_QUESTIONED = [
  // "don't unsubscribe me", "never stop", "can't stop laughing", "I didn't opt out"
  "\\b(?:dont|do not|never|didnt|did not|not|cant|cannot|can not|couldnt|could not|shouldnt|should not|not going to|dont want to|do not want to|dont wanna|wont ever)(?: (?:just|ever|really|even|want to|wanna|need to))? (?:stop|unsubscribe|unsub|opt out|remove me|remove|cancel|end|quit|take me off|delete me)\\b",
  // "unsubscribe my son from the football camp": someone else, from something else.
  "\\bunsubscrib\\w* (?:my|our|his|her) (?:son|daughter|kids?|child|children|husband|wife|mom|dad|mother|father|boy|girl) from (?!(?:your|ur|these|this|the (?:texts|messages|list|sms))\\b)",
  // "I accidentally unsubscribed", "replied stop by mistake"
  "\\b(?:accidentally|accidently|mistakenly|by mistake|by accident)(?: \\w+){0,3}? (?:unsubscribed|unsubscribe|opted out|stopped|removed|replied stop|texted stop|sent stop|hit stop|pressed stop)\\b",
  "\\b(?:unsubscribed|opted out|replied stop|texted stop|sent stop)(?: \\w+){0,3}? (?:by mistake|by accident|accidentally)\\b",
  // "did I get unsubscribed?", "why was I removed"
  "\\b(?:did|have|has|was|am|were|why (?:was|did|am|have|were)) (?:i|we|you|my number)(?: \\w+){0,2}? (?:unsubscribed|removed|opted out|taken off|deleted)\\b",
  // other languages: "ik wil me niet afmelden", "nicht abmelden", "ne pas me desabonner"...
  "\\bniet (?:afmelden|uitschrijven|stoppen|verwijderen)\\b",
  "\\bniet dat (?:jullie|u|je|ze) (?:\\w+ ){0,3}?(?:verwijderen|schrappen|afmelden|wissen)\\b",
  "\\bnicht (?:abmelden|austragen|abbestellen|loschen|entfernen)\\b",
  "\\bne (?:pas|jamais) (?:me )?(?:desabonner|desinscrire|retirer|supprimer|arreter)\\b",
  "\\bno (?:me |nos )?(?:den de baja|borren|eliminen|quiten|saquen)\\b",
  "\\bnao (?:me |nos )?(?:tirem|tire|removam|remova|descadastrem|descadastre|excluam|exclua)\\b",
  "\\bnon (?:mi |ci )?(?:cancellate|togliete|rimuovete|disiscrivete|eliminate)\\b",
  // "don't stop sending offers!": "no paren de", "non smettete di", "sluta inte"...
  "\\bno (?:paren|pares|pare|dejen|dejes|deje) de\\b|\\bnao (?:parem|pare|deixem|deixe) de\\b|\\bnao (?:parem|pare|para) com\\b|\\bnon (?:smettete|smettere|smettetela|smettila|smetti) di\\b",
  "\\bniet (?:ophouden|stoppen) met\\b|\\bnicht (?:aufhoren|auf) mit\\b|\\bsluta inte\\b|\\bikke slutt\\b|\\b(?:stop|hold) ikke\\b|\\bnie przestawajcie\\b",
];

/** Messages that ask to keep or restore messages: never read as a revocation. */
const WANTS_MESSAGES = [
  "\\b(?:add me back|put me back|resubscribe|re subscribe|subscribe me|sign me (?:back )?up|keep me (?:on|subscribed|posted)|want to keep (?:getting|receiving))\\b",
  // "keep texting me" is a wish, "why do you keep texting me" a complaint.
  "(?<!\\b(?:you|u|they|yall|ya|still|always) )\\bkeep (?:sending|texting|them coming|the (?:texts|messages|deals) coming)\\b",
  "\\b(?:love|like|enjoy) (?:your|ur|these|the|getting your|getting these|getting the) (?:texts|messages|deals|offers|updates)\\b",
  "\\b(?:still|do|really) want (?:the |your |these |ur )?(?:texts|messages|sms|deals|offers)\\b",
  "(?<!\\b(?:i|you|u|they|we|still) )\\bkeep (?:the |your )?(?:texts|sms|text messages)\\b|\\btext me (?:instead|only|rather)\\b|\\b(?:rather|prefer) (?:a )?text\\b",
];

export interface FreeTextMatch {
  phrase: string;
  language: string;
}

interface CompiledFreeText {
  /** One regex per language, in POSITIVE_BY_LANGUAGE order. */
  positive: ReadonlyArray<readonly [string, RegExp]>;
  negated: RegExp;
  wantsMessages: RegExp;
}

function compile(): CompiledFreeText {
  // One regex per language, not one for all: V8 stops optimizing a regex whose source passes
  // 20 KB (measured here: one combined regex at 23 KB cost 40-60 µs a message instead of 4).
  return {
    positive: POSITIVE_BY_LANGUAGE.map(([language, patterns]) => [
      language,
      new RegExp([...patterns, ...removalPatterns(language), ...indirectRequestPatterns(language)].join("|")),
    ]),
    negated: new RegExp(NEGATED_OR_QUESTIONED.join("|"), "g"),
    wantsMessages: new RegExp(WANTS_MESSAGES.join("|")),
  };
}

const COMPILED = compile();

/** A free-text revocation phrase in normalized text, or undefined. */
export function matchFreeTextRevocation(normalized: string): FreeTextMatch | undefined {
  if (COMPILED.wantsMessages.test(normalized)) return undefined;
  // "|" never occurs in normalized text, so no pattern can match across a blanked span.
  const text = normalized.replace(COMPILED.negated, " | ");
  for (const [language, regex] of COMPILED.positive) {
    const match = regex.exec(text);
    if (match) return { phrase: match[0].trim(), language };
  }
  return undefined;
}

/** True when the message asks to keep or restore messages ("add me back", "keep them coming"). */
export function wantsMessages(normalized: string): boolean {
  return COMPILED.wantsMessages.test(normalized);
}

/**
 * Plain requests for help that are not the bare keyword ("help me", "I need help", "more
 * info please"). Anchored: a question that merely mentions help is for a person to read.
 */
const HELP_REQUESTS = new RegExp(
  [
    "^(?:please |pls )?(?:i |we )?(?:need|want|would like|d like|id like)(?: some| more)? (?:help|info|information)(?: please| pls)?$",
    "^help (?:me|us)(?: please| pls)?$",
    "^(?:more|further|send|send me|send more|send me more) info(?:rmation)?(?: please| pls)?$",
    "^(?:ik heb hulp nodig|help mij|help me|meer info|meer informatie)(?: aub| alstublieft| graag)?$",
    "^(?:ich brauche hilfe|hilfe bitte|mehr infos?|mehr informationen)(?: bitte)?$",
    "^(?:jai besoin daide|aidez moi|aide moi|plus dinfos?|plus dinformations?)(?: svp| sil vous plait| stp)?$",
    "^(?:necesito ayuda|ayudame|ayudenme|mas info|mas informacion)(?: por favor)?$",
    "^(?:preciso de ajuda|preciso ajuda|me ajude|mais info|mais informacoes)(?: por favor)?$",
    "^(?:ho bisogno di aiuto|aiutami|aiutatemi|piu info|maggiori informazioni)(?: per favore)?$",
  ].join("|"),
);

/**
 * Plain requests to be (re)subscribed. Opting someone in needs their clear words, so these are
 * anchored to the whole message.
 */
const OPT_IN_REQUESTS = new RegExp(
  [
    "^(?:please |pls )?(?:subscribe|resubscribe|re subscribe|sign) (?:me|us)(?: up| back up| back in| again)?(?: please| pls| again)?$",
    "^(?:please |pls )?(?:add|put) me back(?: on| on the list| on your list)?(?: please| pls)?$",
    "^(?:please |pls )?(?:i want|i d like|id like) to (?:subscribe|resubscribe|sign up|join)(?: again)?(?: please| pls)?$",
  ].join("|"),
);

export function matchOptInRequest(normalized: string): string | undefined {
  return OPT_IN_REQUESTS.test(normalized) ? normalized : undefined;
}

export function matchHelpRequest(normalized: string): string | undefined {
  return HELP_REQUESTS.test(normalized) ? normalized : undefined;
}
