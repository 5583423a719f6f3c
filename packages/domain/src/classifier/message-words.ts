/**
 * The words for "the messages" in each language, in the wide sense people use when they want
 * them to stop (texts, ads, offers, calls), as regex alternations on normalized text. Shared by
 * the free-text phrases (free-text.ts) and the indirect requests (indirect-requests.ts).
 */

// "Messages" in the wide sense people use when they want them to stop.
export const EN_MESSAGES =
  "(?:texts?|txts?|text messages?|messages?|msgs?|sms|smses|spam|spams|alerts?|notifications?|promos?|promotions?|promotional messages|offers|deals|ads|adverts|advertising|advertisements|marketing|e ?mails?|updates|newsletters?|calls|robocalls|reminders|communications?|contact)";

export const NL_MESSAGES =
  "(?:sms|smss|smsen|smsjes|sms jes|smskes|smskens|sms berichten|smsberichten|berichten|berichtjes|bericht|appjes|reclame|mails|e mails|mailtjes|spam|nieuwsbrieven|nieuwsbrief|aanbiedingen|meldingen|notificaties)";

export const DE_MESSAGES =
  "(?:sms|nachrichten|nachricht|werbung|werbe sms|werbesms|werbenachrichten|mails|e mails|emails|newsletter|spam|angebote|textnachrichten|kurznachrichten|benachrichtigungen|infos|anrufe)";

export const FR_MESSAGES =
  "(?:envois|lenvoi|lenvoi des|sms|textos?|messages?|msg|pubs?|publicites?|mails?|e mails?|courriels?|spams?|offres|promos?|promotions|notifications|newsletters?|appels)";

export const ES_MESSAGES =
  "(?:mensajes?|mensaje de texto|mensajes de texto|sms|textos?|publicidad|promociones|promos|correos|emails|spam|ofertas|notificaciones|llamadas|anuncios|mensajitos|whatsapps?)";

export const PT_MESSAGES =
  "(?:mensagens|mensagem|sms|textos|publicidade|propaganda|propagandas|promocoes|emails|e mails|spam|ofertas|notificacoes|ligacoes)";

export const IT_MESSAGES =
  "(?:messaggi|messaggio|sms|comunicazioni|email|mail|offerte|promozioni|pubblicita|spam|notifiche|chiamate)";

export const PL_MESSAGES =
  "(?:kontaktu|sms|smsow|sms ow|smsa|smsy|smsami|sms ami|esemesow|esemesami|wiadomosci|wiadomosciami|wiadomosc|reklam|reklamy|reklamami|powiadomien|spamu|ofert|maili|newslettera)";
export const SV_MESSAGES =
  "(?:sms|sms en|smsen|smsena|smsa|sms a|meddelanden|meddelandena|meddelande|reklam|reklamen|utskick|utskicken|erbjudanden|mejl|mail|nyhetsbrev|spam|texter)";
export const NO_MESSAGES =
  "(?:sms|sms er|smser|sms ene|smsene|sms ane|smsane|meldinger|meldingene|meldingar|meldingane|melding|reklame|reklamen|tilbud|tilboda|e poster|mail|spam|nyhetsbrev)";
export const DA_MESSAGES =
  "(?:sms|sms er|smser|sms erne|smserne|beskeder|beskederne|besked|reklamer|reklamerne|reklame|tilbud|tilbuddene|mails|mailene|spam|spammet|nyhedsbreve|nyhedsbrevet)";
