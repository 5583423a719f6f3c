import t from "tap";
import { readFile } from "node:fs/promises";
import { SCHEMAS } from "@optout/schemas";
import { REPO_ROOT } from "@optout/testkit";
import { CHANNELS, renderAsyncApi } from "../../scripts/render-asyncapi.js";

t.test("docs/asyncapi.yaml is rendered from the schemas the workers validate with", async (t) => {
  const committed = await readFile(`${REPO_ROOT}docs/asyncapi.yaml`, "utf8");
  t.equal(committed, renderAsyncApi(), "up to date (npm run docs:render)");
});

t.test("every schema of the contract belongs to a documented subject", async (t) => {
  const documented = new Set(CHANNELS.flatMap((c) => c.messages.map((m) => m.schema)));
  for (const name of Object.keys(SCHEMAS)) t.ok(documented.has(name), `${name} is documented on a subject`);
  for (const name of documented) t.ok(name in SCHEMAS, `${name} exists in @optout/schemas`);
});
