/**
 * The words of the edge's pages. `{sender}`, `{number}` and `{email}` are filled in by the page
 * (escaped). Every language has every key: the type makes a missing translation a compile error.
 */

export const REASON_CODES = ["too_many", "not_relevant", "never_signed_up", "other"] as const;
export type ReasonCode = (typeof REASON_CODES)[number];

export interface Messages {
  /** The language's own name, for the language links. */
  languageName: string;
  languageNav: string;
  pageTitle: string;
  heading: string;
  intro: string;
  reasonLabel: string;
  reasonNone: string;
  reasons: Record<ReasonCode, string>;
  commentLabel: string;
  button: string;
  notice: string;
  doneTitle: string;
  doneText: string;
  doneNote: string;
  doneGeneric: string;
  notFoundTitle: string;
  notFoundText: string;
  badRequestTitle: string;
  badRequestText: string;
  errorTitle: string;
  errorText: string;
  tooManyTitle: string;
  tooManyText: string;
  emailHeading: string;
  emailIntro: string;
  emailDoneText: string;
  /** The preference page of an account with topics. */
  emailTopicsIntro: string;
  emailTopicCurrent: string;
  topicButton: string;
  allButton: string;
  emailTopicDoneText: string;
  otherTopicsLink: string;
}

const en: Messages = {
  languageName: "English",
  languageNav: "Language",
  pageTitle: "Unsubscribe",
  heading: "Unsubscribe from {sender}",
  intro: "Stop marketing text messages from {sender} to {number}.",
  reasonLabel: "Why are you unsubscribing? (optional)",
  reasonNone: "Choose a reason",
  reasons: {
    too_many: "I get too many messages",
    not_relevant: "The messages are not relevant to me",
    never_signed_up: "I never signed up",
    other: "Another reason",
  },
  commentLabel: "Anything else you want to tell us? (optional)",
  button: "Unsubscribe",
  notice: "Nothing changes until you press the button.",
  doneTitle: "You are unsubscribed",
  doneText: "{number} will no longer get marketing text messages from {sender}.",
  doneNote:
    "Messages already on their way may still arrive in the next few minutes. Service messages, such as delivery notices and login codes, are not affected.",
  doneGeneric:
    "Your request has been received: this number will no longer get marketing text messages from this sender.",
  notFoundTitle: "Link not found",
  notFoundText:
    "This unsubscribe link is not valid. Check that you opened the complete link from the message.",
  badRequestTitle: "Request not understood",
  badRequestText:
    "This request could not be read. Open the link from the message again and press the button.",
  errorTitle: "Something went wrong",
  errorText: "Your request could not be processed. Please try again in a few minutes.",
  tooManyTitle: "Too many requests",
  tooManyText: "Please wait a minute and try again.",
  emailHeading: "Unsubscribe from emails from {sender}",
  emailIntro: "Stop emails from {sender} to {email}.",
  emailDoneText: "{email} will no longer get these emails from {sender}.",
  emailTopicsIntro: "Choose the emails from {sender} that {email} should no longer get.",
  emailTopicCurrent: "This email was sent as: {topic}.",
  topicButton: "Unsubscribe from {topic}",
  allButton: "Unsubscribe from all emails",
  emailTopicDoneText: "{email} will no longer get {topic} from {sender}. Other emails are not affected.",
  otherTopicsLink: "Change your other email preferences",
};

