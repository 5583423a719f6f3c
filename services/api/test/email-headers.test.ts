import t from "tap";
import { buildListUnsubscribeHeaders } from "../src/routes/email-headers.js";

const TOKEN = "eyJhIjoiYWNtZSIsImUiOiJqYW5lQGV4YW1wbGUuY29tIn0.abcdefghijklmnopqrstuv";

t.test(
  "https one-click URI first, then the mailto URI with the token as subject (RFC 2369 / RFC 8058)",
  async (t) => {
    t.same(
      buildListUnsubscribeHeaders({
        token: TOKEN,
        baseUrl: "https://o.example/",
        mailto: "unsubscribe@mail.acme.example",
      }),
      {
        "List-Unsubscribe": `<https://o.example/email/unsubscribe/${TOKEN}>, <mailto:unsubscribe@mail.acme.example?subject=unsubscribe-${TOKEN}>`,
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
      },
    );
  },
);

t.test("without a mailbox, only the one-click URI", async (t) => {
  t.equal(
    buildListUnsubscribeHeaders({ token: TOKEN, baseUrl: "https://o.example/" })["List-Unsubscribe"],
    `<https://o.example/email/unsubscribe/${TOKEN}>`,
  );
});

t.test("a base URL with a path keeps it, with or without the trailing slash", async (t) => {
  for (const baseUrl of ["https://unsub.acme.example/o", "https://unsub.acme.example/o/"]) {
    t.equal(
      buildListUnsubscribeHeaders({ token: TOKEN, baseUrl })["List-Unsubscribe"],
      `<https://unsub.acme.example/o/email/unsubscribe/${TOKEN}>`,
    );
  }
});

t.test(
  "mailbox characters a mailto URI cannot carry are percent-encoded; RFC 6068 delimiters stay",
  async (t) => {
    const value = buildListUnsubscribeHeaders({
      token: TOKEN,
      baseUrl: "https://o.example/",
      mailto: "unsub+acme%list@mail.acme.example",
    })["List-Unsubscribe"];
    t.match(value, /<mailto:unsub\+acme%25list@mail\.acme\.example\?subject=/);
    const unicode = buildListUnsubscribeHeaders({
      token: TOKEN,
      baseUrl: "https://o.example/",
      mailto: "désinscription@xn--bcher-kva.example",
    })["List-Unsubscribe"];
    t.match(unicode, /<mailto:d%C3%A9sinscription@xn--bcher-kva\.example\?subject=/);
    t.notMatch(unicode, /[^\x20-\x7e]/, "ASCII only");
  },
);
