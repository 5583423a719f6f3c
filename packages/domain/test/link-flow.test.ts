import t from "tap";
import {
  DEFAULT_KEYWORD_FLOWS,
  generateLinkTokens,
  isLinkToken,
  keywordFlowFor,
  languageForCountry,
  linkTagText,
  maskPhoneNumber,
  planTag,
  renderKeywordFlow,
  truncateIp,
} from "@optout/domain";

t.test("keyword flows: France is built in; accounts add, replace and switch off flows", async (t) => {
  t.equal(renderKeywordFlow(DEFAULT_KEYWORD_FLOWS.FR!), "STOP au 36111");
  t.same(planTag("FR"), { kind: "keyword", text: "STOP au 36111" });
  t.same(planTag("fr"), { kind: "keyword", text: "STOP au 36111" }, "country codes in any case");
  t.same(planTag("NL"), { kind: "link", language: "nl" });
  t.same(
    planTag(undefined),
    { kind: "link", language: undefined },
    "no country: a link in the default language",
  );
  t.same(
    planTag("FR", { FR: null }),
    { kind: "link", language: "fr" },
    "null switches the built-in flow off",
  );
  t.same(planTag("FR", { FR: false }), { kind: "link", language: "fr" }, "so does false");
  t.same(planTag("BE", { BE: { keyword: "STOP", number: "8800", template: "{keyword} au {number}" } }), {
    kind: "keyword",
    text: "STOP au 8800",
  });
  // "Reply STOP" (US, UK): no number, the recipient replies to the sender.
  t.same(planTag("US", { US: { keyword: "STOP", template: "Reply {keyword} to opt out" } }), {
    kind: "keyword",
    text: "Reply STOP to opt out",
  });
  t.equal(
    keywordFlowFor("GB", { GB: { keyword: "STOP", template: "STOP to {number}" } }),
    undefined,
    "a template naming a number it does not have is not a flow",
  );
  // A malformed override (settings are hand-written JSON) falls back to the built-in flow.
  t.same(keywordFlowFor("FR", { FR: { keyword: "", number: "1", template: "x" } }), DEFAULT_KEYWORD_FLOWS.FR);
  t.equal(keywordFlowFor("NL", { FR: null }), undefined);
  t.equal(keywordFlowFor("toString"), undefined, "no prototype lookups");
});

t.test("link tag text: per language, account templates first, never without the link", async (t) => {
  const link = "https://o.example/AbCd1234";
  t.equal(linkTagText("nl", link), `Afmelden: ${link}`);
  t.equal(linkTagText("de", link), `Abmelden: ${link}`);
  t.equal(linkTagText("fr", link), `Désinscription : ${link}`);
  t.equal(linkTagText("pl", link), `Opt out: ${link}`, "a language without a template: English");
  t.equal(linkTagText(undefined, link), `Opt out: ${link}`);
  t.equal(linkTagText("nl", link, { nl: "Stoppen? {link}" }), `Stoppen? ${link}`);
  t.equal(
    linkTagText("pl", link, { default: "STOP: {link}" }),
    `STOP: ${link}`,
    "the account's default before English",
  );
  t.equal(
    linkTagText("nl", link, { nl: "no placeholder" }),
    `Afmelden: ${link}`,
    "a template that would drop the link is ignored",
  );
  t.equal(languageForCountry("BE"), "nl");
  t.equal(languageForCountry("ZZ"), undefined);
});

t.test("link tokens: 8 base62 characters, unbiased, distinct", async (t) => {
  const tokens = generateLinkTokens(20_000);
  t.equal(tokens.length, 20_000);
  t.ok(tokens.every((x) => /^[0-9A-Za-z]{8}$/.test(x) && isLinkToken(x)));
  t.equal(new Set(tokens).size, tokens.length, "no collisions among 20,000 (expected ~1e-6)");
  // Every character of the alphabet appears about equally often: a `byte % 62` bias would
  // give the first 8 characters 5/4 of the others' share.
  const counts = new Map<string, number>();
  for (const token of tokens) for (const c of token) counts.set(c, (counts.get(c) ?? 0) + 1);
  t.equal(counts.size, 62);
  const expected = (20_000 * 8) / 62;
  t.ok(
    [...counts.values()].every((n) => Math.abs(n - expected) < expected * 0.12),
    "uniform within 12%",
  );
  t.equal(
    generateLinkTokens(3, 22).every((x) => x.length === 22),
    true,
    "other lengths",
  );
  t.notOk(isLinkToken("abc"), "too short");
  t.notOk(isLinkToken("abcdefgh!"), "not base62");
});

t.test("masked numbers keep the country code, the first national digit and the last four", async (t) => {
  t.equal(maskPhoneNumber("+31612345678"), "+31 6 ****5678");
  t.equal(maskPhoneNumber("+33612345678"), "+33 6 ** ** 56 78");
  t.equal(maskPhoneNumber("+12125550123"), "+1 2** *** 0123");
  t.equal(maskPhoneNumber("+999123456"), "+999**3456", "a number the parser does not know is still masked");
  t.notMatch(maskPhoneNumber("+4915112345678"), /12345/);
});

t.test("IP addresses are truncated to /24 and /48", async (t) => {
  t.equal(truncateIp("203.0.113.77"), "203.0.113.0");
  t.equal(truncateIp("::ffff:203.0.113.77"), "203.0.113.0", "IPv4-mapped");
  t.equal(truncateIp("2001:db8:85a3:8d3:1319:8a2e:370:7348"), "2001:db8:85a3::");
  t.equal(truncateIp("2001:db8::1"), "2001:db8:0::");
  t.equal(truncateIp("::1"), "0:0:0::");
  t.equal(truncateIp("not an ip"), undefined);
});
