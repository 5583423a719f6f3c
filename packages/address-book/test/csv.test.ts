import t from "tap";
import { CsvParser, CsvSyntaxError, LineSplitter } from "../src/csv.js";

function parseAll(text: string, chunkSize = text.length) {
  const parser = new CsvParser();
  const out = [];
  for (let i = 0; i < text.length; i += chunkSize) out.push(...parser.push(text.slice(i, i + chunkSize)));
  out.push(...parser.end());
  return out;
}

const SAMPLE =
  "id,phone,email,groups\r\n" +
  "c1,06 1234 5678,a@example.com,vip;news\r\n" +
  '"c2","+31 (0)6 1234 5679","",""\r\n' +
  '"c,3","line one\nline two","say ""hi""",x\n' +
  "\n" +
  "c4,,b@example.com,\r" +
  "c5,0612345670,,last";

const EXPECTED = [
  { line: 1, fields: ["id", "phone", "email", "groups"] },
  { line: 2, fields: ["c1", "06 1234 5678", "a@example.com", "vip;news"] },
  { line: 3, fields: ["c2", "+31 (0)6 1234 5679", "", ""] },
  { line: 4, fields: ["c,3", "line one\nline two", 'say "hi"', "x"] },
  { line: 7, fields: ["c4", "", "b@example.com", ""] },
  { line: 8, fields: ["c5", "0612345670", "", "last"] },
];

t.test(
  "RFC 4180: quoting, doubled quotes, embedded line breaks, CRLF/LF/CR, blank lines; line numbers",
  async (t) => {
    t.same(parseAll(SAMPLE), EXPECTED);
  },
);

t.test("the same records whatever the chunk boundaries", async (t) => {
  for (let size = 1; size <= 12; size++) t.same(parseAll(SAMPLE, size), EXPECTED, `chunks of ${size}`);
});

t.test(
  "a trailing line break ends the last record; text after a closing quote marks the record",
  async (t) => {
    t.same(parseAll("a,b\n1,2\n"), [
      { line: 1, fields: ["a", "b"] },
      { line: 2, fields: ["1", "2"] },
    ]);
    const [, bad, good] = parseAll('a,b\n"x"y,2\n3,4\n');
    t.match(bad, { line: 2, error: /closing quote/ });
    t.same(good, { line: 3, fields: ["3", "4"] });
  },
);

t.test("an unclosed quote fails with the line, at the end or past the record limit", async (t) => {
  t.throws(() => parseAll('a,b\n1,"open\n2,3\n'), CsvSyntaxError);
  const parser = new CsvParser({ maxRecordChars: 100 });
  parser.push('a,b\n1,"');
  t.throws(() => parser.push("x".repeat(200)), /line 2: record longer than 100/);
});

t.test("NDJSON lines: split across chunks, blank lines counted", async (t) => {
  const s = new LineSplitter();
  const out = [...s.push('{"a":1}\n\n{"b"'), ...s.push(':2}\r\n{"c":3}'), ...s.end()];
  t.same(out, [
    { line: 1, text: '{"a":1}' },
    { line: 3, text: '{"b":2}\r' },
    { line: 4, text: '{"c":3}' },
  ]);
});