const nl: Messages = {
  languageName: "Nederlands",
  languageNav: "Taal",
  pageTitle: "Afmelden",
  heading: "Afmelden voor berichten van {sender}",
  intro: "Geen marketing-sms'jes meer van {sender} naar {number}.",
  reasonLabel: "Waarom meldt u zich af? (optioneel)",
  reasonNone: "Kies een reden",
  reasons: {
    too_many: "Ik krijg te veel berichten",
    not_relevant: "De berichten zijn niet relevant voor mij",
    never_signed_up: "Ik heb me nooit aangemeld",
    other: "Een andere reden",
  },
  commentLabel: "Wilt u ons nog iets laten weten? (optioneel)",
  button: "Afmelden",
  notice: "Er verandert niets totdat u op de knop drukt.",
  doneTitle: "U bent afgemeld",
  doneText: "{number} ontvangt geen marketing-sms'jes meer van {sender}.",
  doneNote:
    "Berichten die al onderweg zijn, kunnen de komende minuten nog binnenkomen. Serviceberichten, zoals bezorgmeldingen en inlogcodes, blijven gewoon komen.",
  doneGeneric: "Uw verzoek is ontvangen: dit nummer ontvangt geen marketing-sms'jes meer van deze afzender.",
  notFoundTitle: "Link niet gevonden",
  notFoundText:
    "Deze afmeldlink is niet geldig. Controleer of u de volledige link uit het bericht hebt geopend.",
  badRequestTitle: "Verzoek niet begrepen",
  badRequestText:
    "Dit verzoek kon niet worden gelezen. Open de link uit het bericht opnieuw en druk op de knop.",
  errorTitle: "Er ging iets mis",
  errorText: "Uw verzoek kon niet worden verwerkt. Probeer het over een paar minuten opnieuw.",
  tooManyTitle: "Te veel verzoeken",
  tooManyText: "Wacht een minuut en probeer het opnieuw.",
  emailHeading: "Afmelden voor e-mails van {sender}",
  emailIntro: "Geen e-mails meer van {sender} naar {email}.",
  emailDoneText: "{email} ontvangt deze e-mails van {sender} niet meer.",
  emailTopicsIntro: "Kies welke e-mails van {sender} {email} niet meer moet ontvangen.",
  emailTopicCurrent: "Deze e-mail is verstuurd als: {topic}.",
  topicButton: "Afmelden voor {topic}",
  allButton: "Afmelden voor alle e-mails",
  emailTopicDoneText: "{email} ontvangt {topic} van {sender} niet meer. Andere e-mails blijven komen.",
  otherTopicsLink: "Uw andere e-mailvoorkeuren wijzigen",
};

const fr: Messages = {
  languageName: "Français",
  languageNav: "Langue",
  pageTitle: "Désinscription",
  heading: "Se désinscrire des messages de {sender}",
  intro: "Ne plus recevoir de SMS publicitaires de {sender} au {number}.",
  reasonLabel: "Pourquoi vous désinscrivez-vous ? (facultatif)",
  reasonNone: "Choisissez une raison",
  reasons: {
    too_many: "Je reçois trop de messages",
    not_relevant: "Les messages ne m'intéressent pas",
    never_signed_up: "Je ne me suis jamais inscrit",
    other: "Une autre raison",
  },
  commentLabel: "Souhaitez-vous nous dire autre chose ? (facultatif)",
  button: "Se désinscrire",
  notice: "Rien ne change tant que vous n'appuyez pas sur le bouton.",
  doneTitle: "Votre désinscription est enregistrée",
  doneText: "Le {number} ne recevra plus de SMS publicitaires de {sender}.",
  doneNote:
    "Des messages déjà en cours d'envoi peuvent encore arriver dans les prochaines minutes. Les messages de service, comme les avis de livraison et les codes de connexion, ne sont pas concernés.",
  doneGeneric:
    "Votre demande a bien été reçue : ce numéro ne recevra plus de SMS publicitaires de cet expéditeur.",
  notFoundTitle: "Lien introuvable",
  notFoundText:
    "Ce lien de désinscription n'est pas valide. Vérifiez que vous avez ouvert le lien complet du message.",
  badRequestTitle: "Demande incomprise",
  badRequestText:
    "Cette demande n'a pas pu être lue. Ouvrez à nouveau le lien du message et appuyez sur le bouton.",
  errorTitle: "Une erreur s'est produite",
  errorText: "Votre demande n'a pas pu être traitée. Veuillez réessayer dans quelques minutes.",
  tooManyTitle: "Trop de requêtes",
  tooManyText: "Veuillez patienter une minute, puis réessayer.",
  emailHeading: "Se désinscrire des e-mails de {sender}",
  emailIntro: "Ne plus recevoir d'e-mails de {sender} à l'adresse {email}.",
  emailDoneText: "{email} ne recevra plus ces e-mails de {sender}.",
  emailTopicsIntro: "Choisissez les e-mails de {sender} que {email} ne doit plus recevoir.",
  emailTopicCurrent: "Cet e-mail a été envoyé au titre de : {topic}.",
  topicButton: "Se désabonner de {topic}",
  allButton: "Se désabonner de tous les e-mails",
  emailTopicDoneText: "{email} ne recevra plus {topic} de {sender}. Les autres e-mails ne changent pas.",
  otherTopicsLink: "Modifier vos autres préférences d'e-mail",
};

