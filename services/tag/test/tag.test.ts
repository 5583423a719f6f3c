import t from "tap";
import type { Account, LinkTarget } from "@optout/store";
import { tagRecipients, type TagPorts } from "@optout/service-tag";
import { replyParts } from "@optout/bus";

const account = {
  id: "acme",
  organizationId: "o",
  listScope: "organization",
  defaultCountry: "NL",
  settings: {},
  createdAt: "",
  updatedAt: "",
} as Account;

function ports(): TagPorts & { calls: { target: LinkTarget; identifiers: readonly string[] }[] } {
  const calls: { target: LinkTarget; identifiers: readonly string[] }[] = [];
  return {
    calls,
    getAccount: async (id) => (id === "acme" ? account : null),
    ensureLinks: async (target, identifiers) => {
      calls.push({ target, identifiers });
      return new Map(identifiers.map((id, i) => [id, `Tok${String(i).padStart(5, "0")}`]));
    },
    linkBaseUrl: "https://o.example",
  };
}

t.test("footers in request order; duplicates share a link; one link lookup per request", async (t) => {
  const p = ports();
  const { tags } = await tagRecipients(p, {
    accountId: "acme",
    recipients: ["0612345678", "+33612345678", "+31612345678", "x"],
    campaignId: "c",
  });
  t.same(tags, [
    {
      recipient: "0612345678",
      text: "Afmelden: https://o.example/Tok00000",
      link: "https://o.example/Tok00000",
      token: "Tok00000",
    },
    { recipient: "+33612345678", text: "STOP au 36111" },
    {
      recipient: "+31612345678",
      text: "Afmelden: https://o.example/Tok00000",
      link: "https://o.example/Tok00000",
      token: "Tok00000",
    },
    { recipient: "x", error: "invalid_recipient", detail: "not a phone number: contains letters" },
  ]);
  t.equal(p.calls.length, 1);
  t.same(p.calls[0]?.target, { accountId: "acme", channel: "sms", campaignId: "c" });
  t.same([...new Set(p.calls[0]?.identifiers)], ["+31612345678"], "the same number once");
});

t.test("no link lookup when every recipient has a keyword flow", async (t) => {
  const p = ports();
  await tagRecipients(p, { accountId: "acme", recipients: ["+33612345678"] });
  t.equal(p.calls.length, 0);
});

t.test("bad requests are typed errors", async (t) => {
  const p = ports();
  await t.rejects(tagRecipients(p, { accountId: "acme", recipients: Array(10_001).fill("+31612345678") }), {
    code: "TOO_MANY_RECIPIENTS",
  });
  await t.rejects(tagRecipients(p, { accountId: "acme", recipients: ["+31612345678"], channel: "email" }), {
    code: "INVALID_PAYLOAD",
  });
  await t.rejects(tagRecipients(p, undefined), { code: "INVALID_PAYLOAD" });
  await t.rejects(tagRecipients(p, { accountId: "ghost", recipients: ["+31612345678"] }), {
    code: "UNKNOWN_ACCOUNT",
  });
});

t.test(
  "reply parts: one message when it fits, consecutive parts when chunked, an error otherwise",
  async (t) => {
    const tags = Array.from({ length: 100 }, (_, i) => ({
      recipient: `+3161234${String(i).padStart(4, "0")}`,
      text: "STOP au 36111",
    }));
    t.same(replyParts({ tags }, "tags", 1024 * 1024, false), [{ tags }]);
    t.same(replyParts({ tags }, "tags", 1024 * 1024, true), [{ tags, offset: 0, total: 100 }]);
    const parts = replyParts({ tags }, "tags", 4 * 1024 + 1500, true);
    t.ok(parts.length > 1);
    t.same(
      parts.flatMap((p) => p.tags),
      tags,
      "nothing lost, in order",
    );
    t.ok(
      parts.every(
        (p, i) =>
          p.offset === (i === 0 ? 0 : parts[i - 1]!.offset! + parts[i - 1]!.tags.length) && p.total === 100,
      ),
    );
    t.ok(
      parts.every((p) => Buffer.byteLength(JSON.stringify(p)) <= 4 * 1024 + 1500),
      "each part fits",
    );
    t.throws(() => replyParts({ tags }, "tags", 4 * 1024 + 1500, false), {
      code: "TOO_MANY_RECIPIENTS",
      message: /"chunked": true/,
    });
  },
);
