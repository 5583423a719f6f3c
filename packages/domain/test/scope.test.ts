import t from "tap";
import { parseScope, resolveScope } from "../src/index.js";

t.test("resolves the list an account uses", async (t) => {
  t.equal(resolveScope({ id: "acc-1", organizationId: "org-9", listScope: "organization" }), "org:org-9");
  t.equal(resolveScope({ id: "acc-1", organizationId: "org-9", listScope: "account" }), "account:acc-1");
  t.equal(
    resolveScope({ id: "a", organizationId: "o", listScope: "organization" }),
    resolveScope({ id: "b", organizationId: "o", listScope: "organization" }),
    "accounts of one organization share its list",
  );
  t.not(
    resolveScope({ id: "a", organizationId: "o", listScope: "account" }),
    resolveScope({ id: "a", organizationId: "o", listScope: "organization" }),
    "an account list is not the organization list",
  );
});

t.test("refuses inputs that would merge lists", async (t) => {
  t.throws(() => resolveScope({ id: "a", organizationId: "", listScope: "organization" }), TypeError);
  t.throws(() => resolveScope({ id: "", organizationId: "o", listScope: "account" }), TypeError);
  t.throws(
    () => resolveScope({ id: "a", organizationId: "o", listScope: "team" as never }),
    /unknown listScope/,
  );
});

t.test("parseScope inverts resolveScope", async (t) => {
  t.same(parseScope("org:org-9"), { listScope: "organization", organizationId: "org-9" });
  t.same(parseScope("account:acc-1"), { listScope: "account", accountId: "acc-1" });
  t.same(parseScope("account:a:b"), { listScope: "account", accountId: "a:b" }, "ids may contain colons");
  for (const bad of ["", "org:", "account:", "organization:x", "acc-1", "ORG:x"])
    t.equal(parseScope(bad), undefined, JSON.stringify(bad));
  const account = { id: "x:y", organizationId: "o", listScope: "account" as const };
  t.same(parseScope(resolveScope(account)), { listScope: "account", accountId: "x:y" });
});