const de: Messages = {
  languageName: "Deutsch",
  languageNav: "Sprache",
  pageTitle: "Abmelden",
  heading: "Von Nachrichten von {sender} abmelden",
  intro: "Keine Werbe-SMS mehr von {sender} an {number}.",
  reasonLabel: "Warum melden Sie sich ab? (optional)",
  reasonNone: "Grund auswählen",
  reasons: {
    too_many: "Ich bekomme zu viele Nachrichten",
    not_relevant: "Die Nachrichten interessieren mich nicht",
    never_signed_up: "Ich habe mich nie angemeldet",
    other: "Ein anderer Grund",
  },
  commentLabel: "Möchten Sie uns noch etwas mitteilen? (optional)",
  button: "Abmelden",
  notice: "Es ändert sich nichts, bevor Sie auf die Schaltfläche drücken.",
  doneTitle: "Sie sind abgemeldet",
  doneText: "{number} erhält keine Werbe-SMS mehr von {sender}.",
  doneNote:
    "Nachrichten, die bereits unterwegs sind, können in den nächsten Minuten noch ankommen. Servicenachrichten wie Lieferbenachrichtigungen und Anmeldecodes sind nicht betroffen.",
  doneGeneric: "Ihre Anfrage ist eingegangen: Diese Nummer erhält keine Werbe-SMS mehr von diesem Absender.",
  notFoundTitle: "Link nicht gefunden",
  notFoundText:
    "Dieser Abmeldelink ist ungültig. Prüfen Sie, ob Sie den vollständigen Link aus der Nachricht geöffnet haben.",
  badRequestTitle: "Anfrage nicht verstanden",
  badRequestText:
    "Diese Anfrage konnte nicht gelesen werden. Öffnen Sie den Link aus der Nachricht erneut und drücken Sie die Schaltfläche.",
  errorTitle: "Etwas ist schiefgelaufen",
  errorText:
    "Ihre Anfrage konnte nicht bearbeitet werden. Bitte versuchen Sie es in ein paar Minuten erneut.",
  tooManyTitle: "Zu viele Anfragen",
  tooManyText: "Bitte warten Sie eine Minute und versuchen Sie es dann erneut.",
  emailHeading: "Von E-Mails von {sender} abmelden",
  emailIntro: "Keine E-Mails mehr von {sender} an {email}.",
  emailDoneText: "{email} erhält diese E-Mails von {sender} nicht mehr.",
  emailTopicsIntro: "Wählen Sie, welche E-Mails von {sender} {email} nicht mehr erhalten soll.",
  emailTopicCurrent: "Diese E-Mail wurde gesendet als: {topic}.",
  topicButton: "{topic} abbestellen",
  allButton: "Alle E-Mails abbestellen",
  emailTopicDoneText: "{email} erhält {topic} von {sender} nicht mehr. Andere E-Mails sind nicht betroffen.",
  otherTopicsLink: "Ihre anderen E-Mail-Einstellungen ändern",
};

