import t from "tap";
import { normalizeEmail } from "../src/index.js";

t.test("normalizes to one comparable form", async (t) => {
  const cases: Array<[string, string]> = [
    ["  John.Doe@Example.COM ", "john.doe@example.com"],
    ["user+tag@gmail.com", "user+tag@gmail.com"],
    ["a@b.co", "a@b.co"],
    ["info@bücher.de", "info@xn--bcher-kva.de"],
    ["Info@BÜCHER.de", "info@xn--bcher-kva.de"],
    ["a@xn--bcher-kva.de", "a@xn--bcher-kva.de"],
    ["a@例え.テスト", "a@xn--r8jz45g.xn--zckzah"],
    ["A@ＥＸＡＭＰＬＥ。com", "a@example.com"],
    ["o'brien@example.ie", "o'brien@example.ie"],
    ["JÖRG@example.de", "jörg@example.de"],
    ["first_last-1@sub.example.co.uk", "first_last-1@sub.example.co.uk"],
  ];
  for (const [input, identifier] of cases)
    t.same(normalizeEmail(input), { ok: true, identifier }, JSON.stringify(input));
});

t.test("decomposed and composed Unicode give the same identifier", async (t) => {
  t.same(normalizeEmail("jo\u0308rg@example.de"), normalizeEmail("j\u00f6rg@example.de"));
});

t.test("rejects what is not an address", async (t) => {
  const rejected: Array<[string, RegExp]> = [
    ["", /empty/],
    ["   ", /empty/],
    ["john.example.com", /no @/],
    ["@example.com", /before the @/],
    ["john@", /after the @/],
    ["john doe@example.com", /spaces/],
    ["john@exam ple.com", /spaces/],
    ["john@@example.com", /more than one @/],
    ["a@b@example.com", /more than one @/],
    ["john@localhost", /no dot/],
    ["john@example..com", /invalid domain/],
    ["john@-example.com", /invalid domain/],
    ["john@example-.com", /invalid domain/],
    ["john@exa_mple.com", /invalid domain/],
    ["john@example.com.", /invalid domain/],
    ["john@xn--zz.com", /invalid domain/],
    ["john@1.2.3.4", /number/],
    ["john@[192.168.0.1]", /IP address/],
    [".john@example.com", /before the @/],
    ["john.@example.com", /before the @/],
    ["jo..hn@example.com", /before the @/],
    ["John Doe <john@example.com>", /spaces/],
    ["<john@example.com>", /before the @/],
    ["mailto:john@example.com", /before the @/],
    ['"john"@example.com', /before the @/],
    [`${"x".repeat(65)}@example.com`, /64 bytes/],
    [`john@${"a".repeat(64)}.com`, /invalid domain/],
    [
      `${"x".repeat(60)}@${Array.from({ length: 4 }, () => "d".repeat(60)).join(".")}.com`,
      /too long|longer than/,
    ],
    ["john@example.com\n", /./],
  ];
  for (const [input, reason] of rejected) {
    const result = normalizeEmail(input);
    if (input === "john@example.com\n") {
      // Surrounding white space is trimmed, so this one is fine.
      t.same(result, { ok: true, identifier: "john@example.com" });
      continue;
    }
    t.equal(result.ok, false, `${JSON.stringify(input)} rejected`);
    if (!result.ok) t.match(result.reason, reason, `${JSON.stringify(input)}: ${result.reason}`);
  }
});
