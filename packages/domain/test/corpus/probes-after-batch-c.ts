/**
 * Probes written after held-out batch C's first run, before the fixes its misses led to: the
 * kinds batch C showed no rule had, in every language ("how do I stop getting these?", a third
 * person's request "my mother doesn't want these texts, remove her number", formal consent
 * withdrawal under GDPR/TCPA, long polite conditionals, dialect and slang, brands of three
 * words with a common noun), and look-alikes using the same words about other things (a car
 * alarm, a mother's appointment, a job application, laughing). Training data, not a held-out
 * measure: the round's first score is in docs/classifier.md. Free-text entries assert the
 * action only.
 */
import type { CorpusEntry } from "./sms-corpus.js";
import { section } from "./section.js";

const FREE = { norule: true } as const;

export const PROBES_AFTER_BATCH_C: CorpusEntry[] = [
  ...section("en", {
    keyword_brand: ["Green Valley Dental STOP", "Unsubscribe Blue Harbor Bakery"],
    free_text: [
      ["How can I stop receiving these texts?", FREE],
      ["how do i stop getting these messages", FREE],
      ["My dad doesn't want these texts anymore, please remove his number", FREE],
      ["my wife no longer wants your messages, delete her number", FREE],
      ["Pursuant to the TCPA, I withdraw my consent to be contacted by text", FREE],
      ["Under GDPR I am withdrawing my consent to receive marketing messages", FREE],
      ["I would appreciate it if you stopped sending me promotional texts", FREE],
      ["quit spamming my phone bro", FREE],
    ],
    lookalike: [
      "how do I stop the car alarm from going off?",
      "My mother wants to cancel her appointment on Friday",
      "I withdraw my application for the position",
      "stop, I can't breathe from laughing 😂",
      "my son doesn't want the blue one, he wants the red one",
      "Cancel Dentist Appointment",
    ],
  }),
  ...section("nl", {
    keyword_brand: ["Bakkerij De Molen STOP"],
    free_text: [
      ["Hoe kan ik stoppen met het ontvangen van deze berichten?", FREE],
      ["Hoe zorg ik dat ik deze sms'jes niet meer krijg?", FREE],
      ["Mijn moeder wil deze berichten niet meer, verwijder haar nummer", FREE],
      ["Ik trek hierbij mijn toestemming in om sms'jes te ontvangen", FREE],
      ["Ik zou het op prijs stellen als jullie stoppen met sms'en", FREE],
      ["Zoudt ge willen stoppen me die berichtjes", FREE],
    ],
    lookalike: [
      "Hoe stop ik het autoalarm?",
      "Mijn moeder wil haar afspraak annuleren",
      "Ik trek mijn sollicitatie in",
      "Stop, ik lig in een deuk 😂",
    ],
  }),
  ...section("de", {
    keyword_brand: ["Bäckerei am Markt STOPP"],
    free_text: [
      ["Wie kann ich aufhören, diese SMS zu bekommen?", FREE],
      ["Wie höre ich auf, diese Nachrichten zu erhalten?", FREE],
      ["Meine Mutter will diese SMS nicht mehr, bitte löschen Sie ihre Nummer", FREE],
      ["Gemäß DSGVO widerrufe ich meine Einwilligung zum Erhalt von SMS", FREE],
      ["Ich wäre Ihnen dankbar, wenn Sie mir keine SMS mehr schicken würden", FREE],
      ["Hörts auf mit dene SMS", FREE],
    ],
    lookalike: [
      "Wie stoppe ich den Autoalarm?",
      "Meine Mutter möchte ihren Termin absagen",
      "Ich ziehe meine Bewerbung zurück",
      "Hör auf, ich lach mich tot 🤣",
    ],
  }),
  ...section("fr", {
    keyword_brand: ["Boulangerie de la Gare STOP"],
    free_text: [
      ["Comment faire pour ne plus recevoir ces messages ?", FREE],
      ["Comment j'arrête de recevoir ces SMS ?", FREE],
      ["Mon père ne veut plus de vos SMS, supprimez son numéro svp", FREE],
      ["Conformément au RGPD, je retire mon consentement à recevoir des SMS", FREE],
      ["Je vous serais reconnaissant de cesser de m'envoyer des SMS", FREE],
      ["Arrêtez de m'envoyer vos textos là, wesh", FREE],
    ],
    lookalike: [
      "Comment arrêter l'alarme de la voiture ?",
      "Ma mère veut annuler son rendez-vous",
      "Je retire ma candidature",
      "Arrête, je suis mort de rire 😂😂",
    ],
  }),
  ...section("es", {
    keyword_brand: ["Farmacia del Sol BAJA"],
    free_text: [
      ["¿Cómo hago para dejar de recibir estos mensajes?", FREE],
      ["como dejo de recibir estos sms?", FREE],
      ["Mi padre no quiere más estos mensajes, eliminen su número", FREE],
      ["Conforme al RGPD retiro mi consentimiento para recibir SMS", FREE],
      ["Agradecería que no me enviaran más mensajes", FREE],
      ["ya dejen de mandarme sus mensajitos wey", FREE],
    ],
    lookalike: [
      "¿Cómo apago la alarma del coche?",
      "Mi mamá quiere cancelar su cita",
      "Retiro mi solicitud de empleo",
      "Para, que me muero de risa jajaja",
    ],
  }),
  ...section("pt", {
    keyword_brand: ["Padaria Sol Nascente SAIR"],
    free_text: [
      ["Como eu paro de receber esses sms?", FREE],
      ["Como faço para deixar de receber estas mensagens?", FREE],
      ["Meu pai não quer mais essas mensagens, tirem o número dele", FREE],
      ["Nos termos da LGPD, revogo meu consentimento para receber SMS", FREE],
      ["Agradeceria se parassem de me enviar mensagens", FREE],
      ["para de mandar essas mensagens aí, mano", FREE],
    ],
    lookalike: [
      "Como desligo o alarme do carro?",
      "Minha mãe quer cancelar a consulta dela",
      "Retiro minha candidatura",
      "Para, estou morrendo de rir kkkkk",
    ],
  }),
  ...section("it", {
    keyword_brand: ["Pizzeria Da Mario STOP"],
    free_text: [
      ["Come faccio a smettere di ricevere questi messaggi?", FREE],
      ["Come posso non ricevere più questi sms?", FREE],
      ["Mio padre non vuole più questi messaggi, togliete il suo numero", FREE],
      ["Ai sensi del GDPR revoco il mio consenso a ricevere SMS", FREE],
      ["Vi sarei grato se smetteste di inviarmi messaggi", FREE],
      ["nun me scrivete cchiù", FREE],
    ],
    lookalike: [
      "Come faccio a spegnere l'allarme della macchina?",
      "Mia madre vuole disdire l'appuntamento",
      "Ritiro la mia candidatura",
      "Basta, sto morendo dal ridere 😂",
    ],
  }),
  ...section("sv", {
    keyword_brand: ["Bageriet vid Torget STOPP"],
    free_text: [
      ["Hur gör jag för att sluta få era sms?", FREE],
      ["Hur slutar jag få de här meddelandena?", FREE],
      ["Min mamma vill inte ha de här sms:en längre, ta bort hennes nummer", FREE],
      ["Enligt GDPR återkallar jag mitt samtycke till sms", FREE],
      ["Jag skulle uppskatta om ni slutade skicka sms till mig", FREE],
      ["Sluta skicka mej sms, tack", FREE],
    ],
    lookalike: [
      "Hur stänger jag av billarmet?",
      "Min mamma vill avboka sin tid",
      "Jag drar tillbaka min ansökan",
      "Sluta, jag dör av skratt 😂",
    ],
  }),
  ...section("no", {
    keyword_brand: ["Bakeriet på Torget STOPP"],
    free_text: [
      ["Hvordan slutter jeg å motta disse sms-ene?", FREE],
      ["Korleis sluttar eg å få desse meldingane?", FREE],
      ["Faren min vil ikke ha disse meldingene lenger, slett nummeret hans", FREE],
      ["I henhold til GDPR trekker jeg tilbake samtykket mitt til å motta sms", FREE],
      ["Hadde satt pris på om dere sluttet å sende meg meldinger", FREE],
      ["Ikkje send meg fleire meldingar", FREE],
    ],
    lookalike: [
      "Hvordan slår jeg av bilalarmen?",
      "Mora mi vil avlyse timen sin",
      "Jeg trekker søknaden min",
      "Slutt, jeg dør av latter 😂",
    ],
  }),
  ...section("da", {
    keyword_brand: ["Bageriet ved Torvet STOP"],
    free_text: [
      ["Hvordan stopper jeg med at få de her sms'er?", FREE],
      ["Hvordan undgår jeg at modtage flere beskeder?", FREE],
      ["Min far vil ikke have jeres beskeder mere, slet hans nummer", FREE],
      ["I henhold til GDPR trækker jeg mit samtykke tilbage", FREE],
      ["Vil I ikke godt lade være med at sende mig beskeder", FREE],
      ["Gider I lade være med at skrive til mig", FREE],
    ],
    lookalike: [
      "Hvordan stopper jeg bilalarmen?",
      "Min mor vil aflyse sin tid",
      "Jeg trækker min ansøgning tilbage",
      "Stop, jeg dør af grin 😂",
    ],
  }),
  ...section("pl", {
    keyword_brand: ["Piekarnia pod Lipami STOP"],
    free_text: [
      ["Jak przestać otrzymywać te wiadomości?", FREE],
      ["Co zrobić, żeby nie dostawać tych smsów?", FREE],
      ["Moja mama nie chce już tych smsów, usuńcie jej numer", FREE],
      ["Zgodnie z RODO wycofuję zgodę na otrzymywanie wiadomości", FREE],
      ["Byłbym wdzięczny za zaprzestanie wysyłania mi smsów", FREE],
      ["Weźcie przestańcie mi słać te smsy", FREE],
    ],
    lookalike: [
      "Jak wyłączyć alarm w samochodzie?",
      "Moja mama chce odwołać wizytę",
      "Wycofuję swoją kandydaturę",
      "Przestań, umieram ze śmiechu 😂",
    ],
  }),
  // Round 2, written after round 1's fixes and scored before the fixes it led to.
  ...section("en", {
    keyword_brand: ["Maple Street Dental cancel", "STOP Riverside Pet Grooming"],
    free_text: [
      ["lol stop texting me", FREE],
      ["how do I stop receiving them", FREE],
      ["My grandma never signed up for your texts, take her number off", FREE],
    ],
    lookalike: [
      "How do I stop getting charged twice?",
      "my husband doesn't like the new offers, he wants the old plan back",
      "My mother didn't get your text about the appointment",
      "Stop Global Warming",
      "Cancel Friday Delivery",
      "STOP THE BUS",
    ],
  }),
  ...section("nl", {
    free_text: [["Mijn vader wil geen sms'jes meer van jullie", FREE]],
    lookalike: [
      "Hoe zorg ik dat ik de factuur niet meer per post krijg?",
      "Stop ermee, ik lach me kapot haha",
    ],
  }),
  ...section("de", {
    free_text: [["Meine Oma will keine Werbe-SMS mehr, bitte ihre Nummer löschen", FREE]],
    lookalike: [
      "Wie höre ich auf, Rechnungen per Post zu erhalten?",
      "Meine Frau will den Termin nicht mehr",
    ],
  }),
  ...section("fr", {
    free_text: [["Merci de cesser tout envoi de SMS à mon père, il n'en veut plus", FREE]],
    lookalike: [
      "Comment ne plus recevoir la facture papier ?",
      "Ma mère ne veut plus de rendez-vous le lundi",
    ],
  }),
  ...section("es", {
    free_text: [["Por favor dejen de mandarme promociones", FREE]],
    lookalike: [
      "No me manden más la factura en papel",
      "Dejen de mandarme la factura por correo postal",
      "Mi hijo no quiere la talla M",
    ],
  }),
  ...section("pt", {
    free_text: [["Minha avó não quer receber mais sms de vocês", FREE]],
    lookalike: ["Parem de me enviar a fatura em papel", "Como deixo de receber a fatura em papel?"],
  }),
  ...section("it", {
    free_text: [["Mio figlio non vuole più i vostri sms", FREE]],
    lookalike: [
      "Smettete di mandarmi la bolletta cartacea",
      "Come faccio a non ricevere più la bolletta cartacea?",
    ],
  }),
  ...section("sv", {
    free_text: [["Min pappa vill inte ha era sms längre", FREE]],
    lookalike: ["Hur slutar jag få fakturor på papper?", "Min son vill inte ha den blå tröjan"],
  }),
  ...section("no", {
    free_text: [["Ikke send meg flere sms", FREE]],
    lookalike: ["Ikke send meg regningen på papir, bare på e-post", "Hvordan slutter jeg å få papirfaktura?"],
  }),
  ...section("da", {
    free_text: [["Lad være med at skrive til mig", FREE]],
    lookalike: ["Lad være med at sende pakken før mandag", "Hvordan stopper jeg med at få papirregninger?"],
  }),
  ...section("pl", {
    free_text: [["Proszę o zaprzestanie wysyłania mi reklam", FREE]],
    lookalike: [
      "Proszę o zaprzestanie wysyłania faktur papierowych",
      "Jak przestać dostawać rachunki na papierze?",
    ],
  }),
];