const es: Messages = {
  languageName: "Español",
  languageNav: "Idioma",
  pageTitle: "Darse de baja",
  heading: "Darse de baja de los mensajes de {sender}",
  intro: "Dejar de recibir SMS publicitarios de {sender} en el {number}.",
  reasonLabel: "¿Por qué se da de baja? (opcional)",
  reasonNone: "Elija un motivo",
  reasons: {
    too_many: "Recibo demasiados mensajes",
    not_relevant: "Los mensajes no me interesan",
    never_signed_up: "Nunca me suscribí",
    other: "Otro motivo",
  },
  commentLabel: "¿Quiere decirnos algo más? (opcional)",
  button: "Darse de baja",
  notice: "No cambia nada hasta que pulse el botón.",
  doneTitle: "Se ha dado de baja",
  doneText: "El {number} ya no recibirá SMS publicitarios de {sender}.",
  doneNote:
    "Los mensajes que ya están en camino pueden llegar en los próximos minutos. Los mensajes de servicio, como avisos de entrega y códigos de acceso, no se ven afectados.",
  doneGeneric: "Hemos recibido su solicitud: este número ya no recibirá SMS publicitarios de este remitente.",
  notFoundTitle: "Enlace no encontrado",
  notFoundText: "Este enlace de baja no es válido. Compruebe que ha abierto el enlace completo del mensaje.",
  badRequestTitle: "Solicitud no válida",
  badRequestText:
    "No se ha podido leer esta solicitud. Vuelva a abrir el enlace del mensaje y pulse el botón.",
  errorTitle: "Algo ha salido mal",
  errorText: "No se ha podido procesar su solicitud. Vuelva a intentarlo dentro de unos minutos.",
  tooManyTitle: "Demasiadas solicitudes",
  tooManyText: "Espere un minuto y vuelva a intentarlo.",
  emailHeading: "Darse de baja de los correos de {sender}",
  emailIntro: "Dejar de recibir correos de {sender} en {email}.",
  emailDoneText: "{email} ya no recibirá estos correos de {sender}.",
  emailTopicsIntro: "Elija qué correos de {sender} ya no debe recibir {email}.",
  emailTopicCurrent: "Este correo se envió como: {topic}.",
  topicButton: "Darse de baja de {topic}",
  allButton: "Darse de baja de todos los correos",
  emailTopicDoneText: "{email} ya no recibirá {topic} de {sender}. Los demás correos no cambian.",
  otherTopicsLink: "Cambiar sus otras preferencias de correo",
};

export const MESSAGES: Readonly<Record<string, Messages>> = Object.freeze({ en, nl, fr, de, es });
export const PAGE_LANGUAGES = Object.freeze(Object.keys(MESSAGES));
export const DEFAULT_PAGE_LANGUAGE = "en";

export function isPageLanguage(lang: string | undefined): lang is string {
  return lang !== undefined && Object.hasOwn(MESSAGES, lang);
}

/**
 * The page language: an explicit choice (?lang=), else the browser's preference (Accept-Language,
 * by quality), else the main language of the recipient's country, else English.
 */
export function choosePageLanguage(options: {
  explicit?: string | undefined;
  acceptLanguage?: string | undefined;
  countryLanguage?: string | undefined;
}): string {
  const explicit = options.explicit?.toLowerCase();
  if (isPageLanguage(explicit)) return explicit;
  const fromHeader = preferredLanguages(options.acceptLanguage).find(isPageLanguage);
  if (fromHeader) return fromHeader;
  if (isPageLanguage(options.countryLanguage)) return options.countryLanguage;
  return DEFAULT_PAGE_LANGUAGE;
}

/** Primary language subtags of an Accept-Language header, best first; q=0 means "not this one". */
export function preferredLanguages(header: string | undefined): string[] {
  if (!header) return [];
  const ranked: { lang: string; q: number; order: number }[] = [];
  for (const [order, part] of header.split(",").slice(0, 32).entries()) {
    const [tag = "", ...params] = part.trim().split(";");
    const lang = tag.trim().toLowerCase().split("-")[0] ?? "";
    if (!/^[a-z]{2,3}$/.test(lang)) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q) || q <= 0) continue;
    ranked.push({ lang, q, order });
  }
  ranked.sort((a, b) => b.q - a.q || a.order - b.order);
  return ranked.map((r) => r.lang);
}
