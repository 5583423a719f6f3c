import t from "tap";
import { isAutomaticReply } from "../src/index.js";

t.test("Auto-Submitted header (RFC 3834)", async (t) => {
  t.equal(isAutomaticReply({ autoSubmitted: "auto-replied" }), true);
  t.equal(isAutomaticReply({ autoSubmitted: "auto-generated" }), true);
  t.equal(isAutomaticReply({ autoSubmitted: "Auto-Notified; owner-email=x@example.com" }), true);
  t.equal(isAutomaticReply({ autoSubmitted: "no" }), false);
  t.equal(isAutomaticReply({ autoSubmitted: " No " }), false);
  t.equal(
    isAutomaticReply({ headers: { "AUTO-SUBMITTED": "auto-replied" } }),
    true,
    "header names in any case",
  );
  t.equal(isAutomaticReply({ headers: { "auto-submitted": "no" }, subject: "unsubscribe" }), false);
  t.equal(
    isAutomaticReply({ autoSubmitted: "no", subject: "Automatic reply: Our summer deals" }),
    true,
    "the subject still counts",
  );
});

t.test("other automatic-mail headers", async (t) => {
  t.equal(isAutomaticReply({ headers: { "X-Autoreply": "yes" } }), true);
  t.equal(isAutomaticReply({ headers: { "X-Autorespond": "vacation" } }), true);
  t.equal(isAutomaticReply({ headers: { Precedence: "auto_reply" } }), true);
  t.equal(isAutomaticReply({ headers: { Precedence: "bulk" } }), true);
  t.equal(isAutomaticReply({ headers: { Precedence: "first-class" } }), false);
});

t.test("out-of-office subjects in the languages of the tables", async (t) => {
  const automatic = [
    "Out of Office: Summer sale",
    "Out of office",
    "Automatic reply: Your newsletter",
    "Auto-Reply: unsubscribe",
    "AutoReply",
    "[Autoreply] Re: deals",
    "Afwezig: Nieuwsbrief",
    "Automatisch antwoord: Aanbiedingen",
    "Abwesenheitsnotiz: Newsletter",
    "Automatische Antwort: Angebote",
    "Absence du bureau",
    "Réponse automatique : Newsletter",
    "Respuesta automática: Ofertas",
    "Fuera de la oficina",
    "Resposta automática: Promoções",
    "Ausência: newsletter",
    "Risposta automatica: offerte",
    "Fuori sede",
    "Autosvar: Nyhetsbrev",
    "Frånvaro",
    "Automatyczna odpowiedź: Promocje",
    "Poza biurem",
    "Undeliverable: Summer sale",
    "Delivery Status Notification (Failure)",
  ];
  for (const subject of automatic) t.equal(isAutomaticReply({ subject }), true, subject);
  t.equal(isAutomaticReply({ headers: { Subject: "Out of office" } }), true, "subject from headers");
});

t.test("a person's reply is not automatic", async (t) => {
  const human = [
    "unsubscribe",
    "Unsubscribe me",
    "Re: Summer sale",
    "Re: Leave of absence webinar",
    "Please remove me",
    "Re: Our new office opening",
    "Afmelden",
    "Abmelden",
    "Désinscription",
    "",
  ];
  for (const subject of human) t.equal(isAutomaticReply({ subject }), false, JSON.stringify(subject));
  t.equal(isAutomaticReply({}), false, "no headers at all");
});
